/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rep.h - one repetition of one cell of `ipctrace run`: start the workers,
 * release them together, collect what they say they did, what the kernel
 * counted (/proc, getrusage) and what the BPF programs counted, and check
 * the three against each other.
 */
#ifndef IPCTRACE_REP_H
#define IPCTRACE_REP_H

#include <signal.h>
#include <stdbool.h>
#include "profiler.h"
#include "run_result.h"
#include "tracer.h"
#include "workload.h"


/*
 * Run one repetition. t may be NULL (an untraced run, for `make bench`).
 * stop is polled: when it becomes nonzero the workers are killed and the
 * result is marked interrupted.
 */
void rep_run(struct tracer *t, const struct rep_plan *plan,
	     volatile sig_atomic_t *stop, struct rep_result *r);
/*
 * The same, with the CPU profile of the workers (prof may be NULL): its
 * samples are reset with the counters and read, by role, once the
 * workers park, into r->prof (the caller frees it).
 */
void rep_run_profiled(struct tracer *t, struct profiler *prof,
		      const struct rep_plan *plan, volatile sig_atomic_t *stop,
		      struct rep_result *r);

#endif
