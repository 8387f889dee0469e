/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knobs.bpf.h - what the loader (user/kernel/tracer.c) sets before load.
 * Read-only data is frozen by the load, so every branch on a knob is
 * decided once and the verifier drops the code of the other side.
 */
#ifndef IPCTRACE_KNOBS_BPF_H
#define IPCTRACE_KNOBS_BPF_H

#include <vmlinux.h>
#include "ipctrace.h"

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
/* `ipctrace trace`: per-channel counters (chan_counters.bpf.h) */
const volatile bool track_channels = false;
/* `ipctrace serve`: the fill at writer waits as a histogram of fractions */
const volatile bool fill_hist = false;
/*
 * trace and serve: each thread's channel waits by length, a histogram per
 * op. run reads only the wakeup latency's, and its 1000-byte cells wait
 * at every other write: there the histogram would be work nobody reads.
 */
const volatile bool wait_hists = false;

#endif
