// SPDX-License-Identifier: GPL-2.0
/* main.c - ipctrace's entry point: pick the subcommand, hand it argv. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "arg_quote.h"
#include "child.h"
#include "commands.h"
#include "log.h"
#include "preflight.h"

const char *argp_program_bug_address = NULL;

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run,
	  "pipe vs socketpair workloads, traced and explained (the main job)" },
	{ "trace", cmd_trace,
	  "how programs you run block on pipes and sockets, per channel" },
	{ "serve", cmd_serve,
	  "export the counters as OpenMetrics for Prometheus, all day" },
	{ "report", cmd_report,
	  "render a results directory's report again (and its plots)" },
	{ "compare", cmd_compare,
	  "what changed between two results directories; exit 3 on regression" },
	{ "probe", cmd_probe,
	  "what this kernel offers: BTF, lockdown, functions, attach modes" },
	{ "bench", cmd_bench,
	  "ipctrace's own cost: tracing overhead, harness efficiency, latency" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "Usage: ipctrace COMMAND [OPTION...]\n\n"
		     "Explains inter-process communication performance with"
		     " eBPF.\n\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nRun 'ipctrace COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	static char progname[64];

	/* before anything is opened: what a child may keep (child.h) */
	child_remember_inherited_fds();
	argp_err_exit_status = EXIT_USAGE;
	log_setup_libbpf();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("%s\n", ipctrace_version);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* argp names the program after argv[0]: "ipctrace probe" */
		snprintf(progname, sizeof(progname), "ipctrace %s",
			 commands[i].name);
		argv[1] = progname;
		return commands[i].run(argc - 1, argv + 1);
	}
	pr_err("unknown command '%s'; run 'ipctrace --help' for the list\n",
	       QUOTE(argv[1]));
	return EXIT_USAGE;
}
