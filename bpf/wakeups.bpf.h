/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wakeups.bpf.h - who woke whom. sched_waking runs in the waker's context
 * (current = waker, p = wakee); the waker may be a task in a channel call
 * or an interrupt that borrowed it.
 */
#ifndef IPCTRACE_WAKEUPS_BPF_H
#define IPCTRACE_WAKEUPS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "chan_counters.bpf.h"
#include "chan_identity.bpf.h"
#include "filter.bpf.h"
#include "knobs.bpf.h"
#include "records.bpf.h"
#include "syscall.bpf.h"

/*
 * Does this event belong to the current task, or to an interrupt that
 * borrowed it? A timer or a softirq that wakes someone while a writer sits
 * in write() must not be charged to that writer. The kernel's in_task()
 * reads the per-CPU preempt count, which BPF reaches only through a data
 * ksym, and kernels without CONFIG_KALLSYMS_ALL (this host's) have none.
 * The stack answers instead. bpf_trace_runN() keeps the tracepoint's
 * arguments, our ctx, in its own frame, and on x86-64 hardirqs and softirqs
 * run on the per-CPU IRQ stack (call_on_irqstack, do_softirq_own_stack),
 * so a ctx outside the task's THREAD_SIZE stack means interrupt context.
 * (r10 would not do: since v6.14 a program may run on a private per-CPU
 * stack.) ksoftirqd and threaded handlers are tasks and count as such.
 * Comparing a pointer with a number needs allow_ptr_leaks, which comes
 * with CAP_PERFMON, a capability ipctrace requires anyway.
 */
static __always_inline bool on_task_stack(void *ctx, struct task_struct *cur,
					  int reads)
{
	__u64 base = (__u64)TREAD(reads, cur, stack);

	return (__u64)ctx > base && (__u64)ctx < base + kernel_thread_size;
}

/*
 * Not every interrupt leaves the task stack: one that hits user mode runs
 * its handler right there, where the stack is empty (x86-64
 * run_irq_on_irqstack_cond()), so a timer firing while an unwatched task
 * computes would look like that task's wakeup. Its frame sits where a
 * syscall's does (task_pt_regs). A task that wakes someone itself is a
 * kernel thread (whose saved registers are zero) or in a syscall, and a
 * syscall's frame says so twice: orig_ax holds its number (an interrupt's
 * holds -1, or the vector as a signed byte, which can look like one), and
 * cx holds the user ip, because the SYSCALL instruction puts the return
 * address there (entry_SYSCALL_64 saves both) where an interrupt's frame
 * has whatever the program had in rcx.
 */
static __always_inline bool in_task_context(void *ctx, struct task_struct *cur,
					    struct pt_regs **regs, long *nr, int reads)
{
	*regs = NULL;
	*nr = -1;
	if (!on_task_stack(ctx, cur, reads))
		return false;
	if (TREAD(reads, cur, flags) & IPCT_PF_KTHREAD)
		return true;
	*regs = regs_of(cur, reads);
	*nr = SYSCALL_NR(reads, *regs);
	return *nr >= 0 && SYSCALL_FRAME(reads, *regs);
}

/* what the waker is in the middle of: an op (IPCT_OP_COUNT: none) and channel */
static __always_inline __u32 current_op(struct task_struct *cur,
					struct task_state *st, struct pt_regs *regs,
					long nr, __u64 *ino, __u64 *chan,
					__u32 *slot, int reads)
{
	*ino = *chan = 0;
	*slot = IPCT_NO_SLOT;
	if (call_source == IPCT_CALLS_FUNC) {
		/* nr is known where the waker is in a syscall (regs) */
		if (!st || (regs ? !call_in_syscall(st, nr) : !st->call.op))
			return IPCT_OP_COUNT;
		*ino = st->call.ino;
		*chan = st->call.chan;
		*slot = st->call.chan_slot;
		return st->call.op - 1;
	}
	int dir = syscall_direction(nr);
	struct channel c = {};

	/* regs: the waker's syscall frame, read by in_task_context() */
	if (dir < 0 || !regs || channel_of_fd(cur, SYSCALL_ARG0(reads, regs), &c, st, reads))
		return IPCT_OP_COUNT;
	*ino = c.ino;
	*chan = c.ptr;
	*slot = c.slot;
	return op_of(c.is_pipe, dir == 1);
}

static __always_inline void on_waking(void *ctx, struct task_struct *p, int reads)
{
	__u32 waker_tid, waker_tgid;
	struct task_struct *cur = current_ids(&waker_tid, &waker_tgid, reads);
	__u32 wakee_tid = TREAD(reads, p, pid);
	__u32 wakee_tgid = TREAD(reads, p, tgid);
	bool wakee_watched = task_watched(p, wakee_tgid, wakee_tid, reads);
	bool waker_watched = task_watched(cur, waker_tgid, waker_tid, reads);
	struct ipct_wake_key key = { .waker_tid = waker_tid,
				     .wakee_tid = wakee_tid };
	struct rec waker = {}, wakee = {};
	bool wakee_rec;
	__u64 ino = 0, chan = 0;
	__u32 via, slot = IPCT_NO_SLOT;
	struct pt_regs *regs;
	long nr;

	if (!wakee_watched && !waker_watched)
		return;
	/*
	 * The wakee is asleep, or on another CPU on its way to sleep: not
	 * current, so only a record it already has is counted in (every
	 * watched thread has one from its first switch).
	 */
	wakee_rec = wakee_watched && rec_find(p, wakee_tid, reads, &wakee);
	/*
	 * An interrupt woke p: p was woken, but not by the task the interrupt
	 * borrowed, nor through its channel. Such wakeups go to tid 0, as
	 * those from the idle task already do.
	 */
	if (!in_task_context(ctx, cur, &regs, &nr, reads)) {
		key.waker_tid = 0;
		waker_watched = false;
		if (!wakee_watched)
			return;
	}
	/* the waker is the current task: its record may be created here */
	if (waker_watched && !rec_of(cur, waker_tid, waker_tgid, reads, true, &waker))
		waker_watched = false;
	via = key.waker_tid ? current_op(cur, waker.st, regs, nr, &ino, &chan, &slot, reads) :
			      IPCT_OP_COUNT;
	/*
	 * A task in a write may wake others for other reasons (a kswapd
	 * kick, an RCU grace period): only a wakee waiting in I/O can have
	 * been woken through a channel. A sleep we saw begin, and not woken
	 * yet, is the one in progress: its syscall is known. (One woken
	 * already may be an untraced switch-in's, still open.)
	 */
	if (via < IPCT_OP_COUNT) {
		long sleep_nr = wakee_rec && wakee.st->sleep.start_ns &&
				!wakee.st->sleep.waking_ns ? wakee.st->sleep.nr :
							     IPCT_NR_UNKNOWN;

		if (!waits_in_io(p, sleep_nr, reads))
			via = IPCT_OP_COUNT;
	}
	if (track_channels && via < IPCT_OP_COUNT) {
		struct ipct_chan *ch = chan_rec(slot, ino, op_is_pipe(via), chan);

		key.ino = ino;
		/* this CPU's copy, under the wakee's pi_lock: a plain addition */
		if (ch)
			ch->wakeups += 1;
	}
	/* wakeups by an unwatched task or an interrupt have no record of theirs */
	wake_count(waker_watched ? waker.th : NULL, &key, via);
	if (waker_watched)
		waker.th->wakeups_sent += 1;
	if (wakee_rec) {
		wakee.th->wakeups_received += 1;
		wakee.st->sleep.waking_ns = bpf_ktime_get_ns();
	}
}

#endif
