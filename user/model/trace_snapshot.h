/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_snapshot.h - what ipctrace's maps held at one moment, as plain
 * data: kernel/snapshot.c takes it, output/trace_report.c prints it.
 */
#ifndef IPCTRACE_TRACE_SNAPSHOT_H
#define IPCTRACE_TRACE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include "cpu_profile.h"
#include "ipctrace.h"

struct wake_edge {
	struct ipct_wake_key key;
	struct ipct_wake_val val;
};

struct sleep_entry {
	struct ipct_sleep_key key;
	struct ipct_sleep_val val;
};

struct stack_time {
	struct ipct_stack_key key;
	__u64 ns;
};

/* a kernel stack where a thread slept, symbolized, and the time it slept */
struct folded_stack {
	__u32 tid;
	__u64 us;
	char *frames;		/* "root;...;leaf" */
};

/*
 * A pipe or unix stream socket a traced process has open (fd 3 and up,
 * from /proc/PID/fd) that no wait or call showed: a loop that never
 * blocks uses its channel unseen when calls are not counted.
 */
struct open_chan {
	__u64 ino;
	__u32 pid;
	__u32 kind;		/* enum ipct_chan_kind */
	int fd;
};

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
	struct sleep_entry *sleeps;	/* by tid once indexed */
	size_t nsleeps;
	struct open_chan *open_chans;	/* open, never seen in the maps */
	size_t nopen_chans;
	struct folded_stack *stacks;	/* --folded: where threads slept */
	size_t nstacks;
	bool stacks_unsymbolized;	/* /proc/kallsyms hid the addresses */
	__u64 drops[IPCT_DROP_COUNT];
	double seconds;			/* since tracing began */
	/* the CPU profile (kernel/profiler.h), kept per thread */
	struct prof_samples prof;
	struct profile_info prof_info;	/* requested false: --no-profile */
	/* trace_snapshot_index(): the threads' indices in tid order */
	size_t *by_tid;
};

/*
 * A channel as reported: a pipe, or a unix stream socket with, when both
 * ends were used by traced threads, its peer: a socket pair is one
 * channel, as a pipe is (ends[0] has the lower inode).
 */
struct chan_view {
	const struct ipct_chan *ends[2];	/* ends[1]: the peer, or NULL */
};

/* the channels of s as reported, in inode order (*out malloc'ed): how many,
 * or -1 when out of memory */
long trace_snapshot_channels(const struct trace_snapshot *s, struct chan_view **out);

/*
 * Index s once it is read: the threads by tid, the sleeps sorted by tid,
 * so that the report finds a thread's record or sleeps without a walk
 * of every one per thread, per wakeup pair or per stack. 0, or -1 when
 * out of memory (the lookups then walk).
 */
int trace_snapshot_index(struct trace_snapshot *s);
/* the record of thread tid, or NULL */
const struct ipct_thread *trace_snapshot_thread(const struct trace_snapshot *s,
						__u32 tid);
/* the sleeps of thread tid: how many, from s->sleeps[*first] on when
 * indexed (else *first is 0 and every sleep is to be checked) */
size_t trace_snapshot_sleeps_of(const struct trace_snapshot *s, __u32 tid,
				size_t *first);

void trace_snapshot_free(struct trace_snapshot *s);
/* why an event could not be recorded: "thread map full" */
const char *drop_name(enum ipct_drop d);
/* d += o: counts and sums add, the fill's min and max merge */
void op_stats_add(struct ipct_op_stats *d, const struct ipct_op_stats *o);
/*
 * The events truly lost: every drop but the runs the kernel skipped, and
 * but the missed exits those skips explain (a skipped exit program leaves
 * its call open, which the thread's next call counts as a missed exit).
 */
__u64 drops_lost(const __u64 drops[IPCT_DROP_COUNT]);
/* sleeps of the snapshot's threads whose switch-in the kernel did not
 * trace (ipct_thread.untraced_switch_ins): their end is an estimate */
__u64 trace_untraced_switch_ins(const struct trace_snapshot *s);
/* is drop kind d (nonzero) one of those drops_lost() counts? */
bool drop_is_loss(const __u64 drops[IPCT_DROP_COUNT], int d);

#endif
