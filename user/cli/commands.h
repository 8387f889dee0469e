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

/*
 * argp's own --help, --usage and --version, in every subcommand's table:
 * argp runs without its error printing (which takes two lines and names
 * no reason), and without it argp would print no help either.
 */
#define OPT_USAGE 0x7f00
#define HELP_OPTIONS							\
	{ "help", '?', NULL, 0, "Give this help list", -1 },		\
	{ "usage", OPT_USAGE, NULL, 0, "Give a short usage message", -1 }, \
	{ "version", 'V', NULL, 0, "Print program version", -1 }

#define COMMON_OPTIONS							\
	{ "attach", 'a', "MODE", 0,					\
	  "How to attach: auto (default), fentry, kprobe or tracepoint", 0 }, \
	{ "verbose", 'v', NULL, 0,					\
	  "Show debug output and libbpf's messages", 0 },		\
	HELP_OPTIONS

extern const char ipctrace_version[];

/* handles COMMON_OPTIONS; help_parse() for anything else */
error_t common_parse(struct common_args *c, int key, char *arg,
		     struct argp_state *state);
/*
 * handles HELP_OPTIONS (printing, then exit 0) and argp's errors (an
 * unknown option, a missing value: one line into the parse's why);
 * ARGP_ERR_UNKNOWN for anything else
 */
error_t help_parse(int key, char *arg, struct argp_state *state);

/*
 * argp_parse() for a subcommand. Returns 0; PARSE_HELP_SHOWN when help or
 * the version was printed (exit 0, run nothing); or, on bad input, 1 after
 * printing the reason on one line (why, filled while parsing, or by
 * help_parse for argp's own errors): exit EXIT_USAGE. Callers free what
 * they hold either way.
 */
#define PARSE_HELP_SHOWN (-1)
#define WHY_MIN 200	/* the smallest why a subcommand's arguments hold */
int parse_subcommand_args(const struct argp *argp, int argc, char **argv,
			  void *args, char *why);

int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
