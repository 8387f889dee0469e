/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict.h - for two cells that differ only in transport: which won, by
 * how much, whether that is beyond the spread of the repetitions, and the
 * mechanism, in the counters that differ most.
 */
#ifndef IPCTRACE_VERDICT_H
#define IPCTRACE_VERDICT_H

#include <stdbool.h>
#include "cell_stats.h"

struct verdict {
	int winner;		/* 0: a, 1: b, -1: no significant difference */
	double ratio;		/* faster median / slower median */
	bool significant;	/* the min..max ranges do not overlap */
	char headline[200];
	char mechanism[600];	/* "" when no counter explains it */
};

/*
 * name_a/name_b: the transports; ca/cb: their cells (for capacities).
 * Works on summaries only, so tests can feed it synthetic numbers.
 */
void verdict_compare(const char *name_a, const struct cell_summary *a,
		     const char *name_b, const struct cell_summary *b,
		     struct verdict *v);

/*
 * The one mechanism behind slow's loss, in numbers: the largest term of
 * the measured gap of the writer's time (time_split.h), phrased with the
 * counters behind it, e.g. "socketpair spends 1.4 us more CPU per write
 * (2.19 against 0.83 us, every worker)" or "a pipe writer waits for room
 * 9.03 times per MB against 0.57 (capacity at block 64 KiB (16 slots)
 * against 208 KiB)". unit: pattern_unit_name(). False, and "", when the
 * cells' times are unmeasured or slow's writer is not slower.
 */
bool verdict_top_mechanism(const char *slow_name, const struct cell_summary *slow,
			   const char *fast_name, const struct cell_summary *fast,
			   const char *unit, char *text, size_t len);

/* "64 KiB (16 slots)" / "416 KiB" for a writer's capacity at block */
void format_capacity(const struct cell_summary *s, char *buf, size_t len);

#endif
