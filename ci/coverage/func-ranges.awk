# func-ranges.awk: line ranges of C function definitions in kernel style.
# Usage: awk -v names="f1 f2 ..." -f func-ranges.awk FILE
# Prints "NAME START END" for each name defined in FILE: START is the line
# holding "NAME(", END the line of the closing "}" in column 0. A
# declaration (a ";" ends it before a "{" opens a body) is skipped.
BEGIN {
	n = split(names, list, " ")
	for (i = 1; i <= n; i++)
		want[list[i]] = 1
	cur = ""
}
# The closing brace of the current body.
cur != "" && body && /^}/ {
	print cur, start, FNR
	cur = ""
	body = 0
	next
}
cur != "" && !body {
	if (/^{/) {
		body = 1
		next
	}
	if (/;[ \t]*$/ || /^[ \t]*$/) {
		delete done[cur] # a declaration: the definition comes later
		cur = ""
	}
	next
}
cur == "" && /^[A-Za-z_]/ {
	line = $0
	if (!match(line, /[A-Za-z_][A-Za-z0-9_]*\(/))
		next
	# the name right before the first "(" on the line
	name = substr(line, RSTART, RLENGTH - 1)
	if (!(name in want) || (name in done))
		next
	rest = substr(line, RSTART + RLENGTH)
	if (rest ~ /\);[ \t]*$/)
		next
	cur = name
	done[name] = 1
	start = FNR
	body = 0
	if (line ~ /\)[ \t]*{[ \t]*$/)
		body = 1
}
