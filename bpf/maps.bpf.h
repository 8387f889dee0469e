/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.bpf.h - every map of ipctrace.bpf.c and the get-or-create helpers
 * that count, instead of hiding, the events a full map makes us drop.
 * max_entries below are defaults; the loader resizes before load.
 */
#ifndef IPCTRACE_MAPS_BPF_H
#define IPCTRACE_MAPS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "ipctrace.h"

/*
 * Filled by user space: the processes being watched, indexed by tgid
 * (sized to kernel.pid_max at load). Every context switch on the system
 * asks about two tasks; an array lookup is inlined by the verifier into a
 * bounds check and a load, a hash lookup is a function call and a hash.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, __u32);	/* IPCT_WATCH_* flags; 0: not watched */
} watched SEC(".maps");

/*
 * The per-thread fast path. Every event of a watched thread reaches its
 * record and its private state by slot, in arrays the verifier inlines
 * into a bounds check and a load: no hash, no helper call. The slot of a
 * thread is found by tid in tid_slot (sized to kernel.pid_max like
 * watched) and proven by the record's tid and start time, so a reused tid
 * is a new thread. Slots come from free_slots, a queue user space fills
 * (and refills with the slots of exited threads at a reset), so the BPF
 * side allocates without atomics and without allocating memory: it runs
 * under the runqueue lock, where an allocation must not wait.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, __u32);	/* slot; IPCT_NO_SLOT: not seen yet */
} tid_slot SEC(".maps");

/* The counters user space reads: one record per watched thread, by slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct ipct_thread);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8192);
	__type(value, __u32);
} free_slots SEC(".maps");

/*
 * Private per-thread state between events, one record of six kinds of
 * state, each with one owner. Deleted when the thread exits.
 */

/* a channel call in progress (fentry/kprobe mode: between entry and exit) */
struct call_state {
	__u64 chan;		/* pipe_inode_info* or sock* */
	__u64 ino;		/* its inode (trace) */
	__u16 op;		/* op + 1; 0 when no call is in progress */
	__u16 waited;		/* it had a channel wait: a blocked call */
	__u32 chan_slot;	/* its record in chans (trace) */
	__u32 last_slot;	/* the slot of last_ino: a thread keeps to */
	__s32 nr;		/* the syscall it was entered from: a sleep in
				 * another is not in it (classify_sleep) */
	__u64 last_ino;		/* one channel for many calls */
};

enum sleep_kind {
	SLEEP_NONE = 0,
	SLEEP_CHANNEL_WAIT,	/* interruptible sleep inside a channel call */
	SLEEP_IN_CALL_OTHER,	/* uninterruptible sleep inside a channel call */
	SLEEP_IDLE,		/* any sleep outside a channel call */
};

/* a voluntary sleep in progress, from switch-out to switch-in */
struct sleep_state {
	__u64 start_ns;		/* nonzero while asleep */
	__u64 waking_ns;	/* sched_waking seen for this sleep */
	__u64 ino;		/* channel waited on (trace) */
	__u32 kind;		/* enum sleep_kind */
	__u32 op;
	__s32 nr;		/* syscall slept in, -1 if none */
	__s32 stackid;		/* kernel stack (--folded) */
	__u32 nr_entry;		/* where it is counted: an entry of the
				 * record's sleep_cache, or IPCT_SLEEP_CACHE
				 * for the sleeps map */
	__u32 chan_slot;	/* channel waited on, its slot (trace) */
	__u64 cpu_ns;		/* ipct_thread.cpu_ns when it began: what the
				 * thread ran since dates a switch-in the
				 * kernel did not trace (switch_account.bpf.h) */
};

/* task->ioac when the thread was first seen: counts are deltas from it */
struct io_base {
	__u64 syscw, syscr, wchar, rchar;
};

/*
 * Tracepoint mode: the identity of the last call that waited, so that a
 * call waiting twice counts as one blocked call (see classify_wait()).
 */
struct wait_signature {
	__u64 io;		/* ioac.syscw or syscr at the wait */
	__s32 fd;
	__u32 op;		/* op + 1; 0: none */
};

/* tracepoint mode: the struct file last resolved from an fd, and what it is */
struct fd_cache {
	__u64 file;
	__u64 ino;
	__u64 chan;
	__u32 kind;		/* IPCT_CHAN_*, 0: neither pipe nor unix stream */
	__u32 chan_slot;	/* its record in chans (trace), IPCT_NO_SLOT */
	__s32 fd;		/* the descriptor it was found by; -1: none */
	__u32 pad;
};

/* in the order of use: a sleep's start and end touch the first line */
struct task_state {
	struct sleep_state sleep;
	struct io_base io_base;
	struct wait_signature sig;
	struct fd_cache fd;
	struct call_state call;
	__u64 fill_bytes_ns;	/* when its fill last read bytes; 0: never */
};

_Static_assert(sizeof(struct task_state) % 64 == 0,
	       "struct task_state must fill whole cache lines");

/* by the same slot as the thread's record */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct task_state);
} tasks SEC(".maps");

/* histograms by slot (ipct_thread.hist_slot), slots from free_hists */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ipct_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16384);
	__type(value, __u32);
} free_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ipct_wake_key);
	__type(value, struct ipct_wake_val);
} wakes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ipct_sleep_key);
	__type(value, struct ipct_sleep_val);
} sleeps SEC(".maps");

/*
 * `ipctrace trace`: per channel. A channel's writer and reader run on
 * different CPUs, so one shared record would bounce between them at every
 * event: each CPU counts in its own copy (user space sums them), found by
 * the slot the thread cached with the fd (chan_identity.bpf.h). chan_slots
 * gives an inode its slot once; slots come from free_chans.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ipct_chan);
} chans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);	/* inode */
	__type(value, __u32);	/* slot in chans */
} chan_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16384);
	__type(value, __u32);
} free_chans SEC(".maps");

/* sleeping stacks (--folded) */

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, IPCT_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ipct_stack_key);
	__type(value, __u64);
} stack_times SEC(".maps");

/* One CPU's copy of a pipe's buffer ring, to sum queued bytes in one read. */
#define PIPE_SCRATCH_BYTES (IPCT_MAX_PIPE_SLOTS_SCAN * 40)
struct pipe_scratch {
	char ring[PIPE_SCRATCH_BYTES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pipe_scratch);
} pipe_scratch SEC(".maps");

/* Events lost to full maps or failed reads, by enum ipct_drop. */
__u64 drops[IPCT_DROP_COUNT] = {};

/* Zeroed templates for new map values (too big for the 512-byte stack). */
static const struct ipct_thread zero_thread;
static const struct task_state zero_task;
static const struct ipct_hist zero_hist;

static __always_inline void count_drop(enum ipct_drop why)
{
	if (why < IPCT_DROP_COUNT)
		__sync_fetch_and_add(&drops[why], 1);
}

/*
 * Look a key up, creating it from a zeroed template when absent.
 * BPF_NOEXIST makes a concurrent creator harmless: the loser's update fails
 * with EEXIST and both then use the winner's value.
 */
static __always_inline void *lookup_or_create(void *map, const void *key,
					      const void *zero,
					      enum ipct_drop why)
{
	void *val = bpf_map_lookup_elem(map, key);

	if (val)
		return val;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	val = bpf_map_lookup_elem(map, key);
	if (!val)
		count_drop(why);
	return val;
}

static __always_inline bool tgid_watched(__u32 tgid)
{
	__u32 *flags = bpf_map_lookup_elem(&watched, &tgid);

	return flags && *flags;
}

#endif /* IPCTRACE_MAPS_BPF_H */
