// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include "cpu_split.h"

void cpu_split_from_counts(const uint64_t counts[MECH_COUNT], uint64_t artefact,
			   double us_per_write, double us_min, double us_max,
			   struct cpu_split *out)
{
	uint64_t total = 0;

	memset(out, 0, sizeof(*out));
	for (int m = 0; m < MECH_COUNT; m++)
		total += counts[m];
	if (!total || !isfinite(us_per_write))
		return;
	out->have = true;
	out->samples = total;
	out->artefact_samples = artefact;
	out->us_per_write = us_per_write;
	out->us_min = us_min;
	out->us_max = us_max;
	out->writer_us = out->reader_us = NAN;
	for (int m = 0; m < MECH_COUNT; m++) {
		struct mech_share *s;
		double p;

		if (!counts[m])
			continue;
		p = (double)counts[m] / (double)total;
		s = &out->by[out->nmech++];
		s->mech = (enum mechanism)m;
		s->samples = counts[m];
		s->share = p;
		s->us_per_write = p * us_per_write;
		s->se_us = sqrt(p * (1 - p) / (double)total) * us_per_write;
	}
	/* largest first; ties in table order, so the order is stable */
	for (unsigned int i = 1; i < out->nmech; i++)
		for (unsigned int j = i; j > 0 && out->by[j].samples > out->by[j - 1].samples; j--) {
			struct mech_share t = out->by[j];

			out->by[j] = out->by[j - 1];
			out->by[j - 1] = t;
		}
}

/* writer + reader CPU per write call of one repetition, by role */
static double rep_us(const struct rep_result *r, int role)
{
	double writes = (double)(r->wl_write_calls[ROLE_WRITER] +
				 r->wl_write_calls[ROLE_READER]);
	double cpu = role < 0 ? r->cpu_s : r->cpu_user_s[role] + r->cpu_sys_s[role];

	return writes > 0 ? cpu * 1e6 / writes : NAN;
}

void cell_cpu_summarize(const struct cell_result *cr, struct mech_classifier *mc,
			struct cpu_split *out)
{
	uint64_t counts[MECH_COUNT] = { 0 }, artefact = 0;
	double cpu = 0, cpu_role[2] = { 0, 0 }, writes = 0, lo = NAN, hi = NAN;

	memset(out, 0, sizeof(*out));
	if (!cr->profiled || !cr->nreps)
		return;
	for (unsigned int i = 0; i < cr->nreps; i++) {
		const struct rep_result *r = &cr->reps[i];
		double us = rep_us(r, -1);

		cpu += r->cpu_s;
		cpu_role[0] += r->cpu_user_s[0] + r->cpu_sys_s[0];
		cpu_role[1] += r->cpu_user_s[1] + r->cpu_sys_s[1];
		writes += (double)(r->wl_write_calls[0] + r->wl_write_calls[1]);
		lo = i ? fmin(lo, us) : us;
		hi = i ? fmax(hi, us) : us;
	}
	for (size_t i = 0; i < cr->prof.n; i++) {
		const struct prof_stack *st = &cr->prof.v[i];
		bool art;

		counts[mech_classify(mc, st->kframes, st->user_mode, &art)] += st->samples;
		if (art)
			artefact += st->samples;
	}
	if (!(writes > 0))
		return;
	cpu_split_from_counts(counts, artefact, cpu * 1e6 / writes, lo, hi, out);
	if (out->have) {
		out->writer_us = cpu_role[ROLE_WRITER] * 1e6 / writes;
		out->reader_us = cpu_role[ROLE_READER] * 1e6 / writes;
	}
}

const struct mech_share *cpu_split_find(const struct cpu_split *s,
					enum mechanism m)
{
	for (unsigned int i = 0; i < s->nmech; i++)
		if (s->by[i].mech == m)
			return &s->by[i];
	return NULL;
}
