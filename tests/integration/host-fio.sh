#!/bin/sh
# fio job files (tests/fio/*.fio, written for iorace in fio's format) parse
# verbatim: --dry-run exits 0 with the planned shape, and each runs on the
# host at small scale with 0 findings, e2fsck clean, every planned op run.
# bad-errors.fio: every error reported at once, with its line; exit 2.
. "$(dirname "$0")/../lib.sh"
FILE_SIZE=64m
export FILE_SIZE
F=$TOP/tests/fio
jobs="randwrite-4k aio-read falloc ftruncate rand-rw time-based g299-like"
for j in $jobs; do
	"$IORACE" run --dry-run "$F/$j.fio" >"$T/$j.dry" 2>&1
	expect_eq "$j dry-run exit" "$?" 0
	expect_eq "$j dry-run marks a fio file" \
		"$(grep -c '\[fio job file\]' "$T/$j.dry")" 1
done
# the dry run says what each fio job became
grep -q 'fio: ioengine=falloc rw=randtrim -> punch, 100 ops of 65536' \
	"$T/falloc.dry" || fail "falloc: randtrim not mapped to punch"
grep -q 'fio: ioengine=falloc rw=randread -> fallocate keep_size' \
	"$T/falloc.dry" || fail "falloc: randread not keep_size fallocate"
expect_eq "falloc: one shared file" \
	"$(grep -c "<- fio file 'falloc-target'" "$T/falloc.dry")" 1
expect_eq "aio-read: a file per job" "$(grep -c '<- fio file' "$T/aio-read.dry")" 4
expect_eq "randwrite-4k: 64m/4k ios" \
	"$(awk '$1 == "write" { print $2 }' "$T/randwrite-4k.dry")" 16384
expect_eq "time-based: two stages" \
	"$(grep -c 'jobs: [0-9]* in 2 stage' "$T/time-based.dry")" 1
expect_eq "g299: numjobs=2 clone" "$(grep -c '\[aio-dio-writer.1\]' "$T/g299-like.dry")" 1
expect_eq "g299: verify note once" "$(grep -c 'verify\* keys are accepted' "$T/g299-like.dry")" 1
expect_eq "randwrite-4k: no notes" "$(grep -c '^note:' "$T/randwrite-4k.dry")" 0
expect_eq "time-based: fsync=N note" "$(grep -c 'racing sync jobs' "$T/time-based.dry")" 1
expect_eq "rand-rw: reads planned" \
	"$(awk '$1 == "read" { print ($2 > 0) }' "$T/rand-rw.dry")" 1

# fio itself on the same files (bounded jobs): as many I/Os as iorace plans.
# fio counts falloc/ftruncate ops as writes (KEEP_SIZE falloc as reads,
# punch as trims); verify reads are left out (g299-like verifies).
if command -v fio >/dev/null 2>&1; then
	mkdir "$T/fio-run"
	for j in randwrite-4k aio-read falloc ftruncate rand-rw g299-like; do
		sed '/^directory=/d' "$F/$j.fio" >"$T/fio-run/$j.fio"
		(cd "$T/fio-run" && timeout 300 fio --output-format=json \
			"$j.fio" >"$j.json" 2>"$j.err")
		# fio may print error lines before its JSON (g299's verifiers)
		sed -n '/^{/,$p' "$T/fio-run/$j.json" >"$T/fio-run/$j.clean"
		fio_w=$(jq '[.jobs[] | .write.total_ios + .trim.total_ios] | add' \
			"$T/fio-run/$j.clean" 2>/dev/null)
		fio_r=$(jq '[.jobs[] | .read.total_ios] | add' \
			"$T/fio-run/$j.clean" 2>/dev/null)
		ior_all=$(awk '$1 == "ops:" { print $2 }' "$T/$j.dry")
		ior_r=$(awk '$1 == "read" { n = $2 } END { print n + 0 }' "$T/$j.dry")
		ior_keep=$(grep -A1 'type=fallocate' "$T/$j.dry" |
			awk '/keep_size/ { sub(/.*, /, ""); n += $1 } END { print n + 0 }')
		if [ "$j" = rand-rw ]; then
			# rwmixread=70 is drawn per I/O: totals match, shares near
			expect_eq "$j: fio I/Os = iorace's" "$((fio_w + fio_r))" \
				"$ior_all"
			pct=$((ior_r * 100 / ior_all))
			if [ "$pct" -ge 67 ] && [ "$pct" -le 73 ]; then
				pass "$j: iorace reads $pct% (rwmixread=70)"
			else
				fail "$j: iorace reads $pct%, want 67..73"
			fi
			continue
		fi
		expect_eq "$j: fio writes+trims = iorace's" "$fio_w" \
			"$((ior_all - ior_r - ior_keep))"
		if [ "$j" != g299-like ]; then
			expect_eq "$j: fio reads = iorace's" "$fio_r" \
				"$((ior_r + ior_keep))"
		fi
		rm -f "$T/fio-run/"*.0 "$T/fio-run/"*-target "$T/fio-run/mixed" \
			"$T/fio-run/g299-data"
	done
