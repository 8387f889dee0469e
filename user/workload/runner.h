/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runner.h - the whole `ipctrace run` matrix. Cells that differ only in
 * transport form a comparison group; a group is calibrated once (so every
 * transport in it moves the same bytes), then its repetitions run
 * interleaved, transport after transport, so drift hits all of them alike.
 */
#ifndef IPCTRACE_RUNNER_H
#define IPCTRACE_RUNNER_H

#include <signal.h>
#include "identity.h"
#include "run_config.h"
#include "profiler.h"
#include "run_result.h"
#include "tracer.h"


/* expand the matrix; cells ordered group by group */
int runner_plan(const struct run_config *c, struct run_results *out);

/*
 * Run every cell. t may be NULL (untraced), and prof (not profiled). Progress with an ETA goes to
 * stderr when it is a terminal. Stops early, keeping what finished, when
 * *stop becomes nonzero or a repetition fails. after_group (may be NULL)
 * runs after each comparison group: results are saved as they come.
 */
void runner_run(const struct run_config *c, const struct worker_identity *id,
		struct tracer *t, struct profiler *prof, volatile sig_atomic_t *stop,
		struct run_results *res,
		void (*after_group)(void *arg), void *arg);

void runner_free(struct run_results *res);

#endif
