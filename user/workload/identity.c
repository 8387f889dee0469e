// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "arg_quote.h"
#include "identity.h"
#include "sudo_ids.h"

int identity_from_env(struct worker_identity *id, bool keep_root, char *why,
		      size_t len)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	unsigned long uid, gid;

	id->drop = false;
	id->uid = geteuid();
	id->gid = getegid();
	snprintf(id->desc, sizeof(id->desc), "uid %u", (unsigned int)id->uid);
	if (geteuid() != 0 || keep_root || !su) {
		if (geteuid() == 0)
			snprintf(id->desc, sizeof(id->desc), "root%s",
				 su ? " (--keep-root)" : "");
		return 0;
	}
	if (sudo_ids(&uid, &gid)) {
		snprintf(why, len, "SUDO_UID/SUDO_GID ('%s'/'%s') are not a user and"
			 " group id (0 to 4294967294); unset them or use --keep-root",
			 QUOTE(su), QUOTE(sg ? sg : ""));
		return -1;
	}
	id->drop = uid != 0;
	id->uid = uid;
	id->gid = gid;
	snprintf(id->desc, sizeof(id->desc), "uid %lu gid %lu (from sudo)",
		 uid, gid);
	return 0;
}

int identity_apply(const struct worker_identity *id)
{
	gid_t g;

	if (!id->drop)
		return 0;
	g = id->gid;
	if (setgroups(1, &g) || setresgid(id->gid, id->gid, id->gid) ||
	    setresuid(id->uid, id->uid, id->uid))
		return -errno;
	return 0;
}
