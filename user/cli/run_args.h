/* SPDX-License-Identifier: GPL-2.0 */
/* run_args.h - the command line of `ipctrace run`, parsed into a run_config. */
#ifndef IPCTRACE_RUN_ARGS_H
#define IPCTRACE_RUN_ARGS_H

#include <stdbool.h>
#include "commands.h"
#include "run_config.h"

struct run_args {
	struct common_args common;
	struct run_config cfg;
	bool duration_set;
	char why[400];
};

/*
 * Parse and check everything that can be known wrong before running: 0,
 * EXIT_USAGE after printing one line that says what is wrong, or
 * PARSE_HELP_SHOWN (help printed: exit 0). ncpus: CPUs this process may
 * use. Unless 0, a->cfg is freed.
 */
int run_args_parse(int argc, char **argv, int ncpus, struct run_args *a);

#endif
