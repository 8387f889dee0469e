/* SPDX-License-Identifier: GPL-2.0 */
/* snapshot.h - reading a started tracer's maps into a trace_snapshot. */
#ifndef IPCTRACE_SNAPSHOT_H
#define IPCTRACE_SNAPSHOT_H

#include "profiler.h"
#include "trace_snapshot.h"
#include "tracer.h"

int trace_snapshot_take(struct tracer *t, double seconds, struct trace_snapshot *s);
/* the thread records only: all that trace_report_interval() reads */
int trace_snapshot_take_threads(struct tracer *t, double seconds,
				struct trace_snapshot *s);
/* add the symbolized kernel stacks of the sleeps (--folded) */
int trace_snapshot_take_stacks(struct tracer *t, struct trace_snapshot *s);
/* stop the CPU profile and add its samples, per thread, and how it went */
int trace_snapshot_take_profile(struct profiler *p, struct trace_snapshot *s);

#endif
