/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve_families.h - the metric families `ipctrace serve` exports: the
 * series of analysis/series_fold.h and what ipctrace knows about itself,
 * as one model/metrics.h set, in base units (seconds, bytes, fractions).
 */
#ifndef IPCTRACE_SERVE_FAMILIES_H
#define IPCTRACE_SERVE_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ipctrace.h"
#include "metrics.h"
#include "observer_cost.h"
#include "series_fold.h"

/* ipctrace about itself */
struct serve_self {
	const char *version, *kernel, *attach;
	/* per-op calls and bytes are known (fexit, kretprobe, sys_exit): in
	 * tracepoint mode without sys_exit they are not */
	bool calls_counted;
	bool stats_enabled;	/* BPF run time is being measured */
	/* each program's run time and runs (tracer_observer_cost()) */
	const struct prog_cost *progs;
	size_t nprogs;
	__u64 drops[IPCT_DROP_COUNT];
	uint64_t threads_reclaimed;
	double snapshot_seconds;	/* the previous snapshot's cost */
};

/*
 * Build the families into m (empty), series sorted by comm, cgroup, pid.
 * m borrows from s and self: render it before either changes. 0, or -1
 * when out of memory.
 */
int serve_families_build(struct metrics *m, const struct series_store *s,
			 const struct serve_self *self);

/* the lost_events reason label of a drop: "thread_map_full" */
const char *serve_drop_label(enum ipct_drop d);

#endif
