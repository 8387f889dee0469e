// SPDX-License-Identifier: GPL-2.0
/* trace_report.c - `ipctrace trace`'s text report, its -i intervals and
 * the folded stacks (JSON: trace_report_json.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "observer_report.h"
#include "trace_view.h"
#include "trace_waits.h"

static int by_thread(const void *a, const void *b)
{
	const struct ipct_thread *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static void p50_99(const struct ipct_hist *h, char *buf, size_t len)
{
	if (!hist_count(h))
		snprintf(buf, len, "-/-");
	else
		snprintf(buf, len, "%.0f/%.0f", hist_percentile(h, 50) / 1e3,
			 hist_percentile(h, 99) / 1e3);
}

static size_t nprocs(const struct trace_snapshot *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nthreads; i++)
		n += i == 0 || s->threads[i].tgid != s->threads[i - 1].tgid;
	return n;
}

/* ---- sleeps by syscall, of one thread (tid) or all (tid 0) ---- */

#define MAX_SLEEP_KINDS 64

static void print_sleeps(FILE *out, const struct trace_snapshot *s, __u32 tid,
			 const char *lead)
{
	long nrs[MAX_SLEEP_KINDS];
	unsigned long long cnt[MAX_SLEEP_KINDS], ns[MAX_SLEEP_KINDS];
	int n = 0, col, indent;
	size_t first = 0, count = s->nsleeps;

	if (tid)
		count = trace_snapshot_sleeps_of(s, tid, &first);
	for (size_t i = first; i < first + count; i++) {
		int k;

		if (tid && s->sleeps[i].key.tid != tid)
			continue;
		for (k = 0; k < n && nrs[k] != s->sleeps[i].key.syscall_nr; k++)
			;
		if (k == n && n < MAX_SLEEP_KINDS) {
			nrs[n] = s->sleeps[i].key.syscall_nr;
			cnt[n] = ns[n] = 0;
			n++;
		}
		if (k < MAX_SLEEP_KINDS) {
			cnt[k] += s->sleeps[i].val.count;
			ns[k] += s->sleeps[i].val.ns;
		}
	}
	if (tid && !n)
		return;
	fputs(lead, out);
	/* continuation lines start under the first item */
	indent = (int)strlen(strrchr(lead, '\n') ? strrchr(lead, '\n') + 1 : lead);
	col = indent;
	for (int k = 0; k < n; k++) {
		char item[128], name[64];
		int w = snprintf(item, sizeof(item), " %s %llu (%.2f ms)%s",
				 trace_syscall_name(nrs[k], name, sizeof(name)), cnt[k],
				 (double)ns[k] / 1e6, k + 1 < n ? "," : "");

		if (col + w > 98 && col > indent) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		}
		fputs(item, out);
		col += w;
	}
	fprintf(out, "%s\n", n ? "" : " none");
}

/* ---- channels ---- */

static void chan_name(const struct chan_view *v, char *buf, size_t len)
{
	const struct ipct_chan *c = v->ends[0];

	if (c->kind == IPCT_CHAN_PIPE)
		snprintf(buf, len, "pipe:[%llu]", (unsigned long long)c->ino);
	else if (c->peer_ino)
		snprintf(buf, len, "socket:[%llu] <-> socket:[%llu] (unix stream%s)",
			 (unsigned long long)c->ino, (unsigned long long)c->peer_ino,
			 v->ends[1] ? "" : "; the peer's end not traced");
	else
		snprintf(buf, len, "socket:[%llu] (unix stream)",
			 (unsigned long long)c->ino);
}

static const char *count_or_unknown(bool known, __u64 v, char *buf, size_t len)
{
	if (known)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "?");
	return buf;
}

/*
 * "writes 20000 (8646 blocked, 8650 waits), 1310720000 bytes[, into X]";
 * calls and bytes this mode does not count are "?", never 0
 */
static void print_calls(FILE *out, const char *what, const struct ipct_op_stats *o,
			bool known, const char *where, __u64 ino)
{
	char calls[24], bytes[24];

	fprintf(out, "    %-6s %s (%llu blocked, %llu waits), %s bytes", what,
		count_or_unknown(known, o ? o->calls : 0, calls, sizeof(calls)),
		(unsigned long long)(o ? o->blocked_calls : 0),
		(unsigned long long)(o ? o->waits : 0),
		count_or_unknown(known, o ? o->bytes : 0, bytes, sizeof(bytes)));
	if (ino)
		fprintf(out, ", %s socket:[%llu]", where, (unsigned long long)ino);
	fputc('\n', out);
}

