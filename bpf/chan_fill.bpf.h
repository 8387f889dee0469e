/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan_fill.bpf.h - how full a channel is when its writer waits: pipe
 * slots in use against max_usage and the bytes they hold, or a unix
 * sender's sk_wmem_alloc against sk_sndbuf and the data queued to its
 * peer. Slots and accounting are read at every writer wait; the bytes only
 * when the caller asks (IPCT_FILL_BYTES_GAP_NS says why).
 */
#ifndef IPCTRACE_CHAN_FILL_BPF_H
#define IPCTRACE_CHAN_FILL_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

/* skbs of a unix receive queue walked at most (kernels before 6.17) */
#define IPCT_MAX_UNIX_SKBS_SCAN 512

struct fill {
	__u64 used;
	__u64 cap;
	__u64 bytes;
	__u32 truncated;
	__u32 has_bytes;	/* bytes was read */
};

/*
 * Pipe fill: slots in use against max_usage, and the bytes they hold
 * (small writes leave partly filled pages, so bytes < slots * PAGE_SIZE).
 * The ring is copied in one read into a per-CPU scratch buffer (we run
 * with preemption off) and the slot lengths are summed from there.
 */
static __always_inline int pipe_fill(void *pipe, struct fill *out,
				     bool with_bytes)
{
	__u32 bufsz = bpf_core_type_size(struct pipe_buffer);
	__u32 len_off = bpf_core_field_offset(struct pipe_buffer, len);
	struct pipe_ring r = {};
	struct pipe_scratch *sc;
	__u32 used, i, zero = 0;
	__u64 bytes_in_ring;
	__u64 bytes = 0;

	if (pipe_ring_of(pipe, &r, with_bytes))
		return -1;
	used = r.head - r.tail;
	out->used = used;
	out->cap = r.capacity;
	out->bytes = 0;
	out->has_bytes = with_bytes;
	if (!with_bytes)
		return 0;
	bytes_in_ring = (__u64)(r.mask + 1) * bufsz;
	barrier_var(bytes_in_ring);	/* keep the bound on the value we pass */
	sc = bpf_map_lookup_elem(&pipe_scratch, &zero);
	if (!sc || bufsz == 0 || bufsz > 64 || bytes_in_ring > PIPE_SCRATCH_BYTES) {
		out->truncated = 1;
		return 0;
	}
	out->truncated = 0;
	/* never true (checked above), but checked again next to its use:
	 * 6.1's verifier loses the bound of a value clang spills to the
	 * stack between the check and the call */
	barrier_var(bytes_in_ring);
	if (bytes_in_ring > PIPE_SCRATCH_BYTES)
		return 0;
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
 * Data queued to a unix stream socket's peer: the bytes of the skbs in
 * its receive queue not yet read (what SIOCINQ on the peer answers,
 * unix_inq_len() in net/unix/af_unix.c). Since f4e1fb04c123 (6.17) the
 * socket keeps the sum in unix_sock::inq_len, updated under the queue's
 * lock; until c1f07a7f2d47 it also counts the part of the head skb already
 * read. Before, walk the queue as unix_inq_len() did: skb->len less
 * UNIXCB(skb).consumed, at most IPCT_MAX_UNIX_SKBS_SCAN skbs (more:
 * truncated). The walk takes no lock: a sample, read with probe reads.
 */
static __always_inline int unix_queued(struct sock *peer, __u64 *bytes,
				       __u32 *truncated)
{
	struct sk_buff_head *q = __builtin_preserve_access_index(&peer->sk_receive_queue);
	__u32 cb = bpf_core_field_offset(struct sk_buff, cb);
	__u32 consumed_off = bpf_core_field_offset(struct unix_skb_parms, consumed);
	struct sk_buff *skb;
	__u64 sum = 0;
	__u32 i, consumed = 0;

	*truncated = 0;
	if (bpf_core_field_exists(((struct unix_sock *)0)->inq_len)) {
		int n = BPF_CORE_READ((struct unix_sock *)peer, inq_len);

		*bytes = n > 0 ? (__u64)n : 0;
		return 0;
	}
	skb = BPF_CORE_READ(q, next);
	if (skb && skb != (struct sk_buff *)q &&
	    bpf_probe_read_kernel(&consumed, sizeof(consumed),
				  (void *)skb + cb + consumed_off))
		return -1;
	for (i = 0; i < IPCT_MAX_UNIX_SKBS_SCAN; i++) {
		if (!skb || skb == (struct sk_buff *)q)
			break;
		sum += BPF_CORE_READ(skb, len);
		skb = BPF_CORE_READ(skb, next);
	}
	*truncated = i == IPCT_MAX_UNIX_SKBS_SCAN && skb && skb != (struct sk_buff *)q;
	*bytes = sum > consumed ? sum - consumed : 0;
	return 0;
}

/*
 * Unix stream fill, two figures: the buffer accounting the writer waits on,
 * its sk_wmem_alloc (the truesize of every skb it has queued: a 1000-byte
 * write costs about 2.3 KB of it) against its sk_sndbuf, and the data those
 * skbs hold, queued to its peer (unix_sk(sk)->peer). Like
 * sk_wmem_alloc_get(), drop the 1 the socket holds for itself (the counter
 * became a refcount_t in v4.13, 14afee4b6092).
 */
static __always_inline int unix_fill(struct sock *sk, struct fill *out,
				     bool with_bytes)
{
	struct sock *peer;

	out->used = (__u32)BPF_CORE_READ(sk, sk_wmem_alloc.refs.counter) - 1;
	out->cap = (__u32)BPF_CORE_READ(sk, sk_sndbuf);
	out->bytes = 0;
	out->truncated = 0;
	out->has_bytes = with_bytes;
	if (!with_bytes)
		return 0;
	peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
	return peer ? unix_queued(peer, &out->bytes, &out->truncated) : 0;
}

static __always_inline void record_fill(struct ipct_op_stats *o,
					struct fill *f)
{
	o->fill_samples += 1;
	o->fill_used_sum += f->used;
	o->fill_cap_sum += f->cap;
	o->fill_bytes_samples += f->has_bytes;
	o->fill_bytes_sum += f->bytes;
	if (f->truncated)
		o->fill_bytes_truncated += 1;
	/* min/max: only this thread's own switch-out writes them */
	if (o->fill_samples == 1 || f->used < o->fill_used_min)
		o->fill_used_min = f->used;
	if (f->used > o->fill_used_max)
		o->fill_used_max = f->used;
}

#endif
