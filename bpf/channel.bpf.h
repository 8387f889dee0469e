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
#include "maps.bpf.h"

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

/* task's fd -> struct file, walking task->files->fdt->fd[fd] */
static __always_inline struct file *file_of_fd(struct task_struct *task,
					       long fd, bool btf)
{
	struct fdtable *fdt;
	struct file **fds;
	struct file *f = NULL;
	unsigned int max;

	if (btf) {
		fdt = task->files->fdt;
		max = fdt->max_fds;
		fds = fdt->fd;
	} else {
		fdt = BPF_CORE_READ(task, files, fdt);
		max = BPF_CORE_READ(fdt, max_fds);
		fds = BPF_CORE_READ(fdt, fd);
	}
	if (!fdt || fd < 0 || fd >= max)
		return NULL;
	/* a variable index: only a helper read can take it */
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

/*
 * task's fd -> channel. The answer for the file last resolved is cached in
 * the thread's state (tracepoint mode asks at every sleep and wakeup);
 * the inode number guards against a freed file's memory reused for another.
 */
static __always_inline int channel_of_fd(struct task_struct *task, long fd,
					 struct channel *c, struct task_state *st,
					 bool btf)
{
	struct file *f = file_of_fd(task, fd, btf);
	int ret;

	if (!f)
		return -1;
	/* a fresh state's cache_file is 0, and f is not NULL */
	if (st && st->cache_file == (__u64)f &&
	    BPF_CORE_READ(f, f_inode, i_ino) == st->cache_ino) {
		if (!st->cache_kind)
			return -1;
		c->ptr = st->cache_chan;
		c->ino = st->cache_ino;
		c->is_pipe = st->cache_kind == IPCT_CHAN_PIPE;
		return 0;
	}
	ret = channel_of_file(f, c);
	if (st) {
		st->cache_file = (__u64)f;
		st->cache_ino = c->ino;
		st->cache_chan = c->ptr;
		st->cache_kind = ret ? 0 : c->is_pipe ? IPCT_CHAN_PIPE : IPCT_CHAN_UNIX;
	}
	return ret;
}

struct fill {
	__u64 used;
	__u64 cap;
	__u64 bytes;
	__u32 truncated;
};

/*
 * Pipe fill: slots in use against max_usage, and the bytes they hold
 * (small writes leave partly filled pages, so bytes < slots * PAGE_SIZE).
 * The ring is copied in one read into a per-CPU scratch buffer (we run
 * with preemption off) and the slot lengths are summed from there.
 */
static __always_inline int pipe_fill(void *pipe, struct fill *out)
{
	__u32 bufsz = bpf_core_type_size(struct pipe_buffer);
	__u32 len_off = bpf_core_field_offset(struct pipe_buffer, len);
	struct pipe_ring r = {};
	struct pipe_scratch *sc;
	__u32 used, i, zero = 0;
	__u64 bytes_in_ring;
	__u64 bytes = 0;

	if (pipe_ring_of(pipe, &r))
		return -1;
	used = r.head - r.tail;
	out->used = used;
	out->cap = r.capacity;
	out->bytes = 0;
	bytes_in_ring = (__u64)(r.mask + 1) * bufsz;
	barrier_var(bytes_in_ring);	/* keep the bound on the value we pass */
	sc = bpf_map_lookup_elem(&pipe_scratch, &zero);
	if (!sc || bufsz == 0 || bufsz > 64 || bytes_in_ring > PIPE_SCRATCH_BYTES) {
		out->truncated = 1;
		return 0;
	}
	out->truncated = 0;
	if (bpf_probe_read_kernel(sc->ring, bytes_in_ring, r.bufs))
		return -1;
	for (i = 0; i < IPCT_MAX_PIPE_SLOTS_SCAN; i++) {
		__u32 off;

		if (i >= used)
			break;
		off = ((r.tail + i) & r.mask) * bufsz + len_off;
		barrier_var(off);
		if (off > PIPE_SCRATCH_BYTES - sizeof(__u32))
			break;
		bytes += *(__u32 *)&sc->ring[off];
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