/* how full the channel was when its writers waited */
static void print_fill(FILE *out, const struct ipct_chan *kind,
		       const struct ipct_op_stats *w)
{
	double n = (double)w->fill_samples;
	/* bytes are read at fewer waits than the rest (IPCT_FILL_BYTES_GAP_NS) */
	double nb = (double)w->fill_bytes_samples;

	if (!w->fill_samples || !w->fill_bytes_samples)
		return;
	if (kind->kind == IPCT_CHAN_PIPE) {
		fprintf(out, "    at block: %.1f of %.0f slots used, %.0f bytes queued\n",
			(double)w->fill_used_sum / n, (double)w->fill_cap_sum / n,
			(double)w->fill_bytes_sum / nb);
		return;
	}
	/* two figures: the data, and the accounting the writer waits on (skb
	 * truesize, which passes sk_sndbuf by up to one skb): never "% used" */
	fprintf(out, "    at block: %.0f bytes of data queued; send buffer accounting\n"
		"      (sk_wmem_alloc: skb truesize, not data) %.0f, limit sk_sndbuf %.0f\n",
		(double)w->fill_bytes_sum / nb, (double)w->fill_used_sum / n,
		(double)w->fill_cap_sum / n);
}

/* who woke whom over one channel, busiest pair first, one pair a line */
#define WAKE_PAIRS_SHOWN 8
static void print_chan_wakeups(FILE *out, const struct trace_snapshot *s,
			       const struct chan_view *v, __u64 total, __u64 blocked)
{
	const struct wake_edge *top[WAKE_PAIRS_SHOWN];
	size_t ntop = 0, more = 0;

	for (size_t k = 0; k < s->nwakes; k++) {
		const struct wake_edge *e = &s->wakes[k];
		size_t at;

		if (!trace_chan_has(v, e->key.ino))
			continue;
		/* insertion into a short list kept in descending order */
		for (at = ntop; at > 0 &&
		     trace_edge_total(top[at - 1]) < trace_edge_total(e); at--)
			;
		if (at == WAKE_PAIRS_SHOWN) {
			more++;
			continue;
		}
		if (ntop == WAKE_PAIRS_SHOWN)
			more++;
		else
			ntop++;
		memmove(&top[at + 1], &top[at], (ntop - 1 - at) * sizeof(top[0]));
		top[at] = e;
	}
	if (!ntop)
		return;
	/* next to the numbers: why wakeups outnumber the blocked calls */
	fprintf(out, "    wakeups %llu%s\n", (unsigned long long)total, total > blocked ?
		" (more than blocked calls: a call can be woken, and wait, more than"
		" once)" : "");
	for (size_t k = 0; k < ntop; k++)
		fprintf(out, "             %7u %-15.15s -> %7u %-15.15s %10llu\n",
			top[k]->key.waker_tid, trace_comm_of(s, top[k]->key.waker_tid),
			top[k]->key.wakee_tid, trace_comm_of(s, top[k]->key.wakee_tid),
			(unsigned long long)trace_edge_total(top[k]));
	if (more)
		fprintf(out, "             and %zu more pair%s (--json lists every one)\n",
			more, more == 1 ? "" : "s");
}

/* true when some of its calls were not counted in this mode ("?") */
static bool print_channel(FILE *out, const struct trace_snapshot *s,
			  const struct chan_view *v, const struct trace_info *info)
{
	bool wk = trace_op_counted(v->ends[0], true, info);
	bool rk = trace_op_counted(v->ends[0], false, info);
	struct ipct_op_stats w, r;
	struct chan_dir dirs[2];
	int nd = trace_chan_dirs(v, dirs);
	char name[160];
	__u64 wakeups;

	chan_name(v, name, sizeof(name));
	fprintf(out, "  %s\n", name);
	for (int d = 0; d < nd; d++) {
		print_calls(out, "writes", dirs[d].w, wk, "into", dirs[d].from);
		print_calls(out, "reads", dirs[d].r, rk, "from", dirs[d].to);
	}
	trace_chan_sum(v, &w, &r, &wakeups);
	print_fill(out, v->ends[0], &w);
	trace_waits_chan_line(out, &w, &r);
	print_chan_wakeups(out, s, v, wakeups, w.blocked_calls + r.blocked_calls);
	return !wk || !rk;
}

