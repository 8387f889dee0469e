// SPDX-License-Identifier: GPL-2.0
/*
 * series_fold.c - per-thread records into series (see series_fold.h).
 * Two tables: the series, found by label set and never removed (counters
 * only grow), and one state per thread, found by tid: the series it
 * counts into and what it had at its previous fold. Both are open
 * addressing with linear probing; threads come and go, so their table
 * deletes by shifting back, without tombstones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "series_fold.h"

const double series_time_bounds_s[SERIES_TIME_BOUNDS] = {
	1.024e-06, 2.048e-06, 4.096e-06, 8.192e-06, 1.6384e-05, 3.2768e-05,
	6.5536e-05, 0.000131072, 0.000262144, 0.000524288, 0.001048576,
	0.002097152, 0.004194304, 0.008388608, 0.016777216, 0.033554432,
	0.067108864, 0.134217728, 0.268435456, 0.536870912, 1.073741824,
	2.147483648, 4.294967296, 8.589934592,
};
#define TIME_BOUND_NS(k) (1ULL << (10 + (k)))

const double series_fill_bounds[SERIES_FILL_BOUNDS] = {
	0.25, 0.5, 0.75, 0.875, 1, 1.25, 1.5, 2,
};

static const __u32 fill_op[SERIES_FILL_COUNT] = {
	[SERIES_FILL_PIPE] = IPCT_PIPE_WRITE, [SERIES_FILL_UNIX] = IPCT_UNIX_WRITE,
};

/* what a thread had at its previous fold */
struct thread_state {
	__u32 tid;			/* 0: a free slot */
	__u32 tgid;
	char comm[IPCT_COMM_LEN];
	__u64 cgroup_id;
	size_t series;
	uint64_t seen_cycle, moved_cycle;
	uint64_t exited_cycle;		/* 0: not seen exited */
	uint64_t calls[IPCT_OP_COUNT], blocked[IPCT_OP_COUNT], bytes[IPCT_OP_COUNT];
	uint64_t wait_ns[IPCT_OP_COUNT];
	uint64_t vol, invol, wakeups, lat_ns, lat_samples;
	uint64_t fill_samples[SERIES_FILL_COUNT], fill_frac_sum[SERIES_FILL_COUNT];
	/* the coarse histograms, allocated when a thread first has one */
	uint64_t *hist[IPCT_HIST_KIND_COUNT];
};

struct series_store {
	size_t max_series;
	bool pid_label;
	struct series **series;		/* by index, in order of creation */
	size_t nseries, series_cap;
	size_t *series_slots;		/* hash -> index + 1; 0: free */
	size_t series_slot_cap;
	size_t overflow;		/* index + 1 of the overflow series */
	uint64_t *refused;		/* hashes of label sets refused, 0: free */
	size_t refused_cap, nrefused;
	uint64_t dropped;
	struct thread_state *threads;
	size_t nthreads, thread_cap;
};

/* ---- the fine BPF buckets into the coarse bounds ---- */

static size_t bins_of(unsigned int kind)
{
	return kind >= IPCT_HIST_FILL_PIPE_WRITE ? SERIES_FILL_BOUNDS + 1 :
						   SERIES_TIME_BOUNDS + 1;
}

/*
 * The coarse bin of fine bucket b. A fine bucket [lo, hi) of integer
 * nanoseconds never straddles a power of two, so it lies wholly under one
 * bound. (A value of exactly 2^k ns counts at the next bound up: the one
 * nanosecond by which "le" is read as "below".) The fill values were
 * recorded as ceil(f * IPCT_FILL_ONE) - 1, so [lo, hi) holds fractions up
 * to hi / IPCT_FILL_ONE exactly. The last fine bucket has no top: +Inf.
 */
static size_t coarse_bin(unsigned int kind, unsigned int b)
{
	uint64_t hi = hist_bucket_hi(b);

	if (b + 1 >= IPCT_HIST_BUCKETS)
		return bins_of(kind) - 1;
	if (kind >= IPCT_HIST_FILL_PIPE_WRITE) {
		for (size_t k = 0; k < SERIES_FILL_BOUNDS; k++)
			if ((double)hi <= series_fill_bounds[k] * IPCT_FILL_ONE)
				return k;
		return SERIES_FILL_BOUNDS;
	}
	for (size_t k = 0; k < SERIES_TIME_BOUNDS; k++)
		if (hi <= TIME_BOUND_NS(k))
			return k;
	return SERIES_TIME_BOUNDS;
}

static void coarsen(unsigned int kind, const struct ipct_hist *h, uint64_t *out)
{
	memset(out, 0, bins_of(kind) * sizeof(*out));
	for (unsigned int b = 0; b < IPCT_HIST_BUCKETS; b++)
		if (h->bucket[b])
			out[coarse_bin(kind, b)] += h->bucket[b];
}

