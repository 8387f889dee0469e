/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_peer.h - the peer `ipctrace bench` measures itself against:
 * bpftrace running the two-probe script that does what ipctrace's
 * scheduler programs do at their simplest (count switches per thread,
 * wakeups per waker -> wakee pair), filtered in the kernel by process name.
 */
#ifndef IPCTRACE_BENCH_PEER_H
#define IPCTRACE_BENCH_PEER_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Is bpftrace usable here? Mounts tracefs at /sys/kernel/tracing when it
 * is missing (bpftrace resolves tracepoints there) and says so on stdout.
 * false with the reason in why.
 */
bool peer_available(char *why, size_t len);
/* unmount tracefs if peer_available() mounted it */
void peer_cleanup(void);

/*
 * Start bpftrace with the two-probe script, filtering on the names in
 * comms (NULL-terminated), and wait until it says its probes are
 * attached. The pid, or -1.
 */
pid_t peer_start(const char *const *comms);
/* Ctrl-C it and reap it */
void peer_stop(pid_t pid);

#endif
