/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve_maps.h - what a tracer that runs all day needs besides reading
 * its counters: deleting the entries of exited threads from every
 * per-thread map, so the maps do not grow without bound.
 */
#ifndef IPCTRACE_SERVE_MAPS_H
#define IPCTRACE_SERVE_MAPS_H

#include <stddef.h>
#include "tracer.h"

/*
 * Delete the records of these threads: their slots in threads and tasks
 * and their histograms' slots go back to the free queues (when the thread
 * is gone), their entries in sleeps and wakes (as waker or wakee) are
 * deleted. 0, or a negative errno of a map walk that failed (the
 * deletions made stay made).
 */
int tracer_forget_threads(struct tracer *t, const __u32 *tids, size_t n);

#endif
