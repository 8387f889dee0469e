/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracer_internal.h - the loaded BPF side, shared by the loader
 * (tracer.c) and the readers of its maps (counters.c). Nothing outside
 * kernel/ sees this.
 */
#ifndef IPCTRACE_TRACER_INTERNAL_H
#define IPCTRACE_TRACER_INTERNAL_H

#include <bpf/libbpf.h>
#include "tracer.h"

struct tracer {
	struct ipctrace_bpf *skel;
	struct bpf_link *links[ATTACH_MAX_LINKS];
	int nlinks;
	struct tracer_opts opts;
	struct probe_report probe;	/* what start found, for resume */
	enum ipct_call_source calls;
	bool sock_calls;	/* tracepoint mode: unix calls at sock_*_length */
	struct attach_report report;
	__u64 misses_base;	/* recursion_misses at the last reset */
	int stats_fd;		/* BPF_ENABLE_STATS: the kernel times our
				 * programs while it is open; -1 if refused */
	bool stats_on;		/* that, or kernel.bpf_stats_enabled was 1 */
	/* the thread records, mapped (slots.c); slot 0 is never used */
	struct ipct_thread *thread_mem;
	size_t thread_mem_len;
	__u32 nslots;		/* entries of threads and tasks */
	__u32 nhists;		/* entries of hists */
	__u32 nchans;		/* entries of chans (per CPU) */
};

/* runs of our programs the kernel skipped, since the programs loaded */
__u64 tracer_prog_misses(struct tracer *t);

/* slots.c: the queues of free slots, the mapped records, reuse at a reset */
int slots_init(struct tracer *t);
void slots_fini(struct tracer *t);
/* the record of thread tid (the newest, if its tid was reused); NULL */
const struct ipct_thread *slots_thread(struct tracer *t, __u32 tid, __u32 *slot);
/* zero every record's counters; give exited threads' slots back */
void slots_reset(struct tracer *t);
/* its exit was seen, or it no longer exists */
bool slots_thread_gone(const struct ipct_thread *th);
/* one slot back to the free queue, with its histograms' slots (serve) */
void slots_free(struct tracer *t, __u32 slot);

#endif
