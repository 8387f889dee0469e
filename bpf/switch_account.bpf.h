/* SPDX-License-Identifier: GPL-2.0 */
/*
 * switch_account.bpf.h - every context switch of a watched thread:
 * voluntary or involuntary exactly as __schedule() counts it, the start of
 * a sleep (sleep_classify.bpf.h) at switch-out, and at switch-in how long
 * the sleep lasted and how long the woken thread waited to run.
 */
#ifndef IPCTRACE_SWITCH_ACCOUNT_BPF_H
#define IPCTRACE_SWITCH_ACCOUNT_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "chan_counters.bpf.h"
#include "filter.bpf.h"
#include "knobs.bpf.h"
#include "records.bpf.h"
#include "sleep_classify.bpf.h"

static __always_inline bool signal_pending(struct task_struct *t, int reads)
{
	__u64 flags = TREAD(reads, t, thread_info.flags);

	return flags & (1ULL << tif_sigpending_bit);
}

/* the clock, read once per event and only when a sleep begins or ends */
static __always_inline __u64 clock_once(__u64 *now)
{
	if (!*now)
		*now = bpf_ktime_get_ns();
	return *now;
}

/* the sleep that ends now: its length, by what it waited for */
static __always_inline void end_sleep(struct ipct_thread *th, __u32 tid,
				      struct task_state *st, __u64 now)
{
	__u64 slept = now - st->sleep.start_ns;
	__u32 op = st->sleep.op;

	if (st->sleep.kind == SLEEP_CHANNEL_WAIT && op < IPCT_OP_COUNT) {
		op_stats(th, op)->wait_ns += slept;
		if (wait_hists)
			hist_add(th, IPCT_HIST_WAIT_PIPE_WRITE + (op & (IPCT_OP_COUNT - 1)),
				 slept);
		if (track_channels && st->sleep.chan_slot) {
			struct ipct_chan *ch = chan_rec(st->sleep.chan_slot, st->sleep.ino,
							op_is_pipe(op), 0);

			/* this CPU's copy: a plain addition */
			if (ch)
				chan_side(ch, op_is_write(op))->wait_ns += slept;
		}
	} else if (st->sleep.kind == SLEEP_IN_CALL_OTHER && op < IPCT_OP_COUNT) {
		op_stats(th, op)->other_sleep_ns += slept;
	} else {
		th->idle_sleep_ns += slept;
	}
	sleep_end_ns(th, tid, st->sleep.nr, st->sleep.nr_entry, slept);
	if (collect_stacks && st->sleep.stackid >= 0) {
		struct ipct_stack_key sk = { .tid = tid, .stackid = st->sleep.stackid };
		__u64 zero = 0, *ns;

		ns = lookup_or_create(&stack_times, &sk, &zero,
				      IPCT_DROP_STACK_TIME_MAP_FULL);
		if (ns)
			*ns += slept;
	}
	/*
	 * Every sleep ends with a sched_waking (ttwu); when it raced ahead of
	 * the switch-out it is older than the sleep's start, still the right one.
	 */
	if (st->sleep.waking_ns) {
		__u64 lat = now - st->sleep.waking_ns;

		th->wakeup_lat_samples += 1;
		th->wakeup_lat_ns += lat;
		hist_add(th, IPCT_HIST_WAKEUP_LATENCY, lat);
	}
}

/* the sleep is over: nothing in progress until the next switch-out */
static __always_inline void sleep_clear(struct task_state *st)
{
	st->sleep.start_ns = 0;
	st->sleep.waking_ns = 0;
	st->sleep.kind = SLEEP_NONE;
}

