#!/bin/sh
# ci/coverage/report on a synthetic "kernel tree": a C file laid out as
# fs/ext4/file.c, built with gcc --coverage in a separate build dir (as an
# O= kernel build is), run once per "workload" with different inputs. The
# tables must say which listed function each workload reached, count the
# lines and branches of each body, list the unreached function and an
# untaken branch, skip a function absent from the source, and end with
# the union line. No VM: this pins the host half of ci/coverage.
. "$(dirname "$0")/../lib.sh"
command -v gcov >/dev/null && command -v jq >/dev/null ||
	{ fail "gcov or jq missing"; done_; }
S=$T/src B=$T/build R=$T/res
mkdir -p "$S/fs/ext4" "$B/fs/ext4" "$R/wa/gcda/fs/ext4" "$R/wb/gcda/fs/ext4"
cat >"$S/fs/ext4/file.c" <<'C'
#include <stdlib.h>

static int ext4_declared_later(int x);

int ext4_hit_by_a(int x)
{
	if (x > 1)
		return ext4_declared_later(x);
	return 0;
}

int
ext4_hit_by_b(int x,
	      int y)
{
	int s = 0;

	for (int i = 0; i < x; i++)
		s += y;
	return s;
}

int ext4_never(int x)
{
	return x * 3;
}

static int ext4_declared_later(int x)
{
	return x - 1;
}

int main(int argc, char **argv)
{
	int v = atoi(argv[1]);

	(void)argc;
	if (v == 1)
		return ext4_hit_by_a(5) > 100;
	if (v == 2)
		return ext4_hit_by_b(3, 4) > 100;
	return ext4_never(v) == -1;
}
C
cat >"$T/list" <<'L'
# test list
ext4_hit_by_a        fs/ext4/file.c   called by workload a
ext4_hit_by_b        fs/ext4/file.c   called by workload b
ext4_never           fs/ext4/file.c   nobody calls it
ext4_declared_later  fs/ext4/file.c   forward-declared, defined last
ext4_not_here        fs/ext4/file.c   absent from this source
L
(cd "$B" && gcc -O0 --coverage "$S/fs/ext4/file.c" \
	-o fs/ext4/file) 2>"$T/cc.err" || { fail "gcc: $(cat "$T/cc.err")"; done_; }
# gcc names the notes after the output: move them to file.gcno
for g in "$B"/fs/ext4/*.gcno; do break; done # the first (or the pattern)
[ -f "$g" ] || { fail "no .gcno from gcc"; done_; }
[ "$g" = "$B/fs/ext4/file.gcno" ] || mv "$g" "$B/fs/ext4/file.gcno"
run_as() { # run_as WORKLOAD ARG
	rm -f "$B"/fs/ext4/*.gcda
	(cd "$B" && GCOV_PREFIX="" ./fs/ext4/file "$2")
	for d in "$B"/fs/ext4/*.gcda; do break; done # the first (or the pattern)
	[ -f "$d" ] || { fail "no .gcda after run $1"; return; }
	cp "$d" "$R/$1/gcda/fs/ext4/file.gcda"
	echo 0 >"$R/$1/status"
}
run_as wa 1
run_as wb 2
{
	echo "KTREE='$B'"
	echo "SRC='$S'"
	echo "SCALE='1'"
} >"$R/coverage.env"
printf 'wa\twa\t\nwb\twb\t\n' >"$R/plan.txt"
"$TOP/ci/coverage/report" "$R" "$T/list" "$R" >"$T/out" 2>"$T/err"
expect_eq "report status" "$?" 0
cat "$T/out"
row() { # row WORKLOAD FUNC COLUMN (functions.tsv: 4 reached 5 lh 6 lt 7 bh 8 bt)
	awk -F'\t' -v w="$1" -v f="$2" -v c="$3" \
		'$1 == w && $2 == f { print $c }' "$R/functions.tsv"
}
expect_eq "wa reached ext4_hit_by_a" "$(row wa ext4_hit_by_a 4)" 1
expect_eq "wa reached ext4_declared_later" "$(row wa ext4_declared_later 4)" 1
expect_eq "wa did not reach ext4_hit_by_b" "$(row wa ext4_hit_by_b 4)" 0
expect_eq "wb reached ext4_hit_by_b" "$(row wb ext4_hit_by_b 4)" 1
expect_eq "wb did not reach ext4_hit_by_a" "$(row wb ext4_hit_by_a 4)" 0
expect_eq "union reached ext4_never" "$(row union ext4_never 4)" 0
# ext4_hit_by_a: the if is one branch point (2 arcs), one taken by wa
expect_eq "ext4_hit_by_a branches" "$(row wa ext4_hit_by_a 7)/$(row wa ext4_hit_by_a 8)" 1/2
expect_gt "ext4_hit_by_b lines (multi-line prototype)" "$(row union ext4_hit_by_b 6)" 3
grep -A3 '^listed functions never reached' "$T/out" >"$T/never"
grep -q 'ext4_never' "$T/never" && pass "ext4_never listed as unreached" ||
	fail "ext4_never not in the unreached list"
grep -q 'ext4_not_here.*absent from this source' "$T/never" &&
	pass "absent function said so" || fail "absent function not flagged"
grep -q '^  ext4_hit_by_a (1): 7:1$' "$T/out" &&
	pass "untaken branch of ext4_hit_by_a listed" ||
	fail "untaken branch not listed: $(grep 'ext4_hit_by_a (' "$T/out")"
expect_eq "last line" "$(tail -n 1 "$T/out" | cut -d, -f1)" \
	"union: 3/5 listed functions reached (60.0%)"
# a subset into another dir: only workload b
"$TOP/ci/coverage/report" "$R" "$T/list" "$T/sub" wb >"$T/out2" 2>&1
expect_eq "subset report status" "$?" 0
expect_eq "subset: union did not reach ext4_hit_by_a" \
	"$(awk -F'\t' '$1 == "union" && $2 == "ext4_hit_by_a" { print $4 }' "$T/sub/functions.tsv")" 0
grep -q '^wa ' "$T/out2" && fail "subset report lists wa" || pass "subset has wb only"
"$TOP/ci/coverage/report" "$R" "$T/list" "$T/sub2" nosuch >/dev/null 2>&1
expect_eq "unknown workload status" "$?" 2
done_
