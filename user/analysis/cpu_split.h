/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpu_split.h - a cell's CPU per write call and its split by mechanism.
 *
 * How much: the workers' own CPU time (getrusage: user + system, exact
 * to the nanosecond of scheduler accounting) over their write calls.
 * Where: the shares of the cell's profile samples in each mechanism
 * (mechanisms.h). A mechanism's us per write is its share of the whole,
 * so the shares sum to 1 and the parts to the whole, and no sample
 * period needs to be trusted. Each part has the binomial standard error
 * of its share: sqrt(p (1 - p) / samples) x us per write.
 */
#ifndef IPCTRACE_CPU_SPLIT_H
#define IPCTRACE_CPU_SPLIT_H

#include <stdbool.h>
#include <stdint.h>
#include "mechanisms.h"
#include "run_result.h"

struct mech_share {
	enum mechanism mech;
	uint64_t samples;
	double share;		/* of the cell's samples */
	double us_per_write;	/* share x the cell's us per write */
	double se_us;		/* its sampling standard error */
};

struct cpu_split {
	bool have;		/* the cell was profiled and sampled */
	double us_per_write;	/* writer + reader CPU per write call */
	double writer_us, reader_us;	/* the same, by role */
	double us_min, us_max;	/* us per write, over the repetitions */
	uint64_t samples;
	uint64_t artefact_samples;	/* taken where interrupts came back on */
	unsigned int nmech;
	struct mech_share by[MECH_COUNT];	/* largest share first, none empty */
};

/*
 * The split from samples per mechanism and the measured CPU per write;
 * the one place shares and errors are computed (tests feed it directly).
 */
void cpu_split_from_counts(const uint64_t counts[MECH_COUNT], uint64_t artefact,
			   double us_per_write, double us_min, double us_max,
			   struct cpu_split *out);

/* a cell's split: its samples classified, its CPU from getrusage */
void cell_cpu_summarize(const struct cell_result *cr, struct mech_classifier *mc,
			struct cpu_split *out);

/* mechanism m's part; NULL when no sample landed there */
const struct mech_share *cpu_split_find(const struct cpu_split *s,
					enum mechanism m);

#endif
