#!/bin/sh
# Verdicts under load: 20 seeded runs of a racing workload, traced, while
# stress-ng keeps both CPUs and the disk busy. On a correct kernel (the
# host's) no run may FAIL: a run whose trace lost events must say
# inconclusive (exit 3), never fail the kernel; and most runs must still
# reach a full verdict (the tracer keeps up with the load).
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
command -v stress-ng >/dev/null || { fail "stress-ng missing (ci/install-deps)"; done_; }
N=20
stress-ng --cpu 2 --io 1 --hdd 1 --hdd-bytes 64m --temp-path "$T" \
	--timeout 1800 >"$T/stress.log" 2>&1 &
SP=$!
trap 'kill "$SP" 2>/dev/null; wait "$SP" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
sleep 1
kill -0 "$SP" 2>/dev/null && pass "stress-ng running" || fail "stress-ng did not start"
"$IORACE" run truncate-vs-dio --repeat "$N" --seed 100 --scale 0.01 \
	--no-progress --out "$T/runs" >"$T/run.log" 2>&1
st=$?
kill "$SP" 2>/dev/null
wait "$SP" 2>/dev/null
tail -n 4 "$T/run.log"
R=$T/runs/repeat.json
expect_eq "runs" "$(jget "$R" .total_runs)" "$N"
expect_eq "runs with findings (false FAILs)" "$(jget "$R" .failed_runs)" 0
inc=$(jget "$R" .inconclusive_runs)
echo "inconclusive runs: $inc of $N"
[ "${inc:-99}" -le $((N / 2)) ] && pass "most runs reached a verdict" ||
	fail "$inc of $N runs inconclusive"
case $st in
0 | 3) pass "exit $st" ;;
*) fail "exit $st" ;;
esac
# every run's verdict agrees, and none failed an invariant
no_false_fail "$T/runs"
done_
