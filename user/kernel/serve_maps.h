/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve_maps.h - what a tracer that runs all day needs besides reading
 * its counters: deleting the entries of exited threads from every
 * per-thread map, so the maps do not grow without bound, and the run
 * time the kernel measured in each BPF program.
 */
#ifndef IPCTRACE_SERVE_MAPS_H
#define IPCTRACE_SERVE_MAPS_H

#include <stddef.h>
#include <stdint.h>
#include "tracer.h"

/*
 * Delete the records of these threads: their slots in threads and tasks
 * and their histograms' slots go back to the free queues (when the thread
 * is gone), their entries in sleeps and wakes (as waker or wakee) are
 * deleted. 0, or a negative errno of a map walk that failed (the
 * deletions made stay made).
 */
int tracer_forget_threads(struct tracer *t, const __u32 *tids, size_t n);

struct prog_stat {
	char name[48];
	uint64_t run_ns, runs;
};

/* each loaded program's bpf_prog_info run_time_ns and run_cnt (they count
 * only while BPF stats are enabled); how many, at most max */
size_t tracer_prog_stats(struct tracer *t, struct prog_stat *out, size_t max);

#endif
