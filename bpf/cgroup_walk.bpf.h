/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup_walk.bpf.h - is a cgroup v2 node, or one of its ancestors, the
 * one given? For --cgroup (filter.bpf.h) and the CPU profile
 * (profile.bpf.c, an object of its own: this header carries no map).
 */
#ifndef IPCTRACE_CGROUP_WALK_BPF_H
#define IPCTRACE_CGROUP_WALK_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>

/* kernfs_node::parent became __parent in v6.15, commit 633488947ef6 */
struct kernfs_node___parent {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/*
 * A helper read either way: with plain loads clang evaluates both flavours
 * and loads the one this kernel lacks, which the verifier refuses.
 */
static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___parent *)kn, parent);
}

/* kn or one of its ancestors (16 levels up at most) has the id cgroup */
static __always_inline bool kn_in_subtree(struct kernfs_node *kn, __u64 cgroup)
{
	for (int depth = 0; depth < 16 && kn; depth++) {
		if (BPF_CORE_READ(kn, id) == cgroup)
			return true;
		kn = kn_parent(kn);
	}
	return false;
}

#endif
