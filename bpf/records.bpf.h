/* SPDX-License-Identifier: GPL-2.0 */
/*
 * records.bpf.h - the per-thread records user space reads (struct
 * ipct_thread, histograms, sleeps by syscall) and the private task state
 * behind them, found or created on first sight of a thread.
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
				  bool btf)
{
	if (!bpf_core_field_exists(task->ioac.syscw)) {
		io->syscw = io->syscr = io->wchar = io->rchar = 0;
		return;
	}
	io->syscw = TREAD(btf, task, ioac.syscw);
	io->syscr = TREAD(btf, task, ioac.syscr);
	io->wchar = TREAD(btf, task, ioac.wchar);
	io->rchar = TREAD(btf, task, ioac.rchar);
}

/* the kernfs id of the task's cgroup v2, as filter.bpf.h reads it */
static __always_inline __u64 cgroup_id_of(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
}

static __always_inline struct ipct_thread *thread_of(struct task_struct *task,
						     __u32 tid, __u32 tgid)
{
	struct ipct_thread *th;

	th = lookup_or_create(&threads, &tid, &zero_thread,
			      IPCT_DROP_THREAD_MAP_FULL);
	if (th && th->tid == 0) {
		th->tid = tid;
		th->tgid = tgid;
		/* once: the name a thread has when first seen (exit refreshes it) */
		BPF_CORE_READ_STR_INTO(&th->comm, task, comm);
		th->cgroup_id = cgroup_id_of(task);
	}
	return th;
}

/*
 * An exiting task keeps running after sched_process_exit deleted its state
 * (do_exit() sets PF_EXITING first, fires the tracepoint, then closes files
 * and runs task work, which may sleep and be woken): state created for it
 * then would never be freed.
 */
#define IPCT_PF_EXITING 0x00000004	/* include/linux/sched.h */

/* First sight of a thread: remember its io counters as the baseline. */
static __always_inline struct task_state *state_of(struct task_struct *task,
						   __u32 tid, bool btf)
{
	struct task_state *st;

	st = bpf_map_lookup_elem(&tasks, &tid);
	if (st)
		return st;
	if (TREAD(btf, task, flags) & IPCT_PF_EXITING)
		return NULL;
	st = lookup_or_create(&tasks, &tid, &zero_task,
			      IPCT_DROP_TASK_MAP_FULL);
	if (!st)
		return NULL;
	io_of(task, &st->io_base, btf);
	return st;
}

static __always_inline void update_io(struct ipct_thread *th,
				      struct task_state *st,
				      struct task_struct *task, bool btf)
{
	struct io_base io;

	io_of(task, &io, btf);
	th->io_syscw = io.syscw - st->io_base.syscw;
	th->io_syscr = io.syscr - st->io_base.syscr;
	th->io_wchar = io.wchar - st->io_base.wchar;
	th->io_rchar = io.rchar - st->io_base.rchar;
}

static __always_inline void hist_add(__u32 tid, __u32 kind, __u64 value)
{
	struct ipct_hist_key key = { .tid = tid, .kind = kind };
	struct ipct_hist *h;
	__u32 b = ipct_hist_bucket(value);

	h = lookup_or_create(&hists, &key, &zero_hist,
			     IPCT_DROP_HIST_MAP_FULL);
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

#endif
