/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_fds.h - the channels a live process has open, from /proc/PID/fd:
 * pipes and unix stream sockets (the socket's type from /proc/net/unix).
 */
#ifndef IPCTRACE_PROC_FDS_H
#define IPCTRACE_PROC_FDS_H

#include <stddef.h>
#include "trace_snapshot.h"

/*
 * Add to *v (n entries, *cap allocated, grown as needed) the pipes and
 * unix stream sockets process pid has open at fd 3 and up whose inode
 * is not yet in *v; 0, or -1 when the process is gone or out of memory.
 */
int proc_open_chans(pid_t pid, struct open_chan **v, size_t *n, size_t *cap);

#endif
