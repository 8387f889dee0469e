// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "metrics.h"

struct metric_family *metrics_add_family(struct metrics *m, const char *name,
					 const char *help, const char *unit,
					 enum metric_type type,
					 const char *const *label_names,
					 int nlabels)
{
	struct metric_family *f;

	if (nlabels < 0 || nlabels > METRIC_MAX_LABELS)
		return NULL;
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		struct metric_family **nf = realloc(m->families, ncap * sizeof(*nf));

		if (!nf)
			return NULL;
		m->families = nf;
		m->cap = ncap;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	m->families[m->n++] = f;
	f->name = name;
	f->help = help;
	f->unit = unit;
	f->type = type;
	f->label_names = label_names;
	f->nlabels = nlabels;
	return f;
}

int metric_add_point(struct metric_family *f, const char *const *values,
		     double value, const uint64_t *buckets)
{
	struct metric_point *p;

	if (f->npoints == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 8;
		struct metric_point *np = realloc(f->points, ncap * sizeof(*np));

		if (!np)
			return -1;
		f->points = np;
		f->cap = ncap;
	}
	p = &f->points[f->npoints++];
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < f->nlabels; i++)
		p->label_values[i] = values[i];
	p->value = value;
	p->buckets = buckets;
	return 0;
}

void metrics_free(struct metrics *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->families[i]->points);
		free(m->families[i]);
	}
	free(m->families);
	memset(m, 0, sizeof(*m));
}
