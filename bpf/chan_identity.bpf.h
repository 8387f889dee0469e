/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan_identity.bpf.h - which channel (a pipe or a unix stream socket) a
 * task's file descriptor is, in tracepoint mode, where no function entry
 * hands it to us: task->files->fdt->fd[fd] -> struct file ->
 * pipe_inode_info or sock, and its inode number.
 */
#ifndef IPCTRACE_CHAN_IDENTITY_BPF_H
#define IPCTRACE_CHAN_IDENTITY_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "chan_counters.bpf.h"
#include "maps.bpf.h"
#include "reads.bpf.h"

#define S_IFMT   00170000
#define S_IFSOCK 0140000
#define S_IFIFO  0010000
#define AF_UNIX_ 1
#define SOCK_STREAM_ 1

struct channel {
	__u64 ptr;	/* pipe_inode_info* for pipes, sock* for sockets */
	__u64 ino;	/* inode number: pipe:[ino] / socket:[ino] in /proc */
	__u32 is_pipe;
	__u32 slot;	/* its record in chans (trace); IPCT_NO_SLOT */
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
					       long fd, int reads)
{
	struct fdtable *fdt;
	struct file **fds;
	struct file *f = NULL;
	unsigned int max;

	if (reads != READS_PROBE) {
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
	/*
	 * fds is a plain number to the verifier (a pointer to pointers). A
	 * variable index: a helper read takes it, or, cheaper (reads.bpf.h),
	 * a load through a cast: any kernel struct whose first member is a
	 * word will do, and list_head's has been one forever.
	 */
	if (reads == READS_BTF_CAST) {
		struct list_head *slot = bpf_rdonly_cast(&fds[fd],
			bpf_core_type_id_kernel(struct list_head));

		return (struct file *)slot->next;
	}
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

/* f's inode number: the cache's guard against a reused struct file */
static __always_inline __u64 ino_of_file(struct file *f, int reads)
{
	if (reads == READS_BTF_CAST) {
		struct file *file = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));

		return file->f_inode->i_ino;
	}
	return BPF_CORE_READ(f, f_inode, i_ino);
}

/*
 * task's fd -> channel. The answer for the file last resolved is cached in
 * the thread's state (tracepoint mode asks at every sleep and wakeup), with
 * the channel's slot: the walk to the pipe or socket and the channel's map
 * lookup happen once per thread and file, not at every sleep. With channel
 * counters (trace), the inode number guards against a freed file's memory
 * reused for another channel. Without them (run) only the kind of the file
 * matters, and run's workers keep their fds for the whole repetition: the
 * descriptor suffices, and saves the reads of the fd table and the inode
 * at every sleep and wakeup.
 */
/* the thread's cached answer into c: 0, or -1 for a file of no channel */
static __always_inline int from_cache(const struct task_state *st,
				      struct channel *c)
{
	if (!st->fd.kind)
		return -1;
	c->ptr = st->fd.chan;
	c->ino = st->fd.ino;
	c->is_pipe = st->fd.kind == IPCT_CHAN_PIPE;
	c->slot = st->fd.chan_slot;
	return 0;
}

static __always_inline int channel_of_fd(struct task_struct *task, long fd,
					 struct channel *c, struct task_state *st,
					 int reads)
{
	struct file *f;
	int ret;

	/*
	 * Without channel counters (run's own workers, which keep their fds
	 * for the whole repetition) the descriptor alone names the file:
	 * not even the fd table is read again.
	 */
	if (!track_channels && st && st->fd.file && st->fd.fd == fd)
		return from_cache(st, c);
	f = file_of_fd(task, fd, reads);
	if (!f)
		return -1;
	/* a fresh state's cache_file is 0, and f is not NULL */
	if (st && st->fd.file == (__u64)f &&
	    (!track_channels || ino_of_file(f, reads) == st->fd.ino)) {
		st->fd.fd = (__s32)fd;
		return from_cache(st, c);
	}
	ret = channel_of_file(f, c);
	c->slot = ret ? IPCT_NO_SLOT : chan_slot_of(c->ino);
	if (st) {
		st->fd.file = (__u64)f;
		st->fd.ino = c->ino;
		st->fd.chan = c->ptr;
		st->fd.kind = ret ? 0 : c->is_pipe ? IPCT_CHAN_PIPE : IPCT_CHAN_UNIX;
		st->fd.chan_slot = c->slot;
		st->fd.fd = (__s32)fd;
	}
	return ret;
}

#endif
