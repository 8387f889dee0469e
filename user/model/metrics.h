/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - metric families as an exposition format sees them: names,
 * help, unit, type, label names, and one point per label set. Plain data:
 * output/serve_families.c builds it from the series of `ipctrace serve`,
 * output/exposition.c renders it as OpenMetrics or Prometheus text.
 */
#ifndef IPCTRACE_METRICS_H
#define IPCTRACE_METRICS_H

#include <stddef.h>
#include <stdint.h>

enum metric_type {
	METRIC_COUNTER = 0,
	METRIC_GAUGE,
	METRIC_HISTOGRAM,
	METRIC_INFO,		/* a gauge of 1 carrying labels */
};

#define METRIC_MAX_LABELS 6

/* one label set of a family */
struct metric_point {
	const char *label_values[METRIC_MAX_LABELS];	/* per label name */
	double value;		/* counter or gauge; a histogram's sum */
	/*
	 * a histogram's counts per bound, not cumulative: buckets[i] counts
	 * the values in (bounds[i-1], bounds[i]], buckets[nbounds] those
	 * above every bound. Borrowed: it must outlive the rendering.
	 */
	const uint64_t *buckets;
};

struct metric_family {
	/* without the _total of a counter's samples or the _info of an info's */
	const char *name;
	const char *help;
	const char *unit;	/* NULL, or the suffix of name: "seconds" */
	enum metric_type type;
	const char *const *label_names;
	int nlabels;
	const double *bounds;	/* histograms: ascending, fixed for the process */
	int nbounds;
	struct metric_point *points;
	size_t npoints, cap;
};

struct metrics {
	/* rendered in this order; each allocated alone, so that a family
	 * pointer stays valid while more families are added */
	struct metric_family **families;
	size_t n, cap;
};

/*
 * A new family at the end; NULL when out of memory. Strings are borrowed.
 * The pointer stays valid until metrics_free().
 */
struct metric_family *metrics_add_family(struct metrics *m, const char *name,
					 const char *help, const char *unit,
					 enum metric_type type,
					 const char *const *label_names,
					 int nlabels);
/* values: one per label name (borrowed); 0, or -1 when out of memory */
int metric_add_point(struct metric_family *f, const char *const *values,
		     double value, const uint64_t *buckets);
void metrics_free(struct metrics *m);

#endif
