/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracer.h - the life of ipctrace's BPF side: open -> configure (switch off
 * the variants this kernel can't use, retarget renamed functions, size the
 * maps) -> load -> attach -> watch processes -> read -> stop.
 */
#ifndef IPCTRACE_TRACER_H
#define IPCTRACE_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "attach_modes.h"
#include "attach_report.h"
#include "ipctrace.h"
#include "observer_cost.h"
#include "trace_snapshot.h"

struct tracer_opts {
	enum attach_mode mode;	/* concrete: never MODE_AUTO */
	/*
	 * tracepoint mode only: count every read/write call at
	 * raw_syscalls:sys_exit. Exact per-channel calls and bytes, at the
	 * price of the syscall slow path for every task on the system.
	 */
	bool syscall_counts;
	bool force_raw_tp;	/* scheduler via raw_tp even where tp_btf works */
	unsigned int max_threads;	/* 0: 8192 */
	/* `ipctrace trace` */
	bool track_channels;	/* per-channel counters (chans map) */
	bool collect_stacks;	/* kernel stacks of sleeps (--folded) */
	bool wait_hists;	/* wait lengths as histograms (trace, serve) */
	__u32 filter_tid;	/* only this thread of the watched processes */
	__u64 filter_cgroup;	/* every task in this cgroup v2 subtree */
	char filter_comm[IPCT_COMM_LEN];	/* processes with this name */
	/* `ipctrace serve` */
	bool watch_all;		/* every task but kernel threads and ipctrace */
	bool fill_hist;		/* fill at writer waits as a histogram */
};

struct tracer;

/*
 * Start tracing. On failure returns a negative errno and writes one line
 * into err naming the stage that failed and what to do.
 */
int tracer_start(struct tracer **out, const struct tracer_opts *opts,
		 const struct probe_report *pr, char *err, size_t errlen);
void tracer_stop(struct tracer *t);
/*
 * Detach everything, and attach it again: in between, none of our programs
 * runs and the kernel times nothing, so a workload runs as if untraced.
 * The maps (and the records in them) stay.
 */
int tracer_pause(struct tracer *t);
int tracer_resume(struct tracer *t, char *err, size_t errlen);

int tracer_watch(struct tracer *t, pid_t tgid, bool follow_children);
/* the fd of the watched-processes array, for the CPU profile (profile.c)
 * to share: what the tracer watches, the profile samples */
int tracer_watched_map_fd(const struct tracer *t);
int tracer_unwatch(struct tracer *t, pid_t tgid);
/* forget all counters (between workload cells); watched set is kept */
void tracer_reset_counters(struct tracer *t);

enum attach_mode tracer_mode(const struct tracer *t);
enum ipct_call_source tracer_call_source(const struct tracer *t);
/* where calls are counted: "fexit", "kretprobe", "sys_exit"; NULL: not
 * counted (task io accounting stands in) */
const char *tracer_call_source_name(const struct tracer *t);
/* where calls of one op (enum ipct_op) are counted: as above, or
 * "sock_send_length"/"sock_recv_length" for unix stream calls in
 * tracepoint mode on v6.3+; NULL: not counted */
const char *tracer_op_call_source_name(const struct tracer *t, int op);
/* every link made, as attached: the one source of "what is attached" */
const struct attach_report *tracer_attach_report(const struct tracer *t);
/*
 * The kernel-measured run time and run count of each loaded program, so
 * far (cumulative: take two and observer_cost_delta() them). The tracer
 * holds a BPF_ENABLE_STATS fd from start to stop, so the kernel times our
 * programs exactly while they are attached and stops when ipctrace ends,
 * however it ends; measured is false where the kernel refused (before
 * v5.8, commit d46edd671a14). workload_cpu_s is left 0 for the caller.
 */
void tracer_observer_cost(struct tracer *t, struct observer_cost *out);

/* ---- reading the counters (kernel/counters.c) ---- */
/* all thread records; *out is malloc'ed, caller frees */
int tracer_read_threads(struct tracer *t, struct ipct_thread **out, size_t *n);
/* one thread; -ENOENT if ipctrace never saw it */
int tracer_read_thread(struct tracer *t, __u32 tid, struct ipct_thread *out);
/* one histogram; all zero when never recorded */
int tracer_read_hist(struct tracer *t, __u32 tid, enum ipct_hist_kind kind,
		     struct ipct_hist *out);
int tracer_read_wakes(struct tracer *t, struct wake_edge **out, size_t *n);
int tracer_read_sleeps(struct tracer *t, struct sleep_entry **out, size_t *n);
void tracer_read_drops(struct tracer *t, __u64 drops[IPCT_DROP_COUNT]);
int tracer_read_chans(struct tracer *t, struct ipct_chan **out, size_t *n);
int tracer_read_stack_times(struct tracer *t, struct stack_time **out, size_t *n);
/* the kernel addresses of a stack, innermost first; how many (0: gone) */
int tracer_read_stack(struct tracer *t, __s32 stackid, __u64 *ips, int max);

#endif