/* ---- hashing ---- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint64_t hash_str(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return mix(h + n);
}

static uint64_t key_hash(const char *comm, const char *cgroup, __u32 pid)
{
	uint64_t h = hash_str(0xcbf29ce484222325ULL, comm, IPCT_COMM_LEN);

	h = hash_str(h, cgroup, strlen(cgroup));
	h = mix(h ^ pid);
	return h ? h : 1;
}

/* ---- the series table ---- */

static bool series_is(const struct series *x, const char *comm,
		      const char *cgroup, __u32 pid)
{
	return !x->overflow && x->pid == pid && !strncmp(x->comm, comm, IPCT_COMM_LEN) &&
	       !strcmp(x->cgroup, cgroup);
}

static int series_slots_grow(struct series_store *s)
{
	size_t cap = s->series_slot_cap ? s->series_slot_cap * 2 : 64;
	size_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < s->nseries; i++) {
		const struct series *x = s->series[i];
		size_t j;

		if (x->overflow)
			continue;
		j = key_hash(x->comm, x->cgroup, x->pid) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = i + 1;
	}
	free(s->series_slots);
	s->series_slots = slots;
	s->series_slot_cap = cap;
	return 0;
}

/* a new series at the end of the list; its index + 1, or 0 */
static size_t series_append(struct series_store *s, const char *comm,
			    const char *cgroup, __u32 pid, bool overflow)
{
	struct series *x;

	if (s->nseries == s->series_cap) {
		size_t cap = s->series_cap ? s->series_cap * 2 : 64;
		struct series **n = realloc(s->series, cap * sizeof(*n));

		if (!n)
			return 0;
		s->series = n;
		s->series_cap = cap;
	}
	x = calloc(1, sizeof(*x));
	if (!x || !(x->cgroup = strdup(cgroup))) {
		free(x);
		return 0;
	}
	strncpy(x->comm, comm, IPCT_COMM_LEN - 1);
	x->pid = pid;
	if (pid)
		snprintf(x->pid_label, sizeof(x->pid_label), "%u", pid);
	x->overflow = overflow;
	s->series[s->nseries++] = x;
	return s->nseries;
}

/* was this label set refused before? Remember it if not (while room) */
static bool refused_before(struct series_store *s, uint64_t h)
{
	size_t j;

	if (!s->refused_cap)
		return false;
	j = h & (s->refused_cap - 1);
	while (s->refused[j]) {
		if (s->refused[j] == h)
			return true;
		j = (j + 1) & (s->refused_cap - 1);
	}
	if (s->nrefused * 2 < s->refused_cap) {
		s->refused[j] = h;
		s->nrefused++;
	}
	return false;
}

/* the index of the series of this label set, created if new; (size_t)-1 */
static size_t series_find(struct series_store *s, const char *comm,
			  const char *cgroup, __u32 pid)
{
	uint64_t h = key_hash(comm, cgroup, pid);
	size_t j, idx;

	if (!s->series_slot_cap && series_slots_grow(s))
		return (size_t)-1;
	j = h & (s->series_slot_cap - 1);
	while (s->series_slots[j]) {
		idx = s->series_slots[j] - 1;
		if (series_is(s->series[idx], comm, cgroup, pid))
			return idx;
		j = (j + 1) & (s->series_slot_cap - 1);
	}
	if (s->nseries - (s->overflow != 0) >= s->max_series) {
		if (!refused_before(s, h))
			s->dropped++;
		if (!s->overflow)
			s->overflow = series_append(s, SERIES_OVERFLOW_LABEL,
						    SERIES_OVERFLOW_LABEL, 0, true);
		return s->overflow ? s->overflow - 1 : (size_t)-1;
	}
	idx = series_append(s, comm, cgroup, pid, false);
	if (!idx)
		return (size_t)-1;
	s->series_slots[j] = idx;
	if (s->nseries * 2 > s->series_slot_cap && series_slots_grow(s))
		return (size_t)-1;
	return idx - 1;
}

/* ---- the thread table ---- */

static size_t thread_slot(const struct series_store *s, __u32 tid)
{
	size_t j = mix(tid) & (s->thread_cap - 1);

	while (s->threads[j].tid && s->threads[j].tid != tid)
		j = (j + 1) & (s->thread_cap - 1);
	return j;
}

static struct thread_state *thread_get(const struct series_store *s, __u32 tid)
{
	size_t j;

	if (!s->thread_cap || !tid)
		return NULL;
	j = thread_slot(s, tid);
	return s->threads[j].tid ? &s->threads[j] : NULL;
}

static int threads_grow(struct series_store *s)
{
	size_t cap = s->thread_cap ? s->thread_cap * 2 : 256;
	struct thread_state *old = s->threads, *n = calloc(cap, sizeof(*n));
	size_t oldcap = s->thread_cap;

	if (!n)
		return -1;
	s->threads = n;
	s->thread_cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].tid)
			s->threads[thread_slot(s, old[i].tid)] = old[i];
	free(old);
	return 0;
}

