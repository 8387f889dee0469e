/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - the one header shared by the CPU profile's BPF program
 * (bpf/profile.bpf.c) and its loader (user/kernel/profile.c). Plain types
 * and constants only, as in ipctrace.h.
 *
 * Glossary (adds to bpf/ipctrace.h):
 *   sample        one firing of the software cpu-clock event on a CPU while
 *                 a watched thread ran there: where that thread was, kernel
 *                 and user stack. Samples of other tasks are only counted
 *                 as ticks.
 *   tick          any firing of the event, whatever ran (idle included):
 *                 ticks / (CPUs x seconds) is the rate the event really
 *                 fired at, so a sample stands for 1 / that rate of CPU.
 *   mechanism     what a sample's stack was doing, from the one table in
 *                 user/analysis/mechanisms.c ("slab and skb allocation").
 */
#ifndef IPCTRACE_PROFILE_H
#define IPCTRACE_PROFILE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * Samples per second and CPU asked of cpu-clock. 999, not 1000: a rate
 * that is not a multiple of the scheduler tick's does not fire in lockstep
 * with it (perf's default is 4000; 999 is what `perf record -F 999` users
 * know). The kernel turns it into a fixed period of 1/999 s.
 */
#define IPCT_PROF_HZ 999

/* frames kept per stack: syscall paths are 20-50 kernel frames deep */
#define IPCT_PROF_KDEPTH 64
#define IPCT_PROF_UDEPTH 32

/* one stack, innermost frame first; n frames are valid */
struct ipct_prof_kstack {
	__u32 n;
	__u32 pad;
	__u64 ip[IPCT_PROF_KDEPTH];
};

struct ipct_prof_ustack {
	__u32 n;
	__u32 pad;
	__u64 ip[IPCT_PROF_UDEPTH];
};

/*
 * Samples are counted per thread and pair of stacks. Stacks are keyed by a
 * 64-bit hash of their frames (0: no stack), content-addressed: a hash
 * names one stack for as long as the map holds it, unlike a stack map's
 * bucket, which a colliding stack is refused.
 */
struct ipct_prof_key {
	__u32 tgid;
	__u32 tid;
	__u64 kstack;		/* 0: sampled in user mode, or unreadable */
	__u64 ustack;		/* 0: no user stack */
	__u32 user_mode;	/* the sample interrupted user space */
	__u32 pad;
};

/* Samples whose stacks could not be kept; counted, never silent. */
enum ipct_prof_drop {
	IPCT_PROF_DROP_KSTACK = 0,	/* bpf_get_stack failed in kernel mode */
	IPCT_PROF_DROP_STACK_MAP_FULL,	/* a stack map is full */
	IPCT_PROF_DROP_COUNT_MAP_FULL,	/* the sample itself was lost */
	IPCT_PROF_DROP_COUNT,
};

#endif /* IPCTRACE_PROFILE_H */
