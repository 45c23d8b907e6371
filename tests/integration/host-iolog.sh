#!/bin/sh
# fio iologs (replay/iolog.h). fio writes an iolog of a 4k direct libaio
# randrw job with fsyncs; fio 3.31+ writes version 3, so the v2 log is
# derived from it by dropping the timestamps (from an older fio's v2 log,
# the v3 one is made by adding them). Each replays with `iorace run
# --iolog` (and the v2 one through a job file's read_iolog=): exit 0, 0
# findings, and the executed op log holds as many reads, writes and fsyncs
# as the iolog. An iorace run with racing fsyncs and punches writes a v2
# iolog (write_iolog=), which fio itself replays: exit 0, its read, write,
# trim and sync counts are iorace's. Bad iologs: exit 2 with file:line.
. "$(dirname "$0")/../lib.sh"
if ! command -v fio >/dev/null 2>&1; then
	echo "SKIP: no fio"
	exit 77
fi

# count_ops OPLOG KIND: executed ops of a kind in an iorace op log
count_ops() {
	grep -c "^op [0-9]* .* kind=$2 " "$1"
}

# count_log IOLOG ACTION: lines of an action in a fio iolog (v2 or v3)
count_log() {
	awk -v a="$2" 'NR == 1 { v3 = ($3 == 3); next }
		{ if ((v3 ? $3 : $2) == a) n++ } END { print n + 0 }' "$1"
}

mkdir "$T/src"
(cd "$T/src" && timeout 300 fio --name=src --filename="$T/src/data" \
	--size=4m --bs=4k --direct=1 --ioengine=libaio --iodepth=8 \
	--rw=randrw --number_ios=300 --fsync=32 \
	--write_iolog="$T/src/fio.log" >fio.out 2>&1)
expect_eq "fio write_iolog exit" "$?" 0
hdr=$(head -n 1 "$T/src/fio.log")
case $hdr in
"fio version 3 iolog")
	cp "$T/src/fio.log" "$T/v3.log"
	{
		echo "fio version 2 iolog"
		awk 'NR > 1 { $1 = ""; sub(/^ /, ""); print }' "$T/src/fio.log"
	} >"$T/v2.log"
	;;
"fio version 2 iolog")
	cp "$T/src/fio.log" "$T/v2.log"
	{
		echo "fio version 3 iolog"
		awk 'NR > 1 && $2 != "wait" { print (NR * 10) " " $0 }' \
			"$T/src/fio.log"
	} >"$T/v3.log"
	;;
*)
	fail "fio's iolog header: '$hdr'"
	;;
esac
expect_gt "fio logged reads" "$(count_log "$T/v3.log" read)" 50
expect_gt "fio logged writes" "$(count_log "$T/v3.log" write)" 50
expect_gt "fio logged syncs" "$(count_log "$T/v3.log" sync)" 2

# io_seq IOLOG: "read|write OFF LEN" of every read/write line, in order
io_seq() {
	awk 'NR == 1 { v3 = ($3 == 3); next }
		{ a = v3 ? $3 : $2; o = v3 ? $4 : $3; l = v3 ? $5 : $4 }
		a == "read" || a == "write" { print a, o, l }' "$1"
}

# op_seq OPLOG: the same of an iorace op log (id order), and O_DIRECT
op_seq() {
	sed -n 's/^op .* kind=\(read\|write\) file=0 off=\([0-9]*\) len=\([0-9]*\) flags=direct .*/\1 \2 \3/p' "$1"
}

# --dry-run: the mapping and the op count, no devices
"$IORACE" run --dry-run --iolog "$T/v3.log" >"$T/dry.out" 2>&1
expect_eq "dry-run --iolog exit" "$?" 0
expect_eq "dry-run ops = the log's" \
	"$(awk '$1 == "ops:" { print $2 }' "$T/dry.out")" \
	"$(($(count_log "$T/v3.log" read) + $(count_log "$T/v3.log" write) + \
		$(count_log "$T/v3.log" sync)))"

