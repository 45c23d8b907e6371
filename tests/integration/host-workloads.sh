#!/bin/sh
# Every named workload at small scale: 0 findings, e2fsck clean, sectors
# verified, and each op kind its workload plans actually executed.
. "$(dirname "$0")/../lib.sh"
for w in $("$IORACE" list | awk '{print $1}'); do
	"$IORACE" run "$w" --scale 0.05 --out "$T/$w" --no-progress >"$T/$w.log" 2>&1
	rc=$?
	R=$T/$w/report.json
	if [ "$rc" -ne 0 ]; then
		fail "$w exit $rc"
		tail -5 "$T/$w.log"
		jq -c '.finding_details[:3]' "$R" 2>/dev/null
		continue
	fi
	expect_eq "$w findings" "$(findings_total "$R")" 0
	expect_eq "$w fsck clean" "$(jget "$R" .fsck.clean)" true
	expect_gt "$w sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
	expect_eq "$w all planned ops ran" \
		"$(jq '.counts.ops >= .counts.ops_planned' "$R")" true
done
expect_gt "workloads listed" "$("$IORACE" list | wc -l)" 5
done_
