// SPDX-License-Identifier: GPL-2.0
/* stop_signal.c - turn SIGINT, SIGTERM and SIGHUP into a stop request. */
#include <stdbool.h>
#include <stddef.h>
#include "stop_signal.h"

volatile sig_atomic_t stop_requested;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))
static struct sigaction inherited[NSTOP];
static sigset_t inherited_mask;
static bool installed;

static void on_stop_signal(int sig)
{
	stop_requested = sig;
}

void stop_on_signals(void)
{
	/* no SA_RESTART: a blocking wait returns EINTR and sees the flag */
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t unblock;

	if (installed)
		return;
	installed = true;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&unblock);
	for (size_t i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], &sa, &inherited[i]);
		sigaddset(&unblock, stop_signals[i]);
	}
	sigprocmask(SIG_UNBLOCK, &unblock, &inherited_mask);
}

void stop_signals_restore(void)
{
	if (!installed)
		return;
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &inherited[i], NULL);
	sigprocmask(SIG_SETMASK, &inherited_mask, NULL);
}
