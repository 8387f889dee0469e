/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stop_signal.h - Ctrl-C, SIGTERM and SIGHUP ask a long-running subcommand
 * to stop. The handler only sets a flag: the main loop sees it, detaches
 * every BPF program and reports what it has, through its one cleanup path.
 */
#ifndef IPCTRACE_STOP_SIGNAL_H
#define IPCTRACE_STOP_SIGNAL_H

#include <signal.h>

extern volatile sig_atomic_t stop_requested;

/* install the handler for SIGINT, SIGTERM and SIGHUP */
void stop_on_signals(void);

#endif
