/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cost_model.h - what one context switch and one syscall cost on this
 * machine, fitted across the cells of a run:
 *
 *   time per MB = copy + switch_cost * switches per MB + syscall_cost * syscalls per MB
 *
 * by least squares. Every cell moves the same bytes per MB, so the cost
 * of copying them is the intercept. The fit's quality decides whether a
 * verdict may use it: a poor fit explains nothing.
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
	double r2;		/* coefficient of determination */
};

#define COST_MIN_POINTS 6
#define COST_MIN_R2 0.8

void cost_fit(const struct cost_point *p, size_t n, struct cost_model *m);

/*
 * How much of slow's extra time per MB over fast the model puts on extra
 * switches and syscalls. Returns false (and says nothing) for an unusable
 * model. text: "of pipe's 0.43 s/GB disadvantage, 0.38 s is explained by
 * 9.8 extra context switches per MB at about 3.9 us each". per_call_split:
 * the CPU profile splits the work inside the calls (cpu_verdict.h), so
 * the model points there instead of saying it cannot see it.
 */
bool cost_explain(const struct cost_model *m, const char *slow_name,
		  const struct cost_point *slow, const struct cost_point *fast,
		  bool per_call_split, char *text, size_t len);

#endif
