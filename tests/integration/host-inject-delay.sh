#!/bin/sh
# Delay points on the host: a truncate gated on >= 8 DIO writes in flight
# (when_inflight) with delays that hold the DIOs in flight; the run dir's
# inject.log and the trace must show every truncate firing with >= 8 in
# flight. --inject adds a delay point; a recorded op log carries the specs
# and --replay re-applies them; bad specs exit 2; dm on a kernel without
# device-mapper exits 77 naming it.
. "$(dirname "$0")/../lib.sh"
cat >"$T/dt.job" <<'JOB'
; truncate once >= 8 DIO writes are in flight, reaps delayed meanwhile
[global]
nrfiles=1
filesize=32m
fallocate=1
delay=before:reap,2ms,when=inflight>=8
delay=before:truncate,1ms,when=inflight>=8,count=3

[dio-writer]
type=io
file=0
rw=randwrite
bs=4k
iodepth=16
contexts=2
number_ios=3000

[shrink]
type=truncate
file=0
size=8m
grow_back=32m
start_delay=20ms
interval=20ms
count=4
when_inflight=8
JOB
grep -v '^delay=' "$T/dt.job" >"$T/plain.job"

trace=--no-trace
command -v babeltrace2 >/dev/null && [ "${IORACE_TEST_TRACE:-1}" = 1 ] && trace=
"$IORACE" run "$T/dt.job" $trace --no-progress --out "$T/a" \
	--record "$T/a.oplog" --inject 'delay=after:submit,50us,every=10' \
	>"$T/a.log" 2>&1
expect_eq "delay run exit" "$?" 0
L="$T/a/inject.log"
expect_eq "truncates gated" "$(grep -c ' when_inflight ' "$L")" 4
low=$(awk '/ when_inflight / { split($NF, a, "="); if (a[2] < 8) n++ } END { print n + 0 }' "$L")
expect_eq "truncates fired with < 8 writes in flight" "$low" 0
expect_eq "before:truncate delays fired (count=3)" \
	"$(grep -c ' before:truncate ' "$L")" 3
low=$(awk '/ before:truncate / { split($5, a, "="); if (a[2] < 8) n++ } END { print n + 0 }' "$L")
expect_eq "before:truncate with < 8 in flight" "$low" 0
expect_gt "before:reap delays" "$(grep -c ' before:reap ' "$L")" 10
expect_gt "--inject after:submit delays" "$(grep -c ' after:submit ' "$L")" 5
expect_eq "op log carries the specs" "$(grep -c '^inject delay=' "$T/a.oplog")" 3
expect_gt "op log lists firings" "$(grep -c '^# fired ' "$T/a.oplog")" 10

if [ -z "$trace" ]; then
	babeltrace2 "$T/a/trace" >"$T/a.trace" 2>/dev/null
	g=$(grep 'iorace:inject:' "$T/a.trace" | grep -c 'action = "when_inflight"')
	expect_eq "trace: when_inflight events" "$g" 4
	low=$(grep 'iorace:inject:' "$T/a.trace" | grep 'action = "when_inflight"' |
		sed 's/.*arg = \([0-9]*\).*/\1/' | awk '$1 < 8 { n++ } END { print n + 0 }')
	expect_eq "trace: truncates with < 8 in flight" "$low" 0
	expect_gt "trace: delay events" \
		"$(grep 'iorace:inject:' "$T/a.trace" | grep -c 'injector = "delay"')" 10
fi

# the replay takes the delay points from the op log, not from the job
"$IORACE" run "$T/plain.job" --no-trace --no-progress --out "$T/r" \
	--replay "$T/a.oplog" >"$T/r.log" 2>&1
expect_eq "replay exit" "$?" 0
expect_eq "replay applies the op log's specs" \
	"$(grep -c '^# delay=' "$T/r/inject.log")" 3
expect_gt "replay fires reap delays" "$(grep -c ' before:reap ' "$T/r/inject.log")" 10

"$IORACE" run "$T/plain.job" --no-trace --out "$T/b" \
	--inject 'delay=before:truncate,5ms,when=inflight>=0' >"$T/b.log" 2>&1
expect_eq "bad --inject exit" "$?" 2
grep -q 'N >= 1' "$T/b.log" && pass "bad --inject says why" || fail "bad --inject message: $(cat "$T/b.log")"
printf '[global]\ndelay=sideways:truncate,1ms\n[w]\ntype=io\nrw=write\nnumber_ios=4\n' >"$T/bad.job"
"$IORACE" run "$T/bad.job" --no-trace --out "$T/c" >"$T/c.log" 2>&1
expect_eq "bad delay= in a job exit" "$?" 2
grep -q 'bad.job:2:' "$T/c.log" && pass "bad job names file:line" || fail "bad job message: $(cat "$T/c.log")"

# a dead run's dm-log-writes images are reclaimed by the next run
dead=4000001
while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 1)); done
: >"/var/tmp/iorace-$dead-log.img"
: >"/var/tmp/iorace-$dead-replay.img"
"$IORACE" run "$T/plain.job" --no-trace --no-progress --scale 0.1 \
	--out "$T/e" >"$T/e.log" 2>&1
expect_eq "reclaim run exit" "$?" 0
if [ -e "/var/tmp/iorace-$dead-log.img" ] || [ -e "/var/tmp/iorace-$dead-replay.img" ]; then
	fail "dead run's log/replay images not reclaimed"
	rm -f "/var/tmp/iorace-$dead-log.img" "/var/tmp/iorace-$dead-replay.img"
else
	pass "dead run's log/replay images reclaimed"
fi

if ! grep -q device-mapper /proc/misc; then
	"$IORACE" run "$T/plain.job" --no-trace --out "$T/d" \
		--inject dm=flakey >"$T/d.log" 2>&1
	expect_eq "dm without device-mapper exit" "$?" 77
	grep -q 'device-mapper' "$T/d.log" && pass "77 names device-mapper" ||
		fail "77 message: $(cat "$T/d.log")"
fi
done_