static struct thread_state *thread_add(struct series_store *s, __u32 tid)
{
	size_t j;

	if ((s->nthreads + 1) * 2 > s->thread_cap && threads_grow(s))
		return NULL;
	j = thread_slot(s, tid);
	memset(&s->threads[j], 0, sizeof(s->threads[j]));
	s->threads[j].tid = tid;
	s->nthreads++;
	return &s->threads[j];
}

void series_forget(struct series_store *s, __u32 tid)
{
	size_t mask = s->thread_cap - 1, i, j;

	if (!thread_get(s, tid))
		return;
	i = thread_slot(s, tid);
	for (int k = 0; k < IPCT_HIST_KIND_COUNT; k++)
		free(s->threads[i].hist[k]);
	s->nthreads--;
	/* shift back the entries that probed past the hole */
	for (j = (i + 1) & mask; s->threads[j].tid; j = (j + 1) & mask) {
		size_t home = mix(s->threads[j].tid) & mask;

		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			s->threads[i] = s->threads[j];
			i = j;
		}
	}
	memset(&s->threads[i], 0, sizeof(s->threads[i]));
}

/* ---- folding ---- */

/* what grew since last time; a smaller value is a record begun anew */
static uint64_t delta(uint64_t now, uint64_t *last)
{
	uint64_t d = now >= *last ? now - *last : now;

	*last = now;
	return d;
}

unsigned int series_hists_needed(const struct series_store *s,
				 const struct ipct_thread *th)
{
	const struct thread_state *st = thread_get(s, th->tid);
	unsigned int need = 0;

	for (int op = 0; op < IPCT_OP_COUNT; op++)
		if (th->op[op].wait_ns != (st ? st->wait_ns[op] : 0))
			need |= 1u << (IPCT_HIST_WAIT_PIPE_WRITE + op);
	if (th->wakeup_lat_samples != (st ? st->lat_samples : 0))
		need |= 1u << IPCT_HIST_WAKEUP_LATENCY;
	for (int f = 0; f < SERIES_FILL_COUNT; f++)
		if (th->op[fill_op[f]].fill_samples != (st ? st->fill_samples[f] : 0))
			need |= 1u << (IPCT_HIST_FILL_PIPE_WRITE + f);
	return need;
}

/* the coarse delta of histogram kind into bins */
static int fold_hist(struct thread_state *st, unsigned int kind,
		     const struct ipct_hist *h, uint64_t *bins)
{
	uint64_t now[SERIES_TIME_BOUNDS + 1];
	size_t n = bins_of(kind);

	if (!st->hist[kind] && !(st->hist[kind] = calloc(n, sizeof(uint64_t))))
		return -1;
	coarsen(kind, h, now);
	for (size_t b = 0; b < n; b++)
		bins[b] += delta(now[b], &st->hist[kind][b]);
	return 0;
}

/* the series the thread counts into now */
static int attribute(struct series_store *s, struct thread_state *st,
		     const struct ipct_thread *th, const char *cgroup)
{
	char comm[IPCT_COMM_LEN] = "";
	size_t idx;

	memcpy(comm, th->comm, IPCT_COMM_LEN - 1);
	idx = series_find(s, comm, cgroup ? cgroup : "", s->pid_label ? th->tgid : 0);
	if (idx == (size_t)-1)
		return -1;
	st->series = idx;
	st->tgid = th->tgid;
	st->cgroup_id = th->cgroup_id;
	memcpy(st->comm, th->comm, IPCT_COMM_LEN);
	return 0;
}

