#!/bin/sh
# Verdicts under load in the guest: 20 seeded traced runs of a racing
# workload on the built-in kernel while stress-ng keeps the guest's CPUs
# and disk busy (and the host is slowed by TCG). On a correct kernel no
# run may FAIL: a run whose trace lost events says inconclusive (exit 3),
# never a failure of the kernel. host-loaded.sh is the same on the host.
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
K=$("$TOP/ci/build-kernel") || { fail "ci/build-kernel failed"; done_; }
N=20
R=$T/res
mkdir -p "$R"
cat >"$R/guest.sh" <<EOF
command -v stress-ng >/dev/null || exit 20
stress-ng --cpu 2 --io 1 --hdd 1 --hdd-bytes 16m --temp-path /var/tmp \
	--timeout 3000 >"$R/stress.log" 2>&1 &
sp=\$!
sleep 1
kill -0 \$sp 2>/dev/null || exit 21
bin/iorace run truncate-vs-dio --repeat $N --seed 200 --scale 0.005 \
	--no-progress --out "$R/runs" >"$R/run.log" 2>&1
st=\$?
kill \$sp
wait \$sp
exit \$st
EOF
"$TOP/ci/vm" --kernel "$K" --quiet --timeout 2400 --results "$R" -- \
	sh "$R/guest.sh"
st=$?
tail -n 4 "$R/run.log" 2>/dev/null
case $st in
0 | 3) pass "guest exit $st" ;;
20) fail "stress-ng not found in the guest" ;;
21) fail "stress-ng did not start in the guest" ;;
*) fail "guest exit $st ($(sed -n 's/^reason: //p' "$R/vm-report.txt"))" ;;
esac
J=$R/runs/repeat.json
expect_eq "runs" "$(jget "$J" .total_runs)" "$N"
expect_eq "runs with findings (false FAILs)" "$(jget "$J" .failed_runs)" 0
echo "inconclusive runs: $(jget "$J" .inconclusive_runs) of $N"
no_false_fail "$R/runs"
done_
