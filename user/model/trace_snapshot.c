// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "trace_snapshot.h"

static const struct ipct_chan *chan_by_ino(const struct trace_snapshot *s, __u64 ino)
{
	size_t lo = 0, hi = s->nchans;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->chans[mid].ino == ino)
			return &s->chans[mid];
		if (s->chans[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* the record of c's other end, if both ends name each other */
static const struct ipct_chan *peer_of(const struct trace_snapshot *s,
				       const struct ipct_chan *c)
{
	const struct ipct_chan *p;

	if (c->kind != IPCT_CHAN_UNIX || !c->peer_ino)
		return NULL;
	p = chan_by_ino(s, c->peer_ino);
	return p && p->kind == IPCT_CHAN_UNIX && p->peer_ino == c->ino ? p : NULL;
}

long trace_snapshot_channels(const struct trace_snapshot *s, struct chan_view **out)
{
	struct chan_view *v = calloc(s->nchans ? s->nchans : 1, sizeof(*v));
	long n = 0;

	*out = v;
	if (!v)
		return -1;
	/* s->chans is sorted by inode: bisection finds a peer */
	for (size_t i = 0; i < s->nchans; i++) {
		const struct ipct_chan *c = &s->chans[i], *p = peer_of(s, c);

		if (p && p->ino < c->ino)
			continue;	/* reported with its peer */
		v[n].ends[0] = c;
		v[n].ends[1] = p;
		n++;
	}
	return n;
}

/* qsort has no argument: the threads being indexed */
static const struct ipct_thread *indexing;

static int by_tid(const void *a, const void *b)
{
	__u32 x = indexing[*(const size_t *)a].tid, y = indexing[*(const size_t *)b].tid;

	return x < y ? -1 : x > y;
}

static int sleep_by_tid(const void *a, const void *b)
{
	const struct ipct_sleep_key *x = &((const struct sleep_entry *)a)->key;
	const struct ipct_sleep_key *y = &((const struct sleep_entry *)b)->key;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->syscall_nr < y->syscall_nr ? -1 : x->syscall_nr > y->syscall_nr;
}

int trace_snapshot_index(struct trace_snapshot *s)
{
	free(s->by_tid);
	s->by_tid = NULL;
	if (s->nsleeps)
		qsort(s->sleeps, s->nsleeps, sizeof(*s->sleeps), sleep_by_tid);
	if (!s->nthreads)
		return 0;
	s->by_tid = malloc(s->nthreads * sizeof(*s->by_tid));
	if (!s->by_tid)
		return -1;
	for (size_t i = 0; i < s->nthreads; i++)
		s->by_tid[i] = i;
	indexing = s->threads;
	qsort(s->by_tid, s->nthreads, sizeof(*s->by_tid), by_tid);
	indexing = NULL;
	return 0;
}

const struct ipct_thread *trace_snapshot_thread(const struct trace_snapshot *s,
						__u32 tid)
{
	size_t lo = 0, hi = s->nthreads;

	if (!s->by_tid) {
		for (size_t i = 0; i < s->nthreads; i++)
			if (s->threads[i].tid == tid)
				return &s->threads[i];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ipct_thread *th = &s->threads[s->by_tid[mid]];

		if (th->tid == tid)
			return th;
		if (th->tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t trace_snapshot_sleeps_of(const struct trace_snapshot *s, __u32 tid,
				size_t *first)
{
	size_t lo = 0, hi = s->nsleeps, end;

	*first = 0;
	if (!s->by_tid)
		return s->nsleeps;
	/* the first sleep of tid or above */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->sleeps[mid].key.tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < s->nsleeps && s->sleeps[end].key.tid == tid; end++)
		;
	*first = lo;
	return end - lo;
}

void trace_snapshot_free(struct trace_snapshot *s)
{
	free(s->threads);
	free(s->wait_hist);
	free(s->wake_hist);
	free(s->chans);
	free(s->wakes);
	free(s->sleeps);
	free(s->open_chans);
	free(s->by_tid);
	for (size_t i = 0; i < s->nstacks; i++)
		free(s->stacks[i].frames);
	free(s->stacks);
	prof_samples_free(&s->prof);
	memset(s, 0, sizeof(*s));
}

const char *drop_name(enum ipct_drop d)
{
	static const char *const names[IPCT_DROP_COUNT] = {
		[IPCT_DROP_THREAD_MAP_FULL] = "thread map full",
		[IPCT_DROP_TASK_MAP_FULL] = "task state map full",
		[IPCT_DROP_HIST_MAP_FULL] = "histogram map full",
		[IPCT_DROP_WAKE_MAP_FULL] = "wakeup map full",
		[IPCT_DROP_SLEEP_MAP_FULL] = "sleep map full",
		[IPCT_DROP_WATCH_MAP_FULL] = "child pid beyond the watch array (pid_max raised?)",
		[IPCT_DROP_READ_FAULT] = "kernel object read failed",
		[IPCT_DROP_MISSED_EXIT] = "call exits missed (kretprobe maxactive, skipped fexit)",
		[IPCT_DROP_CHAN_MAP_FULL] = "channel map full",
		[IPCT_DROP_STACK] = "stacks not captured (stack map bucket taken or full)",
		[IPCT_DROP_STACK_TIME_MAP_FULL] = "stack time map full",
		[IPCT_DROP_PROG_SKIPPED] = ("runs of ipctrace's programs the kernel"
			" skipped, for any task (one was already running on that CPU)"),
	};
	return d < IPCT_DROP_COUNT ? names[d] : "?";
}

void op_stats_add(struct ipct_op_stats *d, const struct ipct_op_stats *o)
{
	bool had = d->fill_samples > 0;

	d->calls += o->calls;
	d->bytes += o->bytes;
	d->errors += o->errors;
	d->blocked_calls += o->blocked_calls;
	d->waits += o->waits;
	d->wait_ns += o->wait_ns;
	d->other_sleeps += o->other_sleeps;
	d->other_sleep_ns += o->other_sleep_ns;
	d->rtlock_waits += o->rtlock_waits;
	if (o->fill_samples) {
		if (!had || o->fill_used_min < d->fill_used_min)
			d->fill_used_min = o->fill_used_min;
		if (o->fill_used_max > d->fill_used_max)
			d->fill_used_max = o->fill_used_max;
	}
	d->fill_samples += o->fill_samples;
	d->fill_used_sum += o->fill_used_sum;
	d->fill_cap_sum += o->fill_cap_sum;
	d->fill_bytes_samples += o->fill_bytes_samples;
	d->fill_bytes_sum += o->fill_bytes_sum;
	d->fill_bytes_truncated += o->fill_bytes_truncated;
}

bool drop_is_loss(const __u64 drops[IPCT_DROP_COUNT], int d)
{
	return drops[d] && d != IPCT_DROP_PROG_SKIPPED &&
	       (d != IPCT_DROP_MISSED_EXIT || drops[d] > drops[IPCT_DROP_PROG_SKIPPED]);
}

__u64 trace_untraced_switch_ins(const struct trace_snapshot *s)
{
	__u64 n = 0;

	for (size_t i = 0; i < s->nthreads; i++)
		n += s->threads[i].untraced_switch_ins;
	return n;
}

__u64 drops_lost(const __u64 drops[IPCT_DROP_COUNT])
{
	__u64 n = 0;

	for (int d = 0; d < IPCT_DROP_COUNT; d++)
		if (drop_is_loss(drops, d))
			n += drops[d];
	return n;
}
