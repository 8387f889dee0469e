// SPDX-License-Identifier: GPL-2.0
/*
 * ipctrace.bpf.c - where every ipctrace counter is born.
 *
 * All attach variants live in this one object; the loader (user/tracer.c)
 * switches off the ones the running kernel cannot use before load:
 *
 *   fentry mode:     fentry/fexit on the pipe and unix stream functions
 *   kprobe mode:     kprobe/kretprobe on the same functions
 *   tracepoint mode: no function probes; sleeps are attributed by looking
 *                    at the syscall and fd of the task going to sleep, and
 *                    calls are counted at raw_syscalls:sys_exit (optional)
 *
 * and in every mode the scheduler tracepoints (tp_btf, or raw_tp where the
 * kernel has no tp_btf) count switches, sleeps, waits and wakeups.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"
#include "channel.bpf.h"
#include "reads.bpf.h"
#include "filter.bpf.h"
#include "chans.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- set by the loader before load; rodata is frozen by load ---- */

/* enum ipct_call_source: who counts calls and marks call boundaries */
const volatile __u32 call_source = IPCT_CALLS_FUNC;
/*
 * sched_switch's prev_state argument: added in v5.18 by fa2c3254d7cf and
 * moved last by 9c2136be0878 ("sched/tracing: Append prev_state to tp args
 * instead"). Without it we read prev->__state, which is what the kernel
 * itself did before.
 */
const volatile bool switch_has_prev_state = true;
/* x86's TIF_SIGPENDING bit in thread_info.flags */
const volatile __u32 tif_sigpending_bit = 2;
/* THREAD_SIZE, to find a task's pt_regs where bpf_task_pt_regs can't */
const volatile __u64 kernel_thread_size = 16384;
/* this architecture's syscall numbers, from <sys/syscall.h>; -1 = none */
const volatile __s32 nr_read = -1, nr_readv = -1, nr_recvfrom = -1,
		     nr_recvmsg = -1;
const volatile __s32 nr_write = -1, nr_writev = -1, nr_sendto = -1,
		     nr_sendmsg = -1;
/* the calls that wait for a channel to become ready, or move data with it */
const volatile __s32 nr_poll = -1, nr_ppoll = -1, nr_select = -1,
		     nr_pselect6 = -1, nr_epoll_wait = -1, nr_epoll_pwait = -1,
		     nr_epoll_pwait2 = -1, nr_splice = -1, nr_sendfile = -1;
/* --folded: the kernel stack of every sleep, weighted by its length */
const volatile bool collect_stacks = false;

#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_DEAD 0x0080

/*
 * Counters are plain additions, not atomics: every record is written only
 * from contexts the kernel serializes. A thread's switch-out, switch-in and
 * function exit cannot overlap (it runs on one CPU at a time), and every
 * sched_waking of a thread runs under that thread's pi_lock. Only the
 * global drop counters (maps.bpf.h) take atomics.
 */

/* ---- small helpers ---- */

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

/* 1: a write-family syscall on an fd, 0: read family, -1: neither */
static __always_inline int syscall_direction(long nr)
{
	if (nr < 0)
		return -1;
	if (nr == nr_write || nr == nr_writev || nr == nr_sendto ||
	    nr == nr_sendmsg)
		return 1;
	if (nr == nr_read || nr == nr_readv || nr == nr_recvfrom ||
	    nr == nr_recvmsg)
		return 0;
	return -1;
}

/*
 * The user registers a task saved on kernel entry. bpf_task_pt_regs (v5.15)
 * needs a BTF task pointer, which tp_btf gives us; raw_tp hands out plain
 * pointers, so there we compute what task_pt_regs() computes on x86-64.
 */
static __always_inline struct pt_regs *regs_of(struct task_struct *task,
					       bool btf)
{
	if (btf)
		return (struct pt_regs *)bpf_task_pt_regs(task);
	return (struct pt_regs *)((__u64)BPF_CORE_READ(task, stack) +
				  kernel_thread_size) - 1;
}

/*
 * Is task asleep in a call that a pipe or socket can end: a read or write,
 * or a wait for readiness (poll, select, epoll)? Not kernel threads: their
 * saved registers are zero, which reads as read(0).
 */
