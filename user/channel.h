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

struct channel_fds {
	int wr, rd;		/* writer's end, reader's end */
	int back_wr, back_rd;	/* the reply direction (ping-pong); pipes
				 * need a second pipe, sockets reuse rd/wr */
};

struct buffer_grant {
	uint64_t requested;	/* 0: the kernel's default */
	uint64_t granted;	/* pipe: F_GETPIPE_SZ; socket: SO_SNDBUF as
				 * getsockopt reports it (twice the request) */
	uint64_t capacity_slots; /* pipe pages a writer may fill; 0 for sockets */
	bool clamped;
	char note[200];		/* why granted != requested, naming the sysctl */
};

/*
 * Open a channel of transport t with the writer's buffer set to `buffer`
 * (0: leave the default). On failure returns -errno and explains in why:
 * which limit refused it and how to lift it.
 */
int channel_open(enum transport t, uint64_t buffer, bool reply_direction,
		 struct channel_fds *fds, struct buffer_grant *g, char *why,
		 size_t len);
void channel_close(struct channel_fds *fds);

/* read an integer sysctl from /proc/sys; -1 when unreadable */
long long read_sysctl(const char *path);

#endif
