#!/bin/sh
# report.html (issue 14) on real runs: a clean traced run's page has a
# histogram (an <svg>) per op kind its report.json has latency for, fsync
# and truncate first, with count/p50/p99/max beside it, and a throughput
# plot; the tamper self-test's page has a timeline per finding with the
# cited op outlined and a kernel lane; `iorace check` writes the page again
# and `iorace compare --html` writes BASE vs NEW histograms; a --no-trace
# run's page has the runner's histograms. Every page is
# self-contained, well-formed XML, and renders in headless chromium without
# console messages to a screenshot that is not blank. The page checks are
# shown failing first on controls: an empty file, a blank page, a page
# with a script error; the static checks on one that loads an image.
. "$(dirname "$0")/../lib.sh"
INK=$TOP/tests/integration/png-ink.py

render() { # HTML PNG LOG
	timeout 120 chromium --headless --disable-gpu --no-sandbox \
		--user-data-dir="$T/chromium" --enable-logging=stderr --v=0 \
		--hide-scrollbars --window-size=1200,2000 \
		--screenshot="$2" "file://$1" >"$3" 2>&1
}

# page_bad HTML: why the page does not render properly (nothing if it does)
page_bad() {
	png=$1.png
	log=$1.chromium.log
	rm -f "$png"
	render "$1" "$png" "$log"
	rc=$?
	[ "$rc" -eq 0 ] || { echo "chromium exit $rc"; return; }
	[ -s "$png" ] || { echo "no screenshot"; return; }
	if grep -q ':CONSOLE' "$log"; then
		echo "console: $(grep ':CONSOLE' "$log" | head -n 2 | tr '\n' ' ')"
		return
	fi
	out=$(python3 "$INK" "$png") || { echo "png-ink failed on $png"; return; }
	ink=$(echo "$out" | cut -d' ' -f3)
	ncol=$(echo "$out" | cut -d' ' -f4)
	[ "$ink" -ge 5000 ] || { echo "blank: $ink non-white pixels"; return; }
	[ "$ncol" -ge 16 ] || { echo "flat: $ncol colours"; return; }
}

page_ok() { # WHAT HTML
	why=$(page_bad "$2")
	if [ -z "$why" ]; then
		pass "$1 renders ($(python3 "$INK" "$2.png" | cut -d' ' -f3) ink pixels)"
	else
		fail "$1: $why"
	fi
}

page_rejected() { # WHAT HTML
	why=$(page_bad "$2")
	if [ -n "$why" ]; then pass "control $1 rejected: $why"; else fail "control $1 accepted"; fi
}

# static_bad HTML: what makes the page not self-contained or not well-formed
static_bad() {
	[ -s "$1" ] || { echo "empty"; return; }
	grep -qi '<script' "$1" && { echo "has a script"; return; }
	grep -Eqi '(src|href)=' "$1" && { echo "references another file"; return; }
	grep -o 'https\{0,1\}://[^"]*' "$1" | grep -Eqv '^http://www.w3.org/(2000/svg|1999/xhtml)$' && { echo "has a network URL"; return; }
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" 2>/dev/null || { echo "not well-formed"; return; }
}

static_ok() { # WHAT HTML
	why=$(static_bad "$2")
	if [ -z "$why" ]; then pass "$1 self-contained, well-formed"; else fail "$1: $why"; fi
}

# hist_block HTML KIND: the histogram row of KIND
hist_block() {
	awk -v id="id=\"hist-$2\"" 'index($0, id) { on = 1 } on { print } on && /<\/div>/ { exit }' "$1"
}

# kinds_bad HTML REPORT: op kinds of REPORT's latency without a histogram
kinds_bad() {
	for k in $(jq -r '.latency | keys[]' "$2" 2>/dev/null); do
		n=$(jq -r ".latency[\"$k\"].n" "$2")
		b=$(hist_block "$1" "$k")
		echo "$b" | grep -q '<svg ' || { echo "$k: no svg"; continue; }
		echo "$b" | grep -q "<th>count</th><td>$n</td>" || echo "$k: count $n not shown"
		for s in p50 p99 max; do
			echo "$b" | grep -q "<th>$s</th>" || echo "$k: no $s"
		done
	done
}

