#!/bin/sh
# The trace issue's acceptance on the host: a traced seed run leaves one
# timeline of iorace and kernel events that babeltrace2 lists in order;
# `iorace check` passes it and agrees with the run; on the tamper self-test
# the trace check fails the same way the online verdict does; `iorace
# compare` exits 1 against a report with a new failure and 0 against itself.
. "$(dirname "$0")/../lib.sh"
"$IORACE" run seed-truncate-dio --scale 0.05 --out "$T/seed" --no-progress >"$T/seed.log" 2>&1
expect_eq "traced seed run exit" "$?" 0
babeltrace2 "$T/seed/trace" >"$T/bt.txt" 2>"$T/bt.err"
expect_eq "babeltrace2 exit" "$?" 0
expect_gt "iorace:op_submit events" "$(grep -c 'iorace:op_submit' "$T/bt.txt")" 1000
expect_gt "iorace:read_run events" "$(grep -c 'iorace:read_run' "$T/bt.txt")" 100
expect_gt "ext4 kernel events" "$(grep -c ' ext4_' "$T/bt.txt")" 10
expect_gt "iomap kernel events" "$(grep -c ' iomap_dio_complete' "$T/bt.txt")" 100
expect_gt "jbd2 kernel events" "$(grep -c ' jbd2_' "$T/bt.txt")" 0
# the pre-flight probe: seen before the run's first seq-carrying event
grep -q 'trace pre-flight: recording (probe seen' "$T/seed.log" && pass "pre-flight probe seen" || fail "no pre-flight line in $T/seed.log"
expect_eq "iorace:probe events" "$(grep -c 'iorace:probe:' "$T/bt.txt")" 1
first=$(grep -m1 -o 'iorace:[a-z_]*' "$T/bt.txt")
expect_eq "first iorace event" "$first" "iorace:probe"
# one timeline: timestamps never go backwards across both traces
unordered=$(sed -n 's/^\[\([0-9:.]*\)\].*/\1/p' "$T/bt.txt" | awk '$0 < prev { n++ } { prev = $0 } END { print n + 0 }')
expect_eq "events out of order" "$unordered" 0
# kernel events interleave with iorace ones (not one block after the other)
switches=$(awk '{ k = ($4 ~ /^iorace:/) } NR > 1 && k != pk { n++ } { pk = k } END { print n + 0 }' "$T/bt.txt")
expect_gt "iorace/kernel interleavings" "$switches" 100

"$IORACE" check "$T/seed" >"$T/check.out" 2>&1
expect_eq "iorace check exit" "$?" 0
grep -q "agree" "$T/check.out" && pass "check agrees with the run" || fail "no agreement line"
for inv in oracle conversion_before_completion extent_ops_wait_dio completeness; do
	expect_eq "invariant $inv" "$(jget "$T/seed/check.json" ".invariants.$inv.status")" pass
done
[ -s "$T/seed/junit.xml" ] && grep -q '<testcase' "$T/seed/junit.xml" && pass "junit.xml written" || fail "no junit.xml"

"$IORACE" run hole-fill-read --scale 0.02 --tamper all --out "$T/tamper" --no-progress >"$T/tamper.log" 2>&1
expect_eq "traced tamper run exit" "$?" 1
"$IORACE" check "$T/tamper" >"$T/tcheck.out" 2>&1
expect_eq "iorace check on tamper exit" "$?" 1
expect_eq "tamper: oracle invariant" "$(jget "$T/tamper/check.json" .invariants.oracle.status)" fail
expect_eq "tamper: trace STALE" "$(jget "$T/tamper/check.json" .findings.STALE)" "$(jget "$T/tamper/report.json" .findings.STALE)"
expect_eq "tamper: trace LOST" "$(jget "$T/tamper/check.json" .findings.LOST)" "$(jget "$T/tamper/report.json" .findings.LOST)"
expect_eq "tamper: trace TORN" "$(jget "$T/tamper/check.json" .findings.TORN)" "$(jget "$T/tamper/report.json" .findings.TORN)"

# a process whose probe never arrives is not recording: exit 77 within the
# deadline, and no session of its own left behind
IORACE_TRACE_PROBE_DROP=1 IORACE_TRACE_PROBE_TIMEOUT=2 timeout 120 "$IORACE" run seed-truncate-dio --scale 0.01 --out "$T/noprobe" --no-progress >"$T/noprobe.log" 2>&1
expect_eq "run whose probe is lost: exit" "$?" 77
grep -q "probe event never reached the trace" "$T/noprobe.log" && pass "lost probe named" || fail "no lost-probe message in $T/noprobe.log"
grep -q "restarting the session" "$T/noprobe.log" && fail "restarted within a 2 s deadline" || pass "one attempt within the deadline"
[ -e "$T/noprobe/report.json" ] && fail "report.json of an untraced run" || pass "no report from a run that could not trace"
# (other runs' sessions may exist: only this run's output dir counts)
lttng list 2>/dev/null | grep -q "$T/noprobe" && fail "its session left: $(lttng list 2>&1)" || pass "no session of its own left"

"$IORACE" compare "$T/seed" "$T/seed" >"$T/cmp0.out" 2>&1
expect_eq "compare against itself" "$?" 0
jq '.findings.STALE = 3 | .invariants.oracle.status = "fail"' "$T/seed/report.json" >"$T/worse.json"
"$IORACE" compare "$T/seed/report.json" "$T/worse.json" >"$T/cmp1.out" 2>&1
expect_eq "compare against a new failure" "$?" 1
"$IORACE" compare "$T/seed" "$T/nonexistent" >/dev/null 2>&1
expect_eq "compare bad input" "$?" 2
done_
