#!/bin/sh
# iorace shrink: a failing tamper run shrinks to a few ops that still give
# LOST when replayed with the printed command; a passing run, a run that
# does not reproduce and bad input are told apart by exit status.
. "$(dirname "$0")/../lib.sh"

"$IORACE" run hole-fill-read --scale 0.02 --tamper zeros --no-trace \
	--out "$T/fail" --no-progress >"$T/fail.log" 2>&1
expect_eq "tamper run exit" "$?" 1
orig=$(grep -c '^op ' "$T/fail/oplog")
expect_gt "run dir keeps its op log (ops)" "$orig" 10
expect_eq "report.json records tamper" "$(jget "$T/fail/report.json" .tamper)" 4

"$IORACE" shrink "$T/fail" --out "$T/s" --max-tries 60 --timeout 120 \
	>"$T/s.out" 2>"$T/s.err"
expect_eq "shrink exit" "$?" 0
grep -q 'try 1: .* ops -> LOST=' "$T/s.err" ||
	fail "no progress line on stderr: $(tail -3 "$T/s.err")"
n=$(grep -c '^op ' "$T/s/shrunk.oplog")
if [ "$n" -le 4 ]; then pass "shrunk to $n ops (<= 4)"; else
	fail "shrunk to $n ops, want <= 4"; fi
expect_eq "shrink.txt target" "$(sed -n 's/^target: //p' "$T/s/shrink.txt")" LOST
expect_eq "shrink.txt original" \
	"$(sed -n 's/^original ops: //p' "$T/s/shrink.txt")" "$orig"
expect_eq "shrink.txt final" "$(sed -n 's/^final ops: //p' "$T/s/shrink.txt")" "$n"
expect_gt "shrink.txt tries" "$(sed -n 's/^tries: //p' "$T/s/shrink.txt")" 1
[ -e "$T/s/try" ] && fail "scratch try dir left in $T/s"

# the printed command reproduces LOST
cmd=$(sed -n 's/^replay: bin\/iorace //p' "$T/s/shrink.txt")
case $cmd in
run\ hole-fill-read*--tamper\ zeros*--replay\ "$T/s/shrunk.oplog") pass "replay command: $cmd" ;;
*) fail "replay command: '$cmd'" ;;
esac
# shellcheck disable=SC2086 # the command's words, no spaces in $T
"$IORACE" $cmd --no-progress --out "$T/re" >"$T/re.log" 2>&1
expect_eq "replay exit" "$?" 1
expect_gt "replay LOST" "$(jget "$T/re/report.json" .findings.LOST)" 0

# --max-tries bounds the replays (the original counts as one)
"$IORACE" shrink "$T/fail" --out "$T/b" --max-tries 2 >/dev/null 2>&1
expect_eq "bounded shrink exit" "$?" 0
expect_eq "bounded tries" "$(sed -n 's/^tries: //p' "$T/b/shrink.txt")" 2
grep -q 'stopped at --max-tries' "$T/b/shrink.txt" || fail "bound not reported"

# a passing run: exit 1, says so
"$IORACE" run hole-fill-read --scale 0.02 --no-trace --out "$T/pass" \
	--no-progress >"$T/pass.log" 2>&1
expect_eq "clean run exit" "$?" 0
"$IORACE" shrink "$T/pass" --out "$T/sp" >"$T/sp.out" 2>&1
expect_eq "shrink of a passing run exit" "$?" 1
grep -q 'passed (no findings, no failed invariant): nothing to shrink' "$T/sp.out" ||
	fail "no clear message: $(cat "$T/sp.out")"

# a run whose original op log does not reproduce (tamper dropped): exit 1
cp -r "$T/fail" "$T/nore"
jq 'del(.tamper)' "$T/fail/report.json" >"$T/nore/report.json"
"$IORACE" shrink "$T/nore" --out "$T/sn" >"$T/sn.out" 2>&1
expect_eq "non-reproducing shrink exit" "$?" 1
grep -q 'original op log does not reproduce LOST' "$T/sn.out" ||
	fail "no clear message: $(cat "$T/sn.out")"

# a failed trace invariant as the target: traced replays (slow, so bounded)
"$IORACE" run hole-fill-read --scale 0.02 --tamper zeros --no-progress \
	--out "$T/tr" >"$T/tr.log" 2>&1
trc=$?
if [ "$trc" -eq 77 ]; then
	echo "skip: no tracing here ($(tail -1 "$T/tr.log"))"
else
	expect_eq "traced tamper run: oracle invariant" \
		"$(jget "$T/tr/report.json" .invariants.oracle.status)" fail
	"$IORACE" shrink "$T/tr" --invariant oracle --out "$T/si" \
		--max-tries 3 >/dev/null 2>"$T/si.err"
	expect_eq "invariant shrink exit" "$?" 0
	expect_eq "invariant target" \
		"$(sed -n 's/^target: //p' "$T/si/shrink.txt")" "invariant oracle"
	expect_gt "invariant shrink removed ops" \
		"$(($(grep -c '^op ' "$T/tr/oplog") - $(grep -c '^op ' "$T/si/shrunk.oplog")))" 0
	grep -q -- '--no-trace' "$T/si/shrink.txt" &&
		fail "invariant replays must be traced"
fi

# bad input: exit 2
"$IORACE" shrink "$T/nothing-here" >"$T/bad.out" 2>&1
expect_eq "shrink of a missing run exit" "$?" 2
"$IORACE" shrink >/dev/null 2>&1
expect_eq "shrink without RUN exit" "$?" 2
done_
