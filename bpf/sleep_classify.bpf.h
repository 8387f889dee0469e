/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sleep_classify.bpf.h - a thread goes to sleep voluntarily: what was it
 * waiting for? begin_sleep() is three steps, each its own function:
 *
 *   classify_sleep()  in which call, on which channel, and why: a channel
 *                     (buffer) wait: an interruptible sleep inside a channel
 *                     call; a lock or fault wait: any other sleep inside
 *                     one; or idle;
 *   count_sleep()     buffer waits, blocked calls and lock or fault waits,
 *                     per thread and per channel;
 *   sample_fill()     how full the channel was when its writer waited.
 *
 * A channel wait (a buffer wait) is interruptible because
 * pipe_wait_writable, sock_wait_for_wmem and unix_stream_data_wait all
 * sleep TASK_INTERRUPTIBLE; pipe->mutex, u->iolock and page faults do not
 * (lock or fault waits). On PREEMPT_RT a contended spinlock_t/rwlock_t
 * sleeps too, in TASK_RTLOCK_WAIT (cd781d0ce8cb, 5.15), which holds no
 * TASK_INTERRUPTIBLE bit; schedule_rtlock() reaches sched_switch as a
 * voluntary switch (__schedule(SM_RTLOCK_WAIT), b4bfa3fcfe3b and
 * 6991436c2b5d, 5.15), so such a sleep is a lock wait, counted apart too.
 */
#ifndef IPCTRACE_SLEEP_CLASSIFY_BPF_H
#define IPCTRACE_SLEEP_CLASSIFY_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "chan_counters.bpf.h"
#include "chan_fill.bpf.h"
#include "chan_identity.bpf.h"
#include "knobs.bpf.h"
#include "records.bpf.h"
#include "syscall.bpf.h"

#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_DEAD 0x0080
#define TASK_RTLOCK_WAIT 0x1000	/* include/linux/sched.h since cd781d0ce8cb */

/* what one sleep is */
struct sleep_class {
	__u32 kind;		/* enum sleep_kind */
	__u32 op;		/* enum ipct_op; 0 when idle */
	__u32 rtlock;		/* a PREEMPT_RT spinlock wait (TASK_RTLOCK_WAIT) */
	__u64 chan;		/* pipe_inode_info* or sock*, 0 when idle */
	__u64 ino;
	__u32 chan_slot;	/* the channel's record (trace) */
	long fd;		/* tracepoint mode: the call's fd */
	long nr;		/* the syscall it sleeps in */
};

/*
 * In which call is prev sleeping? fentry/kprobe mode knows from the call
 * in progress; tracepoint mode looks at the syscall and its fd.
 */
static __always_inline void classify_sleep(struct task_struct *prev,
					   struct task_state *st, __u32 state,
					   int reads, struct sleep_class *sc)
{
	struct pt_regs *regs = regs_of(prev, reads);

	sc->nr = SYSCALL_NR(reads, regs);
	sc->kind = SLEEP_IDLE;
	sc->op = 0;
	sc->rtlock = 0;
	sc->chan = sc->ino = 0;
	sc->chan_slot = IPCT_NO_SLOT;
	sc->fd = -1;
	if (call_source == IPCT_CALLS_FUNC) {
		if (!call_in_syscall(st, sc->nr)) {
			/* one left open by a missed exit ends here: this
			 * sleep (a futex, say) is in no call */
			if (st->call.op) {
				count_drop(IPCT_DROP_MISSED_EXIT);
				st->call.op = 0;
			}
			return;
		}
		sc->op = st->call.op - 1;
		sc->chan = st->call.chan;
		sc->ino = st->call.ino;
		sc->chan_slot = st->call.chan_slot;
	} else {
		int dir = syscall_direction(sc->nr);
		struct channel c = {};

		sc->fd = SYSCALL_ARG0(reads, regs);
		if (dir < 0 || channel_of_fd(prev, sc->fd, &c, st, reads))
			return;
		sc->op = op_of(c.is_pipe, dir == 1);
		sc->chan = c.ptr;
		sc->ino = c.ino;
		sc->chan_slot = c.slot;
	}
	sc->kind = state & TASK_INTERRUPTIBLE ? SLEEP_CHANNEL_WAIT :
						SLEEP_IN_CALL_OTHER;
	sc->rtlock = (state & TASK_RTLOCK_WAIT) != 0;
}

/*
 * Is this wait the first of its call, so the call becomes a blocked call?
 * fentry/kprobe mode counts the waits of the call in progress. Tracepoint
 * mode has no function exit to end a call: a write or read syscall bumps
 * task->ioac.syscw/syscr only when it returns (vfs_write -> inc_syscw), so
 * a second wait with the same counter, op and fd is the same call waiting
 * again. sys_exit, when attached, also clears the signature.
 */
static __always_inline bool first_wait_of_call(struct task_struct *prev,
					       struct task_state *st,
					       const struct sleep_class *sc,
					       int reads)
{
	struct io_base io;
	__u64 sig;

	if (call_source == IPCT_CALLS_FUNC) {
		if (st->call.waited)
			return false;
		st->call.waited = 1;
		return true;
	}
	io_of(prev, &io, reads);
	sig = op_is_write(sc->op) ? io.syscw : io.syscr;
	if (st->sig.op == sc->op + 1 && st->sig.fd == sc->fd && st->sig.io == sig)
		return false;
	st->sig.op = sc->op + 1;
	st->sig.fd = (__s32)sc->fd;
	st->sig.io = sig;
	return true;
}