int series_fold(struct series_store *s, const struct ipct_thread *th,
		const char *cgroup, const struct ipct_hist *const *hists,
		uint64_t cycle)
{
	unsigned int need = series_hists_needed(s, th);
	struct thread_state *st = thread_get(s, th->tid);
	struct series *x;
	bool moved;

	if (!th->tid)
		return 0;
	if (!st && !(st = thread_add(s, th->tid)))
		return -1;
	/* a thread that runs switches; one that only sleeps may be gone */
	moved = need || !st->seen_cycle || th->vol_switches != st->vol ||
		th->invol_switches != st->invol;
	if (!st->seen_cycle || st->cgroup_id != th->cgroup_id ||
	    memcmp(st->comm, th->comm, IPCT_COMM_LEN) ||
	    (s->pid_label && st->tgid != th->tgid)) {
		if (attribute(s, st, th, cgroup))
			return -1;
	}
	x = s->series[st->series];
	for (int op = 0; op < IPCT_OP_COUNT; op++) {
		x->calls[op] += delta(th->op[op].calls, &st->calls[op]);
		x->blocked_calls[op] += delta(th->op[op].blocked_calls, &st->blocked[op]);
		x->bytes[op] += delta(th->op[op].bytes, &st->bytes[op]);
		x->wait_ns[op] += delta(th->op[op].wait_ns, &st->wait_ns[op]);
	}
	x->vol_switches += delta(th->vol_switches, &st->vol);
	x->invol_switches += delta(th->invol_switches, &st->invol);
	x->wakeups += delta(th->wakeups_received, &st->wakeups);
	x->wakeup_lat_ns += delta(th->wakeup_lat_ns, &st->lat_ns);
	st->lat_samples = th->wakeup_lat_samples;
	for (int f = 0; f < SERIES_FILL_COUNT; f++) {
		x->fill_frac_sum[f] += delta(th->fill_frac_sum[f], &st->fill_frac_sum[f]);
		st->fill_samples[f] = th->op[fill_op[f]].fill_samples;
	}
	for (unsigned int k = 0; k < IPCT_HIST_KIND_COUNT; k++) {
		uint64_t *bins;

		if (!(need & (1u << k)) || !hists || !hists[k])
			continue;
		bins = k == IPCT_HIST_WAKEUP_LATENCY ? x->wakeup_lat :
		       k >= IPCT_HIST_FILL_PIPE_WRITE ?
		       x->fill[k - IPCT_HIST_FILL_PIPE_WRITE] :
		       x->wait[k - IPCT_HIST_WAIT_PIPE_WRITE];
		if (fold_hist(st, k, hists[k], bins))
			return -1;
	}
	if (moved)
		st->moved_cycle = cycle;
	st->seen_cycle = cycle;
	if (th->exited && !st->exited_cycle)
		st->exited_cycle = cycle;
	return 0;
}

/* ---- reclaiming ---- */

size_t series_reclaimable(const struct series_store *s, uint64_t cycle,
			  __u32 *tids, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->thread_cap && n < max; i++) {
		const struct thread_state *st = &s->threads[i];

		if (st->tid && st->exited_cycle && st->exited_cycle < cycle &&
		    st->seen_cycle == cycle)
			tids[n++] = st->tid;
	}
	return n;
}

size_t series_idle(const struct series_store *s, uint64_t cycle,
		   uint64_t idle_cycles, __u32 *tids, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->thread_cap && n < max; i++) {
		const struct thread_state *st = &s->threads[i];

		if (st->tid && !st->exited_cycle && st->moved_cycle + idle_cycles <= cycle)
			tids[n++] = st->tid;
	}
	return n;
}

void series_mark_exited(struct series_store *s, __u32 tid, uint64_t cycle)
{
	struct thread_state *st = thread_get(s, tid);

	if (st && !st->exited_cycle)
		st->exited_cycle = cycle;
}

void series_sweep(struct series_store *s, uint64_t cycle)
{
	for (size_t i = 0; i < s->thread_cap; i++) {
		/* forgetting shifts entries back into slot i: look again */
		while (s->threads[i].tid && s->threads[i].seen_cycle != cycle)
			series_forget(s, s->threads[i].tid);
	}
}

/* ---- the store ---- */

struct series_store *series_store_new(size_t max_series, bool pid_label)
{
	struct series_store *s = calloc(1, sizeof(*s));
	size_t cap = 64;

	if (!s)
		return NULL;
	s->max_series = max_series;
	s->pid_label = pid_label;
	/* refusals remembered up to four times the cap, then each is counted */
	while (cap < max_series * 8)
		cap *= 2;
	s->refused = calloc(cap, sizeof(*s->refused));
	s->refused_cap = s->refused ? cap : 0;
	return s;
}

void series_store_free(struct series_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nseries; i++) {
		free(s->series[i]->cgroup);
		free(s->series[i]);
	}
	for (size_t i = 0; i < s->thread_cap; i++)
		for (int k = 0; k < IPCT_HIST_KIND_COUNT; k++)
			free(s->threads[i].hist[k]);
	free(s->series);
	free(s->series_slots);
	free(s->refused);
	free(s->threads);
	free(s);
}

size_t series_count(const struct series_store *s)
{
	return s->nseries;
}

const struct series *series_at(const struct series_store *s, size_t i)
{
	return i < s->nseries ? s->series[i] : NULL;
}

uint64_t series_dropped(const struct series_store *s)
{
	return s->dropped;
}

size_t series_threads(const struct series_store *s)
{
	return s->nthreads;
}

const char *series_op_label(enum ipct_op op)
{
	return op == IPCT_PIPE_WRITE || op == IPCT_UNIX_WRITE ? "write" : "read";
}

const char *series_kind_label(enum ipct_op op)
{
	return op == IPCT_PIPE_WRITE || op == IPCT_PIPE_READ ? "pipe" : "unix_stream";
}
