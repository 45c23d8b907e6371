#!/bin/sh
# The VM issue's acceptance run: the seed workload in the default (Debian)
# kernel via ci/vm-run leaves a passing run dir on the host.
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }
RUN=$("$TOP/ci/vm-run" --results "$T" seed-truncate-dio --scale 0.05)
expect_eq "ci/vm-run exit status" "$?" 0
case $RUN in "$T"/seed-truncate-dio-*) pass "run dir $RUN" ;;
*) fail "run dir '$RUN' not under $T" ;; esac
R=$RUN/report.json
expect_eq "verdict" "$(jget "$R" .verdict)" pass
expect_eq "findings" "$(findings_total "$R")" 0
expect_gt "sectors verified" "$(jget "$R" .counts.sectors_verified)" 1000
expect_eq "vm outcome" "$(sed -n 's/^outcome: //p' "$RUN/vm-report.txt")" ok
grep -q '^kernel_version: .*-amd64$' "$RUN/vm-report.txt" &&
	pass "Debian kernel" || fail "not the Debian kernel"
done_
