// SPDX-License-Identifier: GPL-2.0
/*
 * profile.bpf.c - where the watched threads spend their CPU: a perf_event
 * program on the software cpu-clock event, one event per online CPU (the
 * loader, user/kernel/profile.c, opens them at IPCT_PROF_HZ). At each tick
 * on a CPU that runs a watched thread it keeps the thread's kernel and
 * user stacks and counts the sample; for any other task it only counts
 * the tick.
 *
 * Its own object, apart from ipctrace.bpf.c: the profile's maps and its
 * one program are loaded only when a profile is asked for, and the hot
 * scheduler programs are not touched. Which processes are watched it
 * learns from ipctrace.bpf.c's own `watched` array: the loader hands this
 * object that map's fd (bpf_map__reuse_fd), so processes the tracer
 * starts to watch by itself (children of followed processes, a --comm
 * name at exec) are profiled from the same moment, with no second list
 * to keep in step. The -t and --cgroup filters are constants, as there.
 *
 * A timer sample cannot fire while interrupts are off: it fires at the
 * instruction that turns them back on. That is where samples of
 * interrupts-off regions land (finish_task_switch, the irqrestore of a
 * spinlock); user/analysis/mechanisms.c gives them to the code they close.
 */
#include <vmlinux.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "cgroup_walk.bpf.h"
#include "profile.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 filter_tid = 0;		/* -t TID: only this thread */
const volatile __u64 filter_cgroup = 0;		/* --cgroup: kernfs id of a v2 cgroup */

/* ipctrace.bpf.c's map (maps.bpf.h), reused by fd: same type and layout */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);	/* IPCT_WATCH_* flags; 0: not watched */
} watched SEC(".maps");

/*
 * Samples by thread and stacks. All hash maps are preallocated: a
 * perf_event program runs in interrupt context, where older kernels
 * refuse maps that allocate on update. max_entries are resized at load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ipct_prof_key);
	__type(value, __u64);
} prof_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct ipct_prof_kstack);
} prof_kstacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct ipct_prof_ustack);
} prof_ustacks SEC(".maps");

/* one CPU's stacks while a sample is taken (too big for the stack) */
struct prof_scratch {
	struct ipct_prof_kstack k;
	struct ipct_prof_ustack u;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct prof_scratch);
} prof_scratch SEC(".maps");

__u64 prof_ticks = 0;			/* every firing, any task */
__u64 prof_samples = 0;			/* firings on a watched thread */
__u64 prof_sample_ns = 0;		/* time spent taking those samples */
__u64 prof_drops[IPCT_PROF_DROP_COUNT] = {};

/* the current task is in the --cgroup subtree (cgroup_walk.bpf.h) */
static __always_inline bool current_in_cgroup_subtree(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);

	return kn_in_subtree(kn, filter_cgroup);
}

static __always_inline bool sample_watched(__u32 tgid, __u32 tid)
{
	__u32 *flags;

	if (filter_cgroup)
		return current_in_cgroup_subtree();
	flags = bpf_map_lookup_elem(&watched, &tgid);
	if (!flags || !*flags)
		return false;
	return !filter_tid || tid == filter_tid;
}

/* FNV-1a over the frames, 0 kept free for "no stack" */
static __always_inline __u64 frames_hash(const __u64 *ip, __u32 n, __u32 max)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (__u32 i = 0; i < max; i++) {
		if (i >= n)
			break;
		h ^= ip[i];
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

static __always_inline void count_prof_drop(enum ipct_prof_drop why)
{
	if (why < IPCT_PROF_DROP_COUNT)
		__sync_fetch_and_add(&prof_drops[why], 1);
}

/* keep a stack (once per distinct stack) and return its key, 0 if none */
static __always_inline __u64 keep_stack(void *map, void *val, __u64 *ip,
					__u32 *n, long bytes, __u32 max)
{
	__u64 h;

	if (bytes <= 0)
		return 0;
	*n = (__u32)(bytes / sizeof(__u64));
	h = frames_hash(ip, *n, max);
	if (!bpf_map_lookup_elem(map, &h) &&
	    bpf_map_update_elem(map, &h, val, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(map, &h)) {
		count_prof_drop(IPCT_PROF_DROP_STACK_MAP_FULL);
		return 0;
	}
	return h;
}

/* the stacks of a watched thread's sample, and the sample counted */
static __always_inline void take_sample(struct bpf_perf_event_data *ctx,
					__u32 tgid, __u32 tid)
{
	struct ipct_prof_key key = { .tgid = tgid, .tid = tid };
	struct prof_scratch *sc;
	__u32 zero = 0;
	__u64 *count;
	long bytes;

	sc = bpf_map_lookup_elem(&prof_scratch, &zero);
	if (!sc)
		return;
	/*
	 * The interrupted context was user space when its instruction pointer
	 * lies in the lower half (x86-64: user addresses are below
	 * 0x0000800000000000, the kernel's above 0xffff800000000000); then
	 * there is no kernel stack to walk. Not cs & 3: since FRED (6.9)
	 * pt_regs::cs is a u16 in a union, which a perf_event context may
	 * not be read as.
	 */
	key.user_mode = (long)ctx->regs.ip >= 0;
	if (!key.user_mode) {
		bytes = bpf_get_stack(ctx, sc->k.ip, sizeof(sc->k.ip), 0);
		key.kstack = keep_stack(&prof_kstacks, &sc->k, sc->k.ip, &sc->k.n,
					bytes, IPCT_PROF_KDEPTH);
		if (bytes <= 0)
			count_prof_drop(IPCT_PROF_DROP_KSTACK);
	}
	/* user frames beyond the first are as good as the program's frame
	 * pointers; a thread without a user side (exiting) has none */
	bytes = bpf_get_stack(ctx, sc->u.ip, sizeof(sc->u.ip), BPF_F_USER_STACK);
	key.ustack = keep_stack(&prof_ustacks, &sc->u, sc->u.ip, &sc->u.n, bytes,
				IPCT_PROF_UDEPTH);

	count = bpf_map_lookup_elem(&prof_counts, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return;
	}
	{
		__u64 one = 1;

		if (bpf_map_update_elem(&prof_counts, &key, &one, BPF_NOEXIST)) {
			/* a concurrent creator won: add to its entry */
			count = bpf_map_lookup_elem(&prof_counts, &key);
			if (count)
				__sync_fetch_and_add(count, 1);
			else
				count_prof_drop(IPCT_PROF_DROP_COUNT_MAP_FULL);
		}
	}
}

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), t0;
	__u32 tgid = id >> 32, tid = (__u32)id;

	__sync_fetch_and_add(&prof_ticks, 1);
	if (!tid || !sample_watched(tgid, tid))
		return 0;	/* idle (tid 0) or not ours */
	__sync_fetch_and_add(&prof_samples, 1);
	/* the program's own cost where it matters, without BPF stats on */
	t0 = bpf_ktime_get_ns();
	take_sample(ctx, tgid, tid);
	__sync_fetch_and_add(&prof_sample_ns, bpf_ktime_get_ns() - t0);
	return 0;
}
