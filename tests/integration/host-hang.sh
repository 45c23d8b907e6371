#!/bin/sh
# Hang watchdog: freeze the scratch filesystem under a running workload; the
# stuck DIO must become a HANG finding with thread stacks and the blocked
# task dump saved, and iorace must exit (1) on its own, in bounded time.
. "$(dirname "$0")/../lib.sh"
"$IORACE" run seed-truncate-dio --watchdog 2s --no-trace --no-progress -v \
	--out "$T/h" >"$T/h.log" 2>&1 &
pid=$!
# freeze once the workload runs (poisoning is over)
i=0
until grep -q "poison:" "$T/h.log" || [ $i -ge 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
fsfreeze -f "/run/iorace/$pid/mnt" && pass "froze the scratch fs" || fail "fsfreeze failed"
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	fail "iorace still running 30 s after the freeze"
	fsfreeze -u "/run/iorace/$pid/mnt"
	kill -KILL $pid
fi
wait $pid
expect_eq "exit status" "$?" 1
R=$T/h/report.json
expect_gt "HANG findings" "$(jget "$R" .findings.HANG)" 0
[ -s "$T/h/hang-stacks.txt" ] && pass "thread stacks saved" || fail "no hang-stacks.txt"
if [ -e /proc/sysrq-trigger ]; then
	grep -q "Show Blocked State" "$T/h/kernel.log" && pass "sysrq w dump in kernel.log" || fail "no blocked-task dump in kernel.log"
else
	# this kernel has no magic sysrq: the report must say so
	case "$(jget "$R" .hang)" in
	*"sysrq unavailable"*) pass "report says the blocked-task dump is unavailable" ;;
	*) fail "report does not say sysrq is unavailable: $(jget "$R" .hang)" ;;
	esac
fi
# the next run reclaims whatever the hung run had to leave behind
"$IORACE" run hole-fill-read --scale 0.02 --no-trace --no-progress --out "$T/next" >"$T/next.log" 2>&1
expect_eq "next run exit" "$?" 0
sleep 1
no_leftovers_of $pid
done_
