/* SPDX-License-Identifier: GPL-2.0 */
/*
 * records.bpf.h - the per-thread records user space reads (struct
 * ipct_thread, histograms, sleeps by syscall) and the private task state
 * behind them, found by slot or created on first sight of a thread.
 *
 * Counters are plain additions, not atomics: every record is written only
 * from contexts the kernel serializes. A thread's switch-out, switch-in and
 * function exit cannot overlap (it runs on one CPU at a time), and every
 * sched_waking of a thread runs under that thread's pi_lock. Only the
 * global drop counters and the per-channel records take atomics.
 */
#ifndef IPCTRACE_RECORDS_BPF_H
#define IPCTRACE_RECORDS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "maps.bpf.h"
#include "reads.bpf.h"

static __always_inline __u32 op_of(bool is_pipe, bool is_write)
{
	if (is_pipe)
		return is_write ? IPCT_PIPE_WRITE : IPCT_PIPE_READ;
	return is_write ? IPCT_UNIX_WRITE : IPCT_UNIX_READ;
}

/*
 * &th->op[op] with a bound the verifier keeps: op is often spilled to the
 * stack between its check and its use, and 6.1's verifier then forgets a
 * compare; a mask survives. Callers pass op < IPCT_OP_COUNT already.
 */
_Static_assert((IPCT_OP_COUNT & (IPCT_OP_COUNT - 1)) == 0,
	       "IPCT_OP_COUNT must be a power of two");
static __always_inline struct ipct_op_stats *op_stats(struct ipct_thread *th,
						      __u32 op)
{
	barrier_var(op);	/* or clang drops the mask it thinks redundant */
	return &th->op[op & (IPCT_OP_COUNT - 1)];
}

static __always_inline bool op_is_write(__u32 op)
{
	return op == IPCT_PIPE_WRITE || op == IPCT_UNIX_WRITE;
}

static __always_inline bool op_is_pipe(__u32 op)
{
	return op == IPCT_PIPE_WRITE || op == IPCT_PIPE_READ;
}

/* task->ioac: write/read syscalls and bytes (CONFIG_TASK_XACCT) */
static __always_inline void io_of(struct task_struct *task, struct io_base *io,
				  int reads)
{
	if (!bpf_core_field_exists(task->ioac.syscw)) {
		io->syscw = io->syscr = io->wchar = io->rchar = 0;
		return;
	}
	io->syscw = TREAD(reads, task, ioac.syscw);
	io->syscr = TREAD(reads, task, ioac.syscr);
	io->wchar = TREAD(reads, task, ioac.wchar);
	io->rchar = TREAD(reads, task, ioac.rchar);
}

/* the kernfs id of the task's cgroup v2, as filter.bpf.h reads it */
static __always_inline __u64 cgroup_id_of(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
}

/* a watched thread's record (what user space reads) and private state */
struct rec {
	struct ipct_thread *th;
	struct task_state *st;
};

/*
 * An exiting task keeps running after sched_process_exit (do_exit() sets
 * PF_EXITING first, fires the tracepoint, then closes files and runs task
 * work, which may sleep and be woken): a record created for it then would
 * hold a slot nobody frees until the next reset.
 */
#define IPCT_PF_EXITING 0x00000004	/* include/linux/sched.h */

/* the thread's record, if it has one: found by tid, proven by start time */
static __always_inline bool rec_find(struct task_struct *t, __u32 tid, int reads,
				     struct rec *r)
{
	__u32 *sp = bpf_map_lookup_elem(&tid_slot, &tid);
	__u32 slot;

	if (!sp || !*sp)
		return false;
	slot = *sp;
	r->th = bpf_map_lookup_elem(&threads, &slot);
	r->st = bpf_map_lookup_elem(&tasks, &slot);
	return r->th && r->st && r->th->tid == tid &&
	       r->th->start_ns == TREAD(reads, t, start_time);
}

/*
 * First sight of a thread: a slot from the free queue, a zeroed record
 * named after it, and its io counters and CPU time as the baselines its
 * counts start from. Only where nobody else can be creating the same
 * record at once: for the current task, or for one being switched in. A
 * thread already exiting gets none.
 */
static __always_inline bool rec_create(struct task_struct *t, __u32 tid,
				       __u32 tgid, int reads, struct rec *r)
{
	__u32 slot;

	if (TREAD(reads, t, flags) & IPCT_PF_EXITING)
		return false;
	if (bpf_map_pop_elem(&free_slots, &slot)) {
		count_drop(IPCT_DROP_THREAD_MAP_FULL);
		return false;
	}
	if (bpf_map_update_elem(&threads, &slot, &zero_thread, BPF_ANY) ||
	    bpf_map_update_elem(&tasks, &slot, &zero_task, BPF_ANY))
		return false;
	r->th = bpf_map_lookup_elem(&threads, &slot);
	r->st = bpf_map_lookup_elem(&tasks, &slot);
	if (!r->th || !r->st)
		return false;
	r->th->tid = tid;
	r->th->tgid = tgid;
	r->th->start_ns = TREAD(reads, t, start_time);
	r->th->cpu_base_ns = TREAD(reads, t, se.sum_exec_runtime);
	/* the name a thread has when first seen (exec and exit refresh it) */
	BPF_CORE_READ_STR_INTO(&r->th->comm, t, comm);
	r->th->cgroup_id = cgroup_id_of(t);
	io_of(t, &r->st->io_base, reads);
	/* published last: whoever finds the slot finds it complete */
	bpf_map_update_elem(&tid_slot, &tid, &slot, BPF_ANY);
	return true;
}

