/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_report.h - what `ipctrace trace` prints: per process and thread,
 * per channel, interval summaries, JSON, and kernel stacks in the folded
 * format flamegraph.pl and speedscope read.
 */
#ifndef IPCTRACE_TRACE_REPORT_H
#define IPCTRACE_TRACE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "attach_report.h"
#include "observer_cost.h"
#include "trace_snapshot.h"

/*
 * The `trace --json` document. Format 2 renamed blocking_writes to
 * blocked_writes and read_sleeps to blocked_reads (threads and channels).
 * Format 3 added waits by cause (threads: buffer_waits, buffer_wait_ms,
 * lock_fault_waits, lock_fault_wait_ms, spinlock_waits; channels:
 * write_/read_buffer_waits, write_/read_lock_fault_waits) and preempt_rt,
 * the cpu profile (threads' cpu, profile), calls_scope, and made a socket
 * pair one channel with its two sockets under "ends".
 * Format 4 made a channel's calls and bytes that the attach mode does not
 * count null (they were 0), and added open_channels (channels open in the
 * traced processes that no wait or call showed) and observer (what our
 * programs cost against the traced threads' CPU).
 */
#define TRACE_FORMAT_VERSION 4

struct trace_info {
	struct attach_report attach;	/* what the loader attached */
	char targets[256];
	bool calls_counted;	/* every op's calls counted (fexit/kretprobe/sys_exit) */
	/* per op (enum ipct_op): per-channel calls and bytes known; where not,
	 * the reports say unknown, never 0 */
	bool op_counted[IPCT_OP_COUNT];
	char calls_source[128];
	bool preempt_rt;	/* the kernel is PREEMPT_RT (kernel_facts) */
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
/* the root of each folded stack (--folded-by) */
enum folded_key {
	FOLDED_BY_COMM = 0,	/* the thread's name: same names merge */
	FOLDED_BY_PROCESS,	/* "name-PID" of its process */
	FOLDED_BY_THREAD,	/* "name-PID;name-TID": process, then thread */
};
/* "comm", "process", "thread"; -1 for anything else */
int folded_key_parse(const char *s);

/* "comm;frame;...;frame microseconds", root first; -1 on write errors */
int trace_write_folded(FILE *out, const struct trace_snapshot *s,
		       enum folded_key key);

/* ---- the CPU profile of traced threads (trace_profile.c) ---- */
/* a thread's IPC calls (writes + reads), as its row counts them */
unsigned long long trace_thread_calls(const struct ipct_thread *th,
				      const struct trace_info *info);
/* the "cpu" section: per thread, CPU, CPU per call and its split */
void trace_profile_text(FILE *out, const struct trace_snapshot *s,
			const struct trace_info *info);
/*
 * Every thread's samples by mechanism, classified once: nthreads rows of
 * MECH_COUNT counts (malloc'ed; NULL without a profile).
 */
uint64_t *trace_profile_counts(const struct trace_snapshot *s);
/* thread i's "cpu" object from those counts (null without samples) */
json_t *trace_thread_cpu_json(const struct trace_snapshot *s, size_t i,
			      const uint64_t *counts, const struct trace_info *info);
/* the "profile" object */
json_t *trace_profile_json(const struct trace_snapshot *s);
/* "key;user frames;kernel frames samples", root first (--cpu-folded) */
int trace_write_cpu_folded(FILE *out, const struct trace_snapshot *s,
			   enum folded_key key);
/* the root frame(s) of a thread's stacks under key */
void folded_root(const struct trace_snapshot *s, __u32 tgid, __u32 tid,
		 enum folded_key key, char *buf, size_t len);

#endif
