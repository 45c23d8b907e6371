#!/bin/sh
# make mutants, in full: every tests/mutants/*.patch kernel must be caught
# by the finding or invariant its header names, every known-bad control
# flagged, and the clean kernel must show no finding on any of those
# workloads. Mutant kernels are cached (IORACE_CACHE), so after the first
# build this is the VM runs only.
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
"$TOP/ci/mutants" --results "$T/m" >"$T/m.log" 2>&1
st=$?
sed -n '/^kernel /,$p' "$T/m.log"
expect_eq "ci/mutants exit status" "$st" 0
TBL=$T/m/table.txt
[ -s "$TBL" ] || { fail "no table"; done_; }

# every mutant: its own row caught
for p in "$TOP"/tests/mutants/*.patch; do
	n=$(basename "$p" .patch)
	line=$(grep "^$n " "$TBL" | head -n 1)
	# shellcheck disable=SC2086,SC2116 # squeezes the table's spaces
	case $line in
	*" yes") pass "$n caught: $(echo $line)" ;;
	*) fail "$n not caught: '$line'" ;;
	esac
done
# every mutant: caught by at least one named workload (the summary)
for p in "$TOP"/tests/mutants/*.patch; do
	n=$(basename "$p" .patch)
	line=$(sed -n '/^mutant .*caught by named workloads/,$p' "$TBL" |
		grep "^$n " | head -n 1)
	case $line in
	"" | *NONE*) fail "$n: no named workload caught it: '$line'" ;;
	*) pass "$n caught by named: $(echo "$line" | cut -c36-)" ;;
	esac
done
# every control caught, every clean row clean, nothing else
expect_gt "controls in the table" "$(grep -c '^clean .* yes$' "$TBL")" 4
expect_eq "rows neither caught nor clean" \
	"$(sed -n '2,/^$/p' "$TBL" | grep -v '^\*' | grep . |
		grep -cvE ' (yes|clean)$')" 0
for c in STALE LOST-DURABLE ERROR TORN HANG; do
	grep -q "^clean .* $c=[0-9].* yes$" "$TBL" &&
		pass "control seen: $c" || fail "no control flagged $c"
done

# the seed's rejected design, in detail: a read after the completion saw
# zeros, and the trace shows the conversion after the completion
R=$T/m/late-conversion/late-conversion/run/report.json
expect_gt "LOST on late-conversion" "$(jget "$R" .findings.LOST)" 0
expect_eq "conversion_before_completion on late-conversion" \
	"$(jget "$R" .invariants.conversion_before_completion.status)" fail
R=$T/m/clean/late-conversion/run/report.json
expect_eq "conversion_before_completion on the clean kernel" \
	"$(jget "$R" .invariants.conversion_before_completion.status)" pass
done_
