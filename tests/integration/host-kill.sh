#!/bin/sh
# SIGKILL mid-run leaves a mount and a loop device; the next run reclaims
# them. SIGTERM mid-run cleans up by itself.
. "$(dirname "$0")/../lib.sh"
wait_mounted() { # pid
	i=0
	while [ $i -lt 300 ]; do
		grep -q "/run/iorace/$1/" /proc/self/mountinfo && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
"$IORACE" run seed-truncate-dio --scale 1 --no-trace --no-progress --out "$T/k" >"$T/k.log" 2>&1 &
pid=$!
if wait_mounted $pid; then pass "run $pid mounted its scratch"; else fail "run $pid never mounted"; fi
sleep 1
kill -KILL $pid
wait $pid 2>/dev/null
if grep -q "/run/iorace/$pid/" /proc/self/mountinfo; then pass "killed run left its mount (as expected)"; else fail "no leftover to reclaim: test proves nothing"; fi
"$IORACE" run hole-fill-read --scale 0.02 --no-trace --no-progress --out "$T/next" >"$T/next.log" 2>&1
expect_eq "next run exit" "$?" 0
no_leftovers_of $pid
grep -q "reclaim" "$T/next.log" && pass "next run says what it reclaimed" || fail "next run did not report reclaiming"
"$IORACE" run seed-truncate-dio --scale 1 --no-trace --no-progress --out "$T/t" >"$T/t.log" 2>&1 &
pid=$!
wait_mounted $pid
sleep 1
kill -TERM $pid
wait $pid
rc=$?
expect_eq "SIGTERM exit" "$rc" 143
no_leftovers_of $pid
expect_eq "SIGTERM run wrote a report" "$(jget "$T/t/report.json" .tool)" iorace
done_
