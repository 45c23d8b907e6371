#!/bin/sh
# Three traced runs at once share root's one lttng-sessiond: none may pull
# the daemon from under another (each trace complete, each run a verdict),
# and the daemon an iorace run started is gone once the last run ends.
. "$(dirname "$0")/../lib.sh"
# live daemons only: a zombie waits for its reaper (pid 1 here), not us
daemons() {
	pgrep -c -x -r R,S,D,T lttng-sessiond
}
before=$(daemons)
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
i=0
while [ "$(daemons)" -gt "$before" ] && [ $i -lt 20 ]; do
	sleep 0.5
	i=$((i + 1))
done
after=$(daemons)
[ "$after" -le "$before" ] || ps -o pid,ppid,stat,etime,args -C lttng-sessiond
[ "$after" -le "$before" ] && pass "no lttng-sessiond left ($before before, $after after)" ||
	fail "lttng-sessiond left: $before before, $after after"
done_
