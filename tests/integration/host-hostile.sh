#!/bin/sh
# Hostile input (issue 15): non-finite or huge --scale, seeds that do not
# fit, op counts over WL_MAX_OPS and hostile compare reports are bad input
# (exit 2 with a message naming what is wrong), not an abort after GBs of
# allocation, a silent wrap or a bogus REGRESSION.
. "$(dirname "$0")/../lib.sh"

# run CASE EXPECTED-TEXT ARGS...: exit 2 and the text in stderr
bad() {
	name=$1
	want=$2
	shift 2
	err=$(timeout 60 "$IORACE" "$@" 2>&1 >/dev/null)
	expect_eq "$name exit" "$?" 2
	case "$err" in
	*"$want"*) pass "$name: says '$want'" ;;
	*) fail "$name: no '$want' in: $err" ;;
	esac
}

for s in inf nan -inf 1e9 1e12; do
	bad "--scale $s" "bad value for --scale" run seed-truncate-dio \
		--dry-run --scale "$s"
done
bad "--scale 1e5" "overflows" run seed-truncate-dio --dry-run --scale 1e5
bad "--seed 2^64+" "bad value for --seed" run seed-truncate-dio --dry-run \
	--seed 99999999999999999999999
bad "--seed -1" "bad value for --seed" run seed-truncate-dio --dry-run \
	--seed -1

printf '[j]\ntype=io\nnumber_ios=4294967296\n' >"$T/ios.job"
bad "number_ios 2^32" "job [j]: number_ios" run "$T/ios.job" --dry-run
printf '[t]\ntype=truncate\ncount=16777216\n' >"$T/count.job"
bad "count 2^24" "job [t]: count" run "$T/count.job" --dry-run
# a normal workload still plans at a large but sane scale
out=$("$IORACE" run seed-truncate-dio --dry-run --scale 3 2>&1)
expect_eq "--scale 3 exit" "$?" 0
case "$out" in *"ops: "*) pass "--scale 3 plans" ;; *) fail "--scale 3: $out" ;; esac

printf '{"latency":{"write":{"n":1000,"p99_ns":100000}}}\n' >"$T/b.json"
printf '{"latency":{"write":{"n":1000,"p99_ns":-9223372036854775808}}}\n' \
	>"$T/min.json"
printf '{"latency":{"write":{"n":1000,"p99_ns":NaN}}}\n' >"$T/nan.json"
bad "compare p99 INT64_MIN" "not a finite number" compare "$T/b.json" \
	"$T/min.json"
bad "compare p99 NaN" "not a finite number" compare "$T/b.json" \
	"$T/nan.json"
bad "compare /dev/zero" "not a regular file" compare "$T/b.json" /dev/zero
# injector numbers are strictly unsigned (%u took "-1"), and dm_flakey's
# feature text is never cut behind its word count (fixed by cfd1ebf, covered
# only by test_inject until now)
bad "fail_request INTERVAL -1" "fail_request=1,-1,1: PROBABILITY" \
	run seed-truncate-dio --dry-run --inject fail_request=1,-1,1
bad "corrupt_bio_byte NTH -1" "corrupt_bio_byte:-1:w:1:0: expected" \
	run seed-truncate-dio --dry-run \
	--inject dm_flakey=1,1,corrupt_bio_byte:-1:w:1:0
