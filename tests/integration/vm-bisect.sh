#!/bin/sh
# ci/bisect-run under `git bisect run`, on a toy history of kernels: four
# commits whose file `kernel` names the clean built-in kernel (c0, c1) or
# the late-conversion mutant (c2, c3). Bisecting c0 (good) .. c3 (bad) must
# name c2 as the first bad commit; a failing build is "cannot test" (125)
# and bad usage aborts (128).
. "$(dirname "$0")/../lib.sh"
[ -x "$IORACE" ] || { fail "no $IORACE"; done_; }

# exit statuses that need no VM
"$TOP/ci/bisect-run" >/dev/null 2>&1
expect_eq "no workload: abort the bisection" "$?" 128
"$TOP/ci/bisect-run" --build 'echo building; exit 1' hole-fill-read \
	>/dev/null 2>&1
expect_eq "build failed: cannot test" "$?" 125
"$TOP/ci/bisect-run" --build "echo $T/no-such-bzImage" hole-fill-read \
	>/dev/null 2>&1
expect_eq "build printed no kernel: cannot test" "$?" 125

CLEAN=$("$TOP/ci/build-kernel") || { fail "clean kernel build"; done_; }
"$TOP/ci/mutants" --build-only --only late-conversion --results "$T/m" \
	>"$T/build.log" 2>&1 || { tail -n 20 "$T/build.log"; fail "mutant build"; done_; }
MUT=$(cat "$T/m/late-conversion.kernel")
[ -f "$MUT" ] || { fail "no mutant image '$MUT'"; done_; }

H=$T/history
mkdir -p "$H"
cd "$H" || exit 1
git init -q .
git config user.email t@example.invalid
git config user.name t
i=0
for k in "$CLEAN" "$CLEAN" "$MUT" "$MUT"; do
	echo "$k" >kernel
	git add kernel
	git commit -q -m "c$i"
	git tag "c$i"
	i=$((i + 1))
done
git bisect start c3 c0 >/dev/null
git bisect run "$TOP/ci/bisect-run" --build 'cat kernel' \
	--results "$T/runs" "$TOP/tests/mutants/late-conversion.job" \
	>"$T/bisect.log" 2>&1
st=$?
grep -E 'first bad commit|bisect-run:' "$T/bisect.log"
expect_eq "git bisect run status" "$st" 0
first=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit.*/\1/p' \
	"$T/bisect.log")
expect_eq "first bad commit" "$first" "$(git rev-parse c2)"
expect_gt "commits judged by a VM run" \
	"$(grep -c 'vm-run status' "$T/bisect.log")" 0
grep -q 'vm-run status 1: bad' "$T/bisect.log" ||
	grep -q 'vm-run status 0: good' "$T/bisect.log" ||
	fail "no good/bad verdict in the bisect log"
git bisect reset -q >/dev/null 2>&1
done_
