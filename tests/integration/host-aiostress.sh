#!/bin/sh
# iorace aio-stress: the seed's aio-stress line (scaled to -s 40m: -c 10
# needs 10 contexts x 2m apart) runs on the scratch ext4 with 0 findings,
# as many ops as aio-stress issues (context j covers [j*2m, 40m - j*2m):
# sum over j of (40 - 4j) * 16 records of 64k = 3520 per stage, two
# stages), sectors verified, fsck clean; --dry-run plans the same without
# root; an option iorace cannot honour exits 2 naming it.
. "$(dirname "$0")/../lib.sh"
LINE="-I 1000 -O -s 40m -n -t 1 -c 10 -o 2 -o 3 FILE"
# shellcheck disable=SC2086
"$IORACE" aio-stress $LINE --dry-run >"$T/dry" 2>&1
expect_eq "dry-run exit" "$?" 0
expect_eq "dry-run ops" "$(awk '$1 == "ops:" { print $2 }' "$T/dry")" 7040
expect_eq "dry-run writes" "$(awk '$1 == "write" { print $2 }' "$T/dry")" 3520
expect_eq "dry-run stages" "$(grep -c 'jobs: 20 in 2 stage' "$T/dry")" 1
expect_eq "file mapping printed" \
	"$(grep -c "FILE 'FILE' -> scratch f0" "$T/dry")" 1
# shellcheck disable=SC2086
"$IORACE" aio-stress $LINE --out "$T/run" --no-progress >"$T/log" 2>&1
expect_eq "run exit" "$?" 0
R=$T/run/report.json
expect_eq "findings" "$(findings_total "$R")" 0
expect_eq "ops planned as aio-stress issues" "$(jget "$R" .counts.ops_planned)" 7040
expect_eq "fsck clean" "$(jget "$R" .fsck.clean)" true
expect_gt "sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
# -s 16m is too small for -c 10 at the default -C 2m (aio-stress refuses
# it): iorace takes -C 896k, the largest multiple of 64k that leaves
# context 9 a region, says so, and runs (2600 ops: sum over j of
# (256 - 28j) records, two stages); an explicit -C keeps the refusal
"$IORACE" aio-stress -I 1000 -O -s 16m -n -t 1 -c 10 -o 2 -o 3 FILE \
	--out "$T/run16" --no-progress >"$T/log16" 2>&1
expect_eq "-s 16m run exit" "$?" 0
grep -q "using -C 896k" "$T/log16" || fail "-s 16m: no -C note"
R=$T/run16/report.json
expect_eq "-s 16m findings" "$(findings_total "$R")" 0
expect_eq "-s 16m ops planned" "$(jget "$R" .counts.ops_planned)" 2600
expect_gt "-s 16m sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
"$IORACE" aio-stress -O -s 16m -c 10 -C 2m FILE --dry-run >"$T/bad16" 2>&1
expect_eq "-s 16m -C 2m exit" "$?" 2
grep -q "too small for 10 contexts" "$T/bad16" || fail "-C 2m: no refusal"
"$IORACE" aio-stress -m shm FILE --dry-run >"$T/bad" 2>&1
expect_eq "-m exit" "$?" 2
grep -q -- "-m shm: iorace cannot" "$T/bad" || fail "-m not named"
done_
