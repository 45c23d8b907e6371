#!/bin/sh
# iorace baseline + compare BASELINE NEW on the host, fsync-latency-under-load
# at scale 0.2:
# - `iorace baseline --repeat 10` writes a stable baseline.json;
# - 20 clean runs as 4 repeat-5 sets give 0 regressions against a 10-run
#   baseline whose runs are interleaved in time with theirs (B C C B C C ..,
#   baseline.json built with `iorace baseline --from`);
# - a repeat-5 set and a single run with an injected fsync delay of twice
#   the baseline's largest per-run fsync p50 are flagged (exit 1, fsync p50
#   row REGRESSION).
#
# Why 4 sets of 5 and not 20 single runs: with M = 5 the latency verdict is
# an exact Mann-Whitney test, whose false-regression rate per metric is at
# most alpha = 0.01 for exchangeable clean runs whatever the latency
# distribution, and it also needs a >= 10 % median shift; single runs fall
# back to the M < 3 rule, whose false-positive rate depends on the tail of
# the distribution (no distribution-free bound), and 20 comparisons are 5x
# the multiplicity of 4. The bound needs exchangeable runs: on a shared
# machine load drifts over minutes, and clean sets run after a baseline
# recorded first were flagged (fsync p99 2.0x, write p99 1.5x, p = 0.006);
# hence the interleaving. Failure rates: a clean baseline has 0 of 10 runs
# failing, so any failing clean run is a finding, not noise. The injected
# delay D = 2 * max(baseline p50) makes every new per-run p50 > D >=
# 2 * median: ratio >= 2, all 5 above all 10 (exact p = 1/3003) and, for one
# run, above max + range: flagged whatever the machine's speed.
. "$(dirname "$0")/../lib.sh"
W=fsync-latency-under-load
S=0.2
"$IORACE" baseline $W --repeat 10 --scale $S --no-trace --no-progress \
	--out "$T/base" >"$T/base.log" 2>&1
expect_eq "baseline exit" "$?" 0
B=$T/base/baseline.json
expect_eq "kind" "$(jget "$B" .kind)" baseline
expect_eq "runs" "$(jget "$B" .runs)" 10
expect_eq "workload" "$(jget "$B" .workload)" $W
expect_eq "scale" "$(jget "$B" .scale)" $S
expect_eq "run dirs" "$(find "$T/base" -name report.json | wc -l)" 10
expect_eq "fsync p50 per run" "$(jget "$B" '.latency.fsync.p50_ns | length')" 10
expect_eq "fsync p99 per run" "$(jget "$B" '.latency.fsync.p99_ns | length')" 10
expect_eq "STALE runs" "$(jget "$B" .findings.STALE)" 0
expect_eq "sorted keys" "$(jq -c 'keys_unsorted == keys' "$B")" true
grep -q '"/' "$B" && fail "baseline holds a path: $(grep '"/' "$B")" ||
	pass "baseline holds no path"
grep -Eq '"date": "[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$B" && pass "date field" ||
	fail "no date in $B"

"$IORACE" compare "$B" "$B" >"$T/self.log" 2>&1
expect_eq "baseline vs itself" "$?" 0

# interleaved: baseline run i, then clean runs 2i and 2i+1 (sets c % 4)
for i in 0 1 2 3 4 5 6 7 8 9; do
	"$IORACE" run $W --scale $S --seed $((i + 1)) --no-trace --no-progress \
		--out "$T/ibase/run-$i" >"$T/ibase-$i.log" 2>&1 ||
		fail "interleaved baseline run $i: $(tail -3 "$T/ibase-$i.log")"
	for c in $((2 * i)) $((2 * i + 1)); do
		"$IORACE" run $W --scale $S --seed $((c + 101)) --no-trace \
			--no-progress --out "$T/clean$((c % 4 + 1))/run-$((c / 4))" \
			>"$T/clean-$c.log" 2>&1 ||
			fail "clean run $c: $(tail -3 "$T/clean-$c.log")"
	done
