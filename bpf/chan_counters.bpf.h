/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan_counters.bpf.h - per-channel counters for `ipctrace trace`: each pipe and
 * unix stream socket by its inode number, with the inode of a socket's
 * peer. Several threads write one record at once, so these counters are
 * atomic (unlike the per-thread ones). Off unless track_channels.
 */
#ifndef IPCTRACE_CHAN_COUNTERS_BPF_H
#define IPCTRACE_CHAN_COUNTERS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>
#include "knobs.bpf.h"
#include "maps.bpf.h"

/* the socket inode of a unix socket's peer (unix_sk(sk)->peer) */
static __always_inline __u64 peer_ino_of(struct sock *sk)
{
	struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);

	return peer ? BPF_CORE_READ(peer, sk_socket, file, f_inode, i_ino) : 0;
}

static __always_inline struct ipct_chan *chan_of(__u64 ino, bool is_pipe,
						 __u64 chan_ptr)
{
	struct ipct_chan *ch;

	if (!track_channels || !ino)
		return NULL;
	ch = lookup_or_create(&chans, &ino, &zero_chan, IPCT_DROP_CHAN_MAP_FULL);
	if (ch && !ch->kind) {
		ch->ino = ino;
		ch->peer_ino = is_pipe || !chan_ptr ? 0 :
			       peer_ino_of((struct sock *)chan_ptr);
		ch->kind = is_pipe ? IPCT_CHAN_PIPE : IPCT_CHAN_UNIX;
	}
	return ch;
}

static __always_inline struct ipct_op_stats *chan_side(struct ipct_chan *ch,
						       bool write)
{
	return write ? &ch->w : &ch->r;
}

static __always_inline void chan_call(__u64 ino, bool is_pipe, __u64 chan_ptr,
				      bool write, long ret)
{
	struct ipct_chan *ch = chan_of(ino, is_pipe, chan_ptr);
	struct ipct_op_stats *o;

	if (!ch)
		return;
	o = chan_side(ch, write);
	__sync_fetch_and_add(&o->calls, 1);
	if (ret >= 0)
		__sync_fetch_and_add(&o->bytes, ret);
	else
		__sync_fetch_and_add(&o->errors, 1);
}

#endif
