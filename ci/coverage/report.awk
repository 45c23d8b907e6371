# report.awk: coverage tables of ci/coverage/report.
# Usage: awk -v tsv=OUT.tsv -f report.awk LIST RANGES WORKLOADS ROWS...
#   LIST       the function list ("NAME FILE why..."; # comments)
#   RANGES     "NAME FILE START END" of the listed functions in this source
#   WORKLOADS  "W NAME EXIT" per workload, in report order
#   ROWS       per workload (file NAME.rows): "L FILE LINE COUNT" and
#              "B FILE LINE INDEX COUNT" from gcov's JSON
# A listed function is reached when a line of its body ran; its lines and
# branches are those gcov reports inside its body's line range (inlined
# helpers count in their own range, wherever they were inlined).
function pct(a, b) {
	return b ? sprintf("%5.1f%%", 100 * a / b) : "    -"
}
function pctn(a, b) {
	return b ? sprintf("%.1f%%", 100 * a / b) : "-"
}
function frac(a, b) {
	return sprintf("%5d/%-5d %s", a, b, pct(a, b))
}
FNR == 1 { stage++ }
stage == 1 {
	sub(/#.*/, "")
	if (NF >= 2 && !($1 in listed)) {
		listed[$1] = $2
		order[++nlisted] = $1
	}
	next
}
stage == 2 {
	found[$1] = 1
	for (l = $3; l <= $4; l++)
		fn[$2, l] = $1
	next
}
stage == 3 {
	if ($1 == "W") {
		wl[++nw] = $2
		wexit[$2] = $3
	}
	next
}
{
	w = FILENAME
	sub(/^.*\//, "", w)
	sub(/\.rows$/, "", w)
	has[w] = 1
	if ($1 == "L") {
		f = fn[$2, $3]
		if (f == "" || (w, $2, $3) in seenl)
			next
		seenl[w, $2, $3] = 1
		lt[w, f]++
		ut[$2, $3] = f
		if ($4 > 0) {
			lh[w, f]++
			uh[$2, $3] = 1
		}
	} else if ($1 == "B") {
		f = fn[$2, $3]
		if (f == "" || (w, $2, $3, $4) in seenb)
			next
		seenb[w, $2, $3, $4] = 1
		bt[w, f]++
		ubt[$2, $3, $4] = f
		if ($5 > 0) {
			bh[w, f]++
			ubh[$2, $3, $4] = 1
		}
	}
}
END {
	npresent = 0
	for (i = 1; i <= nlisted; i++)
		if (order[i] in found)
			npresent++
	printf "coverage of the DIO paths: %d listed functions", nlisted
	if (npresent < nlisted)
		printf " (%d found in this source)", npresent
	printf "\n\n%-26s %5s  %-18s %-18s %-18s\n", "workload", "exit",
	       "functions", "lines", "branches"
	for (k = 1; k <= nw; k++) {
		w = wl[k]
		if (!(w in has)) {
			printf "%-26s %5s  no counters\n", w, wexit[w]
			continue
		}
		fr = tl = th = tb = tbh = 0
		for (i = 1; i <= nlisted; i++) {
			f = order[i]
			if (lh[w, f] > 0)
				fr++
			tl += lt[w, f]
			th += lh[w, f]
			tb += bt[w, f]
			tbh += bh[w, f]
			if (tsv != "")
				printf("%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", w, f,
				       listed[f], (lh[w, f] > 0), lh[w, f],
				       lt[w, f], bh[w, f], bt[w, f]) > tsv
		}
		printf "%-26s %5s  %s %s %s\n", w, wexit[w], frac(fr, nlisted),
		       frac(th, tl), frac(tbh, tb)
	}
	# the union, per function
	for (key in ut) {
		f = ut[key]
		ult[f]++
		if (key in uh)
			ulh[f]++
	}
	for (key in ubt) {
		f = ubt[key]
		ubtt[f]++
		if (key in ubh)
			ubhh[f]++
		else {
			split(key, p, SUBSEP)
			miss[f] = miss[f] " " p[2] ":" p[3]
		}
	}
	printf "\n%-34s %-22s %9s  %-18s %-18s\n", "function (union)", "file",
	       "reached", "lines", "branches"
	fr = tl = th = tb = tbh = 0
	for (i = 1; i <= nlisted; i++) {
		f = order[i]
		by = 0
		for (k = 1; k <= nw; k++)
			if (lh[wl[k], f] > 0)
				by++
		if (ulh[f] > 0)
			fr++
		tl += ult[f]
		th += ulh[f]
		tb += ubtt[f]
		tbh += ubhh[f]
		if (!(f in found))
			state = "absent"
		else
			state = sprintf("%d/%d", by, nw)
		printf "%-34s %-22s %9s  %s %s\n", f, listed[f], state,
		       frac(ulh[f], ult[f]), frac(ubhh[f], ubtt[f])
		if (tsv != "")
			printf("union\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", f,
			       listed[f], (ulh[f] > 0), ulh[f], ult[f], ubhh[f],
			       ubtt[f]) > tsv
	}
	printf "\nlisted functions never reached:"
	none = 1
	for (i = 1; i <= nlisted; i++) {
		f = order[i]
		if (ulh[f] > 0)
			continue
		none = 0
		printf "\n  %-34s %s%s", f, listed[f],
		       (f in found) ? "" : " (absent from this source)"
	}
	print none ? " none" : ""
	printf "\nbranches never taken in reached functions (line:branch):\n"
	for (i = 1; i <= nlisted; i++) {
		f = order[i]
		if (ulh[f] > 0 && miss[f] != "") {
			n = split(substr(miss[f], 2), arr, " ")
			# sort by line, then branch
			for (a = 2; a <= n; a++) {
				v = arr[a]
				for (b = a - 1; b >= 1 && cmpkey(arr[b], v) > 0; b--)
					arr[b + 1] = arr[b]
				arr[b + 1] = v
			}
			s = ""
			for (a = 1; a <= n; a++)
				s = s " " arr[a]
			printf "  %s (%d):%s\n", f, n, s
		}
	}
	printf "\nunion: %d/%d listed functions reached (%s), lines %d/%d (%s), " \
	       "branches %d/%d (%s), %d workloads\n", fr, nlisted,
	       pctn(fr, nlisted), th, tl, pctn(th, tl), tbh, tb, pctn(tbh, tb), nw
}
function cmpkey(x, y,   px, py) {
	split(x, px, ":")
	split(y, py, ":")
	if (px[1] + 0 != py[1] + 0)
		return px[1] - py[1]
	return px[2] - py[2]
}
