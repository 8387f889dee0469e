// SPDX-License-Identifier: GPL-2.0
/* run_args.c - `ipctrace run`'s options, their parsing and checking. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "log.h"
#include "preflight.h"
#include "results_dir.h"
#include "run_args.h"
#include "sizes.h"

enum {
	OPT_PATTERN = 1000, OPT_PAIRS, OPT_THREADS, OPT_IO, OPT_BYTES,
	OPT_KEEP_ROOT, OPT_SYSCALLS, OPT_CSV, OPT_JSON, OPT_NO_PROFILE, OPT_NO_UNTRACED,
};

static const struct argp_option run_options[] = {
	{ "transport", 't', "LIST", 0, "pipe, socketpair, seqpacket (default: pipe,socketpair)", 0 },
	{ "msg-size", 'm', "LIST", 0, "bytes per write: 1000,4K,64K,256K (default)", 0 },
	{ "buffer-size", 'b', "LIST", 0, "pipe size (F_SETPIPE_SZ) / SO_SNDBUF; 'default' keeps the"
	  " kernel's (default: default,16K,1M)", 0 },
	{ "placement", 'p', "LIST", 0, "unpinned (default), same-cpu, cross-cpu", 0 },
	{ "pattern", OPT_PATTERN, "LIST", 0, "stream, pingpong, loop (one thread writes and"
	  " reads back); default: stream, plus loop at the smallest --msg-size and the"
	  " first --buffer-size", 0 },
	{ "pairs", OPT_PAIRS, "N", 0, "concurrent writer/reader pairs (default 1)", 0 },
	{ "threads", OPT_THREADS, NULL, 0, "writer and reader as threads of one process", 0 },
	{ "io", OPT_IO, "MODE", 0, "blocking (default) or epoll (non-blocking, event loop)", 0 },
	{ "duration", 'd', "SEC", 0, "time one repetition should take: bytes are calibrated so the"
	  " slowest transport takes this long (default 0.4)", 0 },
	{ "bytes", OPT_BYTES, "N", 0, "bytes per pair and repetition, instead of --duration", 0 },
	{ "warmup", 'w', "SEC", 0, "discarded warm-up run per cell, also used to calibrate"
	  " (default 0.15)", 0 },
	{ "repeat", 'r', "N", 0, "repetitions per cell (default 5)", 0 },
	{ "keep-root", OPT_KEEP_ROOT, NULL, 0, "under sudo, keep the workers root instead of"
	  " the invoking user", 0 },
	{ "syscall-counts", OPT_SYSCALLS, NULL, 0, "tracepoint mode: also count every call at"
	  " raw_syscalls:sys_exit (exact per-channel calls; every syscall on the"
	  " system takes its slow path: 1000-byte cells lost 12-27% of their traced"
	  " throughput in ipctrace bench, see README, Measured)", 0 },
	{ "no-profile", OPT_NO_PROFILE, NULL, 0, "do not sample the workers' CPU"
	  " (the profile behind cpu per write by mechanism)", 0 },
	{ "no-untraced", OPT_NO_UNTRACED, NULL, 0, "skip the untraced run of each"
	  " repetition (half the time): MB/s and cpu/MB are then of the traced"
	  " runs, which the tracing slowed, and the report says so", 0 },
	{ "csv", OPT_CSV, NULL, 0, "print CSV, one line per cell", 0 },
	{ "json", OPT_JSON, NULL, 0, "print one JSON document", 0 },
	{ "output", 'o', "DIR", 0, "results directory to create (default:"
	  " results/<date>-<host>-<kernel>/; never overwritten)", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char run_doc[] =
	"Run pipe and socketpair producer/consumer workloads across message"
	" sizes, buffer sizes and CPU placements, trace them, and explain which"
	" transport wins and why.\n"
	"\n"
	"Each cell (transport x message size x buffer x placement x pattern) runs"
	" --repeat times; every transport of a comparison moves the same bytes"
	" with the same write()/read() pattern. BPF counts are reconciled against"
	" the workload's own counts and the kernel's counters.\n"
	"\v"
	"Examples:\n"
	"  sudo ipctrace run                                  # the default matrix\n"
	"  sudo ipctrace run -m 64K -b default,1M -r 5        # one question, more reps\n"
	"  sudo ipctrace run --pattern pingpong -p same-cpu,cross-cpu   # round trips\n"
	"  sudo ipctrace run --pattern loop -m 1000 -b default  # per-call cost alone\n"
	"  sudo ipctrace run --io epoll --json > result.json  # event-loop writers\n";

static int parse_uint(const char *s, unsigned int *out)
{
	unsigned long long v;

	if (parse_uint_range(s, 0, UINT_MAX, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_args *a = state->input;
	struct run_config *c = &a->cfg;
	char *why = a->why;
	size_t wl = sizeof(a->why);

	switch (key) {
	case 't':
		return parse_transports(arg, c, why, wl) ? EINVAL : 0;
	case 'm':
		free(c->msg_sizes);
		c->msg_sizes = NULL;
		return parse_size_list("--msg-size", arg, false, &c->msg_sizes,
				       &c->nmsg, why, wl) ? EINVAL : 0;
	case 'b':
		free(c->buffers);
		c->buffers = NULL;
		return parse_size_list("--buffer-size", arg, true, &c->buffers,
				       &c->nbuffers, why, wl) ? EINVAL : 0;
	case 'p':
		return parse_placements(arg, c, why, wl) ? EINVAL : 0;
	case OPT_PATTERN:
		return parse_patterns(arg, c, why, wl) ? EINVAL : 0;
	case OPT_PAIRS:
		if (parse_uint(arg, &c->pairs)) {
			snprintf(why, wl, "--pairs '%s': give a whole number of pairs",
				 QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case OPT_THREADS:
		c->threads = true;
		return 0;
	case OPT_IO:
		if (!strcmp(arg, "blocking"))
			c->io = IO_BLOCKING;
		else if (!strcmp(arg, "epoll"))
			c->io = IO_EPOLL;
		else {
			snprintf(why, wl, "unknown --io '%s': use blocking or epoll", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'd':
		if (parse_seconds(arg, &c->duration)) {
			snprintf(why, wl, "--duration '%s' is not a number of seconds"
				 " (e.g. 0.4 or 250ms)", QUOTE(arg));
			return EINVAL;
		}
		a->duration_set = true;
		return 0;
	case OPT_BYTES:
		if (parse_size(arg, &c->bytes, why, wl) || c->bytes == 0) {
			snprintf(why, wl, "--bytes '%s' is not a size above 0 (e.g. 64M)",
				 QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'w':
		if (parse_seconds(arg, &c->warmup)) {
			snprintf(why, wl, "--warmup '%s' is not a number of seconds"
				 " (e.g. 0.15, or 0 for none)", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'r':
		if (parse_uint(arg, &c->repeat)) {
			snprintf(why, wl, "--repeat '%s': give 1 to 1000 repetitions",
				 QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case OPT_KEEP_ROOT:
		c->keep_root = true;
		return 0;
	case OPT_SYSCALLS:
		c->syscall_counts = true;
		return 0;
	case OPT_NO_PROFILE:
		c->no_profile = true;
		return 0;
	case OPT_NO_UNTRACED:
		c->no_untraced = true;
		return 0;
	case OPT_CSV:
		c->csv = true;
		return 0;
	case OPT_JSON:
		c->json = true;
		return 0;
	case 'o':
		if (!arg[0] || strlen(arg) >= RESULTS_DIR_MAX_PATH) {
			snprintf(why, wl, "-o '%s': give a directory name %s", QUOTE(arg),
				 arg[0] ? "shorter than PATH_MAX" : "(not empty)");
			return EINVAL;
		}
		c->outdir = arg;
		return 0;
	case ARGP_KEY_ARG:
		snprintf(why, wl, "unexpected argument '%s': run takes options only;"
			 " see ipctrace run --help", QUOTE(arg));
		return EINVAL;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

int run_args_parse(int argc, char **argv, int ncpus, struct run_args *a)
{
	struct argp argp = { run_options, run_parse, NULL, run_doc, NULL, NULL, NULL };
	char err[512];

	int ret;

	run_config_defaults(&a->cfg);
	ret = parse_subcommand_args(&argp, argc, argv, a, a->why);
	if (ret < 0) {
		run_config_free(&a->cfg);
		return PARSE_HELP_SHOWN;
	}
	if (ret)
		goto usage;
	if (a->duration_set && a->cfg.bytes) {
		pr_err("give --duration or --bytes, not both: --bytes fixes the data"
		       " moved, --duration calibrates it\n");
		goto usage;
	}
	if (a->cfg.csv && a->cfg.json) {
		pr_err("give --csv or --json, not both\n");
		goto usage;
	}
	if (a->cfg.syscall_counts && a->common.attach != MODE_AUTO &&
	    a->common.attach != MODE_TRACEPOINT) {
		pr_err("--syscall-counts counts calls at raw_syscalls:sys_exit, which"
		       " only tracepoint mode uses: with --attach %s the function"
		       " hooks count every call already; drop --syscall-counts or"
		       " use --attach tracepoint\n", attach_mode_name(a->common.attach));
		goto usage;
	}
	if (run_config_validate(&a->cfg, ncpus, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto usage;
	}
	return 0;
usage:
	run_config_free(&a->cfg);
	return EXIT_USAGE;
}
