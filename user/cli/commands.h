/* SPDX-License-Identifier: GPL-2.0 */
/* commands.h - the subcommands and the options they all share. */
#ifndef IPCTRACE_COMMANDS_H
#define IPCTRACE_COMMANDS_H

#include <argp.h>
#include <stdbool.h>
#include "attach_modes.h"

struct common_args {
	enum attach_mode attach;
};

#define COMMON_DEFAULTS { .attach = MODE_AUTO }

#define COMMON_OPTIONS							\
	{ "attach", 'a', "MODE", 0,					\
	  "How to attach: auto (default), fentry, kprobe or tracepoint", 0 }, \
	{ "verbose", 'v', NULL, 0,					\
	  "Show debug output and libbpf's messages", 0 }

/* handles COMMON_OPTIONS; ARGP_ERR_UNKNOWN for anything else */
error_t common_parse(struct common_args *c, int key, char *arg,
		     struct argp_state *state);

/*
 * argp_parse() for a subcommand; on bad input prints the parser's reason
 * (why, filled while parsing; empty when argp already said it) and returns
 * non-zero. Callers then free what they hold and exit EXIT_USAGE.
 */
int parse_subcommand_args(const struct argp *argp, int argc, char **argv,
			  void *args, const char *why);

int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
