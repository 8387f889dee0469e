// SPDX-License-Identifier: GPL-2.0
/* trace_args.c - `ipctrace trace`'s options and their parsing. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "preflight.h"
#include "sizes.h"
#include "trace_args.h"
#include "trace_report.h"

enum { OPT_CGROUP = 1000, OPT_COMM, OPT_FOLDED, OPT_JSON, OPT_NO_SYSCALLS,
       OPT_CPU_FOLDED, OPT_FOLDED_BY, OPT_NO_PROFILE, OPT_SYSCALLS };

static const struct argp_option trace_options[] = {
	{ "pid", 'p', "PID[,PID...]", 0, "trace these processes (all their threads)", 0 },
	{ "tid", 't', "TID", 0, "trace this one thread", 0 },
	{ "command", 'c', "\"CMD ARGS\"", 0, "start CMD (through sh -c), trace it and"
	  " its children until it exits; its output passes through and its exit"
	  " status is ipctrace's", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "trace every task in this cgroup v2"
	  " directory and below", 0 },
	{ "comm", OPT_COMM, "NAME", 0, "trace processes named NAME, also those that"
	  " start or take the name while tracing", 0 },
	{ "interval", 'i', "SEC", 0, "print a summary of every SEC seconds", 0 },
	{ "folded", OPT_FOLDED, "FILE", 0, "write the kernel stacks where threads"
	  " blocked, weighted by time blocked (us), in folded format", 0 },
	{ "cpu-folded", OPT_CPU_FOLDED, "FILE", 0, "write the stacks where threads"
	  " ran (the CPU profile), weighted by samples, in folded format", 0 },
	{ "folded-by", OPT_FOLDED_BY, "KEY", 0, "root of each folded stack: comm"
	  " (default: the thread's name), process (name and pid) or thread"
	  " (process, then thread name and tid)", 0 },
	{ "no-profile", OPT_NO_PROFILE, NULL, 0, "do not sample where threads run"
	  " (no CPU per call by mechanism)", 0 },
	{ "json", OPT_JSON, NULL, 0, "print one JSON document", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE (default: stdout;"
	  " stderr with -c, whose stdout is the command's)", 0 },
	{ "syscall-counts", OPT_SYSCALLS, NULL, 0, "tracepoint mode: also count every"
	  " read/write call at raw_syscalls:sys_exit, for exact per-channel calls"
	  " and bytes of pipes too. It puts every syscall of every task on its slow"
	  " path: in ipctrace bench on a 2-vCPU 6.18 guest, trace -c of dd | cat"
	  " lost 14-35% of its throughput with it against 3-13% without, and"
	  " run's 1000-byte cells 12-27% (README, Measured). Without it: unix"
	  " stream calls exact at sock_send_length/sock_recv_length (v6.3+), per"
	  " thread task io accounting (all fds), per-channel pipe calls unknown", 0 },
	{ "no-syscall-counts", OPT_NO_SYSCALLS, NULL, 0, "the default: attach no"
	  " syscall tracepoint", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char trace_doc[] =
	"Trace programs that already run, or one command, and report how often"
	" they block on pipes and unix sockets, on which channel, how full it"
	" was, who woke whom and how long they waited.\n"
	"\n"
	"Ends after DURATION seconds, at Ctrl-C, or when every traced process has"
	" exited.\n"
	"\v"
	"Examples:\n"
	"  sudo ipctrace trace -p 1234 10            # 10 seconds of process 1234\n"
	"  sudo ipctrace trace -c \"make -j8\" -o make.txt   # a build, its children\n"
	"  sudo ipctrace trace --comm nginx -i 1     # a summary every second\n"
	"  sudo ipctrace trace -p 1234 --folded off.txt 5   # for flamegraph.pl\n";

int trace_parse_pid(const char *s, pid_t *out)
{
	unsigned long long v;

	if (parse_uint_range(s, 1, 4194304, &v))	/* PID_MAX_LIMIT */
		return -1;
	*out = (pid_t)v;
	return 0;
}

