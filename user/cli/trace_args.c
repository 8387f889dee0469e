// SPDX-License-Identifier: GPL-2.0
/* trace_args.c - `ipctrace trace`'s options and their parsing. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "preflight.h"
#include "sizes.h"
#include "trace_args.h"

enum { OPT_CGROUP = 1000, OPT_COMM, OPT_FOLDED, OPT_JSON, OPT_NO_SYSCALLS,
       OPT_SYSCALLS };

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
	{ "json", OPT_JSON, NULL, 0, "print one JSON document", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE (default: stdout;"
	  " stderr with -c, whose stdout is the command's)", 0 },
	{ "syscall-counts", OPT_SYSCALLS, NULL, 0, "tracepoint mode: also count every"
	  " read/write call at raw_syscalls:sys_exit, for exact per-channel calls"
	  " and bytes of pipes too. It puts every syscall of every task on its slow"
	  " path: in ipctrace bench on a 2-vCPU 6.18 guest, 1000-byte writes lost"
	  " 22-42% of their throughput with it (pipe and socketpair, unpinned or"
	  " on one CPU), 9-12% at 64 KiB (README, Measured). Without it: unix"
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
	"\n"
	"EXAMPLES:\n"
	"  sudo ipctrace trace -p 1234 10            # 10 seconds of process 1234\n"
	"  sudo ipctrace trace -c \"make -j8\" -o make.txt\n"
	"  sudo ipctrace trace --comm nginx -i 1     # a summary every second\n"
	"  sudo ipctrace trace -p 1234 --folded off.txt 5   # for flamegraph.pl\n";

int trace_parse_pid(const char *s, pid_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 4194304)
		return -1;
	*out = (pid_t)v;
	return 0;
}

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	char *copy, *tok, *save = NULL;

	switch (key) {
	case 'p':
		copy = strdup(arg);
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (a->npids == MAX_PIDS || trace_parse_pid(tok, &a->pids[a->npids])) {
				snprintf(a->why, sizeof(a->why), "-p '%s' is not a process id"
					 " (or more than %d of them)", tok, MAX_PIDS);
				free(copy);
				return EINVAL;
			}
			a->npids++;
		}
		free(copy);
		return 0;
	case 't':
		if (trace_parse_pid(arg, &a->tid)) {
			snprintf(a->why, sizeof(a->why), "-t '%s' is not a thread id", arg);
			return EINVAL;
		}
		return 0;
	case 'c':
		a->command = arg;
		return 0;
	case OPT_CGROUP:
		a->cgroup = arg;
		return 0;
	case OPT_COMM:
		if (!*arg || strlen(arg) >= IPCT_COMM_LEN) {
			snprintf(a->why, sizeof(a->why), "--comm '%s': a process name is 1"
				 " to 15 characters (the kernel keeps no more)", arg);
			return EINVAL;
		}
		a->comm = arg;
		return 0;
	case 'i':
		if (parse_seconds(arg, &a->interval) || a->interval < 0.05) {
			snprintf(a->why, sizeof(a->why), "--interval '%s': give seconds,"
				 " at least 0.05", arg);
			return EINVAL;
		}
		return 0;
	case OPT_FOLDED:
		a->folded = arg;
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_NO_SYSCALLS:
		a->syscall_counts = false;
		return 0;
	case OPT_SYSCALLS:
		a->syscall_counts = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->duration > 0 || parse_seconds(arg, &a->duration) || a->duration <= 0) {
			snprintf(a->why, sizeof(a->why), "unexpected argument '%s': the only"
				 " argument is a duration in seconds", arg);
			return EINVAL;
		}
		return 0;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

int trace_args_parse(int argc, char **argv, struct trace_args *a)
{
	struct argp argp = { trace_options, trace_parse, "[DURATION]", trace_doc,
			     NULL, NULL, NULL };

	return parse_subcommand_args(&argp, argc, argv, a, a->why) ? EXIT_USAGE : 0;
}
