#!/bin/sh
# ci/coverage/run for real: the gcov kernel (ci/build-kernel --gcov, cached),
# one VM, two workloads that take different DIO paths. punch-vs-dio must
# reach ext4_punch_hole and never iomap_dio_zero (its I/O is block
# aligned); subblock-aio-dio the other way round (512 B / 1 KiB writes into
# new blocks zero the rest of the block; it never punches). Both reach the
# end_io path. Then --report over one workload alone, and the HTML.
. "$(dirname "$0")/../lib.sh"
R=$T/cov
"$TOP/ci/coverage/run" --scale 0.02 --results "$R" punch-vs-dio \
	subblock-aio-dio >"$T/out" 2>"$T/err"
st=$?
expect_eq "ci/coverage/run status" "$st" 0
[ "$st" = 0 ] || { tail -n 30 "$T/err"; done_; }
row() { # row WORKLOAD FUNC: 1 reached, 0 not
	awk -F'\t' -v w="$1" -v f="$2" '$1 == w && $2 == f { print $4 }' "$3"
}
F=$R/functions.tsv
expect_eq "punch-vs-dio exit" "$(cat "$R/punch-vs-dio/status")" 0
expect_eq "subblock-aio-dio exit" "$(cat "$R/subblock-aio-dio/status")" 0
expect_eq "punch-vs-dio reaches ext4_punch_hole" \
	"$(row punch-vs-dio ext4_punch_hole "$F")" 1
expect_eq "subblock-aio-dio does not reach ext4_punch_hole" \
	"$(row subblock-aio-dio ext4_punch_hole "$F")" 0
expect_eq "subblock-aio-dio reaches iomap_dio_zero" \
	"$(row subblock-aio-dio iomap_dio_zero "$F")" 1
expect_eq "punch-vs-dio does not reach iomap_dio_zero" \
	"$(row punch-vs-dio iomap_dio_zero "$F")" 0
for w in punch-vs-dio subblock-aio-dio; do
	for f in ext4_dio_write_end_io iomap_dio_complete ext4_iomap_begin; do
		expect_eq "$w reaches $f" "$(row "$w" "$f" "$F")" 1
	done
done
n=$(grep -cv '^[[:space:]]*\(#\|$\)' "$TOP/ci/coverage/dio-paths.txt")
tail -n 1 "$T/out" | grep -Eq "^union: [0-9]+/$n listed functions reached \(" &&
	pass "union line last" || fail "last line: $(tail -n 1 "$T/out")"
grep -A70 '^listed functions never reached' "$T/out" | grep -q 'ext4_collapse_range\|ext4_fsync_nojournal' &&
	pass "unreached list names functions" || fail "unreached list"
[ -s "$R/html/index.html" ] && grep -q 'direct-io.c\|fs/iomap' -r "$R/html" &&
	pass "genhtml output" || fail "no HTML in $R/html"
# the counters are kept: a report of one workload alone, no VM
"$TOP/ci/coverage/run" --report "$R" --results "$T/one" punch-vs-dio \
	>"$T/out1" 2>&1
expect_eq "--report status" "$?" 0
expect_eq "punch-vs-dio alone: union iomap_dio_zero" \
	"$(row union iomap_dio_zero "$T/one/functions.tsv")" 0
expect_eq "punch-vs-dio alone: union ext4_punch_hole" \
	"$(row union ext4_punch_hole "$T/one/functions.tsv")" 1
done_
