/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpu_verdict.h - the per-call part of a verdict: how much more CPU per
 * write the slower transport spends, and in which mechanisms, from the
 * two cells' profiles (cpu_split.h).
 *
 * A mechanism's difference is claimed only beyond CPU_CLAIM_SIGMAS of its
 * sampling error (the two binomial errors combined); the rest of the gap
 * is said to be what the profile cannot split, with its size: the terms
 * within their error, and code the mechanism table does not name. The
 * gap itself counts only when the repetitions' ranges of CPU per write do
 * not overlap, the rule the throughput verdict follows.
 */
#ifndef IPCTRACE_CPU_VERDICT_H
#define IPCTRACE_CPU_VERDICT_H

#include <stdbool.h>
#include "cpu_split.h"

#define CPU_CLAIM_SIGMAS 2.0

struct cpu_term {
	enum mechanism mech;
	double d_us;		/* slow minus fast, us per write */
	double se_us;		/* the sampling error of d_us */
	bool claimed;		/* |d_us| > CPU_CLAIM_SIGMAS x se_us */
};

struct cpu_gap {
	bool said;		/* text holds something (both cells profiled) */
	bool significant;	/* the gap is beyond the repetitions' spread */
	double gap_us;		/* slow minus fast CPU per write */
	struct cpu_term terms[MECH_COUNT];	/* largest difference first */
	unsigned int nterms;
	double claimed_us;	/* the claimed terms, summed */
	double uncertain_us;	/* the named terms within their error */
	double other_us;	/* MECH_OTHER: code the table does not name */
	char text[900];
};

void cpu_gap_explain(const char *slow_name, const struct cpu_split *slow,
		     const char *fast_name, const struct cpu_split *fast,
		     struct cpu_gap *g);

#endif
