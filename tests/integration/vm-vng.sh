#!/bin/sh
# The real virtme-ng as the launcher: the unmodified vendored copy
# (../shared/vendor/virtme-ng, or vng on PATH, or IORACE_VNG) on Debian's
# 6.1 kernel, whose modules live under /var/cache where vng mounts a tmpfs.
#  - ci/vm --launcher vng passes the command's exit status through and
#    captures the kernel console;
#  - ci/vm-run --launcher vng from a repo under /tmp (as a CI clone is),
#    results inside it: report.json of a named workload on the host;
#  - a guest panic is a "guest crash" (125) with the panic in console.log;
#  - bin/iorace run directly under `vng --run K -- ...`, as users run it
#    (HOME=/root read-only there), leaves its report in a --rwdir.
. "$(dirname "$0")/../lib.sh"

find_vng() {
	for v in "${IORACE_VNG:-}" "$(command -v vng 2>/dev/null)" \
		"$TOP/../shared/vendor/virtme-ng/vng" \
		/work/shared/vendor/virtme-ng/vng; do
		[ -n "$v" ] && [ -f "$v" ] && { echo "$v"; return 0; }
	done
	return 1
}
VNG=$(find_vng) || {
	fail "no vng: set IORACE_VNG, put vng on PATH or the vendored copy in ../shared/vendor/virtme-ng"
	done_
}
VDIR=$(cd "$(dirname "$VNG")" && pwd)
PATH=$VDIR:$PATH
export PATH
pass "vng: $VNG"

# 1. exit status and console
R=$T/res1
# shellcheck disable=SC2016 # the guest's shell expands it
"$TOP/ci/vm" --launcher vng --timeout 300 --results "$R" -- \
	sh -c 'echo "uid=$(id -u)" >"$0/whoami"; echo vng-said-hi; exit 3' "$R"
expect_eq "ci/vm --launcher vng exit status" "$?" 3
expect_eq "launcher" "$(sed -n 's/^launcher: //p' "$R/vm-report.txt")" vng
expect_eq "guest wrote to results" "$(cat "$R/whoami" 2>/dev/null)" uid=0
expect_eq "report status" \
	"$(sed -n 's/^command_status: //p' "$R/vm-report.txt")" 3
grep -q vng-said-hi "$R/console.log" && pass "command output in console.log" ||
	fail "console.log lacks the command output"
grep -q 'Linux version' "$R/console.log" &&
	pass "kernel console captured" || fail "no kernel console in console.log"
[ -s "$R/kernel.log" ] && pass "kernel.log saved" || fail "no kernel.log"

# 2. a named workload from a repo under /tmp, results inside the repo
C=$(mktemp -d /tmp/iorace-vng-repo.XXXXXX)
trap 'rm -rf "$T" "$C"' EXIT INT TERM
cp -a "$TOP/bin" "$TOP/ci" "$TOP/workloads" "$C/"
out=$(cd "$C" && ci/vm-run --launcher vng --quiet hole-fill-read \
	--scale 0.02)
st=$?
expect_eq "vm-run --launcher vng status" "$st" 0
case $out in
"$C"/results/*) pass "run dir inside the repo: $out" ;;
*) fail "run dir '$out' is not under $C/results" ;;
esac
rep=$out/report.json
if [ -f "$rep" ]; then
	pass "report.json on the host"
	expect_eq "workload" "$(jget "$rep" .workload)" hole-fill-read
	expect_eq "findings" "$(findings_total "$rep")" 0
	expect_gt "sectors verified" "$(jget "$rep" .counts.sectors_verified)" 0
	expect_eq "trace verdict" "$(jget "$rep" .trace_check.verdict)" pass
else
	fail "no report.json in $out"
fi
[ -s "$out/kernel.log" ] && pass "run kernel.log" || fail "no run kernel.log"

# 3. a guest panic
R=$T/res3
"$TOP/ci/vm" --launcher vng --timeout 300 --results "$R" -- \
	sh -c 'echo c >/proc/sysrq-trigger; sleep 60'
expect_eq "panic: ci/vm exit status" "$?" 125
expect_eq "panic: outcome" \
	"$(sed -n 's/^outcome: //p' "$R/vm-report.txt")" "guest crash"
grep -q 'sysrq triggered crash' "$R/console.log" &&
	pass "panic in console.log" || fail "no panic in console.log"

# 4. bin/iorace directly under vng, as a user runs it: the built-in kernel
# (no modules to expose), root on the host, HOME=/root read-only there.
K=$("$TOP/ci/build-kernel") || fail "ci/build-kernel failed"
R=$T/res4
mkdir -p "$R"
ACC=--disable-kvm
[ "$(sed -n 's/^accel: //p' "$T/res1/vm-report.txt")" = kvm ] && ACC=""
# shellcheck disable=SC2086 # ACC is one word or none
(cd "$TOP" && timeout 900 /usr/bin/python3 "$VNG" --run "$K" --user root \
	$ACC --memory 2048M --rwdir "$R" -- \
	bin/iorace run hole-fill-read --scale 0.02 --no-progress \
	--out "$R/r" </dev/null >"$R/vng.log" 2>&1)
expect_eq "direct vng: exit status" "$?" 0
if [ -f "$R/r/report.json" ]; then
	expect_eq "direct vng: findings" "$(findings_total "$R/r/report.json")" 0
	expect_eq "direct vng: trace verdict" \
		"$(jget "$R/r/report.json" .trace_check.verdict)" pass
else
	fail "direct vng: no report.json (log: $(tail -n 5 "$R/vng.log"))"
fi
done_
