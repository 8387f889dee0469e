#!/bin/sh
# gen-man.sh BIN OUTDIR DOCDIR - write ipctrace's man pages into OUTDIR:
# ipctrace.8, and ipctrace-COMMAND.8 for every command `BIN --help` lists
# (so a new subcommand gets its page without touching this script).
#
# Each page is help2man's rendering of the command's --help, so options
# cannot drift from the binary, plus the hand-written sections of
# man/PAGE.h2m (EXIT STATUS, more EXAMPLES, FILES...). A command without
# such a file gets man/default.h2m's generic EXIT STATUS and a warning.
# SEE ALSO is generated: every other page, and the README under DOCDIR.
# The version is the binary's; the date is SOURCE_DATE_EPOCH's when set
# (dpkg-buildpackage sets it from debian/changelog), so a package's pages
# are reproducible.
set -eu
bin=$1
out=$2
docdir=$3
here=$(cd "$(dirname "$0")/.." && pwd)
mandir=$here/man

# "ipctrace 0.1.0 (3917b38eaf7c)" -> 0.1.0
version=$("$bin" --version | sed -n '1s/^ipctrace \([^ ]*\).*/\1/p')
[ -n "$version" ] || { echo "gen-man: '$bin --version' names no version" >&2; exit 1; }

# the commands and their one-line descriptions, from the "Commands:" block
commands=$(mktemp)
trap 'rm -f "$commands" "$out"/*.h2m.tmp' EXIT
"$bin" --help | awk '
	/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { name = $1; sub(/^  [a-z-]+ +/, ""); print name "\t" $0; next }
	on { on = 0 }' >"$commands"
[ -s "$commands" ] || { echo "gen-man: '$bin --help' lists no commands" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/ipctrace*.8

# SEE ALSO of page $1: the other ipctrace pages, the tools ipctrace works
# with, the README
see_also() {
	{
		echo "[SEE ALSO]"
		sep=""
		for p in ipctrace $(cut -f1 "$commands" | sed 's/^/ipctrace-/'); do
			[ "$p" = "$1" ] && continue
			printf '%s.BR %s (8)' "$sep" "$p"
			sep=",
"
		done
		printf ',\n.BR bpftool (8),\n.BR perf (1),\n.BR gnuplot (1)\n'
		printf '.PP\nThe README, %s/README.md, explains what the counters\n' "$docdir"
		printf 'mean and how ipctrace measures them.\n'
	} >"$out/$1.h2m.tmp"
}

# help2man names a page after its program: "ipctrace-run 0.1.0" makes
# ipctrace-run(8). SYNOPSIS comes from the "Usage: ipctrace run [OPTION...]"
# line, where help2man sets the command in italics as if it were an
# argument: set "ipctrace run" in bold instead.
render() { # page, name line, command line, include files...
	page=$1 name=$2 cmdline=$3
	shift 3
	incs=""
	for f in "$@"; do incs="$incs --include=$f"; done
	# shellcheck disable=SC2086
	help2man --no-info --section=8 --source="ipctrace $version" \
		--manual="ipctrace manual" --version-string="$page $version" \
		--name="$name" $incs --output="$out/$page.8.tmp" "$cmdline"
	sub=${cmdline#"$bin"}
	sub=${sub# }
	if [ -n "$sub" ]; then
		sed -i -e '/^\.B ipctrace$/{N;s/^\.B ipctrace\n\\fI\\,'"$sub"' \\\/\\fR/.B "ipctrace '"$sub"'"\n/}' \
			"$out/$page.8.tmp"
	fi
	mv "$out/$page.8.tmp" "$out/$page.8"
}

see_also ipctrace
render ipctrace "explain pipe and unix socket performance on Linux with eBPF" \
	"$bin" "$mandir/ipctrace.h2m" "$out/ipctrace.h2m.tmp"

while IFS="$(printf '\t')" read -r cmd desc; do
	page=ipctrace-$cmd
	own=$mandir/$page.h2m
	if [ ! -f "$own" ]; then
		echo "gen-man: no $own: $page(8) gets only the generic EXIT STATUS;" \
			"write one with its EXIT STATUS and EXAMPLES" >&2
		own=$mandir/default.h2m
	fi
	see_also "$page"
	render "$page" "$desc" "$bin $cmd" "$own" "$out/$page.h2m.tmp"
done <"$commands"