static __always_inline bool rec_of(struct task_struct *t, __u32 tid, __u32 tgid,
				   int reads, bool create, struct rec *r)
{
	if (rec_find(t, tid, reads, r))
		return true;
	return create && rec_create(t, tid, tgid, reads, r);
}

/*
 * fentry/kprobe mode: is the thread in a channel call it entered from
 * syscall nr? A call entered from another syscall is over: the kernel
 * skipped the run of its exit program (a preempted fexit on
 * PREEMPT_LAZY/RT, see IPCT_DROP_PROG_SKIPPED) or a kretprobe missed it.
 */
static __always_inline bool call_in_syscall(const struct task_state *st, long nr)
{
	return st->call.op && st->call.nr == (__s32)nr;
}

/* on-CPU time so far: the kernel's sum_exec_runtime, current at a switch */
static __always_inline void update_cpu(struct ipct_thread *th,
				       struct task_struct *t, int reads)
{
	th->cpu_ns = TREAD(reads, t, se.sum_exec_runtime) - th->cpu_base_ns;
}

static __always_inline void update_io(struct ipct_thread *th,
				      struct task_state *st,
				      struct task_struct *task, int reads)
{
	struct io_base io;

	io_of(task, &io, reads);
	th->io_syscw = io.syscw - st->io_base.syscw;
	th->io_syscr = io.syscr - st->io_base.syscr;
	th->io_wchar = io.wchar - st->io_base.wchar;
	th->io_rchar = io.rchar - st->io_base.rchar;
}

/* one value into one of th's histograms, given a slot at its first value */
static __always_inline void hist_add(struct ipct_thread *th, __u32 kind,
				     __u64 value)
{
	struct ipct_hist *h;
	__u32 b = ipct_hist_bucket(value), slot;

	if (kind >= IPCT_HIST_KIND_COUNT)
		return;
	slot = th->hist_slot[kind];
	if (!slot) {
		if (bpf_map_pop_elem(&free_hists, &slot)) {
			count_drop(IPCT_DROP_HIST_MAP_FULL);
			return;
		}
		th->hist_slot[kind] = slot;
	}
	h = bpf_map_lookup_elem(&hists, &slot);
	/*
	 * ipct_hist_bucket() already clamps, but clang checks a copy and
	 * older verifiers (6.1) lose the bound: check the value we index with.
	 */
	barrier_var(b);
	if (!h || b >= IPCT_HIST_BUCKETS)
		return;
	h->bucket[b] += 1;
}

static __always_inline void sleep_add(__u32 tid, __s32 nr, __u64 count,
				      __u64 ns)
{
	struct ipct_sleep_key key = { .tid = tid, .syscall_nr = nr };
	struct ipct_sleep_val zero = {}, *v;

	v = lookup_or_create(&sleeps, &key, &zero, IPCT_DROP_SLEEP_MAP_FULL);
	if (!v)
		return;
	v->count += count;
	v->ns += ns;
}

/*
 * A sleep in syscall nr begins: counted in the thread's own record while
 * its table has room (no map lookup), in the sleeps map after that.
 * Returns where, for sleep_end_ns().
 */
static __always_inline __u32 sleep_begin_count(struct ipct_thread *th,
					       __u32 tid, __s32 nr)
{
	for (int i = 0; i < IPCT_SLEEP_CACHE; i++) {
		struct ipct_sleep_slot *c = &th->sleep_cache[i];

		if (c->used && c->nr != nr)
			continue;
		c->used = 1;
		c->nr = nr;
		c->count += 1;
		return i;
	}
	sleep_add(tid, nr, 1, 0);
	return IPCT_SLEEP_CACHE;
}

/* ... and ends after ns */
static __always_inline void sleep_end_ns(struct ipct_thread *th, __u32 tid,
					 __s32 nr, __u32 entry, __u64 ns)
{
	struct ipct_sleep_slot *c;

	if (entry >= IPCT_SLEEP_CACHE) {
		sleep_add(tid, nr, 0, ns);
		return;
	}
	c = &th->sleep_cache[entry & (IPCT_SLEEP_CACHE - 1)];
	/* a reset since the sleep began emptied the table */
	if (!c->used) {
		c->used = 1;
		c->nr = nr;
	}
	c->ns += ns;
}

/*
 * A wakeup the thread made, through via (enum ipct_op, or IPCT_OP_COUNT):
 * in its own record for its first IPCT_WAKE_CACHE (wakee, channel) pairs,
 * which is every pair a writer and its reader make; in the wakes map
 * after that. Only the waker itself writes its record (sched_waking runs
 * in the waker's context), so plain additions do.
 */
static __always_inline void wake_count(struct ipct_thread *th,
				       struct ipct_wake_key *key, __u32 via)
{
	struct ipct_wake_val zero = {}, *w;

	if (via > IPCT_OP_COUNT)
		return;
	for (int i = 0; th && i < IPCT_WAKE_CACHE; i++) {
		struct ipct_wake_slot *c = &th->wake_cache[i];

		if (c->wakee_tid && (c->wakee_tid != key->wakee_tid ||
				     c->ino != key->ino))
			continue;
		c->wakee_tid = key->wakee_tid;
		c->ino = key->ino;
		/* 6.1's verifier forgets the check above once via is spilled */
		barrier_var(via);
		if (via <= IPCT_OP_COUNT)
			c->via[via] += 1;
		return;
	}
	w = lookup_or_create(&wakes, key, &zero, IPCT_DROP_WAKE_MAP_FULL);
	barrier_var(via);
	if (w && via <= IPCT_OP_COUNT)
		w->via[via] += 1;
}

#endif
