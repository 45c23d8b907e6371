#!/bin/sh
# The injector workloads in the guest (device-mapper: dm-flakey, dm-delay,
# dm-log-writes): run from the host, this script boots ci/vm once and runs
# itself there with --in-guest. Each workload runs at small scale; the
# known-bad controls must exit 1 with their class (writeback-crash-stale:
# STALE, dropped-after-fsync: LOST-DURABLE), the rest exit 0. Also: a
# dm-log-writes run replays its log to every mark, dm-delay reports the
# truncates' in-flight counts, and a missing kernel feature exits 77.
# A guest that cannot boot is a failure, not a skip.
# GUEST_KERNEL=PATH boots that kernel (ci/vm --kernel), GUEST_SCALE=F.
. "$(dirname "$0")/../lib.sh"
SCALE=${GUEST_SCALE:-0.2}

# check_run NAME WANT_EXIT CLASS|- [iorace run args...]
check_run() {
	n=$1 want=$2 cls=$3
	shift 3
	"$IORACE" run "$@" "${TRACE:---no-trace}" --no-progress --out "$OUT/$n" \
		>"$OUT/$n.log" 2>&1
	rc=$?
	expect_eq "$n exit" "$rc" "$want"
	[ "$rc" = "$want" ] || tail -5 "$OUT/$n.log"
	R=$OUT/$n/report.json
	if [ "$cls" != - ]; then
		expect_gt "$n $cls findings" "$(jget "$R" ".findings[\"$cls\"]")" 0
		other=$(jq -r --arg c "$cls" '[.findings | to_entries[] |
			select(.key != $c and .value > 0) | .key] | join(",")' "$R")
		expect_eq "$n other classes" "$other" ""
	elif [ "$want" = 0 ]; then
		expect_eq "$n findings" "$(findings_total "$R")" 0
		expect_gt "$n sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
	fi
}

