// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "observer_cost.h"

static struct prog_cost *find_or_add(struct observer_cost *c, const char *name)
{
	for (unsigned int i = 0; i < c->nprogs; i++)
		if (!strcmp(c->prog[i].name, name))
			return &c->prog[i];
	if (c->nprogs == OBS_MAX_PROGS)
		return NULL;
	snprintf(c->prog[c->nprogs].name, sizeof(c->prog[0].name), "%s", name);
	c->prog[c->nprogs].run_ns = c->prog[c->nprogs].run_cnt = 0;
	return &c->prog[c->nprogs++];
}

void observer_cost_delta(const struct observer_cost *after,
			 const struct observer_cost *before,
			 struct observer_cost *out)
{
	struct observer_cost d = { .measured = after->measured && before->measured };

	for (unsigned int i = 0; i < after->nprogs; i++) {
		const struct prog_cost *a = &after->prog[i];
		struct prog_cost *p = find_or_add(&d, a->name);

		if (!p)
			break;
		p->run_ns = a->run_ns;
		p->run_cnt = a->run_cnt;
		for (unsigned int j = 0; j < before->nprogs; j++) {
			const struct prog_cost *b = &before->prog[j];

			if (strcmp(b->name, a->name))
				continue;
			/* counters only grow while the program is loaded */
			p->run_ns = a->run_ns >= b->run_ns ? a->run_ns - b->run_ns : 0;
			p->run_cnt = a->run_cnt >= b->run_cnt ? a->run_cnt - b->run_cnt : 0;
		}
	}
	d.workload_cpu_s = after->workload_cpu_s - before->workload_cpu_s;
	*out = d;
}

void observer_cost_add(struct observer_cost *dst, const struct observer_cost *src)
{
	bool first = dst->nprogs == 0 && dst->workload_cpu_s == 0;

	dst->measured = first ? src->measured : dst->measured && src->measured;
	for (unsigned int i = 0; i < src->nprogs; i++) {
		struct prog_cost *p = find_or_add(dst, src->prog[i].name);

		if (!p)
			break;
		p->run_ns += src->prog[i].run_ns;
		p->run_cnt += src->prog[i].run_cnt;
	}
	dst->workload_cpu_s += src->workload_cpu_s;
}

uint64_t observer_cost_total_ns(const struct observer_cost *c)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < c->nprogs; i++)
		n += c->prog[i].run_ns;
	return n;
}

double observer_cost_pct(const struct observer_cost *c)
{
	if (!c->measured || c->workload_cpu_s <= 0)
		return NAN;
	return 100.0 * (double)observer_cost_total_ns(c) / 1e9 / c->workload_cpu_s;
}

double prog_cost_pct(const struct observer_cost *c, const struct prog_cost *p)
{
	if (!c->measured || c->workload_cpu_s <= 0)
		return NAN;
	return 100.0 * (double)p->run_ns / 1e9 / c->workload_cpu_s;
}

double prog_cost_ns_per_run(const struct prog_cost *p)
{
	return p->run_cnt ? (double)p->run_ns / (double)p->run_cnt : NAN;
}

const char *prog_cost_short_name(const char *prog)
{
	/* the scheduler's flavours (tp_btf_v61_: 6.1's, bpf/reads.bpf.h);
	 * function probes keep fentry_/fexit_ */
	static const char *const prefixes[] = { "tp_btf_v61_", "tp_btf_",
						"raw_tp_", "tp_" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncmp(prog, prefixes[i], n))
			return prog + n;
	}
	return prog;
}
