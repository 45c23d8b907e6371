#!/bin/sh
# make mutants in small: the late-conversion mutant kernel must be caught
# (LOST or conversion_before_completion) on its workload, and the clean
# kernel must pass the same workload with no finding. The full table is
# `make mutants`.
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
"$TOP/ci/mutants" --only late-conversion --no-controls --results "$T/m" \
	>"$T/m.log" 2>&1
st=$?
cat "$T/m.log" | sed -n '/^kernel /,$p'
expect_eq "ci/mutants exit status" "$st" 0
line=$(grep '^late-conversion ' "$T/m/table.txt")
case $line in
*" yes") pass "late-conversion caught: $line" ;;
*) fail "late-conversion not caught: '$line'" ;;
esac
line=$(grep '^clean .*late-conversion ' "$T/m/table.txt")
case $line in
*" clean") pass "clean kernel clean: $line" ;;
*) fail "clean kernel not clean: '$line'" ;;
esac
R=$T/m/late-conversion/late-conversion/run/report.json
expect_gt "LOST on the mutant" "$(jget "$R" .findings.LOST)" 0
expect_eq "conversion_before_completion on the mutant" \
	"$(jget "$R" .invariants.conversion_before_completion.status)" fail
done_
