#!/bin/sh
# The engine issue's acceptance run: the seed reproducer at scale 0.05 on a
# host loop-mounted ext4 must pass with verified sectors and a clean fsck.
. "$(dirname "$0")/../lib.sh"
"$IORACE" run seed-truncate-dio --scale 0.05 --out "$T/run" --no-progress
expect_eq "exit status" "$?" 0
R=$T/run/report.json
expect_eq "verdict" "$(jget "$R" .verdict)" pass
expect_eq "findings" "$(findings_total "$R")" 0
expect_gt "sectors verified" "$(jget "$R" .counts.sectors_verified)" 1000
expect_eq "fsck clean" "$(jget "$R" .fsck.clean)" true
expect_gt "writes" "$(jget "$R" .latency.write.n)" 100
expect_gt "reads" "$(jget "$R" .latency.read.n)" 100
expect_gt "truncates" "$(jget "$R" .latency.truncate.n)" 1
expect_gt "poison bytes" "$(jget "$R" .counts.poison_bytes)" 0
done_