/* channels still open in traced processes that no wait or call showed */
static void print_open_channels(FILE *out, const struct trace_snapshot *s,
				const struct trace_info *info)
{
	if (s->nopen_chans)
		fprintf(out, "  open in traced processes, no wait or call seen%s:\n",
			info->calls_counted ? "" : " (calls not counted in this mode)");
	for (size_t i = 0; i < s->nopen_chans; i++)
		fprintf(out, "    %s:[%llu] (fd %d of %u)\n",
			s->open_chans[i].kind == IPCT_CHAN_PIPE ? "pipe" : "socket",
			(unsigned long long)s->open_chans[i].ino, s->open_chans[i].fd,
			s->open_chans[i].pid);
}

/*
 * Events lost make the counts low. Runs the kernel skipped are another
 * thing: of any task, traced or not, so they bound the counts without
 * saying they are low; a missed call exit that the skips account for is
 * their consequence (drops_lost() decides, as for run's cells).
 */
static void print_lost(FILE *out, const struct trace_snapshot *s)
{
	__u64 lost = drops_lost(s->drops), skipped = s->drops[IPCT_DROP_PROG_SKIPPED];
	__u64 untraced = trace_untraced_switch_ins(s);

	if (lost) {
		fprintf(out, "LOST EVENTS: %llu, counts above are low:",
			(unsigned long long)lost);
		for (int d = 0; d < IPCT_DROP_COUNT; d++)
			if (drop_is_loss(s->drops, d))
				fprintf(out, " %s %llu;", drop_name(d),
					(unsigned long long)s->drops[d]);
		fprintf(out, "\n");
	} else {
		fprintf(out, "lost events: none\n");
	}
	if (skipped)
		fprintf(out, "skipped: %llu runs of ipctrace's programs the kernel skipped,"
			" for any task (one was already running on that CPU): call counts"
			" can be short by that many at most\n", (unsigned long long)skipped);
	if (untraced)
		fprintf(out, "untraced switch-ins: %llu sleeps ended at a switch-in the kernel"
			" did not trace; their end is dated from the CPU time the thread ran"
			" since, which makes them long by the IRQ and steal time of that run\n",
			(unsigned long long)untraced);
}

/* ---- the report ---- */

static void print_threads(FILE *out, const struct trace_snapshot *s,
			  const struct trace_info *info)
{
	size_t first = 0;

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		char wait[32], wake[32];
		struct tview v;

		if (i == 0 || th->tgid != s->threads[i - 1].tgid) {
			const char *pcomm = th->comm;

			first = i;
			for (size_t j = i; j < s->nthreads && s->threads[j].tgid == th->tgid; j++)
				if (s->threads[j].tid == th->tgid)
					pcomm = s->threads[j].comm;
			fprintf(out, "\nprocess %u (%s)\n", th->tgid, pcomm);
			fprintf(out, "  %7s %-15s %8s %6s %8s %6s %6s %5s %11s %11s\n",
				"tid", "comm", "writes", "blk", "reads", "rblk", "vcs",
				"ics", "wait", "wake");
		}
		trace_thread_view(th, info, &v);
		p50_99(&s->wait_hist[i], wait, sizeof(wait));
		p50_99(&s->wake_hist[i], wake, sizeof(wake));
		fprintf(out, "  %7u %-15.15s %8llu %6llu %8llu %6llu %6llu %5llu %11s %11s%s\n",
			th->tid, th->comm, v.writes, v.blocked_writes, v.reads,
			v.blocked_reads, (unsigned long long)th->vol_switches,
			(unsigned long long)th->invol_switches, wait, wake,
			th->exited ? " exited" : "");
		/* the last thread of its process: where each one slept */
		if (i + 1 == s->nthreads || s->threads[i + 1].tgid != th->tgid)
			for (size_t j = first; j <= i; j++) {
				char lead[40];

				snprintf(lead, sizeof(lead), "  %7u slept in:", s->threads[j].tid);
				print_sleeps(out, s, s->threads[j].tid, lead);
			}
	}
	if (!s->nthreads)
		fprintf(out, "\nno thread of the targets ran while traced\n");
}

