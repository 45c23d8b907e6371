#!/bin/sh
# iorace shrink on a real kernel bug, in the guest: the mutant
# iomap-no-subblock-zero (sub-block DIO tails left unzeroed in new blocks)
# makes subblock-aio-dio read stale sectors; `iorace shrink` run inside the
# guest minimises that run's op log to a few ops, and the printed replay
# command, run in the same guest, gives STALE again. host-shrink.sh does
# the same on the tamper self-test.
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
M=iomap-no-subblock-zero
"$TOP/ci/mutants" --only "$M" --build-only --results "$T/build" \
	>"$T/build.log" 2>&1 || {
	fail "ci/mutants --build-only failed: $(tail -n 5 "$T/build.log")"
	done_
}
K=$(cat "$T/build/$M.kernel")
[ -f "$K" ] || { fail "no bzImage for $M ($K)"; done_; }
R=$T/res
mkdir -p "$R"
cat >"$R/guest.sh" <<EOF
bin/iorace run subblock-aio-dio --scale 0.02 --no-trace --no-progress \
	--out "$R/run" >"$R/run.log" 2>&1
echo "run exit \$?" >"$R/steps"
bin/iorace shrink "$R/run" --class STALE --max-tries 60 --timeout 120 \
	--out "$R/s" >"$R/s.out" 2>"$R/s.err"
echo "shrink exit \$?" >>"$R/steps"
cmd=\$(sed -n 's/^replay: bin\/iorace //p' "$R/s/shrink.txt")
[ -n "\$cmd" ] || exit 0
bin/iorace \$cmd --no-progress --out "$R/re" >"$R/re.log" 2>&1
echo "replay exit \$?" >>"$R/steps"
EOF
"$TOP/ci/vm" --kernel "$K" --quiet --timeout 1500 --results "$R" -- \
	sh "$R/guest.sh"
expect_eq "guest exit" "$?" 0
cat "$R/steps" 2>/dev/null
expect_eq "mutant run" "$(sed -n 's/^run exit //p' "$R/steps")" 1
expect_gt "mutant run STALE" "$(jget "$R/run/report.json" .findings.STALE)" 0
expect_eq "shrink" "$(sed -n 's/^shrink exit //p' "$R/steps")" 0
tail -n 3 "$R/s.err"
orig=$(sed -n 's/^original ops: //p' "$R/s/shrink.txt")
n=$(sed -n 's/^final ops: //p' "$R/s/shrink.txt")
echo "shrunk $orig -> $n ops in $(sed -n 's/^tries: //p' "$R/s/shrink.txt") tries"
expect_eq "shrink.txt target" "$(sed -n 's/^target: //p' "$R/s/shrink.txt")" STALE
expect_eq "shrunk.oplog ops" "$(grep -c '^op ' "$R/s/shrunk.oplog")" "$n"
expect_gt "original ops" "$orig" 100
if [ -n "$n" ] && [ "$n" -le 8 ]; then pass "shrunk to $n ops (<= 8)"; else
	fail "shrunk to '$n' ops, want <= 8"; fi
expect_eq "replay of the shrunk log" "$(sed -n 's/^replay exit //p' "$R/steps")" 1
expect_gt "replay STALE" "$(jget "$R/re/report.json" .findings.STALE)" 0
done_
