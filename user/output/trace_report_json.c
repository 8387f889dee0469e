// SPDX-License-Identifier: GPL-2.0
/* trace_report_json.c - the `trace --json` document. */
#include <stdlib.h>
#include "hist.h"
#include "json_text.h"
#include "observer_report.h"
#include "results_schema.h"
#include "trace_view.h"
#include "trace_waits.h"

/* p50, p99 and the histogram itself: the non-empty buckets as
 * [from_us, to_us, count] (log-linear, four per octave; see hist.h) */
static json_t *pctl(const struct ipct_hist *h)
{
	json_t *buckets;

	if (!hist_count(h))
		return json_null();
	buckets = json_array();
	for (unsigned int b = 0; b < IPCT_HIST_BUCKETS; b++)
		if (h->bucket[b])
			json_array_append_new(buckets, json_pack("[f, f, I]",
				hist_bucket_lo(b) / 1e3, hist_bucket_hi(b) / 1e3,
				(json_int_t)h->bucket[b]));
	return json_pack("{s:I, s:f, s:f, s:o}", "count", (json_int_t)hist_count(h),
			 "p50", hist_percentile(h, 50) / 1e3,
			 "p99", hist_percentile(h, 99) / 1e3, "buckets", buckets);
}

static json_t *threads_json(const struct trace_snapshot *s,
			    const struct trace_info *info)
{
	json_t *procs = json_array(), *proc = NULL, *threads = NULL;
	uint64_t *cpu = trace_profile_counts(s);	/* the profile, by thread */

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		json_t *sl = json_array();
		struct tview v;

		if (i == 0 || th->tgid != s->threads[i - 1].tgid) {
			threads = json_array();
			proc = json_pack("{s:I, s:o, s:o}", "pid", (json_int_t)th->tgid,
					 "comm", json_text(th->comm), "threads", threads);
			json_array_append_new(procs, proc);
		}
		if (th->tid == th->tgid)
			json_object_set_new(proc, "comm", json_text(th->comm));
		size_t first, nsl = trace_snapshot_sleeps_of(s, th->tid, &first);

		for (size_t k = first; k < first + nsl; k++) {
			char name[64];

			if (s->sleeps[k].key.tid == th->tid)
				json_array_append_new(sl, json_pack("{s:s, s:I, s:f}",
					"syscall", trace_syscall_name(s->sleeps[k].key.syscall_nr,
								      name, sizeof(name)),
					"count", (json_int_t)s->sleeps[k].val.count,
					"ms", (double)s->sleeps[k].val.ns / 1e6));
		}
		trace_thread_view(th, info, &v);
		json_t *tj = json_pack(
			"{s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}",
			"tid", (json_int_t)th->tid, "comm", json_text(th->comm),
			"writes", (json_int_t)v.writes,
			"blocked_writes", (json_int_t)v.blocked_writes,
			"reads", (json_int_t)v.reads,
			"blocked_reads", (json_int_t)v.blocked_reads,
			"bytes_written", (json_int_t)v.bytes_written,
			"bytes_read", (json_int_t)v.bytes_read,
			"voluntary_switches", (json_int_t)th->vol_switches,
			"involuntary_switches", (json_int_t)th->invol_switches,
			"exited", th->exited != 0,
			"wait_us", pctl(&s->wait_hist[i]),
			"wakeup_latency_us", pctl(&s->wake_hist[i]),
			"sleeps", sl);
		trace_waits_thread_json(tj, th);
		/* sleeps whose end is dated from CPU time (trace_untraced_switch_ins) */
		json_object_set_new(tj, "untraced_switch_ins",
				    json_integer((json_int_t)th->untraced_switch_ins));
		json_object_set_new(tj, "cpu", trace_thread_cpu_json(s, i, cpu, info));
		json_array_append_new(threads, tj);
	}
	free(cpu);
	return procs;
}

