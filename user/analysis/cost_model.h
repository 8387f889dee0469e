/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cost_model.h - what one context switch and one syscall cost on this
 * machine, fitted across the cells of a run:
 *
 *   time per MB = copy + switch_cost * switches per MB + syscall_cost * syscalls per MB
 *
 * by least squares (GSL's gsl_multifit_linear_tsvd), with the standard
 * error of each fitted cost from the fit's covariance. Every cell moves the
 * same bytes per MB, so the cost of copying them is the intercept. The
 * fit's quality decides whether a verdict may use it at all; a cost within
 * its uncertainty (below COST_MIN_T standard errors) is never claimed; and
 * a fit whose terms add up to more than a pair's whole gap is said to be
 * inconsistent for that pair, with no number claimed.
 *
 * The verdicts rest on the measured decomposition (time_split.h): the
 * model is a cross-check, printed where it is consistent.
 */
#ifndef IPCTRACE_COST_MODEL_H
#define IPCTRACE_COST_MODEL_H

#include <stdbool.h>
#include <stddef.h>

struct cost_point {
	double s_per_mb;	/* 1 / throughput */
	double switches;	/* voluntary + involuntary, per MB */
	double syscalls;	/* write + read calls, per MB */
};

struct cost_model {
	bool usable;		/* good enough to explain a verdict with */
	char why[160];		/* when not: why not */
	size_t n;		/* cells fitted */
	double copy_us_per_mb;	/* intercept */
	double switch_us;	/* per context switch */
	double syscall_us;	/* per syscall */
	/* one standard error of each, from the fit's covariance */
	double copy_se_us, switch_se_us, syscall_se_us;
	double r2;		/* coefficient of determination */
};

#define COST_MIN_POINTS 6
#define COST_MIN_R2 0.8
/* a cost is claimed only when it is this many standard errors above 0 */
#define COST_MIN_T 2.0

void cost_fit(const struct cost_point *p, size_t n, struct cost_model *m);

/* is the fitted cost outside its uncertainty (cost > COST_MIN_T x se)? */
bool cost_is_known(double cost, double se);

/*
 * How much of slow's extra time per MB over fast the model puts on extra
 * switches and syscalls. Returns false (and says nothing) for an unusable
 * model or when slow is not slower. text, one of:
 *   "of pipe's 0.43 s/GB disadvantage, 0.38 +- 0.05 s is priced to 9.8
 *    extra context switches per MB at 3.9 +- 0.5 us each"
 *   "inconsistent for this pair: 60.5 extra context switches per MB at
 *    20 +- 3 us each would cost 1.21 s/GB, more than the whole gap of
 *    0.756 s/GB"
 *   "extra switches and syscalls explain none of the 1.6 s/GB gap ..."
 */
bool cost_explain(const struct cost_model *m, const char *slow_name,
		  const struct cost_point *slow, const struct cost_point *fast,
		  bool per_call_split, char *text, size_t len);

#endif
