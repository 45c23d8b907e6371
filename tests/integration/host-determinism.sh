#!/bin/sh
# Same workload + seed gives the same op log; another seed a different one;
# replaying a recorded op log executes the same ops again.
. "$(dirname "$0")/../lib.sh"
run() { # name extra...
	n=$1
	shift
	"$IORACE" run truncate-vs-dio --scale 0.03 --no-trace --no-progress \
		--out "$T/$n" "$@" >"$T/$n.log" 2>&1
	expect_eq "$n exit" "$?" 0
}
run a --seed 7 --record "$T/a.oplog"
run b --seed 7 --record "$T/b.oplog"
run c --seed 8 --record "$T/c.oplog"
# "# fired ..." comments record what the injectors saw when they fired
# (ops in flight at that moment): timing, not the plan; compare the rest
for n in a b c; do grep -v '^# fired ' "$T/$n.oplog" >"$T/$n.plan"; done
expect_gt "op log lines" "$(grep -c '^op ' "$T/a.oplog")" 50
if cmp -s "$T/a.plan" "$T/b.plan"; then pass "same seed, same op log"; else fail "same seed, different op logs"; fi
if cmp -s "$T/a.plan" "$T/c.plan"; then fail "different seeds, same op log"; else pass "different seed, different op log"; fi
run r --replay "$T/a.oplog" --record "$T/r.oplog"
grep -v '^# fired ' "$T/r.oplog" >"$T/r.plan"
if cmp -s "$T/a.plan" "$T/r.plan"; then pass "replay re-executes the op log"; else fail "replayed op log differs"; diff "$T/a.plan" "$T/r.plan" | head; fi
expect_eq "replay ops planned" "$(jget "$T/r/report.json" .counts.ops_planned)" "$(jget "$T/a/report.json" .counts.ops_planned)"
done_
