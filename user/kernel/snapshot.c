// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - everything `ipctrace trace` reports, read from the maps at
 * one moment into a plain trace_snapshot (model/trace_snapshot.h), kernel
 * stacks symbolized with /proc/kallsyms on the way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "ksyms.h"
#include "snapshot.h"


static int by_thread(const void *a, const void *b)
{
	const struct ipct_thread *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static int by_ino(const void *a, const void *b)
{
	const struct ipct_chan *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int trace_snapshot_take_threads(struct tracer *t, double seconds,
				struct trace_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->seconds = seconds;
	if (tracer_read_threads(t, &s->threads, &s->nthreads))
		return -1;
	qsort(s->threads, s->nthreads, sizeof(*s->threads), by_thread);
	return 0;
}

int trace_snapshot_take(struct tracer *t, double seconds, struct trace_snapshot *s)
{
	if (trace_snapshot_take_threads(t, seconds, s) ||
	    tracer_read_chans(t, &s->chans, &s->nchans) ||
	    tracer_read_wakes(t, &s->wakes, &s->nwakes) ||
	    tracer_read_sleeps(t, &s->sleeps, &s->nsleeps))
		return -1;
	qsort(s->chans, s->nchans, sizeof(*s->chans), by_ino);
	s->wait_hist = calloc(s->nthreads + 1, sizeof(*s->wait_hist));
	s->wake_hist = calloc(s->nthreads + 1, sizeof(*s->wake_hist));
	if (!s->wait_hist || !s->wake_hist)
		return -1;
	for (size_t i = 0; i < s->nthreads; i++) {
		struct ipct_hist h;

		for (int k = IPCT_HIST_WAIT_PIPE_WRITE; k <= IPCT_HIST_WAIT_UNIX_READ; k++)
			if (tracer_read_hist(t, s->threads[i].tid, k, &h) == 0)
				hist_merge(&s->wait_hist[i], &h);
		tracer_read_hist(t, s->threads[i].tid, IPCT_HIST_WAKEUP_LATENCY,
				 &s->wake_hist[i]);
	}
	tracer_read_drops(t, s->drops);
	trace_snapshot_index(s);	/* without it, lookups walk: slower, not wrong */
	return 0;
}

/*
 * The kernel stacks where threads slept (--folded), root first. The
 * innermost frames are ipctrace's own program and its trampoline
 * (bpf_prog_*, bpf_trace_run*): not the sleep's, so they go.
 */
int trace_snapshot_take_stacks(struct tracer *t, struct trace_snapshot *s)
{
	struct ksyms *k = ksyms_load();
	struct stack_time *st = NULL;
	__u64 ips[IPCT_STACK_DEPTH];
	size_t n = 0;

	s->stacks_unsymbolized = k == NULL;
	if (tracer_read_stack_times(t, &st, &n)) {
		ksyms_free(k);
		return -1;
	}
	s->stacks = calloc(n ? n : 1, sizeof(*s->stacks));
	if (!s->stacks) {
		free(st);
		ksyms_free(k);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int depth = tracer_read_stack(t, st[i].key.stackid, ips, IPCT_STACK_DEPTH);
		char *buf = NULL;
		size_t len = 0;
		FILE *f;

		while (depth > 1 && k) {
			const char *leaf = ksyms_name(k, ips[0]);

			if (!leaf || (strncmp(leaf, "bpf_", 4) && strncmp(leaf, "__bpf", 5)))
				break;
			memmove(ips, ips + 1, (size_t)(depth - 1) * sizeof(*ips));
			depth--;
		}
		if (!depth || st[i].ns < 1000)
			continue;
		f = open_memstream(&buf, &len);
		if (!f)
			break;
		for (int d = depth - 1; d >= 0; d--) {
			const char *name = k ? ksyms_name(k, ips[d]) : NULL;

			if (name)
				fprintf(f, "%s%s", d == depth - 1 ? "" : ";", name);
			else
				fprintf(f, "%s0x%llx", d == depth - 1 ? "" : ";",
					(unsigned long long)ips[d]);
		}
		fclose(f);
		s->stacks[s->nstacks++] = (struct folded_stack){
			.tid = st[i].key.tid, .us = st[i].ns / 1000, .frames = buf,
		};
	}
	free(st);
	ksyms_free(k);
	return 0;
}

int trace_snapshot_take_profile(struct profiler *p, struct trace_snapshot *s)
{
	profiler_pause(p);	/* the trace is over: final counts */
	profiler_info(p, &s->prof_info);
	return profiler_read(p, NULL, NULL, true, &s->prof);
}
