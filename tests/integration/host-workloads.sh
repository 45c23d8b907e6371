#!/bin/sh
# Every named workload that runs on the host (no device-mapper: the host
# kernel has none; those run in the guest, tests/integration/guest-*.sh) at
# small scale: 0 findings, e2fsck clean, sectors verified, every planned op
# executed.
. "$(dirname "$0")/../lib.sh"
host_workloads=$(grep -L '^dm' "$TOP"/workloads/*.job | xargs -n1 basename | sed 's/\.job$//')
expect_gt "host workloads" "$(echo "$host_workloads" | wc -l)" 5
for w in $host_workloads; do
	"$IORACE" run "$w" --scale 0.05 --out "$T/$w" --no-progress >"$T/$w.log" 2>&1
	rc=$?
	R=$T/$w/report.json
	if [ "$rc" -ne 0 ]; then
		fail "$w exit $rc"
		tail -5 "$T/$w.log"
		jq -c '.finding_details[:3]' "$R" 2>/dev/null
		# the evidence of a failed invariant, for the CI log
		sed -n '/^[a-z_]* (fail):/,/^$/p' "$T/$w/check.txt" \
			2>/dev/null | head -n 20
		continue
	fi
	expect_eq "$w findings" "$(findings_total "$R")" 0
	expect_eq "$w fsck clean" "$(jget "$R" .fsck.clean)" true
	expect_gt "$w sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
	expect_eq "$w all planned ops ran" \
		"$(jq '.counts.ops >= .counts.ops_planned' "$R")" true
done
expect_gt "workloads listed" "$("$IORACE" list | wc -l)" "$(echo "$host_workloads" | wc -l)"
done_
