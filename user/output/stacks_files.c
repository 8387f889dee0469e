// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sizes.h"
#include "stacks_files.h"

int stacks_write_folded(FILE *out, const struct prof_samples *s, double scale)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct prof_stack *st = &s->v[i];
		long long w = llround((double)st->samples * scale);
		const char *root = st->role == ROLE_WRITER ? "writer" :
				   st->role == ROLE_READER ? "reader" : "thread";

		if (w <= 0)
			continue;
		fprintf(out, "%s", root);
		if (st->uframes[0])
			fprintf(out, ";%s", st->uframes);
		if (st->kframes[0])
			fprintf(out, ";%s", st->kframes);
		else if (!st->user_mode)
			fprintf(out, ";[kernel stack lost]");
		fprintf(out, " %lld\n", w);
	}
	return ferror(out) ? -1 : 0;
}

/* "stream-unpinned-1000-default" */
static void cell_stem(const struct cell *cl, char *buf, size_t len)
{
	char msg[16], b[16];

	format_size(cl->msg_size, msg, sizeof(msg));
	cell_buffer_name(cl, b, sizeof(b));
	snprintf(buf, len, "%s-%s-%s-%s", pattern_name(cl->pattern),
		 placement_name(cl->placement), msg, b);
}

static const struct cell_result *raw_of(const struct run_results *res,
					const struct cell *cl)
{
	for (size_t i = 0; i < res->ncells; i++)
		if (cell_equal(&res->cells[i].cell, cl))
			return &res->cells[i];
	return NULL;
}

struct folded_arg {
	const struct prof_samples *s;
	double scale;
};

static int write_one(FILE *out, void *arg)
{
	const struct folded_arg *a = arg;

	return stacks_write_folded(out, a->s, a->scale);
}

/* ns of CPU per 1000 writes that one sample of the cell stands for */
static double per_kwrite(const struct report_cell *rc, const struct cell_result *cr)
{
	return rc->s.cpu.us_per_write * 1e6 / (double)cr->prof.total;
}

int stacks_write(const struct results_dir *d, const struct report_model *m,
		 const struct run_results *res, char *why, size_t len)
{
	struct results_dir sd;
	char stem[96], name[256];
	bool any = false;

	for (size_t i = 0; i < res->ncells; i++)
		any |= res->cells[i].profiled && res->cells[i].prof.total;
	if (!any)
		return 0;
	if (results_dir_subdir(d, "stacks", &sd, why, len))
		return -1;
	for (size_t i = 0; i < m->ncells; i++) {
		const struct cell_result *cr = raw_of(res, &m->cells[i].cell);
		struct folded_arg a = { .scale = 1 };

		if (!cr || !cr->prof.total)
			continue;
		a.s = &cr->prof;
		cell_stem(&cr->cell, stem, sizeof(stem));
		snprintf(name, sizeof(name), "%s-%s.folded", stem,
			 transport_name(cr->cell.transport));
		if (results_dir_write(&sd, name, write_one, &a, why, len))
			return -1;
	}
	for (size_t v = 0; v < m->nverdicts; v++) {
		const struct report_verdict *rv = &m->verdicts[v];
		const struct report_cell *x = &m->cells[rv->a], *y = &m->cells[rv->b];
		const struct report_cell *pair[2] = { x, y };

		for (int k = 0; k < 2; k++) {
			const struct cell_result *cr = raw_of(res, &pair[k]->cell);
			struct folded_arg a;

			if (!cr || !cr->prof.total || !x->s.cpu.have || !y->s.cpu.have)
				break;
			a = (struct folded_arg){ &cr->prof, per_kwrite(pair[k], cr) };
			cell_stem(&x->cell, stem, sizeof(stem));
			snprintf(name, sizeof(name), "%s.%s-vs-%s.%s.folded", stem,
				 transport_name(x->cell.transport),
				 transport_name(y->cell.transport),
				 transport_name(pair[k]->cell.transport));
			if (results_dir_write(&sd, name, write_one, &a, why, len))
				return -1;
		}
	}
	return 0;
}
