/* SPDX-License-Identifier: GPL-2.0 */
/* sudo_ids.h - the user behind sudo, for workers and for file ownership. */
#ifndef IPCTRACE_SUDO_IDS_H
#define IPCTRACE_SUDO_IDS_H

/* SUDO_UID and SUDO_GID as numbers; -1 when either is missing or not a
 * number */
int sudo_ids(unsigned long *uid, unsigned long *gid);

#endif
