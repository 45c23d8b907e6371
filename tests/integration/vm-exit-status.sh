#!/bin/sh
# ci/vm passes the guest command's exit status through, runs it as root in
# the repo dir, and the results dir is shared read-write at the same path.
. "$(dirname "$0")/../lib.sh"
R=$T/res
# shellcheck disable=SC2016 # the guest's sh expands it
"$TOP/ci/vm" --timeout 180 --results "$R" -- \
	sh -c 'echo "uid=$(id -u) cwd=$(pwd)" >"$0/whoami"; echo vm-said-hi; exit 3' "$R"
expect_eq "ci/vm exit status" "$?" 3
expect_eq "guest wrote to results" "$(cat "$R/whoami" 2>/dev/null)" \
	"uid=0 cwd=$TOP"
expect_eq "report outcome" "$(sed -n 's/^outcome: //p' "$R/vm-report.txt")" \
	"command failed"
expect_eq "report status" "$(sed -n 's/^command_status: //p' "$R/vm-report.txt")" 3
grep -q vm-said-hi "$R/console.log" && pass "console.log has the output" ||
	fail "console.log lacks the command output"
grep -q '^IORACE-EXIT: 3' "$R/console.log" && pass "exit sentinel" ||
	fail "no exit sentinel in console.log"
[ -s "$R/kernel.log" ] && pass "kernel.log saved" || fail "no kernel.log"
grep -qE '^accel: (kvm|tcg)$' "$R/vm-report.txt" && pass "accel reported" ||
	fail "no accel in the report"

# A working dir under a path the guest mounts tmpfs over (/var/tmp here, as
# a CI clone under /tmp or /root would be) stays visible there.
W=$T/cwd
mkdir -p "$W" && echo host-file >"$W/marker"
# shellcheck disable=SC2016 # the guest's sh expands it
(cd "$W" && "$TOP/ci/vm" --timeout 180 --results "$T/res2" -- \
	sh -c 'echo "$(pwd) $(cat marker)" >"$0/seen"' "$T/res2")
expect_eq "masked cwd: ci/vm exit status" "$?" 0
expect_eq "masked cwd visible in the guest" "$(cat "$T/res2/seen" 2>/dev/null)" \
	"$W host-file"
done_
