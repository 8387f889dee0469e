// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_compare.c - `ipctrace compare A B`: what changed from results
 * directory A to B, cell by cell, with a significance mark; exits 3 when a
 * cell regressed beyond --threshold, for bisection and CI scripts.
 */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "commands.h"
#include "log.h"
#include "meta.h"
#include "preflight.h"
#include "results_load.h"
#include "sizes.h"

#define EXIT_REGRESSION 3

struct compare_args {
	const char *a, *b;
	double threshold;
	char why[200];
};

static const struct argp_option compare_options[] = {
	{ "threshold", 't', "PCT", 0, "a cell whose throughput fell by more than"
	  " PCT percent, beyond the spread, is a regression (default 10)", 0 },
	{ "verbose", 'v', NULL, 0, "show debug output", 0 },
	HELP_OPTIONS,
	{ 0 },
};

static error_t compare_parse(int key, char *arg, struct argp_state *state)
{
	struct compare_args *a = state->input;

	switch (key) {
	case 't':
		if (parse_decimal(arg, &a->threshold) || a->threshold >= 100) {
			snprintf(a->why, sizeof(a->why), "--threshold '%s': give a"
				 " percentage from 0 to 99", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'v':
		log_level = LOG_DEBUG;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->a)
			a->a = arg;
		else if (!a->b)
			a->b = arg;
		else {
			snprintf(a->why, sizeof(a->why), "unexpected argument '%s':"
				 " compare takes two results directories", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case ARGP_KEY_END:
		if (!a->b) {
			snprintf(a->why, sizeof(a->why), "give two results directories:"
				 " ipctrace compare BEFORE AFTER");
			return EINVAL;
		}
		return 0;
	default:
		return help_parse(key, arg, state);
	}
}

static const char compare_doc[] =
	"Compare two results directories cell by cell: the % change of"
	" throughput and of the per-MB counters from A to B, marked '=' when the"
	" min..max ranges overlap (no difference), '+' when B is faster and '-'"
	" when B is slower.\n"
	"\n"
	"Exits 3 when a cell of B lost more than --threshold percent of A's"
	" throughput with non-overlapping ranges, 0 otherwise: usable by git"
	" bisect run and CI scripts.\n"
	"\v"
	"Examples:\n"
	"  ipctrace compare results/before results/after   # what changed\n"
	"  ipctrace compare -t 5 results/6.1 results/6.18 || echo regressed   # in CI\n";

/* "+12%" in 6 columns, "-" when either side is unmeasured */
static const char *pct(double a, double b, char *buf, size_t len)
{
	if (isnan(a) || isnan(b))
		snprintf(buf, len, "-");
	else if (a == 0 && b == 0)
		snprintf(buf, len, "0%%");
	else if (a == 0)
		snprintf(buf, len, "new");
	else
		snprintf(buf, len, "%+.0f%%", 100.0 * (b - a) / a);
	return buf;
}

/* settings and machine facts that make two directories hard to compare */
static void differences(json_t *ma, json_t *mb, const struct report_model *a,
			const struct report_model *b)
{
	char list[600] = "";
	json_t *sa = json_object_get(ma, "sysctls"), *sb = json_object_get(mb, "sysctls");
	const char *k;
	json_t *v;

#define NOTE(...) snprintf(list + strlen(list), sizeof(list) - strlen(list), __VA_ARGS__)
	if (strcmp(a->meta.kernel, b->meta.kernel))
		NOTE(" kernel %s -> %s;", a->meta.kernel, b->meta.kernel);
	if (strcmp(a->meta.attach.mode, b->meta.attach.mode))
		NOTE(" attach %s -> %s;", a->meta.attach.mode, b->meta.attach.mode);
	if (a->set.io != b->set.io || a->set.pairs != b->set.pairs ||
	    a->set.threads != b->set.threads)
		NOTE(" workload settings (io, pairs, threads);");
	json_object_foreach(sa, k, v)
		if (!json_equal(v, json_object_get(sb, k)))
			NOTE(" %s %lld -> %lld;", k, (long long)json_integer_value(v),
			     (long long)json_integer_value(json_object_get(sb, k)));
#undef NOTE
	if (list[0])
		printf("note: A and B differ in:%s\n", list);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { .threshold = 10 };
	struct argp argp = { compare_options, compare_parse, "A B", compare_doc,
			     NULL, NULL, NULL };
	struct report_model ma, mb;
	json_t *meta_a = NULL, *meta_b = NULL;
	char why[600];
	unsigned int regressed = 0, both = 0;
	struct regression { const struct report_cell *a, *b; } *lost = NULL;
	size_t *sorted_a = NULL, *sorted_b = NULL;
	int ret = 0;

	ret = parse_subcommand_args(&argp, argc, argv, &a, a.why);
	if (ret)
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	if (results_load(a.a, &ma, &meta_a, why, sizeof(why))) {
		pr_err("%s\n", why);
		return EXIT_ENV;
	}
	if (results_load(a.b, &mb, &meta_b, why, sizeof(why))) {
		pr_err("%s\n", why);
		report_model_free(&ma);
		json_decref(meta_a);
		return EXIT_ENV;
	}
	lost = calloc(ma.ncells + 1, sizeof(*lost));
	/* lookups by bisection: files of any size compare in n log n */
	sorted_a = report_model_sorted(&ma);
	sorted_b = report_model_sorted(&mb);
	if (!lost || !sorted_a || !sorted_b) {
		pr_err("out of memory\n");
		ret = EXIT_ENV;
		goto out;
	}
	printf("ipctrace compare\n  A = %s (kernel %s)\n  B = %s (kernel %s)\n",
	       a.a, ma.meta.kernel, a.b, mb.meta.kernel);
	printf("change from A to B; '=' ranges overlap (no difference), '+' B"
	       " faster, '-' B slower;\nregression: B slower by more than %.0f%%"
	       " beyond the spread\n", a.threshold);
	differences(meta_a, meta_b, &ma, &mb);
	printf("\n%-8s %-8s %5s %-7s %-10s %8s %8s %7s %2s %6s %6s %6s %6s\n",
	       "pattern", "place", "msg", "buffer", "transport", "A MB/s", "B MB/s",
	       "change", "", "wr", "wwt", "vcs", "ics");
	for (size_t i = 0; i < ma.ncells; i++) {
		const struct report_cell *x = &ma.cells[i];
		const struct report_cell *y = report_model_find(&mb, sorted_b, &x->cell);
		const struct cell_summary *sx = &x->s, *sy;
		char msg[16], buf[16], c[5][16];
		const char *mark;
		double change;

		if (!y)
			continue;
		both++;
		sy = &y->s;
		change = 100.0 * (sy->mb_s_med - sx->mb_s_med) / sx->mb_s_med;
		if (sy->mb_s_min > sx->mb_s_max)
			mark = "+";
		else if (sy->mb_s_max < sx->mb_s_min)
			mark = "-";
		else
			mark = "=";
		if (*mark == '-' && -change > a.threshold) {
			lost[regressed++] = (struct regression){ x, y };
		}
		format_size(x->cell.msg_size, msg, sizeof(msg));
		cell_buffer_name(&x->cell, buf, sizeof(buf));
		printf("%-8s %-8s %5s %-7s %-10s %8.0f %8.0f %+6.1f%% %2s %6s %6s %6s %6s\n",
		       pattern_name(x->cell.pattern),
		       placement_short_name(x->cell.placement),
		       msg, buf, transport_name(x->cell.transport), sx->mb_s_med,
		       sy->mb_s_med, change, mark,
		       pct(sx->write_calls, sy->write_calls, c[0], 16),
		       pct(sx->writer_waits, sy->writer_waits, c[1], 16),
		       pct(sx->vol_switches, sy->vol_switches, c[2], 16),
		       pct(sx->invol_switches, sy->invol_switches, c[3], 16));
	}
	printf("(per-MB counters: wr = write calls, wwt = writer waits (blocked"
	       " writes + epoll waits), vcs/ics = switches)\n");
	for (int side = 0; side < 2; side++) {
		const struct report_model *from = side ? &mb : &ma, *other = side ? &ma : &mb;
		const size_t *other_sorted = side ? sorted_a : sorted_b;

		for (size_t i = 0; i < from->ncells; i++) {
			char name[96];

			if (report_model_find(other, other_sorted, &from->cells[i].cell))
				continue;
			cell_label(&from->cells[i].cell, name, sizeof(name));
			printf("only in %s: %s\n", side ? "B" : "A", name);
		}
	}
	if (!both)
		printf("no cell is in both directories: nothing to compare\n");
	if (regressed) {
		printf("\nREGRESSION: %u cell%s of B lost more than %.0f%% of A's"
		       " throughput beyond the spread:\n", regressed,
		       regressed == 1 ? "" : "s", a.threshold);
		for (unsigned int i = 0; i < regressed; i++) {
			const struct report_cell *x = lost[i].a, *y = lost[i].b;
			char name[96];

			cell_label(&x->cell, name, sizeof(name));
			printf("  %s: %.0f -> %.0f MB/s (%.1f%%; A %.0f..%.0f, B %.0f..%.0f)\n",
			       name, x->s.mb_s_med, y->s.mb_s_med,
			       100.0 * (y->s.mb_s_med - x->s.mb_s_med) / x->s.mb_s_med,
			       x->s.mb_s_min, x->s.mb_s_max, y->s.mb_s_min, y->s.mb_s_max);
		}
		ret = EXIT_REGRESSION;
	} else {
		printf("\nno regression beyond %.0f%%\n", a.threshold);
	}
out:
	free(lost);
	free(sorted_a);
	free(sorted_b);
	json_decref(meta_a);
	json_decref(meta_b);
	report_model_free(&ma);
	report_model_free(&mb);
	return ret;
}
