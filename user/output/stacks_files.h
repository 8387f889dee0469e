/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stacks_files.h - a run's on-CPU stacks, for flame graphs, under
 * stacks/ in its results directory:
 *
 *   stacks/<pattern>-<placement>-<msg>-<buffer>-<transport>.folded
 *       every profiled cell's samples: "writer;<user frames>;<kernel
 *       frames> <samples>", root first (flamegraph.pl, speedscope);
 *   stacks/<pattern>-<placement>-<msg>-<buffer>.<a>-vs-<b>.<a|b>.folded
 *       per verdict, the two cells weighted alike for difffolded.pl: in
 *       nanoseconds of CPU per 1000 write calls, so the difference of the
 *       pair is the difference in work per call.
 */
#ifndef IPCTRACE_STACKS_FILES_H
#define IPCTRACE_STACKS_FILES_H

#include <stdio.h>
#include "report_model.h"
#include "results_dir.h"
#include "run_result.h"

/* write them all; 0, or -1 with why (the first file that failed) */
int stacks_write(const struct results_dir *d, const struct report_model *m,
		 const struct run_results *res, char *why, size_t len);

/*
 * One cell's folded stacks into out: each stack's samples times scale
 * (1: samples), rounded; stacks rounding to 0 are left out.
 */
int stacks_write_folded(FILE *out, const struct prof_samples *s, double scale);

#endif
