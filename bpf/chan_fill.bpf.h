/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan_fill.bpf.h - how full a channel is when its writer waits: pipe
 * slots in use against max_usage and the bytes they hold, or a unix
 * sender's sk_wmem_alloc against sk_sndbuf. Sampled at every writer wait.
 */
#ifndef IPCTRACE_CHAN_FILL_BPF_H
#define IPCTRACE_CHAN_FILL_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipctrace.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

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

static __always_inline void record_fill(struct ipct_op_stats *o,
					struct fill *f)
{
	o->fill_samples += 1;
	o->fill_used_sum += f->used;
	o->fill_cap_sum += f->cap;
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