else
	echo "skip: fio not installed, no comparison with fio's counts"
fi

for j in $jobs; do
	"$IORACE" run "$F/$j.fio" --scale 0.02 --out "$T/$j" --no-progress \
		>"$T/$j.log" 2>&1
	rc=$?
	R=$T/$j/report.json
	if [ "$rc" -ne 0 ]; then
		fail "$j exit $rc"
		tail -5 "$T/$j.log"
		jq -c '.finding_details[:3]' "$R" 2>/dev/null
		# the evidence of a failed invariant, for the CI log
		sed -n '/^[a-z_]* (fail):/,/^$/p' "$T/$j/check.txt" \
			2>/dev/null | head -n 20
		continue
	fi
	expect_eq "$j findings" "$(findings_total "$R")" 0
	expect_eq "$j fsck clean" "$(jget "$R" .fsck.clean)" true
	expect_gt "$j sectors verified" "$(jget "$R" .counts.sectors_verified)" 0
	expect_eq "$j all planned ops ran" \
		"$(jq '.counts.ops >= .counts.ops_planned' "$R")" true
done

# all errors of a file at once, each file:line: key: message
"$IORACE" run --dry-run "$F/bad-errors.fio" >"$T/bad.out" 2>"$T/bad.err"
expect_eq "bad-errors exit" "$?" 2
"$IORACE" run "$F/bad-errors.fio" --out "$T/bad" >/dev/null 2>&1
expect_eq "bad-errors run exit" "$?" 2
for want in \
	"bad-errors.fio:3: ioengine: fio engine 'posixaio' is not supported" \
	"bad-errors.fio:4: iodepht: unknown key 'iodepht' in \[global\] (did you mean 'iodepth'?)" \
	"bad-errors.fio:5: zonemode: fio key 'zonemode' is not supported by iorace" \
	"bad-errors.fio:9: rw: bad value 'randwirte'" \
	"bad-errors.fio:10: size: bad value '12q'" \
	"bad-errors.fio:13: time_based: job \[job2\] needs runtime="; do
	grep -q "$want" "$T/bad.err" || fail "missing error: $want"
done
expect_eq "bad-errors: exactly 6 errors" "$(grep -c 'bad-errors.fio:[0-9]*: ' "$T/bad.err")" 6
# a fio file still needs its environment
env -u FILE_SIZE "$IORACE" run --dry-run "$F/g299-like.fio" >/dev/null 2>"$T/env.err"
expect_eq "unset \${FILE_SIZE} exit" "$?" 2
grep -q "size: environment variable 'FILE_SIZE' is not set" "$T/env.err" ||
	fail "unset variable not named"
done_
