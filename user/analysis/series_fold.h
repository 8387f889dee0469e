/* SPDX-License-Identifier: GPL-2.0 */
/*
 * series_fold.h - the per-thread records of the BPF side folded into
 * series, one per (comm, cgroup) label set (and pid, when asked), for
 * `ipctrace serve`. Each fold adds what a thread did since its previous
 * fold to the series it belongs to now, so a series' counters only grow:
 * when a thread exits its counts stay in its series, and when it takes
 * another name (exec) or cgroup, what it does next goes to the new one.
 * Histograms are folded from the BPF's log-linear buckets (4 per octave)
 * into fixed bounds, the same for the life of the process.
 */
#ifndef IPCTRACE_SERIES_FOLD_H
#define IPCTRACE_SERIES_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ipctrace.h"

/* wait and wakeup latency bounds: 2^10 ns (1.024 us) to 2^33 ns (8.6 s) */
#define SERIES_TIME_BOUNDS 24
/* fill fraction bounds: 0.25, 0.5, 0.75, 0.875, 1, 1.25, 1.5, 2 */
#define SERIES_FILL_BOUNDS 8
extern const double series_time_bounds_s[SERIES_TIME_BOUNDS];
extern const double series_fill_bounds[SERIES_FILL_BOUNDS];

/* the fill histograms: pipe writes, unix stream writes */
enum series_fill { SERIES_FILL_PIPE = 0, SERIES_FILL_UNIX, SERIES_FILL_COUNT };

/* everything one label set did; counts per bound are not cumulative */
struct series {
	char comm[IPCT_COMM_LEN];
	char *cgroup;			/* path under the cgroup2 mount, "" unknown */
	__u32 pid;			/* with pid labels; else 0 */
	char pid_label[12];
	bool overflow;			/* the series of label sets over the cap */
	uint64_t calls[IPCT_OP_COUNT];
	uint64_t blocked_calls[IPCT_OP_COUNT];
	uint64_t bytes[IPCT_OP_COUNT];
	uint64_t wait[IPCT_OP_COUNT][SERIES_TIME_BOUNDS + 1];
	uint64_t wait_ns[IPCT_OP_COUNT];
	uint64_t wakeups;		/* received: sched_waking of this thread */
	uint64_t wakeup_lat[SERIES_TIME_BOUNDS + 1];
	uint64_t wakeup_lat_ns;
	uint64_t vol_switches, invol_switches;
	uint64_t fill[SERIES_FILL_COUNT][SERIES_FILL_BOUNDS + 1];
	uint64_t fill_frac_sum[SERIES_FILL_COUNT];	/* 1/IPCT_FILL_SUM_ONE */
};

/* the comm and cgroup of the series over the cap */
#define SERIES_OVERFLOW_LABEL "_overflow"

struct series_store;

/* max_series: label sets beyond it fold into the overflow series */
struct series_store *series_store_new(size_t max_series, bool pid_label);
void series_store_free(struct series_store *s);

/* which histograms of this record moved since its last fold: bit k set
 * for enum ipct_hist_kind k */
unsigned int series_hists_needed(const struct series_store *s,
				 const struct ipct_thread *th);
/*
 * Fold one record seen in this cycle (a number that grows by one per
 * snapshot). hists[k] is the thread's histogram k, needed only for the
 * bits series_hists_needed() set (others may be NULL). cgroup: the path
 * of th->cgroup_id. 0, or -1 when out of memory (nothing is folded).
 */
int series_fold(struct series_store *s, const struct ipct_thread *th,
		const char *cgroup, const struct ipct_hist *const *hists,
		uint64_t cycle);
/*
 * After every fold of a cycle: the threads whose exit was seen in an
 * earlier cycle and which were folded once more since (their final
 * switch is in): their BPF entries can go. Up to max tids; how many.
 */
size_t series_reclaimable(const struct series_store *s, uint64_t cycle,
			  __u32 *tids, size_t max);
/* forget a thread (after its BPF entries were deleted) */
void series_forget(struct series_store *s, __u32 tid);
/*
 * Threads not exited whose records did not move for idle_cycles: maybe
 * gone without an exit the maps kept (a record recreated by the final
 * switch after its reclaim). The caller checks; series_mark_exited() for
 * those gone, and they are reclaimed like the others.
 */
size_t series_idle(const struct series_store *s, uint64_t cycle,
		   uint64_t idle_cycles, __u32 *tids, size_t max);
void series_mark_exited(struct series_store *s, __u32 tid, uint64_t cycle);
/* forget threads whose records were not in this cycle's read */
void series_sweep(struct series_store *s, uint64_t cycle);

size_t series_count(const struct series_store *s);
const struct series *series_at(const struct series_store *s, size_t i);
/* label sets folded into the overflow series, each counted once */
uint64_t series_dropped(const struct series_store *s);
size_t series_threads(const struct series_store *s);

/* "write"/"read" and "pipe"/"unix_stream" of an op */
const char *series_op_label(enum ipct_op op);
const char *series_kind_label(enum ipct_op op);

#endif