if ! command -v chromium >/dev/null 2>&1; then
	fail "chromium not installed (ci/install-deps installs it)"
	done_
fi

# --- controls: the checks fail on pages that are broken ---
: >"$T/empty.html"
printf '<!DOCTYPE html><html><body></body></html>\n' >"$T/blank.html"
printf '<!DOCTYPE html><html><body><svg width="900" height="900"><rect width="900" height="900" fill="#36c"/></svg><script>throw new Error("broken page")</script></body></html>\n' >"$T/script.html"
# (chromium logs nothing for a missing file: the static check catches it)
printf '<!DOCTYPE html><html><body><svg width="900" height="900"><rect width="900" height="900" fill="#36c"/></svg><img src="missing.png"/></body></html>\n' >"$T/missing.html"
page_rejected "empty file" "$T/empty.html"
page_rejected "blank page" "$T/blank.html"
page_rejected "script error" "$T/script.html"
for c in empty script missing; do
	why=$(static_bad "$T/$c.html")
	if [ -n "$why" ]; then
		pass "control $c.html static check: $why"
	else
		fail "control $c.html passes the static check"
	fi
done
echo '{"latency": {"write": {"n": 3}}}' >"$T/fake.json"
if [ -n "$(kinds_bad "$T/empty.html" "$T/fake.json")" ]; then
	pass "control: missing histogram noticed"
else
	fail "control: missing histogram not noticed"
fi

# --- a clean traced run: fsync, truncate and writes ---
C=$T/clean
"$IORACE" run fsync-latency-under-load --scale 0.02 --out "$C" --no-progress >"$T/clean.log" 2>&1
expect_eq "clean run exit" "$?" 0
H=$C/report.html
if [ -s "$H" ]; then
	pass "report.html written ($(wc -c <"$H") bytes)"
else
	fail "no report.html"
fi
static_ok "run page" "$H"
expect_gt "op kinds with latency" "$(jq '.latency | length' "$C/report.json")" 2
bad=$(kinds_bad "$H" "$C/report.json")
if [ -z "$bad" ]; then
	pass "a histogram with count/p50/p99/max per op kind"
else
	fail "histograms: $bad"
fi
fl=$(grep -n 'id="hist-fsync"' "$H" | cut -d: -f1)
tl=$(grep -n 'id="hist-truncate"' "$H" | cut -d: -f1)
wl=$(grep -n 'id="hist-write"' "$H" | cut -d: -f1)
if [ -n "$fl" ] && [ -n "$tl" ] && [ -n "$wl" ] && [ "$fl" -lt "$tl" ] && [ "$tl" -lt "$wl" ]; then
	pass "fsync, then truncate, then write"
else
	fail "histogram order: fsync $fl truncate $tl write $wl"
fi
for k in fsync truncate; do
	expect_eq "$k: writes to other inodes during it" \
		"$(hist_block "$H" $k | grep -c '>writes to other inodes during it, p50 / max</th><td>[0-9]* / [0-9]*</td>')" 1
done
expect_eq "throughput series" "$(awk '/id="throughput-plot"/,/<\/svg>/' "$H" | grep -c '<polyline')" 2
if grep -q 'None: no invariant failed' "$H"; then
	pass "no timeline on a clean run"
else
	fail "clean run: timelines?"
fi
page_ok "run page" "$H"

# iorace check writes it again
rm -f "$H"
"$IORACE" check -q "$C" >"$T/check.log" 2>&1
expect_eq "iorace check exit" "$?" 0
if [ -s "$H" ] && [ -z "$(kinds_bad "$H" "$C/report.json")" ]; then
	pass "iorace check rewrites report.html"
else
	fail "iorace check: no report.html"
fi