/*
 * A switch-in the kernel did not trace. On the host this project's CI
 * runs on (6.18.44-fc, a Firecracker guest), a switch away from a thread
 * of the sandbox's init (PID 1: process_api, tokio-rt-worker) never
 * reaches sched_switch, so the task that runs next comes in unseen
 * (bpftrace, 30 s: 82 of 14801 switches followed such a gap, each after
 * a PID 1 thread). A thread switched in so runs with its sleep still open
 * here, and its next switch-out finds it so. Since that switch-in it has
 * run without a break (or a switch-out would have come first), for the
 * CPU time it gained since the sleep began: the sleep ended that long
 * ago. sum_exec_runtime leaves out IRQ and steal time (rq_clock_task), so
 * such a sleep reads long by what those took while it ran; it ended no
 * earlier than its sched_waking.
 */
static __always_inline void end_untraced_sleep(struct ipct_thread *th,
					       __u32 tid, struct task_state *st,
					       __u64 now)
{
	__u64 ran = th->cpu_ns - st->sleep.cpu_ns;
	__u64 end = ran < now - st->sleep.start_ns ? now - ran : st->sleep.start_ns;

	if (st->sleep.waking_ns > end && st->sleep.waking_ns <= now)
		end = st->sleep.waking_ns;
	end_sleep(th, tid, st, end);
	sleep_clear(st);
	th->untraced_switch_ins += 1;
}

static __always_inline void switch_out(void *ctx, struct task_struct *prev,
				       __u32 tid, __u32 tgid, bool preempt,
				       __u32 prev_state, __u64 *now, int reads)
{
	struct rec r;
	bool voluntary;

	/*
	 * __schedule() bumps nvcsw when !preempt && prev_state, nivcsw
	 * otherwise. Since 8feb053d5319 (v6.16) a sleep cut short by a
	 * pending signal reaches the tracepoint as TASK_RUNNING yet still
	 * counts in nvcsw; a pending signal tells that case apart.
	 */
	voluntary = !preempt && (prev_state != TASK_RUNNING ||
				 signal_pending(prev, reads));
	if (!rec_of(prev, tid, tgid, reads, true, &r))
		return;
	update_cpu(r.th, prev, reads);
	/* running, yet asleep to us: its switch-in went untraced */
	if (r.st->sleep.start_ns)
		end_untraced_sleep(r.th, tid, r.st, clock_once(now));
	/* an involuntary switch is counted, nothing more */
	if (!voluntary) {
		r.th->invol_switches += 1;
		return;
	}
	r.th->vol_switches += 1;
	/* the final switch of an exiting task, or a sleep a signal cut short */
	if ((prev_state & TASK_DEAD) || prev_state == TASK_RUNNING)
		return;
	/* io counters only move in syscalls; a sleeping thread's are final
	 * until it runs again, so reading them at sleeps and exit suffices */
	update_io(r.th, r.st, prev, reads);
	begin_sleep(ctx, prev, tid, r.th, r.st, prev_state, clock_once(now), reads);
}

static __always_inline void switch_in(struct task_struct *next, __u32 tid,
				      __u32 tgid, __u64 *now, int reads)
{
	struct rec r;

	/* first sight creates the record: the io baseline before it runs */
	if (!rec_of(next, tid, tgid, reads, true, &r) || !r.st->sleep.start_ns)
		return;
	end_sleep(r.th, tid, r.st, clock_once(now));
	sleep_clear(r.st);
}

static __always_inline void on_switch(void *ctx, bool preempt,
				      struct task_struct *prev,
				      struct task_struct *next,
				      __u32 prev_state, int reads)
{
	__u32 prev_tid = TREAD(reads, prev, pid), prev_tgid = TREAD(reads, prev, tgid);
	__u32 next_tid = TREAD(reads, next, pid), next_tgid = TREAD(reads, next, tgid);
	__u64 now = 0;

	/* most switches on a busy system are of tasks nobody watches: they
	 * leave after two array loads, without reading the clock */
	if (task_watched(prev, prev_tgid, prev_tid, reads))
		switch_out(ctx, prev, prev_tid, prev_tgid, preempt, prev_state, &now, reads);
	if (task_watched(next, next_tgid, next_tid, reads))
		switch_in(next, next_tid, next_tgid, &now, reads);
}

#endif
