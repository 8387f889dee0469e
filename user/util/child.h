/* SPDX-License-Identifier: GPL-2.0 */
/*
 * child.h - what a process ipctrace forks does first. ipctrace's BPF
 * programs, maps and links are file descriptors: while any process holds
 * one, the programs stay attached, also after ipctrace itself is gone.
 * The kernel creates them close-on-exec, but a child that does not exec
 * (run's workload leader) or has not yet (trace -c before its gate opens)
 * holds every one. So a child closes what it did not inherit from
 * ipctrace's own parent, and dies with ipctrace.
 */
#ifndef IPCTRACE_CHILD_H
#define IPCTRACE_CHILD_H

#include <sys/types.h>

/*
 * Remember the fds open now, the ones ipctrace inherited (stdio, and
 * whatever the caller's shell passed on): call first thing in main().
 */
void child_remember_inherited_fds(void);
/*
 * In a forked child: close every fd that was not inherited, BPF objects
 * among them. Async-signal-safe; no memory is allocated.
 */
void child_close_ipctrace_fds(void);
/*
 * Die (SIGKILL) when parent dies, also if it already has: the death signal
 * is set, then getppid() is checked, so no order of events escapes it.
 * A change of credentials clears the death signal (commit_creds in
 * kernel/cred.c), so call this again after setresuid().
 */
void child_die_with(pid_t parent);

#endif
