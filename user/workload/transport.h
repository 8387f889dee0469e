/* SPDX-License-Identifier: GPL-2.0 */
/*
 * channel.h - the pipes and socketpairs the workloads talk over, with the
 * buffer size asked for, the size the kernel granted, and who clamped it.
 */
#ifndef IPCTRACE_CHANNEL_H
#define IPCTRACE_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>
#include "run_config.h"
#include "run_result.h"

struct transport_fds {
	int wr, rd;		/* writer's end, reader's end */
	int back_wr, back_rd;	/* the reply direction (ping-pong); pipes
				 * need a second pipe, sockets reuse rd/wr */
};


/*
 * Open a channel of transport t with the writer's buffer set to `buffer`
 * (0: leave the default). On failure returns -errno and explains in why:
 * which limit refused it and how to lift it.
 */
int transport_open(enum transport t, uint64_t buffer, bool reply_direction,
		 struct transport_fds *fds, struct buffer_grant *g, char *why,
		 size_t len);
void transport_close(struct transport_fds *fds);

#endif