void trace_report_text(FILE *out, const struct trace_snapshot *s,
		       const struct trace_info *info)
{
	struct chan_view *views;
	long nv = trace_snapshot_channels(s, &views);
	bool unknown = false;

	if (nv < 0)
		nv = 0;
	fprintf(out, "ipctrace trace: %s for %.2f s; %zu process%s, %zu thread%s,"
		" %ld channel%s\n", info->targets, s->seconds, nprocs(s),
		nprocs(s) == 1 ? "" : "es", s->nthreads, s->nthreads == 1 ? "" : "s",
		nv, nv == 1 ? "" : "s");
	fprintf(out, "attach: %s; calls: %s\n", info->attach.mode, info->calls_source);
	if (info->preempt_rt)
		fprintf(out, "kernel: PREEMPT_RT (spinlocks sleep: see waits by cause)\n");
	/* what is counted: the columns' scope depends on how calls are seen */
	fprintf(out, "writes, reads = %s\n", trace_calls_scope(info));
	fprintf(out, "blk, rblk = blocked writes and reads (calls that slept; one can"
		" wait more than once),\nvcs/ics = (in)voluntary switches, wait ="
		" time blocked, wake = wakeup-to-run; p50/p99 in us;\nwakeups: waker ->"
		" wakee, \"?\" is a thread outside the trace, 0 an interrupt or the idle"
		" task\n");
	print_threads(out, s, info);
	fprintf(out, "\nchannels%s\n", nv || s->nopen_chans ? "" :
		": none seen (a channel shows where a thread waits on it, or its calls)");
	for (long i = 0; i < nv; i++)
		unknown |= print_channel(out, s, &views[i], info);
	free(views);
	if (unknown)
		fprintf(out, "  ? = not counted in this mode: pipe calls need fentry/kprobe"
			" mode or --syscall-counts\n");
	print_open_channels(out, s, info);
	trace_waits_text(out, s, info);
	trace_profile_text(out, s, info);
	print_sleeps(out, s, 0, "\nsleeps by syscall, all threads:\n ");
	print_lost(out, s);
	observer_text(out, &info->observer, "the traced threads'");
}

void trace_report_interval(FILE *out, const struct trace_snapshot *now,
			   const struct trace_snapshot *prev,
			   const struct trace_info *info)
{
	size_t j = 0;
	int lines = 0;

	/* the time on its own line, then the columns */
	fprintf(out, "-- %.1f s\n   %12s %-15s %8s %6s %8s %6s %6s %5s\n", now->seconds,
		"tid", "comm", "writes", "blk", "reads", "rblk", "vcs", "ics");
	for (size_t i = 0; i < now->nthreads; i++) {
		const struct ipct_thread *th = &now->threads[i], *old = NULL;
		struct tview v, pv = { 0 };
		unsigned long long vcs, ics;

		while (prev && j < prev->nthreads && by_thread(&prev->threads[j], th) < 0)
			j++;
		if (prev && j < prev->nthreads && prev->threads[j].tid == th->tid)
			old = &prev->threads[j];
		trace_thread_view(th, info, &v);
		if (old)
			trace_thread_view(old, info, &pv);
		vcs = th->vol_switches - (old ? old->vol_switches : 0);
		ics = th->invol_switches - (old ? old->invol_switches : 0);
		if (v.writes == pv.writes && v.reads == pv.reads && !vcs && !ics)
			continue;
		fprintf(out, "   %12u %-15.15s %8llu %6llu %8llu %6llu %6llu %5llu\n",
			th->tid, th->comm, v.writes - pv.writes,
			v.blocked_writes - pv.blocked_writes, v.reads - pv.reads,
			v.blocked_reads - pv.blocked_reads, vcs, ics);
		lines++;
	}
	if (!lines)
		fprintf(out, "   (nothing moved)\n");
	fflush(out);
}

/* ---- folded stacks ---- */

int trace_write_folded(FILE *out, const struct trace_snapshot *s,
		       enum folded_key key)
{
	for (size_t i = 0; i < s->nstacks; i++) {
		const struct folded_stack *f = &s->stacks[i];
		const struct ipct_thread *th = trace_snapshot_thread(s, f->tid);
		__u32 tgid = th ? th->tgid : f->tid;
		char root[96];

		if (!f->us)
			continue;
		folded_root(s, tgid, f->tid, key, root, sizeof(root));
		fprintf(out, "%s;%s %llu\n", root, f->frames, (unsigned long long)f->us);
	}
	return ferror(out) ? -1 : 0;
}
