// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "transport.h"
#include "sizes.h"
#include "sysctl.h"

static int set_pipe_size(int fd, uint64_t buffer,
			 char *why, size_t len)
{
	char req[32];

	format_size(buffer, req, sizeof(req));
	/* fcntl takes an int: a larger size would wrap to a small one */
	if (buffer > MAX_BUFFER_SIZE) {
		snprintf(why, len, "pipe buffer %s is above the 1G ipctrace supports",
			 req);
		return -EINVAL;
	}
	if (fcntl(fd, F_SETPIPE_SZ, (int)buffer) < 0) {
		int err = errno;
		long long max = read_sysctl("/proc/sys/fs/pipe-max-size");

		if (err == EPERM && max >= 0 && (long long)buffer > max)
			snprintf(why, len, "pipe buffer %s refused (EPERM): above"
				 " fs.pipe-max-size (%lld) and the workers lack"
				 " CAP_SYS_RESOURCE; lower --buffer-size, raise"
				 " fs.pipe-max-size with sysctl, or use --keep-root"
				 " where root has CAP_SYS_RESOURCE", req, max);
		else if (err == EPERM)
			snprintf(why, len, "pipe buffer %s refused (EPERM): the"
				 " workers' user is over fs.pipe-user-pages-hard"
				 " (%lld pages); lower --buffer-size or raise the"
				 " sysctl", req,
				 read_sysctl("/proc/sys/fs/pipe-user-pages-hard"));
		else
			snprintf(why, len, "pipe buffer %s refused: %s", req,
				 strerror(err));
		return -err;
	}
	return 0;
}

static int open_pipe(uint64_t buffer, bool reply, struct transport_fds *fds,
		     struct buffer_grant *g, char *why, size_t len)
{
	int p[2], q[2] = { -1, -1 };
	int ret;

	if (pipe2(p, O_CLOEXEC))
		goto fail_errno;
	if (reply && pipe2(q, O_CLOEXEC)) {
		close(p[0]);
		close(p[1]);
		goto fail_errno;
	}
	fds->wr = p[1];
	fds->rd = p[0];
	fds->back_wr = q[1];
	fds->back_rd = q[0];
	if (buffer) {
		ret = set_pipe_size(p[1], buffer, why, len);
		if (!ret && reply)
			ret = set_pipe_size(q[1], buffer, why, len);
		if (ret) {
			transport_close(fds);
			return ret;
		}
	}
	g->granted = (uint64_t)fcntl(p[1], F_GETPIPE_SZ);
	g->capacity_slots = g->granted / PAGE_BYTES;
	if (buffer && g->granted != buffer) {
		char r[32], a[32];

		format_size(buffer, r, sizeof(r));
		format_size(g->granted, a, sizeof(a));
		snprintf(g->note, sizeof(g->note), "pipe %s rounded up to %s"
			 " (a power-of-two number of pages)", r, a);
	} else if (!buffer && g->granted < 16 * PAGE_BYTES) {
		g->clamped = true;
		snprintf(g->note, sizeof(g->note), "default pipe cut to %llu"
			 " pages: the user is over fs.pipe-user-pages-soft (%lld)",
			 (unsigned long long)g->capacity_slots,
			 read_sysctl("/proc/sys/fs/pipe-user-pages-soft"));
	}
	return 0;
fail_errno:
	ret = -errno;
	snprintf(why, len, "cannot create a pipe: %s", strerror(errno));
	return ret;
}

static int open_socketpair(int type, uint64_t buffer, struct transport_fds *fds,
			   struct buffer_grant *g, char *why, size_t len)
{
	int sv[2], v;
	socklen_t vl = sizeof(v);

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv)) {
		snprintf(why, len, "cannot create a socketpair: %s", strerror(errno));
		return -errno;
	}
	fds->wr = sv[0];
	fds->rd = sv[1];
	fds->back_wr = -1;
	fds->back_rd = -1;
	if (buffer) {
		int req;

		if (buffer > MAX_BUFFER_SIZE) {
			snprintf(why, len, "SO_SNDBUF %llu is above the 1G ipctrace"
				 " supports", (unsigned long long)buffer);
			transport_close(fds);
			return -EINVAL;
		}
		req = (int)buffer;

		/* both ends: the reply direction of ping-pong sends from sv[1] */
		if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &req, sizeof(req)) ||
		    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &req, sizeof(req))) {
			snprintf(why, len, "SO_SNDBUF %llu refused: %s",
				 (unsigned long long)buffer, strerror(errno));
			transport_close(fds);
			return -errno;
		}
	}
	if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &vl)) {
		snprintf(why, len, "getsockopt SO_SNDBUF: %s", strerror(errno));
		transport_close(fds);
		return -errno;
	}
	g->granted = (uint64_t)v;
	g->capacity_slots = 0;
	if (buffer && g->granted < 2 * buffer) {
		g->clamped = true;
		snprintf(g->note, sizeof(g->note), "SO_SNDBUF %llu clamped to"
			 " %llu: net.core.wmem_max is %lld (the kernel doubles"
			 " the request, up to twice wmem_max)",
			 (unsigned long long)buffer, (unsigned long long)g->granted,
			 read_sysctl("/proc/sys/net/core/wmem_max"));
	} else if (buffer) {
		snprintf(g->note, sizeof(g->note), "SO_SNDBUF reports %llu, twice"
			 " the %llu asked for (the kernel doubles it for overhead)",
			 (unsigned long long)g->granted, (unsigned long long)buffer);
	}
	return 0;
}

int transport_open(enum transport t, uint64_t buffer, bool reply_direction,
		 struct transport_fds *fds, struct buffer_grant *g, char *why,
		 size_t len)
{
	memset(g, 0, sizeof(*g));
	g->requested = buffer;
	fds->wr = fds->rd = fds->back_wr = fds->back_rd = -1;
	switch (t) {
	case TR_PIPE:
		return open_pipe(buffer, reply_direction, fds, g, why, len);
	case TR_SOCKETPAIR:
		return open_socketpair(SOCK_STREAM, buffer, fds, g, why, len);
	case TR_SEQPACKET:
		return open_socketpair(SOCK_SEQPACKET, buffer, fds, g, why, len);
	default:
		snprintf(why, len, "unknown transport");
		return -EINVAL;
	}
}

void transport_close(struct transport_fds *fds)
{
	int *all[] = { &fds->wr, &fds->rd, &fds->back_wr, &fds->back_rd };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i] >= 0)
			close(*all[i]);
		*all[i] = -1;
	}
}