#define IPCT_PF_KTHREAD 0x00200000	/* include/linux/sched.h */
static __always_inline bool waits_in_io(struct task_struct *task, bool btf)
{
	long nr;

	if (TREAD(btf, task, flags) & IPCT_PF_KTHREAD)
		return false;
	nr = TREAD(btf, regs_of(task, btf), orig_ax);
	return syscall_direction(nr) >= 0 || nr == nr_poll || nr == nr_ppoll ||
	       nr == nr_select || nr == nr_pselect6 || nr == nr_epoll_wait ||
	       nr == nr_epoll_pwait || nr == nr_epoll_pwait2 ||
	       nr == nr_splice || nr == nr_sendfile;
}

struct io_now {
	__u64 syscw, syscr, wchar, rchar;
};

/* task->ioac: write/read syscalls and bytes (CONFIG_TASK_XACCT) */
static __always_inline void io_of(struct task_struct *task, struct io_now *io,
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
	}
	return th;
}

/* First sight of a thread: remember its io counters as the baseline. */
static __always_inline struct task_state *state_of(struct task_struct *task,
						   __u32 tid, bool btf)
{
	struct task_state *st;
	struct io_now io;

	st = bpf_map_lookup_elem(&tasks, &tid);
	if (st)
		return st;
	st = lookup_or_create(&tasks, &tid, &zero_task,
			      IPCT_DROP_TASK_MAP_FULL);
	if (!st)
		return NULL;
	io_of(task, &io, btf);
	st->io_base_syscw = io.syscw;
	st->io_base_syscr = io.syscr;
	st->io_base_wchar = io.wchar;
	st->io_base_rchar = io.rchar;
	return st;
}

static __always_inline void update_io(struct ipct_thread *th,
				      struct task_state *st,
				      struct task_struct *task, bool btf)
{
	struct io_now io;