if [ "${1:-}" = --in-guest ]; then
	OUT=$2
	mkdir -p "$OUT"
	exec >"$OUT/checks.txt" 2>&1 # printed by the host side
	check_run dsync-aio-crash 0 - dsync-aio-crash --scale "$SCALE"
	grep -q 'crash op=' "$OUT/dsync-aio-crash/inject.log" &&
		pass "dsync-aio-crash crashed" || fail "dsync-aio-crash: no crash in inject.log"
	grep -q 'after-crash .* arg=0$' "$OUT/dsync-aio-crash/inject.log" &&
		pass "dsync-aio-crash: acknowledged data survived" ||
		fail "dsync-aio-crash: after-crash check not clean"
	check_run fsync-crash 0 - fsync-crash --scale "$SCALE"
	check_run writeback-crash-stale 1 STALE writeback-crash-stale
	check_run writeback-crash-ordered 0 - writeback-crash-ordered
	check_run dropped-after-fsync 1 LOST-DURABLE dropped-after-fsync
	check_run eio-writes 0 - eio-writes --scale "$SCALE"
	n=$(sed -n 's/^# expected write errors: //p' "$OUT/eio-writes/inject.log")
	expect_gt "eio-writes: writes failed with EIO (down windows)" "${n:-0}" 0
	# traced: the trace shows each gated truncate/punch's in-flight count
	TRACE=--no-progress check_run delay-truncate-race 0 - \
		delay-truncate-race --scale "$SCALE"
	if babeltrace2 "$OUT/delay-truncate-race/trace" >"$OUT/dtr.trace" 2>/dev/null; then
		g=$(grep 'iorace:inject:' "$OUT/dtr.trace" | grep 'action = "when_inflight"' |
			sed 's/.*arg = \([0-9]*\).*/\1/')
		expect_gt "trace: gated truncates/punches" "$(echo "$g" | grep -c .)" 0
		expect_eq "trace: fired with < 8 DIOs in flight" \
			"$(echo "$g" | awk '$1 < 8 { n++ } END { print n + 0 }')" 0
	else
		echo "note: no readable trace in the guest"
	fi
	L=$OUT/delay-truncate-race/inject.log
	expect_gt "delay-truncate-race gated ops" "$(grep -c ' when_inflight ' "$L")" 0
	low=$(awk '/ when_inflight / { split($NF, a, "="); if (a[2] < 8) n++ } END { print n + 0 }' "$L")
	expect_eq "delay-truncate-race ops fired with < 8 in flight" "$low" 0
	# a mid-run table change: dm-delay loaded after 200 completions
	check_run dm-start 0 - delay-truncate-race --scale 0.1 \
		--inject dm_start=after_completions:200
	grep -q ' dm_start .* arg=' "$OUT/dm-start/inject.log" &&
		pass "dm-delay table loaded mid-run" || fail "no dm_start in inject.log"
	# dm-log-writes: every mark's state replayed, mounted and judged
	check_run log-writes 0 - fsync-crash --scale 0.05 \
		--inject dm=log-writes --inject crash=none
	L=$OUT/log-writes/inject.log
	expect_gt "log-writes marks checked" "$(grep -c ' log-writes mark ' "$L")" 1
	expect_eq "log-writes marks with findings" \
		"$(grep ' log-writes mark ' "$L" | grep -vc ' arg=0$')" 0
	# crash= needs dm=flakey: usage error
	check_run lw-crash 2 - fsync-crash --scale 0.05 --inject dm=log-writes
	grep -q 'crash= needs dm=flakey' "$OUT/lw-crash.log" &&
		pass "crash with log-writes refused" || fail "lw-crash message"
	# fail_make_request: 77 naming the option on Debian's kernel; where the
	# kernel has it (GUEST_KERNEL=ci/kernels build), writes of the workload
	# fail through it (a failed write must return EIO; exit 0 or 1)
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	if [ -e /sys/kernel/debug/fail_make_request ]; then
		"$IORACE" run eio-writes --scale 0.05 --no-trace --no-progress \
			--inject dm=none --inject fail_request=100,1,20 \
			--out "$OUT/fail-request" >"$OUT/fail-request.log" 2>&1
		rc=$?
		case $rc in 0 | 1) pass "fail_request run exit $rc" ;;
		*) fail "fail_request run exit $rc" ;; esac
		grep -q fail_request_on "$OUT/fail-request/inject.log" &&
			pass "fail_make_request armed" || fail "fail_request not armed"
	else
		check_run fail-request 77 - hole-fill-read --scale 0.05 \
			--inject fail_request=10,1,-1
		grep -q CONFIG_FAIL_MAKE_REQUEST "$OUT/fail-request.log" &&
			pass "77 names CONFIG_FAIL_MAKE_REQUEST" ||
			fail "77 message: $(tail -1 "$OUT/fail-request.log")"
	fi
	# shellcheck disable=SC2010 # device-mapper names: no newlines in them
	if ls /dev/mapper 2>/dev/null | grep -q iorace; then
		fail "dm devices left: $(ls /dev/mapper)"
	else
		pass "no dm device left"
	fi
	done_
fi

"$TOP/ci/vm" --quiet --timeout "${GUEST_TIMEOUT:-1500}" --results "$T/vm" \
	${GUEST_KERNEL:+--kernel "$GUEST_KERNEL"} -- \
	sh "$TOP/tests/integration/guest-injectors.sh" --in-guest "$T/vm/out"
rc=$?
[ -d "$T/vm/out" ] && for f in "$T"/vm/out/*.log; do
	echo "== $(basename "$f")"
	tail -3 "$f"
done
echo "== checks in the guest"
cat "$T/vm/out/checks.txt" 2>/dev/null
case $rc in
0) pass "guest checks" ;;
*) fail "guest checks exit $rc (console: $T/vm/console.log)"
	tail -40 "$T/vm/console.log" 2>/dev/null | grep -v '^\[' ;;
esac
done_
