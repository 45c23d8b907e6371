#!/bin/sh
# Three traced runs at once share root's one lttng-sessiond: none may pull
# the daemon from under another (each trace complete, each run a verdict),
# and the daemon an iorace run started is gone once the last run ends.
. "$(dirname "$0")/../lib.sh"
before=$(pgrep -c -x lttng-sessiond)
pids=""
for i in 1 2 3; do
	"$IORACE" run truncate-vs-dio --scale 0.02 --seed "$i" --no-progress \
		--out "$T/r$i" >"$T/r$i.log" 2>&1 &
	pids="$pids $!"
	sleep 0.3
done
i=0
for p in $pids; do
	i=$((i + 1))
	wait "$p"
	expect_eq "run $i exit" "$?" 0
	expect_eq "run $i trace check" \
		"$(jq -r '.trace_check.verdict // .verdict' "$T/r$i/report.json" 2>/dev/null)" pass
	grep -q 'trace check: every invariant holds' "$T/r$i.log" &&
		pass "run $i trace complete and agreeing" ||
		fail "run $i: $(grep -i 'trace\|lttng' "$T/r$i.log" | head -3)"
done
sleep 1
after=$(pgrep -c -x lttng-sessiond)
[ "$after" -le "$before" ] && pass "no lttng-sessiond left ($before before, $after after)" ||
	fail "lttng-sessiond left: $before before, $after after"
done_
