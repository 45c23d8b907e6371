#!/bin/sh
# A guest command running past --timeout: qemu is killed, "vm timeout",
# exit 124, in bounded time, nothing left running; before the kill the
# guest dumped its tasks (the stuck command among them) on the console.
. "$(dirname "$0")/../lib.sh"
# The timeout is derived from this machine's boot time, measured now: the
# guest must be up and into the command before the dump is due.
start=$(date +%s)
"$TOP/ci/vm" --results "$T/boot" -- true >/dev/null 2>&1
expect_eq "ci/vm -- true" "$?" 0
boot=$(($(date +%s) - start))
# ci/vm dumps 45 s before the kill on runs of 2 min or more (10 s on
# shorter ones, too little for sysrq t on a loaded TCG guest): give the
# guest its boot twice over before the dump is due.
TO=$((2 * boot + 45))
[ "$TO" -ge 120 ] || TO=120
echo "boot-to-exit ${boot}s here; --timeout ${TO}"
R=$T/res
start=$(date +%s)
"$TOP/ci/vm" --timeout "$TO" --results "$R" -- sleep 600
expect_eq "ci/vm exit status" "$?" 124
secs=$(($(date +%s) - start))
# qemu is killed at the timeout: give it the boot time again to go away.
[ "$secs" -lt $((TO + boot + 30)) ] && pass "gave up after ${secs}s" ||
	fail "took ${secs}s (timeout ${TO}s)"
expect_eq "report outcome" "$(sed -n 's/^outcome: //p' "$R/vm-report.txt")" \
	"vm timeout"
[ -s "$R/console.log" ] && pass "console.log saved" || fail "no console.log"
C=$R/console.log
grep -Eq '^IORACE-DUMP: [0-9]+ [0-9]+ sleep S ' "$C" &&
	pass "dump lists the sleeping command" ||
	fail "no 'sleep S' task in the dump"
grep -q 'sysrq: Show State' "$C" && pass "sysrq t in the dump" ||
	fail "no sysrq t output"
grep -q '^IORACE-DUMP-END' "$C" && pass "dump complete before the kill" ||
	fail "dump cut short"
grep -q '^reason: .*task dump' "$R/vm-report.txt" &&
	pass "report points at the dump" || fail "report does not name the dump"
# shellcheck disable=SC2009 # args of every process; grep -v grep drops ours
if ps -eo args | grep -v grep | grep -q "qemu-system.*path=$R,"; then
	fail "qemu still running"
else
	pass "no qemu left"
fi
done_
