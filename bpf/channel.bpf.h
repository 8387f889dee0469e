/* SPDX-License-Identifier: GPL-2.0 */
/*
 * channel.bpf.h - what a pipe or unix stream socket looks like from BPF:
 * finding the channel behind a file descriptor of a task (tracepoint mode,
 * where no function entry hands it to us), and sampling how full it is when
 * a writer waits.
 */
#ifndef IPCTRACE_CHANNEL_BPF_H
#define IPCTRACE_CHANNEL_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "core_fixes.bpf.h"

#define S_IFMT   00170000
#define S_IFSOCK 0140000
#define S_IFIFO  0010000
#define AF_UNIX_ 1
#define SOCK_STREAM_ 1

struct channel {
	__u64 ptr;	/* pipe_inode_info* for pipes, sock* for sockets */
	__u64 ino;	/* inode number: pipe:[ino] / socket:[ino] in /proc */
	__u32 is_pipe;
};

/* file -> channel; -1 when the file is neither a pipe nor a unix stream. */
static __always_inline int channel_of_file(struct file *f, struct channel *c)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	umode_t mode = BPF_CORE_READ(inode, i_mode);

	c->ino = BPF_CORE_READ(inode, i_ino);
	if ((mode & S_IFMT) == S_IFIFO) {
		c->ptr = (__u64)BPF_CORE_READ(f, private_data);
		c->is_pipe = 1;
		return c->ptr ? 0 : -1;
	}
	if ((mode & S_IFMT) == S_IFSOCK) {
		struct socket *sock = BPF_CORE_READ(f, private_data);
		struct sock *sk = BPF_CORE_READ(sock, sk);

		if (!sk || BPF_CORE_READ(sock, type) != SOCK_STREAM_ ||
		    BPF_CORE_READ(sk, __sk_common.skc_family) != AF_UNIX_)
			return -1;
		c->ptr = (__u64)sk;
		c->is_pipe = 0;
		return 0;
	}
	return -1;
}

/* task's fd -> channel, walking task->files->fdt->fd[fd]. */
static __always_inline int channel_of_fd(struct task_struct *task, long fd,
					 struct channel *c)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return -1;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return -1;
	return channel_of_file(f, c);
}

struct fill {
	__u64 used;
	__u64 cap;
	__u64 bytes;
	__u32 truncated;
};

struct pipe_scan_ctx {
	struct pipe_buffer *bufs;
	__u32 tail;
	__u32 mask;
	__u32 used;
	__u64 bytes;
};

/*
 * Pipe fill: slots in use against max_usage, and the bytes they hold
 * (small writes leave partly filled pages, so bytes < slots * PAGE_SIZE).
 */
static __always_inline int pipe_fill(void *pipe, struct fill *out)
{
	struct pipe_ring r = {};
	__u32 used, i;
	__u64 bytes = 0;

	if (pipe_ring_of(pipe, &r))
		return -1;
	used = r.head - r.tail;
	out->used = used;
	out->cap = r.capacity;
	out->truncated = used > IPCT_MAX_PIPE_SLOTS_SCAN;
	for (i = 0; i < IPCT_MAX_PIPE_SLOTS_SCAN; i++) {
		struct pipe_buffer *b;
		unsigned int len = 0;

		if (i >= used)
			break;
		b = &r.bufs[(r.tail + i) & r.mask];
		bpf_probe_read_kernel(&len, sizeof(len), &b->len);
		bytes += len;
	}
	out->bytes = bytes;
	return 0;
}

/*
 * Unix stream fill: the sender's sk_wmem_alloc (skb truesize charged to it)
 * against its sk_sndbuf. Like sk_wmem_alloc_get(), drop the 1 the socket
 * holds for itself (the counter became a refcount_t in v4.13, 14afee4b6092).
 */
static __always_inline int unix_fill(struct sock *sk, struct fill *out)
{
	out->used = (__u32)BPF_CORE_READ(sk, sk_wmem_alloc.refs.counter) - 1;
	out->cap = (__u32)BPF_CORE_READ(sk, sk_sndbuf);
	out->bytes = out->used;
	out->truncated = 0;
	return 0;
}

#endif /* IPCTRACE_CHANNEL_BPF_H */
