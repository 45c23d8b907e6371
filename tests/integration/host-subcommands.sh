#!/bin/sh
# The subcommand table (commands[] in src/main.c, issue 15): --help lists
# exactly its rows, every row dispatches, an unknown command exits 2 naming
# itself and a near miss gets a did-you-mean hint.
. "$(dirname "$0")/../lib.sh"
names=$(subcommands)
n=$(echo "$names" | grep -c .)
expect_gt "rows in commands[]" "$n" 5

help=$("$IORACE" --help 2>&1)
expect_eq "--help exit" "$?" 0
for c in $names; do
	echo "$help" | grep -Eq "^  $c( |\$)" ||
		fail "--help does not list '$c' (a row of commands[])"
done
# two spaces and a lowercase name: the command lines of --help
expect_eq "commands in --help" "$(echo "$help" | grep -Ec '^  [a-z]')" "$n"
for h in help -h; do
	if [ "$("$IORACE" $h 2>&1)" = "$help" ]; then
		pass "$h prints --help"
	else
		fail "$h differs from --help"
	fi
done
"$IORACE" >/dev/null 2>&1
expect_eq "no command exit" "$?" 2

# every row dispatches to something with its own usage (help: the table's)
for c in $names; do
	out=$("$IORACE" "$c" --help 2>&1)
	expect_eq "$c --help exit" "$?" 0
	case "$out" in *usage:*) ;; *) fail "$c --help: no usage" ;; esac
done

# unknown command: exit 2, names itself, no hint when nothing is near
err=$("$IORACE" frobnicate 2>&1)
expect_eq "unknown command exit" "$?" 2
case "$err" in
*"unknown command 'frobnicate'"*) pass "unknown command named" ;;
*) fail "unknown command not named: $(echo "$err" | head -n 2)" ;;
esac
case "$err" in *"did you mean"*) fail "a hint for frobnicate" ;; esac

# near misses: edit distance (typo, swapped letters) and unique prefix
for p in chek:check chekc:check rnu:run baselin:baseline comp:compare \
	shirnk:shrink aio:aio-stress; do
	typo=${p%%:*} want=${p#*:}
	err=$("$IORACE" "$typo" 2>&1)
	expect_eq "$typo exit" "$?" 2
	case "$err" in
	*"did you mean '$want'?"*) pass "$typo suggests $want" ;;
	*) fail "$typo does not suggest $want: $(echo "$err" | head -n 2)" ;;
	esac
done
# an ambiguous prefix names every command it starts
err=$("$IORACE" c 2>&1)
case "$err" in
*"'check' or 'compare'"*) pass "c suggests check or compare" ;;
*) fail "c: $(echo "$err" | head -n 2)" ;;
esac
done_
