/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stop_signal.h - Ctrl-C, SIGTERM and SIGHUP ask a long-running subcommand
 * to stop. The handler only records the signal: the main loop sees it,
 * detaches every BPF program and reports what it has, through its one
 * cleanup path.
 */
#ifndef IPCTRACE_STOP_SIGNAL_H
#define IPCTRACE_STOP_SIGNAL_H

#include <signal.h>

/* the stop signal received (SIGINT, SIGTERM, SIGHUP), 0 before any */
extern volatile sig_atomic_t stop_requested;

/*
 * Install the handler for SIGINT, SIGTERM and SIGHUP, first thing, so that
 * no early signal kills ipctrace half-way. Also when the signal was
 * inherited ignored (a background job of a shell without job control) or
 * blocked: the user asked for a stop, and a run must honour it.
 */
void stop_on_signals(void);
/* in a child about to exec: the dispositions and mask ipctrace inherited */
void stop_signals_restore(void);

#endif
