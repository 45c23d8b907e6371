# shellcheck shell=sh
# Shared helpers for tests/integration/*.sh (sourced, POSIX sh).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
IORACE=${IORACE:-$TOP/bin/iorace}
T=$(mktemp -d /var/tmp/iorace-test.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

pass() {
	echo "ok: $*"
}

# subcommands: the names of the rows of commands[] in src/main.c (one
# `{ "NAME",` a row), one a line: what `iorace --help` must list.
subcommands() {
	sed -n '/^static const struct cmd commands\[\] = {$/,/^};$/s/^[[:space:]]*{ "\([^"]*\)",.*/\1/p' \
		"$TOP/src/main.c"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: got '$2', want '$3'"; fi
}

# expect_gt WHAT GOT MIN
expect_gt() {
	if [ "$2" -gt "$3" ] 2>/dev/null; then pass "$1 = $2 > $3"; else fail "$1: got '$2', want > $3"; fi
}

# jget FILE JQ-EXPR
jget() {
	jq -r "$2" "$1" 2>/dev/null
}

# total findings in a report.json
findings_total() {
	jq '[.findings[]] | add' "$1" 2>/dev/null
}

done_() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

# No mount, loop device or tracefs instance of a given iorace pid is left.
no_leftovers_of() {
	pid=$1
	if grep -q "/run/iorace/$pid/" /proc/self/mountinfo; then
		fail "mount of iorace-$pid left"
	fi
	for b in /sys/block/loop*/loop/backing_file; do
		[ -e "$b" ] || continue
		if grep -q "iorace-$pid" "$b"; then fail "loop $b of iorace-$pid left"; fi
	done
	if [ -d "/sys/kernel/tracing/instances/iorace-$pid" ]; then
		fail "tracefs instance iorace-$pid left"
	fi
}

# no_false_fail RUNS_DIR: every run-*/report.json of a correct kernel's
# runs says pass or inconclusive and no invariant failed (the loaded-machine
# tests); a missing report is a failure. KEEP=DIR keeps a failing run.
no_false_fail() {
	for d in "$1"/run-*; do
		[ -f "$d/report.json" ] || { fail "$(basename "$d"): no report"; continue; }
		v=$(jget "$d/report.json" .verdict)
		case $v in
		pass | inconclusive) ;;
		*) fail "$(basename "$d"): verdict '$v'" ;;
		esac
		nf=$(jq '[(.invariants // {})[] | select(.status == "fail")] | length' \
			"$d/report.json")
		[ "$nf" = 0 ] || {
			fail "$(basename "$d"): $nf failed invariants"
			grep -E ' fail ' "$d/check.txt"
			sed -n '/ (fail):$/,/^$/p' "$d/check.txt" | head -n 20
			[ -n "${KEEP:-}" ] && cp -a "$d" "$KEEP/"
		}
	done
}