/* -p 1,2,3; an empty item or a word is an error */
int trace_args_add_pids(struct trace_args *a, const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t l = strcspn(p, ",");
		char tok[32];

		snprintf(tok, sizeof(tok), "%.*s", (int)(l < 31 ? l : 31), p);
		if (a->npids == MAX_PIDS) {
			snprintf(a->why, sizeof(a->why), "-p: more than %d processes;"
				 " trace them by --comm or --cgroup", MAX_PIDS);
			return EINVAL;
		}
		if (l == 0 || l > 10 || trace_parse_pid(tok, &a->pids[a->npids])) {
			snprintf(a->why, sizeof(a->why), "-p '%s': %s", QUOTE(arg),
				 l ? "give process ids (1 to 4194304), separated by"
				 " commas" : "an empty item; give process ids separated"
				 " by commas");
			return EINVAL;
		}
		a->npids++;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

/* the words of a command, or none at all */
static bool blank(const char *s)
{
	return !s[strspn(s, " \t\n")];
}

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	double v;

	switch (key) {
	case 'p':
		return trace_args_add_pids(a, arg);
	case 't':
		if (trace_parse_pid(arg, &a->tid)) {
			snprintf(a->why, sizeof(a->why), "-t '%s' is not a thread id"
				 " (1 to 4194304)", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'c':
		if (blank(arg)) {
			snprintf(a->why, sizeof(a->why), "-c '%s': give the command to"
				 " run, e.g. -c \"make -j8\"", QUOTE(arg));
			return EINVAL;
		}
		a->command = arg;
		return 0;
	case OPT_CGROUP:
		if (!arg[0]) {
			snprintf(a->why, sizeof(a->why), "--cgroup '': give a cgroup v2"
				 " directory, e.g. /sys/fs/cgroup/system.slice");
			return EINVAL;
		}
		a->cgroup = arg;
		return 0;
	case OPT_COMM:
		if (!*arg || strlen(arg) >= IPCT_COMM_LEN) {
			snprintf(a->why, sizeof(a->why), "--comm '%s': a process name is 1"
				 " to 15 characters (the kernel keeps no more)", QUOTE(arg));
			return EINVAL;
		}
		a->comm = arg;
		return 0;
	case 'i':
		if (parse_seconds(arg, &a->interval) || a->interval < 0.05 ||
		    a->interval > TRACE_MAX_SECONDS) {
			snprintf(a->why, sizeof(a->why), "--interval '%s': give seconds,"
				 " from 0.05 to %d", QUOTE(arg), TRACE_MAX_SECONDS);
			return EINVAL;
		}
		return 0;
	case OPT_FOLDED:
	case 'o':
		if (!arg[0]) {
			snprintf(a->why, sizeof(a->why), "%s '': give a file name",
				 key == 'o' ? "-o" : "--folded");
			return EINVAL;
		}
		if (key == 'o')
			a->output = arg;
		else
			a->folded = arg;
		return 0;
	case OPT_CPU_FOLDED:
		a->cpu_folded = arg;
		return 0;
	case OPT_FOLDED_BY:
		a->folded_by = folded_key_parse(arg);
		if (a->folded_by < 0) {
			snprintf(a->why, sizeof(a->why), "--folded-by '%s': give comm,"
				 " process or thread", arg);
			return EINVAL;
		}
		return 0;
	case OPT_NO_PROFILE:
		a->no_profile = true;
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_NO_SYSCALLS:
		a->syscall_counts = false;
		return 0;
	case OPT_SYSCALLS:
		a->syscall_counts = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->duration > 0) {
			snprintf(a->why, sizeof(a->why), "unexpected argument '%s': the"
				 " only argument is the DURATION, given already", QUOTE(arg));
			return EINVAL;
		}
		if (parse_seconds(arg, &v)) {
			snprintf(a->why, sizeof(a->why), "DURATION '%s' is not a number of"
				 " seconds (e.g. 10, 2.5 or 500ms)", QUOTE(arg));
			return EINVAL;
		}
		if (v <= 0 || v > TRACE_MAX_SECONDS) {
			snprintf(a->why, sizeof(a->why), "DURATION '%s': give seconds above"
				 " 0 and at most %d, or none to trace until Ctrl-C",
				 QUOTE(arg), TRACE_MAX_SECONDS);
			return EINVAL;
		}
		a->duration = v;
		return 0;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

int trace_args_parse(int argc, char **argv, struct trace_args *a)
{
	struct argp argp = { trace_options, trace_parse, "[DURATION]", trace_doc,
			     NULL, NULL, NULL };

	int ret = parse_subcommand_args(&argp, argc, argv, a, a->why);

	return ret < 0 ? PARSE_HELP_SHOWN : ret ? EXIT_USAGE : 0;
}