done
"$IORACE" baseline $W --scale $S --from "$T/ibase" >"$T/ibase.log" 2>&1
expect_eq "baseline --from exit" "$?" 0
IB=$T/ibase/baseline.json
expect_eq "interleaved baseline runs" "$(jget "$IB" .runs)" 10
regs=0
for k in 1 2 3 4; do
	"$IORACE" compare "$IB" "$T/clean$k" >"$T/clean$k.log" 2>&1
	st=$?
	expect_eq "clean set $k compare exit" "$st" 0
	[ "$st" -eq 0 ] || {
		grep REGRESSION "$T/clean$k.log"
		regs=$((regs + 1))
	}
	grep -q '^baseline .* 10 runs; new: 5 runs$' "$T/clean$k.log" &&
		pass "clean set $k: 10 vs 5 runs" ||
		fail "clean set $k header: $(head -1 "$T/clean$k.log")"
	grep -Eq '^fsync +p50 .* U exact p=[0-9.e-]+ +ok$' "$T/clean$k.log" &&
		pass "clean set $k: fsync p50 by exact U, ok" ||
		fail "clean set $k fsync row: $(grep '^fsync' "$T/clean$k.log")"
done
expect_eq "clean sets with a regression" "$regs" 0

# D = 2 x the largest baseline per-run fsync p50, in microseconds
D=$(jq '.latency.fsync.p50_ns | max * 2 / 1000 | ceil' "$B")
expect_gt "derived fsync delay (us)" "$D" 0
"$IORACE" run $W --scale $S --repeat 5 --seed 500 --no-trace --no-progress \
	--inject "delay=before:fsync,${D}us" --out "$T/slow" >"$T/slow.run" 2>&1
expect_eq "delayed set run exit" "$?" 0
for i in 0 1 2 3 4; do
	p=$(jget "$T/slow/run-$i/report.json" .latency.fsync.p50_ns)
	expect_gt "delayed run-$i fsync p50 (ns) above the delay" "$p" $((D * 1000))
done
"$IORACE" compare "$B" "$T/slow" >"$T/slow.log" 2>&1
expect_eq "delayed set compare exit" "$?" 1
grep -Eq '^fsync +p50 .* U exact p=0.000333 +REGRESSION$' "$T/slow.log" &&
	pass "delayed set: fsync p50 row is a regression (p = 1/3003)" ||
	fail "delayed fsync row: $(cat "$T/slow.log")"
grep -q '^REGRESSION: ' "$T/slow.log" && pass "delayed set: summary" ||
	fail "no REGRESSION summary"

# a single delayed run: the conservative M < 3 rule still flags it
"$IORACE" run $W --scale $S --seed 600 --no-trace --no-progress \
	--inject "delay=before:fsync,${D}us" --out "$T/slow1" >"$T/slow1.run" 2>&1
expect_eq "delayed run exit" "$?" 0
"$IORACE" compare "$B" "$T/slow1" >"$T/slow1.log" 2>&1
expect_eq "delayed run compare exit" "$?" 1
grep -Eq '^fsync +p50 .* rule M<3 +REGRESSION$' "$T/slow1.log" &&
	pass "delayed run: fsync p50 regression by the M<3 rule" ||
	fail "delayed single fsync row: $(grep '^fsync' "$T/slow1.log")"

# bad input is 2, and old run-vs-run compare still works
"$IORACE" compare "$B" "$T/nonexistent" >"$T/bad.log" 2>&1
expect_eq "missing NEW exit" "$?" 2
"$IORACE" compare "$T/base/run-0" "$T/base/run-1" -t 100000 >"$T/old.log" 2>&1
expect_eq "run-vs-run compare exit" "$?" 0
grep -q '^latency ' "$T/old.log" && pass "run-vs-run table" ||
	fail "run-vs-run output: $(cat "$T/old.log")"
done_
