#!/bin/sh
# man.sh BIN MAN8DIR - the installed man pages, as TAP: one page per command
# `BIN --help` lists and ipctrace(8), no more; each renders without a groff
# warning (the command lintian runs), has a whatis entry naming the page,
# and EXIT STATUS and EXAMPLES; each subcommand's page names every option of
# its --help; man finds the pages by name.
bin=$1
man8=$2
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

commands=$("$bin" --help | awk '/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { on = 0 }')
want=$( (echo ipctrace.8; for c in $commands; do echo "ipctrace-$c.8"; done) | sort)
have=$(cd "$man8" && ls ipctrace*.8 2>/dev/null | sort)
if [ -n "$commands" ] && [ "$want" = "$have" ]; then
	ok "man pages: ipctrace(8) and one per command of --help: $(echo $commands)"
else
	not_ok "man pages: want $(echo $want), have $(echo $have)"
fi

for f in $have; do
	page=${f%.8}
	# lintian's check: any output on stderr is a manpage-has-errors-from-man
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
		"$man8/$f" 2>&1 >/dev/null)
	if [ -z "$warnings" ]; then
		ok "$page(8) renders without warnings"
	else
		not_ok "$page(8) renders with warnings: $warnings"
	fi
	whatis=$(lexgrog "$man8/$f" 2>&1)
	case $whatis in
	*": \"$page - "?*) ok "$page(8) whatis: ${whatis#*: }" ;;
	*) not_ok "$page(8) whatis: $whatis" ;;
	esac
	text=$(MANWIDTH=80 man -l "$man8/$f" 2>/dev/null)
	for s in "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		if printf '%s\n' "$text" | grep -qx "$s"; then
			ok "$page(8) has $s"
		else
			# where a section comes from: --help ("Examples:" after the
			# options, argp's doc after \v) or man/PAGE.h2m ("[EXIT STATUS]")
			not_ok "$page(8) has no $s: write it in $page.h2m (in man), or for EXAMPLES an 'Examples:' paragraph after the options of --help"
		fi
	done
	[ "$page" = ipctrace ] && continue
	cmd=${page#ipctrace-}
	missing=""
	for o in $("$bin" "$cmd" --help | sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
		printf '%s\n' "$text" | grep -q -- "$o" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then
		ok "$page(8) names every option of ipctrace $cmd --help"
	else
		not_ok "$page(8) lacks$missing"
	fi
	synopsis=$(printf '%s\n' "$text" | sed -n '/^SYNOPSIS/{n;p;}' | sed 's/^ *//')
	case $synopsis in
	"ipctrace $cmd "*) ok "$page(8) synopsis: $synopsis" ;;
	*) not_ok "$page(8) synopsis: '$synopsis'" ;;
	esac
done

# man finds them where they were installed
found=$(MANPATH=${man8%/man8} man -w ipctrace-trace 2>&1)
check "man -w ipctrace-trace finds the installed page" test "$found" = "$man8/ipctrace-trace.8"
echo "1..$n"
