/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan_counters.bpf.h - per-channel counters for `ipctrace trace`: each pipe and
 * unix stream socket by its inode number, with the inode of a socket's
 * peer, in a slot of the chans map, one copy per CPU (maps.bpf.h). Off
 * unless track_channels.
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

/* the slot of channel ino in chans, given at its first sight; 0: none */
static __always_inline __u32 chan_slot_of(__u64 ino)
{
	__u32 *sp, slot;

	if (!track_channels || !ino)
		return IPCT_NO_SLOT;
	sp = bpf_map_lookup_elem(&chan_slots, &ino);
	if (sp)
		return *sp;
	if (bpf_map_pop_elem(&free_chans, &slot)) {
		count_drop(IPCT_DROP_CHAN_MAP_FULL);
		return IPCT_NO_SLOT;
	}
	if (bpf_map_update_elem(&chan_slots, &ino, &slot, BPF_NOEXIST)) {
		/* another CPU gave it one first */
		bpf_map_push_elem(&free_chans, &slot, 0);
		sp = bpf_map_lookup_elem(&chan_slots, &ino);
		return sp ? *sp : IPCT_NO_SLOT;
	}
	return slot;
}

/* this CPU's copy of a channel's record, named on first use here */
static __always_inline struct ipct_chan *chan_rec(__u32 slot, __u64 ino,
						  bool is_pipe, __u64 chan_ptr)
{
	struct ipct_chan *ch;

	if (!track_channels || !slot)
		return NULL;
	ch = bpf_map_lookup_elem(&chans, &slot);
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

/*
 * A call on a channel returned. Atomics here only: fexit programs run
 * preemptible, so two of them can interleave on one CPU's copy; the
 * scheduler's programs, which never do, count with plain additions.
 */
static __always_inline void chan_call(__u32 slot, __u64 ino, bool is_pipe,
				      __u64 chan_ptr, bool write, long ret)
{
	struct ipct_chan *ch = chan_rec(slot, ino, is_pipe, chan_ptr);
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

/* the slot of ino, through the thread's one-channel cache */
static __always_inline __u32 chan_slot_cached(struct call_state *c, __u64 ino)
{
	if (!track_channels || !ino)
		return IPCT_NO_SLOT;
	if (c->last_ino != ino || !c->last_slot) {
		c->last_slot = chan_slot_of(ino);
		c->last_ino = ino;
	}
	return c->last_slot;
}

#endif