	io_of(task, &io, btf);
	th->io_syscw = io.syscw - st->io_base_syscw;
	th->io_syscr = io.syscr - st->io_base_syscr;
	th->io_wchar = io.wchar - st->io_base_wchar;
	th->io_rchar = io.rchar - st->io_base_rchar;
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

static __always_inline void record_fill(struct ipct_op_stats *o,
					struct fill *f)
{
	o->fill_samples += 1;
	o->fill_used_sum += f->used;
	o->fill_cap_sum += f->cap;
	o->fill_bytes_sum += f->bytes;
	if (f->truncated)
		o->fill_bytes_truncated += 1;
	/* min/max: only this thread's own switch-out writes them */
	if (o->fill_samples == 1 || f->used < o->fill_used_min)
		o->fill_used_min = f->used;
	if (f->used > o->fill_used_max)
		o->fill_used_max = f->used;
}

/* ---- the scheduler: switches, sleeps, channel waits ---- */

/*
 * prev is going to sleep voluntarily: find out where. A sleep inside a
 * channel call is a channel wait when interruptible (pipe_wait_writable,
 * sock_wait_for_wmem, unix_stream_data_wait all sleep TASK_INTERRUPTIBLE)
 * and an "other" sleep when not (pipe->mutex, u->iolock, page faults).
 */
static __always_inline void begin_sleep(void *ctx, struct task_struct *prev,
					__u32 tid, struct ipct_thread *th,
					struct task_state *st, __u32 state,
					__u64 now, bool btf)
{
	struct pt_regs *regs = regs_of(prev, btf);
	long nr = TREAD(btf, regs, orig_ax);
	bool interruptible = state & TASK_INTERRUPTIBLE;
	__u32 kind = SLEEP_IDLE, op = 0;
	__u64 chan = 0, ino = 0;
	bool is_pipe = false;
	long fd = -1;

	if (call_source == IPCT_CALLS_FUNC) {
		if (st->call_op) {
			op = st->call_op - 1;
			chan = st->chan;
			ino = st->call_ino;
			kind = interruptible ? SLEEP_CHANNEL_WAIT :
					       SLEEP_IN_CALL_OTHER;
		}
	} else {
		int dir = syscall_direction(nr);
		struct channel c = {};

		fd = TREAD(btf, regs, di);
		if (dir >= 0 && channel_of_fd(prev, fd, &c, st, btf) == 0) {
			op = op_of(c.is_pipe, dir == 1);
			chan = c.ptr;
			ino = c.ino;
			kind = interruptible ? SLEEP_CHANNEL_WAIT :
					       SLEEP_IN_CALL_OTHER;
		}
	}
	if (op >= IPCT_OP_COUNT)
		return;
	is_pipe = op_is_pipe(op);

	st->sleep_start_ns = now;
	st->sleep_kind = kind;
	st->sleep_op = op;
	st->sleep_nr = (__s32)nr;
	st->sleep_ino = kind == SLEEP_IDLE ? 0 : ino;
	sleep_add(tid, (__s32)nr, 1, 0);
	if (collect_stacks) {
		/* at sched_switch, current is still prev: its stack is this sleep's */
		st->sleep_stackid = bpf_get_stackid(ctx, &stacks, 0);
		if (st->sleep_stackid < 0)
			count_drop(IPCT_DROP_STACK);
	}

	if (kind == SLEEP_IDLE) {
		th->idle_sleeps += 1;
		return;
	}
	struct ipct_op_stats *o = op_stats(th, op);
	struct ipct_chan *ch = chan_of(ino, is_pipe, chan);
	struct ipct_op_stats *co = ch ? chan_side(ch, op_is_write(op)) : NULL;
	bool new_blocked_call = false;

	if (kind == SLEEP_IN_CALL_OTHER) {
		o->other_sleeps += 1;
		if (co)
			__sync_fetch_and_add(&co->other_sleeps, 1);
		return;
	}
	o->waits += 1;
	if (co)
		__sync_fetch_and_add(&co->waits, 1);

	/* the first wait of a call makes it a blocked call */
	if (call_source == IPCT_CALLS_FUNC) {
		if (st->call_waits++ == 0)
			new_blocked_call = true;
	} else {
		/*
		 * No function exit tells us where a call ends. A write or
		 * read syscall bumps task->ioac.syscw/syscr only when it
		 * returns (vfs_write -> inc_syscw), so a second wait with the
		 * same counter, op and fd is the same call waiting again.
		 * sys_exit, when attached, also clears the signature.
		 */
		struct io_now io;
		__u64 sig;

		io_of(prev, &io, btf);
		sig = op_is_write(op) ? io.syscw : io.syscr;
		if (st->wait_sig_op != op + 1 || st->wait_sig_fd != fd ||
		    st->wait_sig_io != sig) {
			new_blocked_call = true;
			st->wait_sig_op = op + 1;
			st->wait_sig_fd = fd;
			st->wait_sig_io = sig;
		}
	}

	if (new_blocked_call) {
		o->blocked_calls += 1;
		if (co)
			__sync_fetch_and_add(&co->blocked_calls, 1);
	}

	if (op_is_write(op) && chan) {
		struct fill f = {};
		int err = is_pipe ? pipe_fill((void *)chan, &f) :
				    unix_fill((struct sock *)chan, &f);

		if (!err) {
			record_fill(o, &f);
			if (co) {
				__sync_fetch_and_add(&co->fill_samples, 1);
				__sync_fetch_and_add(&co->fill_used_sum, f.used);
				__sync_fetch_and_add(&co->fill_cap_sum, f.cap);
				__sync_fetch_and_add(&co->fill_bytes_sum, f.bytes);
			}
		} else {
			count_drop(IPCT_DROP_READ_FAULT);
		}
	}
}

static __always_inline bool signal_pending(struct task_struct *t, bool btf)
{
	__u64 flags = TREAD(btf, t, thread_info.flags);

	return flags & (1ULL << tif_sigpending_bit);
}

static __always_inline void switch_out(void *ctx, struct task_struct *prev,
				       __u32 tid, __u32 tgid, bool preempt,
				       __u32 prev_state, __u64 now, bool btf)
{
	struct ipct_thread *th;
	struct task_state *st;
	bool voluntary;

	/*
	 * __schedule() bumps nvcsw when !preempt && prev_state, nivcsw
	 * otherwise. Since 8feb053d5319 (v6.16) a sleep cut short by a
	 * pending signal reaches the tracepoint as TASK_RUNNING yet still
	 * counts in nvcsw; a pending signal tells that case apart.
	 */
	voluntary = !preempt && (prev_state != TASK_RUNNING ||
				 signal_pending(prev, btf));
	th = thread_of(prev, tid, tgid);
	if (!th)
		return;
	if (voluntary)
		th->vol_switches += 1;
	else
		th->invol_switches += 1;

	/* the final switch of an exiting task: its state is already gone */
	if (prev_state & TASK_DEAD)
		return;
	if (!voluntary || prev_state == TASK_RUNNING)
		return;
	st = state_of(prev, tid, btf);
	if (!st)
		return;
	/* io counters only move in syscalls; a sleeping thread's are final
	 * until it runs again, so reading them at sleeps and exit suffices */
	update_io(th, st, prev, btf);
	begin_sleep(ctx, prev, tid, th, st, prev_state, now, btf);
}

static __always_inline void switch_in(struct task_struct *next, __u32 tid,
				      __u32 tgid, __u64 now, bool btf)
{
	struct ipct_thread *th;
	struct task_state *st;
	__u64 slept;
	__u32 op;

	st = bpf_map_lookup_elem(&tasks, &tid);
	if (!st) {
		/* first sight: take the io baseline before it runs */
		state_of(next, tid, btf);
		thread_of(next, tid, tgid);
		return;
	}
	if (!st->sleep_start_ns)
		return;
	th = bpf_map_lookup_elem(&threads, &tid);
	if (!th)
		goto done;
	slept = now - st->sleep_start_ns;
	op = st->sleep_op;
	if (st->sleep_kind == SLEEP_CHANNEL_WAIT && op < IPCT_OP_COUNT) {
		op_stats(th, op)->wait_ns += slept;
		hist_add(tid, IPCT_HIST_WAIT_PIPE_WRITE + op, slept);
		if (track_channels && st->sleep_ino) {
			struct ipct_chan *ch = bpf_map_lookup_elem(&chans, &st->sleep_ino);

			if (ch)
				__sync_fetch_and_add(&chan_side(ch, op_is_write(op))->wait_ns,
						     slept);
		}
	} else if (st->sleep_kind == SLEEP_IN_CALL_OTHER && op < IPCT_OP_COUNT) {
		op_stats(th, op)->other_sleep_ns += slept;
	} else {
		th->idle_sleep_ns += slept;
	}
	sleep_add(tid, st->sleep_nr, 0, slept);
	if (collect_stacks && st->sleep_stackid >= 0) {
		struct ipct_stack_key sk = { .tid = tid, .stackid = st->sleep_stackid };
		__u64 zero = 0, *ns;

		ns = lookup_or_create(&stack_times, &sk, &zero,
				      IPCT_DROP_STACK_TIME_MAP_FULL);
		if (ns)
			*ns += slept;
	}
	/*
	 * Every sleep ends with a sched_waking (ttwu); when it raced ahead of
	 * the switch-out it is older than sleep_start, still the right one.
	 */
	if (st->waking_ns) {
		__u64 lat = now - st->waking_ns;

		th->wakeup_lat_samples += 1;
		th->wakeup_lat_ns += lat;
		hist_add(tid, IPCT_HIST_WAKEUP_LATENCY, lat);
	}
done:
	st->sleep_start_ns = 0;
	st->waking_ns = 0;
	st->sleep_kind = SLEEP_NONE;
}

static __always_inline void on_switch(void *ctx, bool preempt,
				      struct task_struct *prev,
				      struct task_struct *next,
				      __u32 prev_state, bool btf)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 prev_tid = TREAD(btf, prev, pid), prev_tgid = TREAD(btf, prev, tgid);
	__u32 next_tid = TREAD(btf, next, pid), next_tgid = TREAD(btf, next, tgid);