feats=$(printf ',error_writes%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17)
bad "dm_flakey features > 199 bytes" "dm_flakey: features longer than" \
	run seed-truncate-dio --dry-run --inject "dm_flakey=1,1$feats"

# strtoul took "-1" as 2^64 - 1 (then cut to unsigned)
bad "--repeat -1" "bad value for --repeat" run seed-truncate-dio --dry-run \
	--repeat -1
bad "shrink --max-tries -1" "usage: iorace shrink" shrink "$T/none" \
	--max-tries -1
bad "shrink --timeout -1" "usage: iorace shrink" shrink "$T/none" \
	--timeout -1

# racing op times wrapped: 300000d is 2.6e22 ns, (count - 1) * interval
# past 2^64, an op log's at= plus the stage start
printf '[t]\ntype=truncate\ncount=3\nstart_delay=300000d\n' >"$T/d.job"
bad "start_delay 300000d" "start_delay: bad value '300000d'" \
	run "$T/d.job" --dry-run
printf '[t]\ntype=truncate\ncount=3\ninterval=106752d\n' >"$T/i.job"
bad "2 x interval 106752d" "job [t]: start_delay + (count - 1) * interval" \
	run "$T/i.job" --dry-run
printf '# iorace oplog v1 workload=seed-truncate-dio seed=1\n%s\n' \
	'op 1 job=0 ctx=0 stage=0 kind=truncate file=0 off=0 len=0 flags=0 at=18446744073709551615' \
	>"$T/at.oplog"
bad "oplog at=2^64-1" "at.oplog:2: op 1: at=18446744073709551615 beyond" \
	run seed-truncate-dio --no-trace --replay "$T/at.oplog" --out "$T/o"

# op log reads and writes the executor cannot do: len 2^44 aborted in
# malloc, off=1 len=3 made a false finding; bad inject lines lacked a line
oplog() {
	printf '# iorace oplog v1 workload=seed-truncate-dio seed=1\n%s\n' \
		"$1" >"$T/bad.oplog"
}
oplog 'op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=17592186044416 flags=direct at=0'
bad "oplog len 2^44" "bad.oplog:2: op 1: write off=0 len=17592186044416" \
	run seed-truncate-dio --no-trace --replay "$T/bad.oplog" --out "$T/o"
oplog 'op 1 job=0 ctx=0 stage=0 kind=write file=0 off=1 len=3 flags=direct at=0'
bad "oplog off=1 len=3" "bad.oplog:2: op 1: write off=1 len=3" \
	run seed-truncate-dio --no-trace --replay "$T/bad.oplog" --out "$T/o"
oplog 'inject delay=before:submit,1ms,every=-1'
bad "oplog inject every=-1" "bad.oplog:2: inject delay=" \
	run seed-truncate-dio --no-trace --replay "$T/bad.oplog" --out "$T/o"

# quadratic time (fixed by dcff75e and bd82f9a, no test then): 100000
# sections took 62 s to plan, a 200000-key compare a linear scan per key
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "[j%d]\ntype=truncate\ncount=1\n", i }' >"$T/many.job"
timeout 30 "$IORACE" run "$T/many.job" --dry-run >/dev/null 2>&1
expect_eq "100000 sections plan in 30 s, exit" "$?" 0
for f in a b; do
	awk -v f=$f 'BEGIN { printf "{\"latency\":{"
		for (i = 0; i < 200000; i++) {
			k = f == "a" ? i : 199999 - i
			printf "%s\"k%d\":{\"n\":1000,\"p99_ns\":100000}", i ? "," : "", k
		}
		print "}}" }' >"$T/keys-$f.json"
done
timeout 30 "$IORACE" compare "$T/keys-a.json" "$T/keys-b.json" >/dev/null 2>&1
expect_eq "compare of 200000 latency keys in 30 s, exit" "$?" 0

# an empty kernel stream file (a cut trace) is bad input naming the file:
# src.ctf.fs skipped it silently and the check judged what was left
emit=$T/emit-fixture
(cd "$TOP" && make -s build/common/util.o build/trace/trace.o \
	build/trace/kernel.o build/trace/kevents.o build/trace/ctf_writer.o \
	build/trace/iorace_tp.o) || fail "build trace objects"
cc -std=gnu11 -D_GNU_SOURCE -I"$TOP" -I/usr/include/tracefs \
	-I/usr/include/traceevent -pthread -o "$emit" \
	"$TOP/tests/fixtures/emit-fixture.c" "$TOP/build/common/util.o" \
	"$TOP/build/trace/trace.o" "$TOP/build/trace/kernel.o" \
	"$TOP/build/trace/kevents.o" "$TOP/build/trace/ctf_writer.o" \
	"$TOP/build/trace/iorace_tp.o" -llttng-ust -ldl -ltracefs \
	-ltraceevent -lm -lbabeltrace2 || fail "build emit-fixture"
printf '%s\n' 'jbd2_start_commit t=1ms cpu=0 dev=7340032 transaction=1' \
	'jbd2_end_commit t=2ms cpu=1 dev=7340032 transaction=1' |
	timeout 60 "$emit" --no-ust "$T/cut" >/dev/null 2>&1 ||
	fail "emit-fixture --no-ust"
: >"$T/cut/trace/kernel/stream_1"
bad "check empty kernel stream" "trace/kernel/stream_1: empty CTF stream" \
	check "$T/cut"
: >"$T/cut/trace/kernel/metadata"
bad "check empty kernel metadata" "trace/kernel/metadata: empty CTF metadata" \
	check "$T/cut"

done_
