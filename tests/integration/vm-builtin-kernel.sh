#!/bin/sh
# A bzImage with everything built in and no modules (ci/build-kernel:
# tinyconfig + ci/kernels/iorace.config, cached outside the repo; the first
# build takes ~5 min) boots straight onto the 9p root and runs a command.
. "$(dirname "$0")/../lib.sh"
K=$("$TOP/ci/build-kernel")
expect_eq "ci/build-kernel status" "$?" 0
[ -f "$K" ] || { fail "no bzImage"; done_; }
R=$T/res
"$TOP/ci/vm" --kernel "$K" --timeout 180 --results "$R" -- sh -c '
	grep -qw ext4 /proc/filesystems || exit 10
	[ -d /sys/kernel/tracing/events/ext4 ] || exit 11
	[ -d /sys/kernel/tracing/events/iomap ] || exit 12
	[ -d /sys/kernel/debug/fail_make_request ] || exit 13
	[ -e /dev/loop-control ] || exit 14
	[ -e /dev/mapper/control ] || exit 15
	exit 0'
expect_eq "ci/vm exit status" "$?" 0
expect_eq "modules" "$(sed -n 's/^modules: //p' "$R/vm-report.txt")" \
	"none (built in)"
expect_eq "initramfs" "$(sed -n 's/^initramfs: //p' "$R/vm-report.txt")" none
done_