# an online finding no trace evidence cites (as an ERROR would be) gets a
# timeline around its op: op 5's times from the trace
t=$(babeltrace2 "$C/trace" 2>/dev/null | sed -n 's/.*iorace:op_submit: .*[{ ]id = 5, .* t = \([0-9]*\) }.*/\1/p' | head -n 1)
expect_gt "op 5 submit time" "${t:-0}" 0
jq --argjson t "${t:-0}" '.finding_details = [{"class": "ERROR", "op": 5, "file": 1,
	"offset": 0, "length": 4096, "t_submit_ns": $t, "t_complete_ns": ($t + 1000),
	"expected": "success", "seen": "EIO <&>"}]' "$C/report.json" >"$T/r.json" &&
	mv "$T/r.json" "$C/report.json"
"$IORACE" check -q "$C" >"$T/check2.log" 2>&1
static_ok "page with an online finding" "$H"
expect_eq "online finding timeline" "$(grep -c '<h3>online ERROR</h3>' "$H")" 1
if grep -q '<li class="fail">ERROR: op 5 file 1 bytes 0+4096: expected success, saw EIO &lt;&amp;&gt;</li>' "$H"; then
	pass "online finding listed, escaped"
else
	fail "online finding not listed"
fi

# --- a run without a trace: the runner's latencies ---
U=$T/untraced
"$IORACE" run fsync-latency-under-load --scale 0.02 --no-trace --out "$U" --no-progress >"$T/untraced.log" 2>&1
expect_eq "untraced run exit" "$?" 0
static_ok "untraced page" "$U/report.html"
bad=$(kinds_bad "$U/report.html" "$U/report.json")
if [ -z "$bad" ]; then
	pass "untraced page: a histogram per op kind"
else
	fail "untraced histograms: $bad"
fi
expect_eq "untraced page says so" "$(grep -c 'A run without a trace' "$U/report.html")" 1
page_ok "untraced page" "$U/report.html"

# --- the tamper self-test: findings, each on a timeline ---
M=$T/tamper
"$IORACE" run hole-fill-read --scale 0.02 --tamper all --out "$M" --no-progress >"$T/tamper.log" 2>&1
expect_eq "tamper run exit" "$?" 1
H=$M/report.html
static_ok "tamper page" "$H"
expect_gt "timelines" "$(grep -c 'class="timeline"' "$H")" 0
for c in STALE LOST TORN; do
	expect_gt "$c findings on a timeline" "$(grep -c "<li class=\"fail\">$c: read" "$H")" 0
done
if grep -q 'stroke="#c00" stroke-width="2"' "$H"; then
	pass "the finding's read is outlined"
else
	fail "no cited op outlined"
fi
if grep -q '>kernel</text>' "$H"; then
	pass "kernel lane"
else
	fail "no kernel lane"
fi
if grep -q '>tid [0-9]*</text>' "$H"; then
	pass "thread lanes"
else
	fail "no thread lane"
fi
bad=$(kinds_bad "$H" "$M/report.json")
if [ -z "$bad" ]; then
	pass "tamper page histograms"
else
	fail "tamper histograms: $bad"
fi
page_ok "tamper page" "$H"

# --- compare --html: BASE vs NEW ---
"$IORACE" compare --html "$T/cmp.html" "$C" "$M/report.json" >"$T/cmp.log" 2>&1
expect_eq "compare exit (NEW has findings)" "$?" 1
static_ok "compare page" "$T/cmp.html"
b=$(hist_block "$T/cmp.html" write)
if [ "$(echo "$b" | grep -c '<svg ')" -eq 2 ] && echo "$b" | grep -q 'BASE: write latency' && echo "$b" | grep -q 'NEW: write latency'; then
	pass "compare: write histograms side by side"
else
	fail "compare: no BASE/NEW write histograms"
fi
page_ok "compare page" "$T/cmp.html"
mkdir "$T/notrace" && cp "$C/report.json" "$T/notrace/"
"$IORACE" compare --html "$T/cmp2.html" "$C" "$T/notrace" >"$T/cmp2.log" 2>&1
expect_eq "compare --html without a trace exit" "$?" 2
done_