	if (task_watched(prev, prev_tgid, prev_tid))
		switch_out(ctx, prev, prev_tid, prev_tgid, preempt, prev_state, now, btf);
	if (task_watched(next, next_tgid, next_tid))
		switch_in(next, next_tid, next_tgid, now, btf);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tp_btf_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 prev_state = switch_has_prev_state ? (__u32)ctx[3] :
						   task_state_of(prev);

	on_switch(ctx, preempt, prev, next, prev_state, true);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_tp_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 prev_state = switch_has_prev_state ? (__u32)ctx[3] :
						   task_state_of(prev);

	on_switch(ctx, preempt, prev, next, prev_state, false);
	return 0;
}

/* ---- wakeups: sched_waking runs in the waker's context ---- */

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
static __always_inline bool in_task_context(void *ctx, struct task_struct *cur,
					    bool btf)
{
	__u64 base = (__u64)TREAD(btf, cur, stack);

	return (__u64)ctx > base && (__u64)ctx < base + kernel_thread_size;
}

/* what the waker is in the middle of: an op (IPCT_OP_COUNT: none) and channel */
static __always_inline __u32 current_op(struct task_struct *cur, __u32 tid,
					__u64 *ino, __u64 *chan, bool btf)
{
	struct task_state *st = bpf_map_lookup_elem(&tasks, &tid);

	*ino = *chan = 0;
	if (call_source == IPCT_CALLS_FUNC) {
		if (!st || !st->call_op)
			return IPCT_OP_COUNT;
		*ino = st->call_ino;
		*chan = st->chan;
		return st->call_op - 1;
	}
	struct pt_regs *regs = regs_of(cur, btf);
	int dir = syscall_direction(TREAD(btf, regs, orig_ax));
	struct channel c = {};

	if (dir < 0 || channel_of_fd(cur, TREAD(btf, regs, di), &c, st, btf))
		return IPCT_OP_COUNT;
	*ino = c.ino;
	*chan = c.ptr;
	return op_of(c.is_pipe, dir == 1);
}

