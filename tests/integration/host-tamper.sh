#!/bin/sh
# The oracle's self-test on real I/O: each tamper kind rewrites sectors
# behind the engine's back and must give its finding class and exit 1.
. "$(dirname "$0")/../lib.sh"
check() { # kind class
	"$IORACE" run hole-fill-read --scale 0.02 --tamper "$1" --no-trace \
		--out "$T/$1" --no-progress >"$T/$1.log" 2>&1
	expect_eq "tamper $1 exit" "$?" 1
	expect_gt "tamper $1 $2 findings" "$(jget "$T/$1/report.json" ".findings[\"$2\"]")" 0
}
check poison STALE
check foreign STALE
check zeros LOST
check old LOST
check torn TORN
"$IORACE" run hole-fill-read --scale 0.02 --tamper all --no-trace \
	--out "$T/all" --no-progress >"$T/all.log" 2>&1
expect_eq "tamper all exit" "$?" 1
R=$T/all/report.json
expect_eq "all: STALE runs" "$(jget "$R" .findings.STALE)" 2
expect_eq "all: LOST runs" "$(jget "$R" .findings.LOST)" 2
expect_eq "all: TORN runs" "$(jget "$R" .findings.TORN)" 1
expect_eq "all: nothing else" "$(jq '.findings.SIZE + .findings.ERROR + .findings.FSCK' "$R")" 0
done_
