#!/bin/sh
# A guest panic (sysrq c) is a "guest crash": exit 125, report and console
# log in the results dir.
. "$(dirname "$0")/../lib.sh"
R=$T/res
start=$(date +%s)
"$TOP/ci/vm" --timeout 180 --results "$R" -- \
	sh -c 'echo c >/proc/sysrq-trigger; sleep 60'
expect_eq "ci/vm exit status" "$?" 125
expect_eq "report outcome" "$(sed -n 's/^outcome: //p' "$R/vm-report.txt")" \
	"guest crash"
grep -q 'sysrq triggered crash' "$R/console.log" &&
	pass "panic in console.log" || fail "no panic in console.log"
grep -q '^reason: .*Kernel panic' "$R/vm-report.txt" &&
	pass "reason names the panic" || fail "reason does not name the panic"
secs=$(($(date +%s) - start))
[ "$secs" -lt 120 ] && pass "detected in ${secs}s" || fail "took ${secs}s"
done_