static __always_inline void on_waking(void *ctx, struct task_struct *p,
				      struct task_struct *cur, bool btf)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 waker_tid = (__u32)id, waker_tgid = id >> 32;
	__u32 wakee_tid = TREAD(btf, p, pid);
	__u32 wakee_tgid = TREAD(btf, p, tgid);
	bool wakee_watched = task_watched(p, wakee_tgid, wakee_tid);
	bool waker_watched = task_watched(cur, waker_tgid, waker_tid);
	struct ipct_wake_key key = { .waker_tid = waker_tid,
				     .wakee_tid = wakee_tid };
	struct ipct_wake_val zero = {}, *w;
	struct ipct_thread *th;
	__u64 ino = 0, chan = 0;
	__u32 via;

	if (!wakee_watched && !waker_watched)
		return;
	/*
	 * An interrupt woke p: p was woken, but not by the task the interrupt
	 * borrowed, nor through its channel. Such wakeups go to tid 0, as
	 * those from the idle task already do.
	 */
	if (!in_task_context(ctx, cur, btf)) {
		key.waker_tid = 0;
		waker_watched = false;
		if (!wakee_watched)
			return;
	}
	via = key.waker_tid ? current_op(cur, waker_tid, &ino, &chan, btf) :
			      IPCT_OP_COUNT;
	/*
	 * A task in a write may wake others for other reasons (a kswapd
	 * kick, an RCU grace period): only a wakee waiting in I/O can have
	 * been woken through a channel.
	 */
	if (via < IPCT_OP_COUNT && !waits_in_io(p, btf))
		via = IPCT_OP_COUNT;
	if (track_channels && via < IPCT_OP_COUNT) {
		struct ipct_chan *ch = chan_of(ino, op_is_pipe(via), chan);

		key.ino = ino;
		if (ch)
			__sync_fetch_and_add(&ch->wakeups, 1);
	}
	w = lookup_or_create(&wakes, &key, &zero, IPCT_DROP_WAKE_MAP_FULL);
	if (w && via <= IPCT_OP_COUNT)
		w->via[via] += 1;

	if (waker_watched) {
		th = thread_of(cur, waker_tid, waker_tgid);
		if (th)
			th->wakeups_sent += 1;
	}
	if (wakee_watched) {
		struct task_state *st = state_of(p, wakee_tid, btf);

		th = thread_of(p, wakee_tid, wakee_tgid);
		if (th)
			th->wakeups_received += 1;
		if (st)
			st->waking_ns = bpf_ktime_get_ns();
	}
}

