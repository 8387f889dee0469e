# bash completion for ipctrace(8)                          -*- shell-script -*-
#
# The commands and their options come from ipctrace's own --help when you
# press Tab, so they follow the binary you run (a new command or option
# completes without touching this file). The values of options are listed
# below; tests/install/completion.sh checks each list against the binary:
# every value offered is one the binary accepts, and every word of the
# option's --help text that the binary accepts is offered.

# the commands of `ipctrace --help`, its "Commands:" block
_ipctrace_commands()
{
    "$1" --help 2>/dev/null | awk '
        /^Commands:/ { on = 1; next }
        on && /^  [a-z]/ { print $1; next }
        on { on = 0 }'
}

# the options of one command, from argp's --help layout: "  -a, --attach=MODE"
# or "      --bytes=N"; options that take a value end in "=", and their short
# forms follow them ("--attach= -a")
_ipctrace_options()
{
    "$1" "$2" --help 2>/dev/null | sed -n \
        -e 's/^  \(-[^-?]\), \(--[a-z][a-z-]*=\{0,1\}\).*/\2 \1/p' \
        -e 's/^      \(--[a-z][a-z-]*=\{0,1\}\).*/\1/p'
}

# complete the last element of a comma list: "pipe,so" -> "pipe,socketpair"
_ipctrace_list()
{
    local prefix="" last=$cur
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        last=${cur##*,}
    fi
    COMPREPLY=($(compgen -P "$prefix" -W "$*" -- "$last"))
}

# the values of one option of one command; 1 when it has no list here
_ipctrace_values()
{
    local cmd=$1 opt=$2
    case $opt in
        -a | --attach)
            COMPREPLY=($(compgen -W 'auto fentry kprobe tracepoint' -- "$cur"))
            return 0
            ;;
    esac
    case $cmd:$opt in
        run:-t | run:--transport) _ipctrace_list pipe socketpair seqpacket ;;
        run:-p | run:--placement) _ipctrace_list unpinned same-cpu cross-cpu ;;
        run:--pattern) _ipctrace_list stream pingpong loop ;;
        run:--io) COMPREPLY=($(compgen -W 'blocking epoll' -- "$cur")) ;;
        run:-b | run:--buffer-size) _ipctrace_list default ;;
        run:-o | run:--output) _filedir -d ;;
        trace:-p | trace:--pid) _pids ;;
        trace:-t | trace:--tid)
            COMPREPLY=($(compgen -W "$(command ls /proc/[0-9]*/task 2>/dev/null |
                command grep -E '^[0-9]+$')" -- "$cur"))
            ;;
        trace:--comm) _pnames ;;
        trace:-c | trace:--command) COMPREPLY=($(compgen -c -- "$cur")) ;;
        trace:--cgroup) _filedir -d ;;
        trace:-o | trace:--output | trace:--folded) _filedir ;;
        *) return 1 ;;
    esac
    return 0
}

_ipctrace()
{
    local cur prev words cword split
    _init_completion -s || return

    if ((cword == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_ipctrace_commands "$1")" -- "$cur"))
        fi
        return
    fi

    local cmd=${words[1]} opts
    opts=" $(_ipctrace_options "$1" "$cmd" | tr '\n' ' ') "
    [[ $opts == "  " ]] && return # not a command this ipctrace knows

    # the value of an option: its list, or nothing to offer
    if [[ $prev == -* && ($opts == *" $prev= "* || $opts == *"= $prev "*) ]] ||
        $split; then
        _ipctrace_values "$cmd" "$prev"
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(printf '%s\n' $opts | command grep '^--')" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi

    # the arguments: results directories
    case $cmd in
        report | compare) _filedir -d ;;
    esac
} &&
    complete -F _ipctrace ipctrace
