#!/bin/sh
# iorace check on fixture traces made by tests/fixtures/emit-fixture.c from
# tests/fixtures/check-clean.txt: the clean one passes every invariant; each
# variant breaks one invariant, which must fail citing the events that prove
# it; a sequence gap makes the other invariants inconclusive. Needs root and
# lttng (exit 77 otherwise).
set -u
cd "$(dirname "$0")/../.." || exit 2
[ "$(id -u)" = 0 ] || { echo "FAIL: needs root (make check runs as root)"; exit 1; }
command -v lttng >/dev/null || { echo "FAIL: no lttng (run ci/install-deps)"; exit 1; }
make -s build/common/util.o build/trace/trace.o build/trace/kernel.o build/trace/kevents.o \
	build/trace/ctf_writer.o build/trace/iorace_tp.o || exit 1
make -s bin/iorace || [ -x bin/iorace ] || exit 1
emit=build/tests/emit-fixture
mkdir -p build/tests
cc -std=gnu11 -D_GNU_SOURCE -I. -I/usr/include/tracefs \
	-I/usr/include/traceevent -pthread -o $emit \
	tests/fixtures/emit-fixture.c build/common/util.o \
	build/trace/trace.o build/trace/kernel.o build/trace/kevents.o \
	build/trace/ctf_writer.o \
	build/trace/iorace_tp.o -llttng-ust -ldl -ltracefs -ltraceevent -lm \
	-lbabeltrace2 || exit 1
tmp=$(mktemp -d /tmp/iorace-check-fix.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
base=tests/fixtures/check-clean.txt

# status NAME DIR -> status of invariant NAME in DIR/check.txt
status() { awk -v n="$1" '$1 == n && NF >= 2 { print $2; exit }' "$2/check.txt"; }

# run NAME SCRIPT EXPECT_RC, then "inv=status" pairs, then "cite:text"
check() {
	name=$1; script=$2; want_rc=$3; shift 3
	d=$tmp/$name
	if ! $emit "$d" <"$script" >"$tmp/$name.emit" 2>&1; then
		echo "FAIL $name: emitter failed"; cat "$tmp/$name.emit"
		fails=$((fails + 1)); return
	fi
	bin/iorace check -q "$d" >"$tmp/$name.out" 2>&1
	rc=$?
	ok=1
	[ "$rc" = "$want_rc" ] || { echo "$name: exit $rc, want $want_rc"; ok=0; }
	for a in "$@"; do
		case "$a" in
		cite:*)
			grep -qF -- "${a#cite:}" "$d/check.txt" ||
				{ echo "$name: no evidence citing '${a#cite:}'"; ok=0; }
			;;
		*)
			got=$(status "${a%%=*}" "$d")
			[ "$got" = "${a#*=}" ] ||
				{ echo "$name: ${a%%=*} is '$got', want '${a#*=}'"; ok=0; }
			;;
		esac
	done
	if [ $ok = 1 ]; then
		echo "ok   $name"
	else
		echo "FAIL $name"; cat "$d/check.txt"; fails=$((fails + 1))
	fi
}

check clean $base 0 oracle=pass conversion_before_completion=pass \
	extent_ops_wait_dio=pass sync_commit=pass completeness=pass

sed 's/^read_run \(.*\) cls=stamp/read_run \1 cls=poison/' $base >"$tmp/oracle.txt"
check oracle "$tmp/oracle.txt" 1 oracle=fail conversion_before_completion=pass \
	"cite:iorace:op_complete {id=2"

sed 's/^ext4_ext_handle_unwritten_extents t=10300us/ext4_ext_handle_unwritten_extents t=12ms/' \
	$base >"$tmp/conv.txt"
check conversion "$tmp/conv.txt" 1 conversion_before_completion=fail \
	oracle=pass "cite:ext4_ext_map_blocks_exit" "cite:iorace:op_complete {id=1"