SEC("tp_btf/sched_waking")
int BPF_PROG(tp_btf_sched_waking, struct task_struct *p)
{
	on_waking(ctx, p, bpf_get_current_task_btf(), true);
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(raw_tp_sched_waking, struct task_struct *p)
{
	on_waking(ctx, p, (struct task_struct *)bpf_get_current_task(), false);
	return 0;
}

/* ---- thread exit: final io counters, free the private state ---- */

static __always_inline void on_exit(struct task_struct *p, bool btf)
{
	__u32 tid = TREAD(btf, p, pid);
	struct ipct_thread *th;
	struct task_state *st;

	if (!task_watched(p, TREAD(btf, p, tgid), tid))
		return;
	th = bpf_map_lookup_elem(&threads, &tid);
	st = bpf_map_lookup_elem(&tasks, &tid);
	if (th && st)
		update_io(th, st, p, btf);
	if (th) {
		th->exited = 1;
		BPF_CORE_READ_STR_INTO(&th->comm, p, comm);
	}
	bpf_map_delete_elem(&tasks, &tid);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_btf_sched_process_exit, struct task_struct *p)
{
	on_exit(p, true);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(raw_tp_sched_process_exit, struct task_struct *p)
{
	on_exit(p, false);
	return 0;
}

/* ---- new processes of a followed process are watched too ---- */

static __always_inline void on_fork(struct task_struct *parent,
				    struct task_struct *child, bool btf)
{
	__u32 ptgid = TREAD(btf, parent, tgid);
	__u32 ctgid = TREAD(btf, child, tgid);
	__u32 *flags;

	if (ptgid == ctgid)	/* a new thread: its tgid is watched already */
		return;
	/* --comm: a child keeps its parent's name until it execs */
	if (comm_filter_set() && comm_matches(child)) {
		watch_process(ctgid, IPCT_WATCH_PROCESS);
		return;
	}
	flags = bpf_map_lookup_elem(&watched, &ptgid);
	if (flags && (*flags & IPCT_WATCH_FOLLOW))
		watch_process(ctgid, *flags);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp_btf_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	on_fork(parent, child, true);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(raw_tp_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	on_fork(parent, child, false);
	return 0;
}

/* ---- --comm: a process that takes the name by exec is watched from then ---- */

static __always_inline void on_exec(struct task_struct *p, bool btf)
{
	__u32 tgid = TREAD(btf, p, tgid), tid = TREAD(btf, p, pid);
	struct ipct_thread *th;

	if (comm_filter_set() && comm_matches(p))
		watch_process(tgid, IPCT_WATCH_PROCESS);
	/* the name a watched thread now has */
	th = bpf_map_lookup_elem(&threads, &tid);
	if (th)
		BPF_CORE_READ_STR_INTO(&th->comm, p, comm);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp_btf_sched_process_exec, struct task_struct *p)
{
	on_exec(p, true);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_tp_sched_process_exec, struct task_struct *p)
{
	on_exec(p, false);
	return 0;
}

/* ---- fentry/kprobe modes: the channel functions themselves ---- */

static __always_inline void call_enter(__u32 op, __u64 chan, __u64 ino)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct task_state *st;

	if (!task_watched(cur, id >> 32, tid))
		return;
	st = state_of(cur, tid, false);
	if (!st)
		return;
	/* a call still open means its return probe never fired */
	if (st->call_op)
		count_drop(IPCT_DROP_MISSED_EXIT);
	st->call_op = op + 1;
	st->chan = chan;
	st->call_ino = ino;
	st->call_waits = 0;
}

static __always_inline void count_call(struct ipct_thread *th, __u32 op,
				       long ret)
{
	struct ipct_op_stats *o;

	if (op >= IPCT_OP_COUNT)
		return;
	o = op_stats(th, op);
	o->calls += 1;
	if (ret >= 0)
		o->bytes += ret;
	else
		o->errors += 1;
}

static __always_inline void call_exit(__u32 op, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct ipct_thread *th;
	struct task_state *st;

	if (!task_watched(cur, tgid, tid))
		return;
	th = thread_of(cur, tid, tgid);
	if (th)
		count_call(th, op, ret);
	st = bpf_map_lookup_elem(&tasks, &tid);
	if (st && st->call_op == op + 1)
		chan_call(st->call_ino, op_is_pipe(op),
			  st->chan, op_is_write(op), ret);
	if (st) {
		st->call_op = 0;
		st->call_waits = 0;
		st->chan = 0;
	}
}

static __always_inline __u64 pipe_of_iocb(struct kiocb *iocb)
{
	return (__u64)BPF_CORE_READ(iocb, ki_filp, private_data);
}

static __always_inline __u64 sk_of_socket(struct socket *sock)
{
	return (__u64)BPF_CORE_READ(sock, sk);
}

/* the channel's inode, read only when channels are tracked (trace) */
static __always_inline __u64 ino_of_iocb(struct kiocb *iocb)
{
	return track_channels ? BPF_CORE_READ(iocb, ki_filp, f_inode, i_ino) : 0;
}

static __always_inline __u64 ino_of_socket(struct socket *sock)
{
	return track_channels ? BPF_CORE_READ(sock, file, f_inode, i_ino) : 0;
}

/*
 * The pipe functions are pipe_write/pipe_read before v6.15 and
 * anon_pipe_write/anon_pipe_read since 262b2fa99cbe; the loader retargets
 * these programs with bpf_program__set_attach_target().
 */
SEC("fentry/pipe_write")
int BPF_PROG(fentry_pipe_write, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_WRITE, pipe_of_iocb(iocb), ino_of_iocb(iocb));
	return 0;
}

SEC("fexit/pipe_write")
int BPF_PROG(fexit_pipe_write, struct kiocb *iocb, struct iov_iter *from,
	     long ret)
{
	call_exit(IPCT_PIPE_WRITE, ret);
	return 0;
}

SEC("fentry/pipe_read")
int BPF_PROG(fentry_pipe_read, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_READ, pipe_of_iocb(iocb), ino_of_iocb(iocb));
	return 0;
}