# replay: exit 0, 0 findings, the iolog's op counts executed
check_replay() {
	name=$1 log=$2 run=$3
	R=$run/report.json
	expect_eq "$name findings" "$(findings_total "$R")" 0
	expect_eq "$name fsck clean" "$(jget "$R" .fsck.clean)" true
	expect_gt "$name sectors verified" \
		"$(jget "$R" .counts.sectors_verified)" 0
	expect_eq "$name reads" "$(count_ops "$run/oplog" read)" \
		"$(count_log "$log" read)"
	expect_eq "$name writes" "$(count_ops "$run/oplog" write)" \
		"$(count_log "$log" write)"
	expect_eq "$name fsyncs" "$(count_ops "$run/oplog" fsync)" \
		"$(count_log "$log" sync)"
	io_seq "$log" >"$run.want"
	op_seq "$run/oplog" >"$run.got"
	if cmp -s "$run.want" "$run.got"; then
		pass "$name: the log's reads/writes, in order, O_DIRECT"
	else
		fail "$name: op sequence differs: $(diff "$run.want" "$run.got" | head -n 4)"
	fi
}

"$IORACE" run --iolog "$T/v3.log" --out "$T/r3" --no-progress \
	>"$T/r3.out" 2>&1
rc=$?
expect_eq "v3 replay exit" "$rc" 0
[ "$rc" -eq 0 ] || tail -n 5 "$T/r3.out"
check_replay v3 "$T/v3.log" "$T/r3"
expect_eq "v3 mapping printed" \
	"$(grep -c "^iolog: file $T/src/data -> f0 " "$T/r3.out")" 1
expect_eq "v3 trace check" \
	"$(grep -c 'every invariant holds' "$T/r3.out")" 1

"$IORACE" run --iolog "$T/v2.log" --out "$T/r2" --no-progress --no-trace \
	>"$T/r2.out" 2>&1
expect_eq "v2 replay exit" "$?" 0
check_replay v2 "$T/v2.log" "$T/r2"
expect_eq "v2 header read" "$(grep -c "v2.log (v2): " "$T/r2.out")" 1

# the run dir keeps the workload made for the log: its op log replays
"$IORACE" run "$T/r2/iolog.job" --replay "$T/r2/oplog" --out "$T/r2r" \
	--no-progress --no-trace >"$T/r2r.out" 2>&1
expect_eq "--replay of an iolog run's op log exit" "$?" 0
expect_eq "--replay of an iolog run: same ops" \
	"$(grep -c '^op ' "$T/r2r/oplog")" "$(grep -c '^op ' "$T/r2/oplog")"

# the oracle judges a replayed log: a tampered one fails, and shrinks
"$IORACE" run --iolog "$T/v2.log" --out "$T/rt" --no-progress --no-trace \
	--tamper zeros >"$T/rt.out" 2>&1
expect_eq "tampered iolog replay exit" "$?" 1
expect_gt "tampered iolog replay LOST" "$(jget "$T/rt/report.json" .findings.LOST)" 0
timeout 600 "$IORACE" shrink "$T/rt" >"$T/rts.out" 2>&1
expect_eq "shrink of an iolog run exit" "$?" 0

# read_iolog= in a fio job file (path relative to the job file)
printf '[replay]\nread_iolog=v2.log\nioengine=libaio\ndirect=1\niodepth=4\n' \
	>"$T/replay.fio"
"$IORACE" run "$T/replay.fio" --out "$T/rj" --no-progress --no-trace \
	>"$T/rj.out" 2>&1
expect_eq "read_iolog= job exit" "$?" 0
check_replay read_iolog "$T/v2.log" "$T/rj"

# iorace -> fio: write_iolog= of a run with racing fsyncs and punches
mkdir "$T/back"
cat >"$T/back.job" <<EOF
[global]
filesize=4m
[rw]
type=io
rw=randrw
bs=4k
iodepth=8
number_ios=400
write_iolog=back/iorace.log
[fs]
type=fsync
count=3
interval=5ms
[fds]
type=fdatasync
count=2
interval=3ms
[p]
type=punch
offset=random
len=64k
count=2
interval=7ms
EOF
"$IORACE" run "$T/back.job" --out "$T/rb" --no-progress --no-trace \
	>"$T/rb.out" 2>&1
expect_eq "iorace write_iolog run exit" "$?" 0
B=$T/back/iorace.log
expect_eq "written iolog header" "$(head -n 1 "$B")" "fio version 2 iolog"
expect_eq "written iolog names f0 absolutely" \
	"$(grep -c "^$T/back/f0 add$" "$B")" 1
expect_eq "written reads" "$(count_log "$B" read)" \
	"$(count_ops "$T/rb/oplog" read)"
expect_eq "written trims = punches" "$(count_log "$B" trim)" \
	"$(count_ops "$T/rb/oplog" punch)"
