// SPDX-License-Identifier: GPL-2.0
/*
 * slots.c - user space's half of the BPF side's per-thread fast path
 * (bpf/maps.bpf.h): every watched thread's record sits in a slot of the
 * threads array, handed out from the free_slots queue, and its histograms
 * in slots of hists from free_hists. This fills the queues before the
 * programs attach, maps the records for reading, and at a reset (between
 * repetitions of `run`) zeroes the counters of live threads and gives the
 * slots of exited ones back.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "tracer_internal.h"

static int fill_queue(struct bpf_map *q, __u32 from, __u32 to)
{
	int fd = bpf_map__fd(q);

	for (__u32 v = from; v < to; v++)
		if (bpf_map_update_elem(fd, NULL, &v, BPF_ANY))
			return -errno;
	return 0;
}

int slots_init(struct tracer *t)
{
	struct ipctrace_bpf *s = t->skel;
	size_t len = (size_t)t->nslots * sizeof(struct ipct_thread);
	long page = sysconf(_SC_PAGESIZE);
	void *mem;
	int ret;

	len = (len + (size_t)page - 1) / (size_t)page * (size_t)page;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bpf_map__fd(s->maps.threads), 0);
	if (mem == MAP_FAILED)
		return -errno;
	t->thread_mem = mem;
	t->thread_mem_len = len;
	ret = fill_queue(s->maps.free_slots, 1, t->nslots);
	if (!ret)
		ret = fill_queue(s->maps.free_hists, 1, t->nhists);
	if (!ret && t->opts.track_channels)
		ret = fill_queue(s->maps.free_chans, 1, t->nchans);
	return ret;
}

void slots_fini(struct tracer *t)
{
	if (t->thread_mem)
		munmap(t->thread_mem, t->thread_mem_len);
	t->thread_mem = NULL;
}

const struct ipct_thread *slots_thread(struct tracer *t, __u32 tid, __u32 *slot)
{
	__u32 sl = 0;
	const struct ipct_thread *th;

	if (!t->thread_mem ||
	    bpf_map__lookup_elem(t->skel->maps.tid_slot, &tid, sizeof(tid), &sl,
				 sizeof(sl), 0) || !sl || sl >= t->nslots)
		return NULL;
	th = &t->thread_mem[sl];
	if (th->tid != tid)
		return NULL;
	if (slot)
		*slot = sl;
	return th;
}

/* a thread is gone when its exit was seen or it no longer exists */
bool slots_thread_gone(const struct ipct_thread *th)
{
	return th->exited ||
	       (syscall(SYS_tgkill, th->tgid, th->tid, 0) && errno == ESRCH);
}

static void zero_hist(struct tracer *t, __u32 hslot)
{
	static const struct ipct_hist zero;

	bpf_map__update_elem(t->skel->maps.hists, &hslot, sizeof(hslot), &zero,
			     sizeof(zero), BPF_ANY);
}

void slots_free(struct tracer *t, __u32 slot)
{
	struct ipct_thread *th = &t->thread_mem[slot];
	int qfd = bpf_map__fd(t->skel->maps.free_slots);
	int hfd = bpf_map__fd(t->skel->maps.free_hists);
	__u32 cur = 0, none = 0;

	for (int k = 0; k < IPCT_HIST_KIND_COUNT; k++) {
		if (!th->hist_slot[k])
			continue;
		zero_hist(t, th->hist_slot[k]);
		bpf_map_update_elem(hfd, NULL, &th->hist_slot[k], BPF_ANY);
	}
	/* the tid no longer leads here */
	if (!bpf_map__lookup_elem(t->skel->maps.tid_slot, &th->tid, sizeof(th->tid),
				  &cur, sizeof(cur), 0) && cur == slot)
		bpf_map__update_elem(t->skel->maps.tid_slot, &th->tid,
				     sizeof(th->tid), &none, sizeof(none), BPF_ANY);
	memset(th, 0, sizeof(*th));
	bpf_map_update_elem(qfd, NULL, &slot, BPF_ANY);
}

/* a live thread keeps its slot, name, baselines and histogram slots */
static void zero_counters(struct tracer *t, struct ipct_thread *th)
{
	struct ipct_thread keep = {
		.tgid = th->tgid, .tid = th->tid, .start_ns = th->start_ns,
		.cpu_base_ns = th->cpu_base_ns,
	};

	memcpy(keep.comm, th->comm, sizeof(keep.comm));
	memcpy(keep.hist_slot, th->hist_slot, sizeof(keep.hist_slot));
	for (int k = 0; k < IPCT_HIST_KIND_COUNT; k++)
		if (th->hist_slot[k])
			zero_hist(t, th->hist_slot[k]);
	*th = keep;
}

void slots_reset(struct tracer *t)
{
	for (__u32 slot = 1; t->thread_mem && slot < t->nslots; slot++) {
		struct ipct_thread *th = &t->thread_mem[slot];

		if (!th->tid)
			continue;
		if (slots_thread_gone(th))
			slots_free(t, slot);
		else
			zero_counters(t, th);
	}
}
