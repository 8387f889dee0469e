/* SPDX-License-Identifier: GPL-2.0 */
/*
 * identity.h - who the workload runs as. Under sudo the workers take the
 * invoking user's uid/gid (SUDO_UID/SUDO_GID), so they meet the limits an
 * ordinary program meets (pipe-max-size, pipe-user-pages-soft, wmem_max);
 * --keep-root keeps them root.
 */
#ifndef IPCTRACE_IDENTITY_H
#define IPCTRACE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct worker_identity {
	bool drop;	/* switch to uid/gid in the worker */
	uid_t uid;
	gid_t gid;
	char desc[64];	/* "uid 1000 (SUDO_UID)" or "root" */
};

/* 0, or -1 with why when SUDO_UID/SUDO_GID are malformed */
int identity_from_env(struct worker_identity *id, bool keep_root, char *why,
		      size_t len);
/* in the worker, before it creates anything: 0 or -errno */
int identity_apply(const struct worker_identity *id);

#endif
