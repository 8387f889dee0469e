/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lifecycle.bpf.h - processes and threads coming and going: a thread's
 * exit takes its final io counters and frees its private state; a fork of
 * a followed process is watched too; --comm catches a process that takes
 * the name by exec.
 */
#ifndef IPCTRACE_LIFECYCLE_BPF_H
#define IPCTRACE_LIFECYCLE_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "filter.bpf.h"
#include "records.bpf.h"

static __always_inline void on_exit(struct task_struct *p, int reads)
{
	__u32 tid = TREAD(reads, p, pid);
	struct rec r;

	/* the record stays, for the report; the slot is freed at a reset */
	if (!task_watched(p, TREAD(reads, p, tgid), tid, reads) || !rec_find(p, tid, reads, &r))
		return;
	update_io(r.th, r.st, p, reads);
	update_cpu(r.th, p, reads);
	r.th->exited = 1;
	BPF_CORE_READ_STR_INTO(&r.th->comm, p, comm);
}

static __always_inline void on_fork(struct task_struct *parent,
				    struct task_struct *child, int reads)
{
	__u32 ptgid = TREAD(reads, parent, tgid);
	__u32 ctgid = TREAD(reads, child, tgid);
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

static __always_inline void on_exec(struct task_struct *p, int reads)
{
	__u32 tgid = TREAD(reads, p, tgid), tid = TREAD(reads, p, pid);
	struct rec r;

	if (comm_filter_set() && comm_matches(p))
		watch_process(tgid, IPCT_WATCH_PROCESS);
	/* the name a watched thread now has, and its cgroup: a service
	 * manager moves a child into its cgroup between fork and exec */
	if (rec_find(p, tid, reads, &r)) {
		BPF_CORE_READ_STR_INTO(&r.th->comm, p, comm);
		r.th->cgroup_id = cgroup_id_of(p);
	}
}

#endif
