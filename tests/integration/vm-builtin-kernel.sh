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

# fail_make_request (built in here, absent from Debian's kernel): 20 write
# requests of the scratch device fail. Requests merge and split, so 20
# failed requests are not 20 failed AIOs; what must hold whatever the
# timing: all 20 failures were spent, some AIO saw EIO (counted in
# inject.log), every EIO was one the injector allowed (no ERROR finding)
# and everything that returned success reads back (exit 0: no LOST, no
# STALE, fsck clean).
F=$T/fr
# shellcheck disable=SC2016 # the guest's sh expands it
"$TOP/ci/vm" --kernel "$K" --timeout 400 --results "$F" -- sh -c '
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	"$1" run eio-writes --scale 0.05 --no-trace --no-progress \
		--inject dm=none --inject fail_request=100,1,20 \
		--out "$2/run" >"$2/run.log" 2>&1
	st=$?
	cat /sys/kernel/debug/fail_make_request/times >"$2/times-left"
	exit $st' sh "$TOP/bin/iorace" "$F"
expect_eq "fail_request run exit" "$?" 0
grep -q 'fail_request_on' "$F/run/inject.log" &&
	pass "fail_make_request armed" || fail "fail_make_request not armed"
expect_eq "injected failures left unspent" "$(cat "$F/times-left")" 0
expect_gt "EIOs returned to the submitter" \
	"$(sed -n 's/^# expected write errors: //p' "$F/run/inject.log")" 0
expect_eq "unexpected errors" "$(jget "$F/run/report.json" .findings.ERROR)" 0
expect_eq "LOST" "$(jget "$F/run/report.json" .findings.LOST)" 0
grep -q 'PASS, 0 findings' "$F/run.log" && pass "run verdict" ||
	fail "run verdict: $(tail -2 "$F/run.log")"
done_