expect_eq "written syncs" "$(count_log "$B" sync)" 3
expect_eq "written datasyncs" "$(count_log "$B" datasync)" 2
(cd "$T/back" && timeout 300 fio --name=back --read_iolog="$B" \
	--ioengine=libaio --direct=1 --output-format=json \
	--output=fio.json >fio.out 2>&1)
expect_eq "fio replays iorace's iolog: exit" "$?" 0
J=$T/back/fio.json
expect_eq "fio reads = iorace's" "$(jq '.jobs[0].read.total_ios' "$J")" \
	"$(count_ops "$T/rb/oplog" read)"
expect_eq "fio writes = iorace's" "$(jq '.jobs[0].write.total_ios' "$J")" \
	"$(count_ops "$T/rb/oplog" write)"
# fio 3.33's read_iolog rejects its own trim lines ("bad ddir: 2", the
# line skipped); a fio that takes them must trim as often as iorace punched
skipped=$(grep -c '^bad ddir: 2' "$T/back/fio.out")
if [ "$skipped" -gt 0 ]; then
	echo "note: $(fio --version) skips iolog trim lines (bad ddir: 2)"
	expect_eq "fio skipped trims = iorace's punches" "$skipped" \
		"$(count_ops "$T/rb/oplog" punch)"
	expect_eq "fio trims" "$(jq '.jobs[0].trim.total_ios' "$J")" 0
else
	expect_eq "fio trims = iorace's punches" \
		"$(jq '.jobs[0].trim.total_ios' "$J")" \
		"$(count_ops "$T/rb/oplog" punch)"
fi
# fio's JSON counts fsyncs in sync.total_ios, every sync (fdatasync too)
# in sync.lat_ns.N
expect_eq "fio fsyncs = iorace's" "$(jq '.jobs[0].sync.total_ios' "$J")" \
	"$(count_ops "$T/rb/oplog" fsync)"
expect_eq "fio syncs = iorace's fsyncs + fdatasyncs" \
	"$(jq '.jobs[0].sync.lat_ns.N' "$J")" \
	"$(($(count_ops "$T/rb/oplog" fsync) + $(count_ops "$T/rb/oplog" fdatasync)))"
expect_eq "fio job error" "$(jq '.jobs[0].error' "$J")" 0

# and back into iorace: the written log (with its trims) replays clean
"$IORACE" run --iolog "$B" --out "$T/rbb" --no-progress --no-trace \
	>"$T/rbb.out" 2>&1
expect_eq "iorace replays its own iolog: exit" "$?" 0
check_replay "own iolog" "$B" "$T/rbb"
expect_eq "own iolog: datasyncs replayed as fdatasyncs" \
	"$(count_ops "$T/rbb/oplog" fdatasync)" "$(count_log "$B" datasync)"
expect_eq "own iolog: trims replayed as punches" \
	"$(count_ops "$T/rbb/oplog" punch)" "$(count_log "$B" trim)"

# errors: exit 2 naming file:line, before any device is touched
bad() {
	name=$1 want=$2
	"$IORACE" run --iolog "$T/bad.log" --out "$T/bad" --no-trace \
		>"$T/bad.out" 2>&1
	expect_eq "$name exit" "$?" 2
	if grep -qF "$want" "$T/bad.out"; then
		pass "$name: $want"
	else
		fail "$name: no '$want' in: $(cat "$T/bad.out")"
	fi
}
n=$(($(wc -l <"$T/v2.log") + 1))
{ cat "$T/v2.log"; echo "$T/src/data read 100 4096"; } >"$T/bad.log"
bad "unaligned read" "$T/bad.log:$n: read 100 4096: offset and length must be multiples of 512"
{ cat "$T/v2.log"; echo "$T/src/data frob 0 4096"; } >"$T/bad.log"
bad "unknown action" "$T/bad.log:$n: unknown action 'frob'"
{ head -n 3 "$T/v3.log"; echo "$T/src/data read 0 4096"; } >"$T/bad.log"
bad "v3 line without timestamp" "$T/bad.log:4: timestamp"
printf 'fio version 1 iolog\n' >"$T/bad.log"
bad "version 1" "$T/bad.log:1: not a fio iolog"
printf '[a]\nread_iolog=v2.log\n[b]\nrw=write\nsize=1m\n' >"$T/two.fio"
"$IORACE" run "$T/two.fio" --out "$T/two" --no-trace >"$T/two.out" 2>&1
expect_eq "read_iolog with a second job exit" "$?" 2
expect_eq "read_iolog with a second job says so" \
	"$(grep -c 'two.fio:3: read_iolog: a job replaying an iolog must be' \
		"$T/two.out")" 1
done_
