// SPDX-License-Identifier: GPL-2.0
/* stop_signal.c - turn SIGINT, SIGTERM and SIGHUP into a stop request. */
#include "stop_signal.h"

volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void stop_on_signals(void)
{
	/* no SA_RESTART: a blocking wait returns EINTR and sees the flag */
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