static json_t *count_json(bool known, __u64 v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

/*
 * A pipe's or a socket's counters, as one end or as the channel; calls
 * and bytes this mode does not count (wk, rk false) are null, never 0
 */
static json_t *calls_json(const struct ipct_op_stats *w, const struct ipct_op_stats *r,
			  bool wk, bool rk)
{
	json_t *o = json_pack("{s:o, s:I, s:o, s:I, s:o, s:o}",
			      "writes", count_json(wk, w->calls),
			      "blocked_writes", (json_int_t)w->blocked_calls,
			      "reads", count_json(rk, r->calls),
			      "blocked_reads", (json_int_t)r->blocked_calls,
			      "bytes_written", count_json(wk, w->bytes),
			      "bytes_read", count_json(rk, r->bytes));

	/* waits by cause: buffer, and lock or fault */
	trace_waits_chan_json(o, w, r);
	return o;
}

/*
 * One channel: a pipe, or a unix socket with its peer when both ends were
 * traced (a socket pair is one channel, its "ends" the two sockets).
 * Unix fill: used_mean is the send buffer accounting (sk_wmem_alloc, skb
 * truesize) against capacity_mean (sk_sndbuf); bytes_mean the data queued.
 */
static json_t *channel_json(const struct trace_snapshot *s, const struct chan_view *v,
			    const struct trace_info *info)
{
	const struct ipct_chan *c = v->ends[0];
	bool wk = trace_op_counted(c, true, info), rk = trace_op_counted(c, false, info);
	struct ipct_op_stats w, r;
	json_t *pairs = json_array(), *fill = json_null(), *ch, *ends = json_array();
	char id[64];
	__u64 wakeups;

	trace_chan_sum(v, &w, &r, &wakeups);
	snprintf(id, sizeof(id), "%s:[%llu]", c->kind == IPCT_CHAN_PIPE ?
		 "pipe" : "socket", (unsigned long long)c->ino);
	for (size_t k = 0; k < s->nwakes; k++) {
		if (!trace_chan_has(v, s->wakes[k].key.ino))
			continue;
		json_array_append_new(pairs, json_pack("{s:I, s:I, s:I}",
			"waker", (json_int_t)s->wakes[k].key.waker_tid,
			"wakee", (json_int_t)s->wakes[k].key.wakee_tid,
			"count", (json_int_t)trace_edge_total(&s->wakes[k])));
	}
	/* bytes are read at fewer waits than the rest (IPCT_FILL_BYTES_GAP_NS) */
	if (w.fill_samples && w.fill_bytes_samples)
		fill = json_pack("{s:s, s:f, s:f, s:f, s:I, s:I}", "unit",
			c->kind == IPCT_CHAN_PIPE ? "slots" : "bytes",
			"used_mean", (double)w.fill_used_sum / w.fill_samples,
			"capacity_mean", (double)w.fill_cap_sum / w.fill_samples,
			"bytes_mean", (double)w.fill_bytes_sum / w.fill_bytes_samples,
			"samples", (json_int_t)w.fill_samples,
			"bytes_samples", (json_int_t)w.fill_bytes_samples);
	ch = json_pack("{s:s, s:s, s:I, s:o}",
		       "kind", c->kind == IPCT_CHAN_PIPE ? "pipe" : "unix_stream",
		       "identity", id, "ino", (json_int_t)c->ino,
		       "peer_ino", c->peer_ino ? json_integer((json_int_t)c->peer_ino) :
						 json_null());
	json_object_update_new(ch, calls_json(&w, &r, wk, rk));
	for (int e = 0; e < 2 && v->ends[e] && c->kind == IPCT_CHAN_UNIX; e++) {
		json_t *end = calls_json(&v->ends[e]->w, &v->ends[e]->r, wk, rk);

		json_object_set_new(end, "ino", json_integer((json_int_t)v->ends[e]->ino));
		json_array_append_new(ends, end);
	}
	json_object_set_new(ch, "ends", ends);
	json_object_set_new(ch, "fill_at_block", fill);
	json_object_set_new(ch, "wakeups", json_integer((json_int_t)wakeups));
	json_object_set_new(ch, "wakeups_by_pair", pairs);
	return ch;
}

/* channels still open in traced processes that nothing showed */
static json_t *open_chans_json(const struct trace_snapshot *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->nopen_chans; i++) {
		const struct open_chan *o = &s->open_chans[i];
		char id[64];

		snprintf(id, sizeof(id), "%s:[%llu]", o->kind == IPCT_CHAN_PIPE ? "pipe" :
			 "socket", (unsigned long long)o->ino);
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:i}",
			"kind", o->kind == IPCT_CHAN_PIPE ? "pipe" : "unix_stream",
			"identity", id, "ino", (json_int_t)o->ino, "pid", (json_int_t)o->pid,
			"fd", o->fd));
	}
	return a;
}

json_t *trace_report_json(const struct trace_snapshot *s,
			  const struct trace_info *info)
{
	json_t *doc = json_object(), *chans = json_array(), *lost = json_object();
	struct chan_view *views;
	long nv = trace_snapshot_channels(s, &views);

	for (long i = 0; i < nv; i++)
		json_array_append_new(chans, channel_json(s, &views[i], info));
	free(views);
	for (int d = 0; d < IPCT_DROP_COUNT; d++)
		if (s->drops[d])
			json_object_set_new(lost, drop_name(d),
					    json_integer((json_int_t)s->drops[d]));
	json_object_set_new(doc, "format", json_string("ipctrace-trace"));
	json_object_set_new(doc, "format_version", json_integer(TRACE_FORMAT_VERSION));
	json_object_set_new(doc, "targets", json_text(info->targets));
	json_object_set_new(doc, "attach", attach_report_json(&info->attach));
	json_object_set_new(doc, "calls_source", json_text(info->calls_source));
	json_object_set_new(doc, "calls_scope", json_string(trace_calls_scope(info)));
	json_object_set_new(doc, "preempt_rt", json_boolean(info->preempt_rt));
	json_object_set_new(doc, "seconds", json_real(s->seconds));
	json_object_set_new(doc, "processes", threads_json(s, info));
	json_object_set_new(doc, "channels", chans);
	json_object_set_new(doc, "open_channels", open_chans_json(s));
	json_object_set_new(doc, "lost_events", lost);
	json_object_set_new(doc, "untraced_switch_ins",
			    json_integer((json_int_t)trace_untraced_switch_ins(s)));
	json_object_set_new(doc, "observer", observer_json(&info->observer));
	json_object_set_new(doc, "profile", trace_profile_json(s));
	json_object_set_new(doc, "stack_drops", json_integer(
		(json_int_t)(s->drops[IPCT_DROP_STACK] + s->drops[IPCT_DROP_STACK_TIME_MAP_FULL])));
	return doc;
}
