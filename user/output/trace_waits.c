// SPDX-License-Identifier: GPL-2.0
/*
 * trace_waits.c - `ipctrace trace`'s waits by cause: per thread and per
 * channel, the buffer waits (the channel full or empty) apart from the lock
 * or fault waits (any other sleep inside the call: pipe->mutex, the unix
 * socket's iolock, a fault; on PREEMPT_RT also spinlocks, counted apart as
 * spinlock waits). Text and JSON; the glossary is in bpf/ipctrace.h.
 */
#include <string.h>
#include "trace_report.h"
#include "trace_waits.h"

void trace_waits_of_thread(const struct ipct_thread *th, struct trace_waits *w)
{
	memset(w, 0, sizeof(*w));
	for (int op = 0; op < IPCT_OP_COUNT; op++) {
		const struct ipct_op_stats *o = &th->op[op];

		w->buffer += o->waits;
		w->buffer_ns += o->wait_ns;
		w->lock += o->other_sleeps;
		w->lock_ns += o->other_sleep_ns;
		w->spin += o->rtlock_waits;
	}
}

static void ms(char *buf, size_t len, unsigned long long ns)
{
	snprintf(buf, len, "%.2f", (double)ns / 1e6);
}

void trace_waits_text(FILE *out, const struct trace_snapshot *s,
		      const struct trace_info *info)
{
	bool any = false;

	for (size_t i = 0; i < s->nthreads; i++) {
		struct trace_waits w;

		trace_waits_of_thread(&s->threads[i], &w);
		any |= w.buffer || w.lock;
	}
	fprintf(out, "\nwaits by cause%s\n", any ? "" : ": no thread slept in a"
		" pipe or unix stream call");
	if (!any)
		return;
	fprintf(out, "  bwt = buffer waits (the channel full or empty), lwt = lock or"
		" fault waits (pipe->mutex,\n  the socket's iolock, a fault in the"
		" copy%s); ms = time asleep in them\n", info->preempt_rt ?
		"; spinlocks on PREEMPT_RT: spin" : "");
	fprintf(out, "  %7s %-15s %8s %10s %8s %10s%s\n", "tid", "comm", "bwt", "ms",
		"lwt", "ms", info->preempt_rt ? "     spin" : "");
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		struct trace_waits w;
		char a[32], b[32];

		trace_waits_of_thread(th, &w);
		if (!w.buffer && !w.lock)
			continue;
		ms(a, sizeof(a), w.buffer_ns);
		ms(b, sizeof(b), w.lock_ns);
		fprintf(out, "  %7u %-15.15s %8llu %10s %8llu %10s", th->tid, th->comm,
			w.buffer, a, w.lock, b);
		if (info->preempt_rt)
			fprintf(out, " %8llu", w.spin);
		fputc('\n', out);
	}
	if (info->preempt_rt)
		fprintf(out, "  PREEMPT_RT: a contended spinlock_t or rwlock_t sleeps"
			" instead of spinning, so calls\n  wait for locks that other"
			" kernels spin on (spin counts those sleeps, TASK_RTLOCK_WAIT)\n");
}

void trace_waits_chan_line(FILE *out, const struct ipct_op_stats *w,
			   const struct ipct_op_stats *r)
{
	if (!w->waits && !w->other_sleeps && !r->waits && !r->other_sleeps)
		return;
	fprintf(out, "    waits: in writes %llu buffer, %llu lock or fault; in reads"
		" %llu buffer, %llu lock or fault\n", (unsigned long long)w->waits,
		(unsigned long long)w->other_sleeps, (unsigned long long)r->waits,
		(unsigned long long)r->other_sleeps);
}

void trace_waits_thread_json(json_t *thread, const struct ipct_thread *th)
{
	struct trace_waits w;

	trace_waits_of_thread(th, &w);
	json_object_set_new(thread, "buffer_waits", json_integer((json_int_t)w.buffer));
	json_object_set_new(thread, "buffer_wait_ms", json_real((double)w.buffer_ns / 1e6));
	json_object_set_new(thread, "lock_fault_waits", json_integer((json_int_t)w.lock));
	json_object_set_new(thread, "lock_fault_wait_ms", json_real((double)w.lock_ns / 1e6));
	json_object_set_new(thread, "spinlock_waits", json_integer((json_int_t)w.spin));
}

void trace_waits_chan_json(json_t *chan, const struct ipct_op_stats *w,
			   const struct ipct_op_stats *r)
{
	json_object_set_new(chan, "write_buffer_waits", json_integer((json_int_t)w->waits));
	json_object_set_new(chan, "write_lock_fault_waits",
			    json_integer((json_int_t)w->other_sleeps));
	json_object_set_new(chan, "read_buffer_waits", json_integer((json_int_t)r->waits));
	json_object_set_new(chan, "read_lock_fault_waits",
			    json_integer((json_int_t)r->other_sleeps));
}
