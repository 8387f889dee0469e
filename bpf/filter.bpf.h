/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter.bpf.h - which tasks ipctrace watches. By default: the processes
 * user space put in the watched array (and, when asked, their children).
 * `ipctrace trace` narrows or widens that with one thread (-t), a cgroup v2
 * subtree (--cgroup) or a process name (--comm). Each knob is a constant
 * after load, so a program that does not use it carries no code for it.
 */
#ifndef IPCTRACE_FILTER_BPF_H
#define IPCTRACE_FILTER_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>
#include "cgroup_walk.bpf.h"
#include "maps.bpf.h"
#include "reads.bpf.h"
#include "syscall.bpf.h"

const volatile __u32 filter_tid = 0;		/* -t TID: only this thread */
const volatile __u64 filter_cgroup = 0;		/* --cgroup: kernfs id of a v2 cgroup */
const volatile char filter_comm[IPCT_COMM_LEN] = {};	/* --comm NAME */
/*
 * `ipctrace serve` without a target: every task but kernel threads (their
 * saved registers read as read(0), and they do no pipe or socket I/O of
 * their own) and ipctrace itself (self_tgid), so that its own reads of
 * the maps and its HTTP answers are not counted.
 */
const volatile bool watch_all = false;
const volatile __u32 self_tgid = 0;

/*
 * The task's cgroup v2, or one of its ancestors, is filter_cgroup. Every
 * switch of every task asks, so tp_btf reaches the task's cgroup with plain
 * loads; up the tree the pointers are plain numbers to the verifier.
 */
static __always_inline bool in_cgroup_subtree(struct task_struct *t, int reads)
{
	struct kernfs_node *kn = reads != READS_PROBE ?
				 t->cgroups->dfl_cgrp->kn :
				 BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);

	return kn_in_subtree(kn, filter_cgroup);
}

/*
 * Is t watched? For a task nobody watches, the common case on a busy
 * system, this is an array load by tgid and a compare (or the cgroup walk
 * above with --cgroup).
 */
static __always_inline bool task_watched(struct task_struct *t, __u32 tgid,
					 __u32 tid, int reads)
{
	if (watch_all)
		return tgid != self_tgid &&
		       !(TREAD(reads, t, flags) & IPCT_PF_KTHREAD);
	if (filter_cgroup)
		return in_cgroup_subtree(t, reads);
	if (!tgid_watched(tgid))
		return false;
	return !filter_tid || tid == filter_tid;
}

static __always_inline bool comm_filter_set(void)
{
	return filter_comm[0] != 0;
}

/* the task's name is filter_comm */
static __always_inline bool comm_matches(struct task_struct *t)
{
	char comm[IPCT_COMM_LEN];

	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	for (int i = 0; i < IPCT_COMM_LEN; i++) {
		if (comm[i] != filter_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/*
 * watch process tgid from now on, with these IPCT_WATCH_* flags (--comm: it
 * took the name; a fork: the child of a followed process). The array holds
 * every pid up to pid_max at load: a miss means pid_max was raised since.
 */
static __always_inline void watch_process(__u32 tgid, __u32 flags)
{
	__u32 *slot = bpf_map_lookup_elem(&watched, &tgid);

	if (slot)
		*slot = flags;
	else
		count_drop(IPCT_DROP_WATCH_MAP_FULL);
}

#endif
