#!/bin/bash
# completion.sh BINDIR COMPLETIONSDIR - the installed bash completion, as
# TAP. bash-completion's loader finds it where `make install` put it;
# completing a command line (COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT set as readline sets them, then the function, then COMPREPLY)
# offers `trace` after `ipctrace tr` and `socketpair` after `--transport s`;
# and every list of option values the script holds matches the binary:
# the values offered are exactly the words of the option's --help text
# that the binary accepts as that option's value.
bindir=$1
compdir=$2
export PATH=$bindir:$PATH
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	not_ok "bash-completion is not installed: scripts/install-deps.sh test installs it"
	echo "1..$n"
	exit 0
fi
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion

# the loader: a completions dir under a data dir of $XDG_DATA_DIRS
datadir=${compdir%/bash-completion/completions}
XDG_DATA_DIRS=$datadir __load_completion ipctrace
loaded=$(complete -p ipctrace 2>&1)
if [ "$loaded" = "complete -F _ipctrace ipctrace" ]; then
	ok "bash-completion loads the installed completion on demand"
else
	not_ok "bash-completion did not load the installed completion from $compdir: $loaded"
	# shellcheck disable=SC1091
	. "$compdir/ipctrace"
fi

# complete LINE: COMPREPLY for the last word of LINE (a trailing space
# starts a new, empty word), sorted, one line
complete_line() {
	COMP_LINE=$1
	COMP_POINT=${#COMP_LINE}
	read -ra COMP_WORDS <<<"$COMP_LINE"
	case $COMP_LINE in *" ") COMP_WORDS+=("") ;; esac
	# readline splits "--transport=s" at "=" (COMP_WORDBREAKS)
	local words=() w
	for w in "${COMP_WORDS[@]}"; do
		if [[ $w == --*=* ]]; then words+=("${w%%=*}" "=" "${w#*=}"); else words+=("$w"); fi
	done
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ipctrace ipctrace "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() { # line, the sorted offers
	got=$(complete_line "$1")
	if [ "$got" = "$2" ]; then
		ok "'$1<Tab>' offers: $2"
	else
		not_ok "'$1<Tab>' offers '$got', not '$2'"
	fi
}

commands=$(ipctrace --help | awk '/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { on = 0 }' | sort | tr '\n' ' ' | sed 's/ $//')
expect "ipctrace tr" "trace"
expect "ipctrace " "$commands"
expect "ipctrace run --transport s" "seqpacket socketpair"
expect "ipctrace run --transport=s" "seqpacket socketpair"
expect "ipctrace run -t pipe,s" "pipe,seqpacket pipe,socketpair"
expect "ipctrace run --tr" "--transport="
expect "ipctrace run -a f" "fentry"
expect "ipctrace trace --attach=t" "tracepoint"
expect "ipctrace run --pattern " "loop pingpong stream"
expect "ipctrace compare --thr" "--threshold="
# a value that is not completed is not taken for a command or option
expect "ipctrace run --repeat " ""

# the words of OPT's description in `ipctrace CMD --help`, continuation
# lines included, that the binary accepts as OPT's value: run refuses
# --csv with --json only once every option parsed, so that refusal means
# the value passed and an unknown one is refused first, by name
accepted_values() { # cmd, long option (its values are tried on run)
	local cmd=$1 opt=$2 w out accepted=()
	for w in $(ipctrace "$cmd" --help | awk -v opt="$opt" '
		on && /^                          / { print; next }
		{ on = 0 }
		$0 ~ "^ +(-., )?" opt "=" { on = 1; sub(/^ +(-., )?--[a-z-]+=[A-Z]+ */, ""); print }' |
		grep -oE '[a-z][a-z-]*' | sort -u); do
		out=$(ipctrace run "$opt=$w" --csv --json 2>&1)
		case $out in *"give --csv or --json, not both"*) accepted+=("$w") ;; esac
	done
	echo "${accepted[*]}"
}

for spec in run:--transport run:--placement run:--pattern run:--io run:--attach \
	run:--buffer-size trace:--attach; do
	cmd=${spec%%:*}
	opt=${spec#*:}
	want=$(accepted_values "$cmd" "$opt")
	got=$(complete_line "ipctrace $cmd $opt ")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "ipctrace $cmd $opt completes what the binary accepts: $got"
	else
		not_ok "ipctrace $cmd $opt completes '$got'; its --help names and the binary accepts '$want'"
	fi
done
echo "1..$n"
