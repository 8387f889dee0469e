/* SPDX-License-Identifier: GPL-2.0 */
/* trace_waits.h - waits by cause in `ipctrace trace`'s reports. */
#ifndef IPCTRACE_TRACE_WAITS_H
#define IPCTRACE_TRACE_WAITS_H

#include <stdio.h>
#include <jansson.h>
#include "trace_report.h"

/* one thread's waits over all four operations */
struct trace_waits {
	unsigned long long buffer, buffer_ns;	/* buffer waits */
	unsigned long long lock, lock_ns;	/* lock or fault waits */
	unsigned long long spin;		/* ... of them spinlocks (RT) */
};

void trace_waits_of_thread(const struct ipct_thread *th, struct trace_waits *w);
/* the "waits by cause" section, one line per thread that waited */
void trace_waits_text(FILE *out, const struct trace_snapshot *s,
		      const struct trace_info *info);
/* a channel's waits (both ends added up), one line under its calls (nothing when none) */
void trace_waits_chan_line(FILE *out, const struct ipct_op_stats *w,
			   const struct ipct_op_stats *r);
/* the keys of a thread and of a channel in `trace --json` */
void trace_waits_thread_json(json_t *thread, const struct ipct_thread *th);
void trace_waits_chan_json(json_t *chan, const struct ipct_op_stats *w,
			   const struct ipct_op_stats *r);

#endif