sed '/^op_submit t=30ms/i\
iomap_dio_rw_begin t=29900us tid=101 dev=7340032 ino=12 pos=8192 count=4096 ki_flags=393216' $base |
	sed '/^ext4_truncate_exit/i\
iomap_dio_complete t=30150us tid=50 dev=7340032 ino=12 pos=12288 ret=4096 ki_flags=393216' >"$tmp/trunc.txt"
check truncate "$tmp/trunc.txt" 1 extent_ops_wait_dio=fail sync_commit=pass \
	"cite:ext4_truncate_enter" "cite:iomap_dio_complete"

# Every other extent-changing kind, in place of the truncate: its own ext4
# event (no exit event), clean, then with a DIO write in flight across it.
# collapse_range and insert_range have no iorace op here: kernel events
# alone are checked (another program's op on a run file counts too).
for kind in punch zero_range fallocate collapse_range insert_range; do
	case $kind in
	fallocate) kev=ext4_fallocate_enter ;;
	punch) kev=ext4_punch_hole ;;
	*) kev=ext4_$kind ;;
	esac
	case $kind in
	collapse_range | insert_range) op='/^op_.* id=3 kind=truncate/d' ;;
	*) op="s/ id=3 kind=truncate/ id=3 kind=$kind/" ;;
	esac
	sed -e "$op" -e '/^ext4_truncate_exit/d' \
		-e "s/^ext4_truncate_enter t=30100us tid=102 dev=7340032 ino=12 blocks=8/$kev t=30100us tid=102 dev=7340032 ino=12 offset=8192 len=4096 mode=0/" \
		$base >"$tmp/$kind-clean.txt"
	check "$kind-clean" "$tmp/$kind-clean.txt" 0 extent_ops_wait_dio=pass \
		oracle=pass
	sed "/^$kev/i\\
iomap_dio_rw_begin t=29900us tid=101 dev=7340032 ino=12 pos=8192 count=4096 ki_flags=393216" \
		"$tmp/$kind-clean.txt" |
		sed "/^$kev/a\\
iomap_dio_complete t=30150us tid=50 dev=7340032 ino=12 pos=12288 ret=4096 ki_flags=393216" \
			>"$tmp/$kind.txt"
	check "$kind" "$tmp/$kind.txt" 1 extent_ops_wait_dio=fail \
		sync_commit=pass "cite:$kev" "cite:iomap_dio_complete"
done

sed 's/^jbd2_end_commit t=41300us/jbd2_end_commit t=43ms/' $base >"$tmp/sync.txt"
check sync "$tmp/sync.txt" 1 sync_commit=fail extent_ops_wait_dio=pass \
	"cite:iorace:op_submit {id=4" "cite:ext4_ext_handle_unwritten_extents"

sed '/^op_submit t=20ms/i\
phase t=19ms phase=verify begin=1 seq=40' $base >"$tmp/gap.txt"
check gap "$tmp/gap.txt" 3 completeness=inconclusive oracle=inconclusive \
	conversion_before_completion=inconclusive extent_ops_wait_dio=inconclusive \
	sync_commit=inconclusive "cite:iorace:phase"

$emit --no-kernel "$tmp/nokernel" <$base >/dev/null 2>&1 &&
	check_nok=1 || check_nok=0
if [ "$check_nok" = 1 ]; then
	bin/iorace check -q "$tmp/nokernel" >/dev/null 2>&1
	for n in conversion_before_completion extent_ops_wait_dio sync_commit; do
		s=$(status $n "$tmp/nokernel")
		[ "$s" = not-applicable ] ||
			{ echo "FAIL nokernel: $n is '$s'"; fails=$((fails + 1)); }
	done
	[ "$(status oracle "$tmp/nokernel")" = pass ] ||
		{ echo "FAIL nokernel: oracle"; fails=$((fails + 1)); }
	echo "ok   nokernel"
fi

[ $fails = 0 ] || { echo "$fails fixture(s) failed"; exit 1; }
echo "all fixtures behaved"