SEC("fexit/pipe_read")
int BPF_PROG(fexit_pipe_read, struct kiocb *iocb, struct iov_iter *to,
	     long ret)
{
	call_exit(IPCT_PIPE_READ, ret);
	return 0;
}

SEC("fentry/unix_stream_sendmsg")
int BPF_PROG(fentry_unix_stream_sendmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_WRITE, sk_of_socket(sock), ino_of_socket(sock));
	return 0;
}

SEC("fexit/unix_stream_sendmsg")
int BPF_PROG(fexit_unix_stream_sendmsg, struct socket *sock,
	     struct msghdr *msg, size_t len, int ret)
{
	call_exit(IPCT_UNIX_WRITE, ret);
	return 0;
}

SEC("fentry/unix_stream_recvmsg")
int BPF_PROG(fentry_unix_stream_recvmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_READ, sk_of_socket(sock), ino_of_socket(sock));
	return 0;
}

SEC("fexit/unix_stream_recvmsg")
int BPF_PROG(fexit_unix_stream_recvmsg, struct socket *sock,
	     struct msghdr *msg, size_t size, int flags, int ret)
{
	call_exit(IPCT_UNIX_READ, ret);
	return 0;
}

/* kprobes are attached by name from user space (see user/tracer.c) */
SEC("kprobe")
int BPF_KPROBE(kprobe_pipe_write, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_WRITE, pipe_of_iocb(iocb), ino_of_iocb(iocb));
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_pipe_write, long ret)
{
	call_exit(IPCT_PIPE_WRITE, ret);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_pipe_read, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_READ, pipe_of_iocb(iocb), ino_of_iocb(iocb));
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_pipe_read, long ret)
{
	call_exit(IPCT_PIPE_READ, ret);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unix_stream_sendmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_WRITE, sk_of_socket(sock), ino_of_socket(sock));
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unix_stream_sendmsg, long ret)
{
	call_exit(IPCT_UNIX_WRITE, (int)ret);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unix_stream_recvmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_READ, sk_of_socket(sock), ino_of_socket(sock));
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unix_stream_recvmsg, long ret)
{
	call_exit(IPCT_UNIX_READ, (int)ret);
	return 0;
}

/* ---- tracepoint mode: count calls where the syscall returns ---- */

SEC("raw_tp/sys_exit")
int BPF_PROG(raw_tp_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct task_struct *cur;
	struct ipct_thread *th;
	struct task_state *st;
	struct channel c = {};
	int dir;

	cur = (struct task_struct *)bpf_get_current_task();
	if (!task_watched(cur, tgid, tid))
		return 0;
	dir = syscall_direction(BPF_CORE_READ(regs, orig_ax));
	if (dir < 0)
		return 0;
	st = bpf_map_lookup_elem(&tasks, &tid);
	if (channel_of_fd(cur, BPF_CORE_READ(regs, di), &c, st, false))
		return 0;
	th = thread_of(cur, tid, tgid);
	if (th)
		count_call(th, op_of(c.is_pipe, dir == 1), ret);
	chan_call(c.ino, c.is_pipe, c.ptr, dir == 1, ret);
	if (st)
		st->wait_sig_op = 0;	/* the call is over */
	return 0;
}
