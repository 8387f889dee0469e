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

void trace_snapshot_free(struct trace_snapshot *s)
{
	free(s->threads);
	free(s->wait_hist);
	free(s->wake_hist);
	free(s->chans);
	free(s->wakes);
	free(s->sleeps);
	free(s->open_chans);
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
		[IPCT_DROP_MISSED_EXIT] = "call exits missed (kretprobe maxactive)",
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
	d->fill_bytes_sum += o->fill_bytes_sum;
	d->fill_bytes_truncated += o->fill_bytes_truncated;
}

bool drop_is_loss(const __u64 drops[IPCT_DROP_COUNT], int d)
{
	return drops[d] && d != IPCT_DROP_PROG_SKIPPED &&
	       (d != IPCT_DROP_MISSED_EXIT || drops[d] > drops[IPCT_DROP_PROG_SKIPPED]);
}

__u64 drops_lost(const __u64 drops[IPCT_DROP_COUNT])
{
	__u64 n = 0;

	for (int d = 0; d < IPCT_DROP_COUNT; d++)
		if (drop_is_loss(drops, d))
			n += drops[d];
	return n;
}
