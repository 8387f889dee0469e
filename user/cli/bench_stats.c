// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include "bench_stats.h"
#include "cell_stats.h"

void series_add(struct series *s, double v)
{
	if (s->n < BENCH_MAX_ROUNDS && !isnan(v))
		s->v[s->n++] = v;
}

double series_median(const struct series *s)
{
	return median(s->v, s->n);
}

const char *series_pct(const struct series *s, char *buf, size_t len)
{
	double m, lo, hi;

	if (!s->n) {
		snprintf(buf, len, "-");
		return buf;
	}
	median_min_max(s->v, s->n, &m, &lo, &hi);
	snprintf(buf, len, "%.1f%% (%.0f..%.0f)", m, lo, hi);
	return buf;
}

void prog_table_add(struct prog_table *t, const struct observer_cost *c)
{
	if (!c->measured)
		return;
	series_add(&t->total_pct, observer_cost_pct(c));
	for (unsigned int i = 0; i < c->nprogs; i++) {
		const struct prog_cost *p = &c->prog[i];
		struct prog_series *ps = NULL;

		if (!p->run_cnt)
			continue;
		for (unsigned int k = 0; k < t->n; k++)
			if (!strcmp(t->p[k].name, p->name))
				ps = &t->p[k];
		if (!ps && t->n < OBS_MAX_PROGS) {
			ps = &t->p[t->n++];
			snprintf(ps->name, sizeof(ps->name), "%s", p->name);
		}
		if (!ps)
			continue;
		series_add(&ps->ns, prog_cost_ns_per_run(p));
		series_add(&ps->pct, prog_cost_pct(c, p));
	}
}

double prog_table_ns(const struct prog_table *t, const char *short_name)
{
	for (unsigned int k = 0; k < t->n; k++)
		if (!strcmp(prog_cost_short_name(t->p[k].name), short_name))
			return series_median(&t->p[k].ns);
	return NAN;
}

void prog_table_print(FILE *out, const struct prog_table *t, const char *indent)
{
	for (unsigned int k = 0; k < t->n; k++) {
		const struct prog_series *ps = &t->p[k];
		double m, lo, hi;

		median_min_max(ps->ns.v, ps->ns.n, &m, &lo, &hi);
		fprintf(out, "%s%-28s %6.0f ns/run (%.0f..%.0f), %5.2f%% of the"
			" workload's CPU\n", indent, ps->name, m, lo, hi,
			series_median(&ps->pct));
	}
}
