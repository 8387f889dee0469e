/* SPDX-License-Identifier: GPL-2.0 */
/*
 * call_hooks.bpf.h - the channel calls themselves: entry and exit of the
 * pipe and unix stream functions (fentry/fexit or kprobe/kretprobe) mark
 * the call in progress and count it, with its bytes; in tracepoint mode
 * raw_syscalls:sys_exit counts the calls instead (count_syscall_exit).
 */
#ifndef IPCTRACE_CALL_HOOKS_BPF_H
#define IPCTRACE_CALL_HOOKS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "chan_counters.bpf.h"
#include "chan_identity.bpf.h"
#include "filter.bpf.h"
#include "knobs.bpf.h"
#include "records.bpf.h"
#include "syscall.bpf.h"

static __always_inline void call_enter(__u32 op, __u64 chan, __u64 ino, int reads)
{
	__u32 tid, tgid;
	struct task_struct *cur = current_ids(&tid, &tgid, reads);
	struct rec r;

	if (!task_watched(cur, tgid, tid, reads) ||
	    !rec_of(cur, tid, tgid, reads, true, &r))
		return;
	/* a call still open means its return probe never fired */
	if (r.st->call.op)
		count_drop(IPCT_DROP_MISSED_EXIT);
	r.st->call.op = op + 1;
	r.st->call.chan = chan;
	r.st->call.ino = ino;
	r.st->call.waited = 0;
	r.st->call.nr = (__s32)SYSCALL_NR(reads, regs_of(cur, reads));
	r.st->call.chan_slot = chan_slot_cached(&r.st->call, ino);
}

static __always_inline void count_call(struct ipct_thread *th, __u32 op,
				       long ret)
{
	struct ipct_op_stats *o;

	if (op >= IPCT_OP_COUNT)
		return;
	o = op_stats(th, op);
	o->calls += 1;
	if (ret >= 0)
		o->bytes += ret;
	else
		o->errors += 1;
}

static __always_inline void call_exit(__u32 op, long ret, int reads)
{
	__u32 tid, tgid;
	struct task_struct *cur = current_ids(&tid, &tgid, reads);
	struct rec r;

	if (!task_watched(cur, tgid, tid, reads) || !rec_of(cur, tid, tgid, reads, true, &r))
		return;
	count_call(r.th, op, ret);
	if (r.st->call.op == op + 1)
		chan_call(r.st->call.chan_slot, r.st->call.ino, op_is_pipe(op),
			  r.st->call.chan, op_is_write(op), ret);
	r.st->call.op = 0;
	r.st->call.waited = 0;
	r.st->call.chan = 0;
}

/* fentry's arguments are BTF pointers: plain loads (READS_BTF), a kprobe's not */
static __always_inline __u64 pipe_of_iocb(struct kiocb *iocb, int reads)
{
	return (__u64)(reads != READS_PROBE ? iocb->ki_filp->private_data :
		       BPF_CORE_READ(iocb, ki_filp, private_data));
}

static __always_inline __u64 sk_of_socket(struct socket *sock, int reads)
{
	return (__u64)TREAD(reads, sock, sk);
}

/* the channel's inode, read only when channels are tracked (trace) */
static __always_inline __u64 ino_of_iocb(struct kiocb *iocb, int reads)
{
	if (!track_channels)
		return 0;
	return reads != READS_PROBE ? iocb->ki_filp->f_inode->i_ino :
	       BPF_CORE_READ(iocb, ki_filp, f_inode, i_ino);
}

static __always_inline __u64 ino_of_socket(struct socket *sock, int reads)
{
	if (!track_channels)
		return 0;
	return reads != READS_PROBE ? sock->file->f_inode->i_ino :
	       BPF_CORE_READ(sock, file, f_inode, i_ino);
}

/* tracepoint mode: a read or write syscall on a channel returned */
static __always_inline void count_syscall_exit(struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct task_struct *cur;
	struct channel c = {};
	struct rec r;
	int dir;

	cur = (struct task_struct *)bpf_get_current_task();
	if (!task_watched(cur, tgid, tid, false))
		return;
	dir = syscall_direction(SYSCALL_NR(false, regs));
	if (dir < 0 || !rec_of(cur, tid, tgid, false, true, &r))
		return;
	if (channel_of_fd(cur, SYSCALL_ARG0(false, regs), &c, r.st, false))
		return;
	count_call(r.th, op_of(c.is_pipe, dir == 1), ret);
	chan_call(c.slot, c.ino, c.is_pipe, c.ptr, dir == 1, ret);
	r.st->sig.op = 0;	/* the call is over */
}

/*
 * tracepoint mode, v6.3+: sock:sock_send_length and sock_recv_length
 * (6e6eda44b939, "sock: add tracepoint for send recv length") fire once
 * per socket send or receive call as it returns, with its result (a
 * MSG_PEEK receive reports 0 bytes). For unix stream sockets that gives
 * exact calls and bytes without raw_syscalls:sys_exit, whose cost is
 * every syscall on the system; other sockets leave at the family check.
 */
static __always_inline void count_sock_call(struct sock *sk, bool write,
					    int ret, int reads)
{
	__u32 op = write ? IPCT_UNIX_WRITE : IPCT_UNIX_READ;
	struct task_struct *cur;
	__u32 tid, tgid;
	struct rec r;

	if (!sk)
		return;
	cur = current_ids(&tid, &tgid, reads);
	if (!task_watched(cur, tgid, tid, reads) ||
	    TREAD(reads, sk, __sk_common.skc_family) != AF_UNIX_ ||
	    TREAD(reads, sk, sk_type) != SOCK_STREAM_ ||
	    !rec_of(cur, tid, tgid, reads, true, &r))
		return;
	count_call(r.th, op, ret);
	if (track_channels) {
		__u64 ino = reads != READS_PROBE ?
			    sk->sk_socket->file->f_inode->i_ino :
			    BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);

		chan_call(chan_slot_cached(&r.st->call, ino), ino, false, (__u64)sk,
			  write, ret);
	}
	/* the call is over: a wait after this one begins another */
	r.st->sig.op = 0;
}

#endif
