/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_report.h - what `ipctrace trace` prints: per process and thread,
 * per channel, interval summaries, JSON, and kernel stacks in the folded
 * format flamegraph.pl and speedscope read.
 */
#ifndef IPCTRACE_TRACE_REPORT_H
#define IPCTRACE_TRACE_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "ksyms.h"
#include "tracer.h"

/* everything the maps held at one moment */
struct trace_snapshot {
	struct ipct_thread *threads;	/* sorted by tgid, tid */
	size_t nthreads;
	struct ipct_hist *wait_hist;	/* per thread: all channel waits */
	struct ipct_hist *wake_hist;	/* per thread: wakeup-to-run */
	struct ipct_chan *chans;	/* sorted by inode */
	size_t nchans;
	struct wake_edge *wakes;
	size_t nwakes;
	struct sleep_entry *sleeps;
	size_t nsleeps;
	__u64 drops[IPCT_DROP_COUNT];
	double seconds;			/* since tracing began */
};

struct trace_info {
	char attach[64];
	char targets[256];
	bool calls_counted;	/* per-channel call counts (fexit/kretprobe/sys_exit) */
	char calls_source[96];
};

int trace_snapshot_take(struct tracer *t, double seconds, struct trace_snapshot *s);
/* the thread records only: all that trace_report_interval() reads */
int trace_snapshot_take_threads(struct tracer *t, double seconds,
				struct trace_snapshot *s);
void trace_snapshot_free(struct trace_snapshot *s);

void trace_report_text(FILE *out, const struct trace_snapshot *s,
		       const struct trace_info *info);
json_t *trace_report_json(const struct trace_snapshot *s,
			  const struct trace_info *info);
/* one line per thread that did something since prev (NULL: since start) */
void trace_report_interval(FILE *out, const struct trace_snapshot *now,
			   const struct trace_snapshot *prev,
			   const struct trace_info *info);
/* "comm;frame;...;frame microseconds", root first; -1 on write errors */
int trace_write_folded(FILE *out, struct tracer *t, const struct trace_snapshot *s,
		       const struct ksyms *k);

#endif
