#!/bin/sh
# CLI contract: --help everywhere, exit 2 with file:line on bad input.
. "$(dirname "$0")/../lib.sh"
for c in $(subcommands); do
	out=$("$IORACE" "$c" --help 2>&1)
	expect_eq "$c --help exit" "$?" 0
	case "$out" in *usage:*) pass "$c --help shows usage" ;; *) fail "$c --help: no usage" ;; esac
done
printf '[global]\nfilesize=1m\n[w]\ntype=io\nbs=1000\n' >"$T/bad.job"
err=$("$IORACE" run "$T/bad.job" --no-trace 2>&1)
expect_eq "bad job exit" "$?" 2
case "$err" in *"$T/bad.job:5:"*) pass "error names file:line" ;; *) fail "error does not name $T/bad.job:5: $err" ;; esac
"$IORACE" run no-such-workload >/dev/null 2>&1
expect_eq "unknown workload exit" "$?" 2
"$IORACE" frobnicate >/dev/null 2>&1
expect_eq "unknown command exit" "$?" 2
"$IORACE" run seed-truncate-dio --scale 0 >/dev/null 2>&1
expect_eq "bad scale exit" "$?" 2
"$IORACE" baseline seed-truncate-dio --repeat 3 >/dev/null 2>&1
expect_eq "baseline without --out exit" "$?" 2
"$IORACE" baseline seed-truncate-dio --repeat 0 --out "$T/b" >/dev/null 2>&1
expect_eq "baseline --repeat 0 exit" "$?" 2
done_
