#!/bin/sh
# DISAGREE is a finding of its own: a traced run whose online and trace
# oracles agree carries DISAGREE 0; once its report.json is tampered so the
# online verdict claims a LOST the trace does not show, `iorace check` exits
# 1 and check.json, check.txt and (with --merge) report.json carry DISAGREE
# with the per-class counts, and `iorace compare` calls it a regression.
# shellcheck disable=SC1091 # tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# grep_ok WHAT PATTERN FILE: a line of FILE matches PATTERN
grep_ok() {
	if grep -q -- "$2" "$3"; then pass "$1"; else fail "$1: no '$2' in $3"; fi
}
R=$T/run
"$IORACE" run hole-fill-read --scale 0.02 --out "$R" --no-progress >"$T/run.log" 2>&1
expect_eq "traced run exit" "$?" 0
expect_eq "run: findings.DISAGREE" "$(jget "$R/report.json" .findings.DISAGREE)" 0
expect_eq "run: disagree.count" "$(jget "$R/report.json" .disagree.count)" 0
expect_eq "run: disagree.agree" "$(jget "$R/report.json" .disagree.agree)" true
if grep -q DISAGREE "$T/run.log"; then fail "run console says DISAGREE"; else pass "run console: no DISAGREE"; fi
cp "$R/report.json" "$T/base.json"

# the online verdict now claims one LOST the trace oracle does not find
jq '.findings.LOST = 1 | .verdict = "fail" | .exit = 1' "$T/base.json" >"$R/report.json"
"$IORACE" check "$R" >"$T/check.out" 2>&1
expect_eq "check on tampered report exit" "$?" 1
expect_eq "check.json findings.DISAGREE" "$(jget "$R/check.json" .findings.DISAGREE)" 1
expect_eq "check.json disagree LOST online" "$(jget "$R/check.json" .disagree.classes.LOST.online)" 1
expect_eq "check.json disagree LOST trace" "$(jget "$R/check.json" .disagree.classes.LOST.trace)" 0
expect_eq "check.json verdict" "$(jget "$R/check.json" .verdict)" fail
expect_eq "trace oracle still passes" "$(jget "$R/check.json" .invariants.oracle.status)" pass
grep_ok "check.txt: online verdict DISAGREE" \
	"^online verdict: DISAGREE: LOST: online 1, trace 0$" "$R/check.txt"
grep_ok "check.txt: findings line has DISAGREE 1" " DISAGREE 1$" "$R/check.txt"
grep_ok "check.txt: verdict names DISAGREE" "^verdict: fail (DISAGREE" "$R/check.txt"
grep_ok "check console: DISAGREE" "check: DISAGREE: " "$T/check.out"
# not merged without --merge
expect_eq "report.json untouched" "$(jget "$R/report.json" .findings.DISAGREE)" 0

"$IORACE" check --merge -q "$R" >"$T/merge.out" 2>&1
expect_eq "check --merge exit" "$?" 1
expect_eq "report.json findings.DISAGREE" "$(jget "$R/report.json" .findings.DISAGREE)" 1
expect_eq "report.json disagree.count" "$(jget "$R/report.json" .disagree.count)" 1
expect_eq "report.json disagree LOST trace" "$(jget "$R/report.json" .disagree.classes.LOST.trace)" 0
expect_eq "report.json keeps the online LOST" "$(jget "$R/report.json" .findings.LOST)" 1
expect_eq "report.json verdict" "$(jget "$R/report.json" .verdict)" fail

"$IORACE" compare "$T/base.json" "$R/report.json" >"$T/cmp.out" 2>&1
expect_eq "compare against the DISAGREE" "$?" 1
grep_ok "compare: DISAGREE 0 -> 1 is a regression" \
	"^DISAGREE  *0  *1  REGRESSION$" "$T/cmp.out"
"$IORACE" compare "$R/report.json" "$R/report.json" >/dev/null 2>&1
expect_eq "compare DISAGREE against itself" "$?" 0
done_