/* buffer waits, blocked calls and lock or fault waits, per thread and
 * per channel */
static __always_inline void count_sleep(struct task_struct *prev,
					struct ipct_op_stats *o,
					struct ipct_op_stats *co,
					struct task_state *st,
					const struct sleep_class *sc, int reads)
{
	/* co is this CPU's copy of the channel's record: plain additions */
	if (sc->kind == SLEEP_IN_CALL_OTHER) {
		o->other_sleeps += 1;
		o->rtlock_waits += sc->rtlock;
		if (co)
			co->other_sleeps += 1;
		return;
	}
	o->waits += 1;
	if (co)
		co->waits += 1;
	if (first_wait_of_call(prev, st, sc, reads)) {
		o->blocked_calls += 1;
		if (co)
			co->blocked_calls += 1;
	}
}

/*
 * knob fill_hist: the fill as a fraction of capacity into the thread's
 * fill histogram (as ceil(f * IPCT_FILL_ONE) - 1, see ipctrace.h) and
 * into the sum of fractions
 */
static __always_inline void fill_fraction_add(struct ipct_thread *th,
					      bool is_pipe,
					      const struct fill *f)
{
	__u64 v;

	if (!f->cap)
		return;
	v = (f->used * IPCT_FILL_ONE + f->cap - 1) / f->cap;
	hist_add(th, is_pipe ? IPCT_HIST_FILL_PIPE_WRITE :
				IPCT_HIST_FILL_UNIX_WRITE, v ? v - 1 : 0);
	th->fill_frac_sum[is_pipe ? 0 : 1] +=
		f->used * IPCT_FILL_SUM_ONE / f->cap;
}

/*
 * How full the channel was when its writer waited; the bytes it held at
 * the thread's first wait and then once per IPCT_FILL_BYTES_GAP_NS.
 */
static __always_inline void sample_fill(struct ipct_thread *th,
					struct ipct_op_stats *o,
					struct ipct_op_stats *co,
					struct task_state *st,
					const struct sleep_class *sc, __u64 now)
{
	struct fill f = {};
	bool bytes = !st->fill_bytes_ns ||
		     now - st->fill_bytes_ns >= IPCT_FILL_BYTES_GAP_NS;
	int err = op_is_pipe(sc->op) ? pipe_fill((void *)sc->chan, &f, bytes) :
				       unix_fill((struct sock *)sc->chan, &f, bytes);

	if (bytes)
		st->fill_bytes_ns = now;
	if (err) {
		count_drop(IPCT_DROP_READ_FAULT);
		return;
	}
	record_fill(o, &f);
	if (fill_hist)
		fill_fraction_add(th, op_is_pipe(sc->op), &f);
	if (co) {
		co->fill_samples += 1;
		co->fill_used_sum += f.used;
		co->fill_cap_sum += f.cap;
		co->fill_bytes_samples += f.has_bytes;
		co->fill_bytes_sum += f.bytes;
	}
}

/* the sleep in progress, for switch-in to time it */
static __always_inline void remember_sleep(void *ctx, __u32 tid,
					   struct ipct_thread *th,
					   struct task_state *st,
					   const struct sleep_class *sc, __u64 now)
{
	st->sleep.start_ns = now;
	st->sleep.cpu_ns = th->cpu_ns;
	st->sleep.kind = sc->kind;
	st->sleep.op = sc->op;
	st->sleep.nr = (__s32)sc->nr;
	st->sleep.ino = sc->kind == SLEEP_IDLE ? 0 : sc->ino;
	st->sleep.chan_slot = sc->kind == SLEEP_IDLE ? IPCT_NO_SLOT : sc->chan_slot;
	st->sleep.nr_entry = sleep_begin_count(th, tid, (__s32)sc->nr);
	if (collect_stacks) {
		/* at sched_switch, current is still prev: its stack is this sleep's */
		st->sleep.stackid = bpf_get_stackid(ctx, &stacks, 0);
		if (st->sleep.stackid < 0)
			count_drop(IPCT_DROP_STACK);
	}
}

/* prev is going to sleep voluntarily (state: its prev_state) */
static __always_inline void begin_sleep(void *ctx, struct task_struct *prev,
					__u32 tid, struct ipct_thread *th,
					struct task_state *st, __u32 state,
					__u64 now, int reads)
{
	struct sleep_class sc;
	struct ipct_op_stats *o, *co;
	struct ipct_chan *ch;

	classify_sleep(prev, st, state, reads, &sc);
	if (sc.op >= IPCT_OP_COUNT)
		return;
	remember_sleep(ctx, tid, th, st, &sc, now);
	if (sc.kind == SLEEP_IDLE) {
		th->idle_sleeps += 1;
		return;
	}
	o = op_stats(th, sc.op);
	ch = chan_rec(sc.chan_slot, sc.ino, op_is_pipe(sc.op), sc.chan);
	co = ch ? chan_side(ch, op_is_write(sc.op)) : NULL;
	count_sleep(prev, o, co, st, &sc, reads);
	if (sc.kind == SLEEP_CHANNEL_WAIT && op_is_write(sc.op) && sc.chan)
		sample_fill(th, o, co, st, &sc, now);
}

#endif
