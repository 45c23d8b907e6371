#!/bin/sh
# No-progress watchdog: a stream that stalls with no op in flight (here the
# delay injector's `idle` site, a 60 s sleep where no op is in flight, the
# shape of the racing stream that once slept for centuries) must become a
# HANG with the same dump as a stuck op (thread stacks, blocked-task dump),
# and iorace must exit 1 on its own, long before the stall would end. A
# control run with a legitimate planned wait longer than the watchdog
# (start_delay and interval: racing ops planned seconds apart) is no HANG.
. "$(dirname "$0")/../lib.sh"
start=$(date +%s)
"$IORACE" run seed-truncate-dio --scale 0.02 --watchdog 2s --no-trace \
	--no-progress -v --inject delay=before:idle,60s,count=1 \
	--out "$T/h" >"$T/h.log" 2>&1 &
pid=$!
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 450 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	fail "iorace still running 45 s into a 60 s stall with a 2 s watchdog"
	kill -TERM $pid
fi
wait $pid
expect_eq "exit status" "$?" 1
elapsed=$(($(date +%s) - start))
[ "$elapsed" -lt 50 ] && pass "exited after ${elapsed}s, before the stall ended" ||
	fail "took ${elapsed}s: the stall ran out instead of the watchdog firing"
R=$T/h/report.json
expect_eq "HANG findings" "$(jget "$R" .findings.HANG)" 1
case "$(jget "$R" .hang)" in
*"made no progress"*"no op in flight"*"hang-stacks.txt"*) pass "report.json names the stalled stream" ;;
*) fail "report.json hang: $(jget "$R" .hang)" ;;
esac
grep -q "^hang: stream .* made no progress" "$T/h/report.txt" && pass "report.txt names it" ||
	fail "no hang line in report.txt"
grep -q "^[0-9.]* before:idle " "$T/h/inject.log" && pass "inject.log has the stall" ||
	fail "no idle firing in inject.log"
[ -s "$T/h/hang-stacks.txt" ] && pass "thread stacks saved" || fail "no hang-stacks.txt"
grep -q "^== tid" "$T/h/hang-stacks.txt" && pass "stacks per thread" || fail "hang-stacks.txt has no threads"
if [ -e /proc/sysrq-trigger ]; then
	grep -q "Show Blocked State" "$T/h/kernel.log" && pass "sysrq w dump in kernel.log" || fail "no blocked-task dump in kernel.log"
else
	case "$(jget "$R" .hang)" in
	*"sysrq unavailable"*) pass "report says the blocked-task dump is unavailable" ;;
	*) fail "report does not say sysrq is unavailable: $(jget "$R" .hang)" ;;
	esac
fi
sleep 1
# control: a planned wait longer than the watchdog is progress, not a HANG
cat >"$T/late.job" <<'JOB'
[global]
image_size=256m
nrfiles=1
filesize=16m
fallocate=1
watchdog=1s

[w]
type=io
file=0
rw=randwrite
direct=1
bs=64k
iodepth=4
number_ios=16

[late-fsync]
type=fsync
file=0
start_delay=3s
interval=1500ms
count=2
JOB
"$IORACE" run "$T/late.job" --no-trace --no-progress --out "$T/late" >"$T/late.log" 2>&1
st=$?
expect_eq "planned wait: HANG findings" "$(jget "$T/late/report.json" '.findings.HANG // 0')" 0
expect_eq "planned wait: exit" "$st" 0
no_leftovers_of $pid
done_
