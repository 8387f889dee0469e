/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup_paths.h - the path of a cgroup v2 from its kernfs id (what the
 * BPF side reads from task->cgroups->dfl_cgrp->kn->id), as a label:
 * "/system.slice/foo.service", "/" for the root. A cgroup v2 directory's
 * inode number is its kernfs id, so a walk of the cgroup2 mount matches
 * them; the walk is cached and redone only for an id it has not seen.
 */
#ifndef IPCTRACE_CGROUP_PATHS_H
#define IPCTRACE_CGROUP_PATHS_H

#include <linux/types.h>

struct cgroup_paths;

/* NULL when out of memory; without a cgroup2 mount every path is "" */
struct cgroup_paths *cgroup_paths_new(void);
void cgroup_paths_free(struct cgroup_paths *cp);
/*
 * The path of cgroup id; "" when it is gone (removed before it was seen).
 * Valid until the next call.
 */
const char *cgroup_paths_get(struct cgroup_paths *cp, __u64 id);
/* the cgroup2 mount walked ("" if none) */
const char *cgroup_paths_mount(const struct cgroup_paths *cp);

#endif
