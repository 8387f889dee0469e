/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core_fixes.bpf.h - kernel structures that changed shape across the
 * kernels ipctrace supports (5.x to current). Each change gets a "flavour"
 * struct (libbpf ignores the ___suffix when matching types) and one accessor
 * that picks the layout of the running kernel with bpf_core_field_exists().
 */
#ifndef IPCTRACE_CORE_FIXES_BPF_H
#define IPCTRACE_CORE_FIXES_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>

/*
 * task_struct::state became __state (unsigned int) in v5.14,
 * commit 2f064a59a11f ("sched: Change task_struct::state").
 */
struct task_struct___o {
	volatile long state;
} __attribute__((preserve_access_index));

struct task_struct___x {
	unsigned int __state;
} __attribute__((preserve_access_index));

static __always_inline __u32 task_state_of(void *task)
{
	struct task_struct___x *t = task;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return (__u32)BPF_CORE_READ((struct task_struct___o *)task, state);
}

/*
 * The pipe ring: v5.5, commit 8cefc107ca54 ("pipe: Use head and tail
 * pointers for the ring, not cursor and length") replaced nrbufs/curbuf/
 * buffers with head/tail/ring_size; v5.8, commit 6718b6f855a0 ("pipe: Allow
 * pipes to have kernel-reserved slots") added max_usage, the writer's limit.
 * v6.14, commit 3d252160b818 ("fs/pipe: Read pipe->{head,tail} atomically
 * outside pipe->mutex") put head and tail in an anonymous struct inside a union with head_tail;
 * CO-RE matches named fields through anonymous members, so the flat
 * flavour below still finds them.
 */
struct pipe_inode_info___ring {
	unsigned int head;
	unsigned int tail;
	unsigned int max_usage;
	unsigned int ring_size;
	struct pipe_buffer *bufs;
} __attribute__((preserve_access_index));

struct pipe_inode_info___cursor {
	unsigned int nrbufs;
	unsigned int curbuf;
	unsigned int buffers;
	struct pipe_buffer *bufs;
} __attribute__((preserve_access_index));

struct pipe_ring {
	__u32 head;	/* index of the next slot to fill */
	__u32 tail;	/* index of the oldest filled slot */
	__u32 mask;	/* ring_size - 1 (ring_size is a power of two) */
	__u32 capacity;	/* slots a writer may fill: max_usage */
	struct pipe_buffer *bufs;
};

/* the ring's indices, and with want_bufs its slots' address */
static __always_inline int pipe_ring_of(void *pipe, struct pipe_ring *r,
					bool want_bufs)
{
	struct pipe_inode_info___ring *p = pipe;
	__u32 ring_size;

	if (bpf_core_field_exists(p->head) && bpf_core_field_exists(p->max_usage) &&
	    bpf_core_field_size(p->head) == 4 && bpf_core_field_size(p->tail) == 4 &&
	    bpf_core_field_offset(p->tail) == bpf_core_field_offset(p->head) + 4 &&
	    bpf_core_field_offset(p->max_usage) == bpf_core_field_offset(p->head) + 8 &&
	    bpf_core_field_offset(p->ring_size) == bpf_core_field_offset(p->head) + 12) {
		/*
		 * head, tail, max_usage and ring_size side by side, as in
		 * every kernel since 6718b6f855a0 (v5.8) on 64-bit: one read
		 * instead of four, at every writer wait.
		 */
		__u32 w[4];

		if (bpf_probe_read_kernel(w, sizeof(w), (char *)pipe +
					  bpf_core_field_offset(p->head)))
			return -1;
		r->head = w[0];
		r->tail = w[1];
		r->capacity = w[2];
		ring_size = w[3];
		r->bufs = want_bufs ? BPF_CORE_READ(p, bufs) : NULL;
	} else if (bpf_core_field_exists(p->head)) {
		r->head = BPF_CORE_READ(p, head);
		r->tail = BPF_CORE_READ(p, tail);
		ring_size = BPF_CORE_READ(p, ring_size);
		if (bpf_core_field_exists(p->max_usage))
			r->capacity = BPF_CORE_READ(p, max_usage);
		else
			r->capacity = ring_size;
		r->bufs = want_bufs ? BPF_CORE_READ(p, bufs) : NULL;
	} else {
		struct pipe_inode_info___cursor *o = pipe;

		/* express the old cursor/length pair as head/tail */
		r->tail = BPF_CORE_READ(o, curbuf);
		r->head = r->tail + BPF_CORE_READ(o, nrbufs);
		ring_size = BPF_CORE_READ(o, buffers);
		r->capacity = ring_size;
		r->bufs = want_bufs ? BPF_CORE_READ(o, bufs) : NULL;
	}
	if (ring_size == 0)
		return -1;
	r->mask = ring_size - 1;
	return 0;
}


#endif /* IPCTRACE_CORE_FIXES_BPF_H */
