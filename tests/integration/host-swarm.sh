#!/bin/sh
# iorace run swarm: each seed draws its own configuration, named in
# report.json/report.txt and written as RUN/swarm.job; --repeat N explores
# N configurations; the same seed draws the same one (the drawn job file
# run again gives the same plan); clean runs on the host have 0 findings.
. "$(dirname "$0")/../lib.sh"
"$IORACE" list | grep -q '^swarm ' && pass "swarm listed" ||
	fail "swarm not in iorace list"
"$IORACE" run swarm --seed 11 --repeat 3 --scale 0.02 --no-progress \
	--out "$T/rep" >"$T/rep.log" 2>&1
expect_eq "swarm repeat exit" "$?" 0
expect_eq "swarm seeds" "$(jq -r '[.runs[].seed] | join(",")' "$T/rep/repeat.json")" 11,12,13
for i in 0 1 2; do
	R=$T/rep/run-$i/report.json
	expect_eq "run-$i findings" "$(findings_total "$R")" 0
	expect_gt "run-$i sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
	jget "$R" .swarm.config | grep -q '^blocks [0-9]* .*; io: .*; racing:' &&
		pass "run-$i report.json names the configuration" ||
		fail "run-$i swarm.config: $(jget "$R" .swarm.config)"
	grep -q "^swarm config: $(jget "$R" .swarm.config | cut -c1-40)" \
		"$T/rep/run-$i/report.txt" && pass "run-$i report.txt names it" ||
		fail "run-$i report.txt has no swarm config line"
	[ -s "$T/rep/run-$i/swarm.job" ] && pass "run-$i swarm.job" ||
		fail "run-$i has no swarm.job"
done
n=$(for i in 0 1 2; do jget "$T/rep/run-$i/report.json" .swarm.config; done | sort -u | wc -l)
expect_eq "3 seeds, 3 configurations" "$n" 3
# same seed, same configuration and plan; the drawn job file replays it
"$IORACE" run swarm --seed 12 --scale 0.02 --no-trace --no-progress \
	--out "$T/again" --record "$T/again.oplog" >"$T/again.log" 2>&1
expect_eq "seed 12 again exit" "$?" 0
expect_eq "seed 12 same configuration" \
	"$(jget "$T/again/report.json" .swarm.config)" \
	"$(jget "$T/rep/run-1/report.json" .swarm.config)"
"$IORACE" run "$T/again/swarm.job" --seed 12 --scale 0.02 --no-trace \
	--no-progress --out "$T/job" --record "$T/job.oplog" >"$T/job.log" 2>&1
expect_eq "drawn swarm.job exit" "$?" 0
grep -v '^#' "$T/again.oplog" >"$T/a.ops"
grep -v '^#' "$T/job.oplog" | sed 's/ at=[0-9]*//' >"$T/b.ops"
sed -i 's/ at=[0-9]*//' "$T/a.ops"
expect_gt "oplog ops" "$(wc -l <"$T/a.ops")" 10
cmp -s "$T/a.ops" "$T/b.ops" && pass "swarm.job plans the same ops" ||
	fail "swarm.job plan differs from swarm --seed 12"
done_
