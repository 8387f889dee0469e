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
#include "attach_report.h"
#include "observer_cost.h"
#include "trace_snapshot.h"

/*
 * The `trace --json` document. Format 2 renamed blocking_writes to
 * blocked_writes and read_sleeps to blocked_reads (threads and channels).
 */
#define TRACE_FORMAT_VERSION 2

struct trace_info {
	struct attach_report attach;	/* what the loader attached */
	char targets[256];
	bool calls_counted;	/* every op's calls counted (fexit/kretprobe/sys_exit) */
	/* per op (enum ipct_op): per-channel calls and bytes known; where not,
	 * the reports say unknown, never 0 */
	bool op_counted[IPCT_OP_COUNT];
	char calls_source[128];
	struct observer_cost observer;	/* our programs against the traced CPU */
};

void trace_report_text(FILE *out, const struct trace_snapshot *s,
		       const struct trace_info *info);
json_t *trace_report_json(const struct trace_snapshot *s,
			  const struct trace_info *info);
/* one line per thread that did something since prev (NULL: since start) */
void trace_report_interval(FILE *out, const struct trace_snapshot *now,
			   const struct trace_snapshot *prev,
			   const struct trace_info *info);
/* "comm;frame;...;frame microseconds", root first; -1 on write errors */
int trace_write_folded(FILE *out, const struct trace_snapshot *s);

#endif
