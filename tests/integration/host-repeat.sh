#!/bin/sh
# iorace run --repeat N: N runs on seeds S..S+N-1, each its own run dir,
# and per finding class how many runs failed (solid when all did).
. "$(dirname "$0")/../lib.sh"
"$IORACE" run hole-fill-read --scale 0.02 --repeat 3 --seed 5 \
	--tamper poison --no-trace --no-progress --out "$T/bad" \
	>"$T/bad.log" 2>&1
expect_eq "tampered repeat exit" "$?" 1
R=$T/bad/repeat.json
expect_eq "tampered: total runs" "$(jget "$R" .total_runs)" 3
expect_eq "tampered: failed runs" "$(jget "$R" .failed_runs)" 3
expect_eq "tampered: runs with STALE" "$(jget "$R" .runs_with_class.STALE)" 3
expect_eq "tampered: runs with TORN" "$(jget "$R" .runs_with_class.TORN)" 0
expect_eq "tampered: seeds" "$(jq -r '[.runs[].seed] | join(",")' "$R")" 5,6,7
for i in 0 1 2; do
	expect_gt "run-$i STALE findings" \
		"$(jget "$T/bad/run-$i/report.json" .findings.STALE)" 0
done
grep -Eq '^STALE +3 +3 +solid$' "$T/bad.log" &&
	pass "summary says STALE solid" ||
	fail "no 'STALE 3 3 solid' line in $(cat "$T/bad.log")"
grep -q '^3 of 3 runs had findings$' "$T/bad.log" &&
	pass "summary counts 3 of 3" || fail "no '3 of 3 runs had findings'"

"$IORACE" run hole-fill-read --scale 0.02 --repeat 2 --no-trace \
	--no-progress --out "$T/good" >"$T/good.log" 2>&1
expect_eq "clean repeat exit" "$?" 0
R=$T/good/repeat.json
expect_eq "clean: failed runs" "$(jget "$R" .failed_runs)" 0
expect_eq "clean: seeds" "$(jq -r '[.runs[].seed] | join(",")' "$R")" 1,2
for i in 0 1; do
	expect_gt "clean run-$i sectors verified" \
		"$(jget "$T/good/run-$i/report.json" .counts.sectors_verified)" 0
done
grep -q '^0 of 2 runs had findings$' "$T/good.log" &&
	pass "summary counts 0 of 2" || fail "no '0 of 2 runs had findings'"

# --repeat 1 is still a repeat: run-0 and repeat.json, like any N
"$IORACE" run hole-fill-read --scale 0.02 --repeat 1 --no-trace \
	--no-progress --out "$T/one" >"$T/one.log" 2>&1
expect_eq "repeat 1 exit" "$?" 0
expect_eq "repeat 1: total runs" "$(jget "$T/one/repeat.json" .total_runs)" 1
expect_gt "repeat 1: run-0 sectors verified" \
	"$(jget "$T/one/run-0/report.json" .counts.sectors_verified)" 0
done_
