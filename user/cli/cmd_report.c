// SPDX-License-Identifier: GPL-2.0
/* cmd_report.c - `ipctrace report DIR`: a results directory rendered again. */
#include <argp.h>
#include <errno.h>
#include <string.h>
#include "arg_quote.h"
#include "commands.h"
#include "log.h"
#include "plots.h"
#include "preflight.h"
#include "results_load.h"

struct report_args {
	const char *dir;
	bool plots, csv;
	char why[200];
};

static const struct argp_option report_options[] = {
	{ "plots", 'P', NULL, 0, "draw the plots into DIR again (needs gnuplot)", 0 },
	{ "csv", 'c', NULL, 0, "print CSV, one line per cell", 0 },
	{ "verbose", 'v', NULL, 0, "show debug output", 0 },
	HELP_OPTIONS,
	{ 0 },
};

static error_t report_parse(int key, char *arg, struct argp_state *state)
{
	struct report_args *a = state->input;

	switch (key) {
	case 'P':
		a->plots = true;
		return 0;
	case 'c':
		a->csv = true;
		return 0;
	case 'v':
		log_level = LOG_DEBUG;
		return 0;
	case ARGP_KEY_ARG:
		if (a->dir) {
			snprintf(a->why, sizeof(a->why), "unexpected argument '%s': give"
				 " one results directory", QUOTE(arg));
			return EINVAL;
		}
		a->dir = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->dir) {
			snprintf(a->why, sizeof(a->why), "give the results directory to"
				 " report, e.g. ipctrace report results/2026-11-23-...");
			return EINVAL;
		}
		return 0;
	default:
		return help_parse(key, arg, state);
	}
}

static const char report_doc[] =
	"Render the terminal report of a results directory again (what `ipctrace"
	" run` printed), from its results.json.\n"
	"\v"
	"Examples:\n"
	"  ipctrace report results/2026-11-23-031522-vm-6.18.44   # print it again\n"
	"  ipctrace report results/reference-6.18-tracepoint --plots   # and redraw\n";

int cmd_report(int argc, char **argv)
{
	struct report_args a = { 0 };
	struct argp argp = { report_options, report_parse, "DIR", report_doc,
			     NULL, NULL, NULL };
	struct report_model m;
	struct results_dir d = { 0 };
	char why[600];
	int ret;

	ret = parse_subcommand_args(&argp, argc, argv, &a, a.why);
	if (ret)
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	if (results_load(a.dir, &m, NULL, why, sizeof(why))) {
		pr_err("%s\n", why);
		return EXIT_ENV;
	}
	if (a.plots) {
		results_dir_existing(&d, a.dir);
		if (!plots_available()) {
			pr_err("gnuplot is not installed: sudo apt-get install gnuplot-nox\n");
			report_model_free(&m);
			return EXIT_ENV;
		}
		if (plots_write(&m, &d, why, sizeof(why))) {
			pr_err("%s\n", why);
			report_model_free(&m);
			return EXIT_ENV;
		}
	}
	if (a.csv)
		report_csv(stdout, &m);
	else
		report_text(stdout, &m);
	report_model_free(&m);
	return 0;
}
