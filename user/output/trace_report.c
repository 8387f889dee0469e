// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "hist.h"
#include "observer_report.h"
#include "results_schema.h"
#include "trace_report.h"

static int by_thread(const void *a, const void *b)
{
	const struct ipct_thread *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* ---- one thread, as reported ---- */

struct tview {
	unsigned long long writes, blocked_writes, reads, blocked_reads;
	unsigned long long bytes_written, bytes_read;
};

static void view(const struct ipct_thread *th, const struct trace_info *info,
		 struct tview *v)
{
	const struct ipct_op_stats *o = th->op;

	if (info->calls_counted) {
		v->writes = o[IPCT_PIPE_WRITE].calls + o[IPCT_UNIX_WRITE].calls;
		v->reads = o[IPCT_PIPE_READ].calls + o[IPCT_UNIX_READ].calls;
		v->bytes_written = o[IPCT_PIPE_WRITE].bytes + o[IPCT_UNIX_WRITE].bytes;
		v->bytes_read = o[IPCT_PIPE_READ].bytes + o[IPCT_UNIX_READ].bytes;
	} else {
		/* task io accounting: every write/read-family call, any fd */
		v->writes = th->io_syscw;
		v->reads = th->io_syscr;
		v->bytes_written = th->io_wchar;
		v->bytes_read = th->io_rchar;
	}
	v->blocked_writes = o[IPCT_PIPE_WRITE].blocked_calls +
			     o[IPCT_UNIX_WRITE].blocked_calls;
	v->blocked_reads = o[IPCT_PIPE_READ].blocked_calls + o[IPCT_UNIX_READ].blocked_calls;
}

static const char *syscall_name(long nr)
{
	static const struct { long nr; const char *name; } names[] = {
		{ SYS_read, "read" }, { SYS_write, "write" }, { SYS_readv, "readv" },
		{ SYS_writev, "writev" }, { SYS_sendto, "sendto" },
		{ SYS_recvfrom, "recvfrom" }, { SYS_sendmsg, "sendmsg" },
		{ SYS_recvmsg, "recvmsg" }, { SYS_futex, "futex" },
		{ SYS_epoll_wait, "epoll_wait" }, { SYS_epoll_pwait, "epoll_pwait" },
		{ SYS_poll, "poll" }, { SYS_ppoll, "ppoll" }, { SYS_select, "select" },
		{ SYS_pselect6, "pselect6" }, { SYS_nanosleep, "nanosleep" },
		{ SYS_clock_nanosleep, "clock_nanosleep" }, { SYS_wait4, "wait4" },
		{ SYS_waitid, "waitid" }, { SYS_accept, "accept" },
		{ SYS_accept4, "accept4" }, { SYS_connect, "connect" },
		{ SYS_pause, "pause" }, { SYS_rt_sigsuspend, "rt_sigsuspend" },
		{ SYS_rt_sigtimedwait, "rt_sigtimedwait" }, { SYS_exit, "exit" },
		{ SYS_exit_group, "exit_group" }, { SYS_execve, "execve" },
		{ SYS_clone, "clone" }, { SYS_mmap, "mmap" }, { SYS_munmap, "munmap" },
		{ SYS_openat, "openat" }, { SYS_close, "close" },
		{ SYS_vfork, "vfork" }, { SYS_fork, "fork" }, { SYS_mprotect, "mprotect" },
		{ SYS_brk, "brk" }, { SYS_madvise, "madvise" }, { SYS_sched_yield, "sched_yield" },
		{ SYS_getrandom, "getrandom" }, { SYS_fsync, "fsync" },
		{ SYS_fdatasync, "fdatasync" }, { SYS_splice, "splice" },
		{ SYS_sendfile, "sendfile" }, { SYS_io_uring_enter, "io_uring_enter" },
#ifdef SYS_epoll_pwait2
		{ SYS_epoll_pwait2, "epoll_pwait2" },
#endif
	};
	static char other[32];

	if (nr < 0)
		return "(no syscall: fault or kernel)";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == nr)
			return names[i].name;
	snprintf(other, sizeof(other), "syscall %ld", nr);
	return other;
}

static const char *comm_of_tid(const struct trace_snapshot *s, __u32 tid)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return s->threads[i].comm;
	return tid ? "?" : "irq/idle";
}

static void p50_99(const struct ipct_hist *h, char *buf, size_t len)
{
	if (!hist_count(h))
		snprintf(buf, len, "-/-");
	else
		snprintf(buf, len, "%.0f/%.0f", hist_percentile(h, 50) / 1e3,
			 hist_percentile(h, 99) / 1e3);
}

static unsigned long long lost_total(const struct trace_snapshot *s)
{
	unsigned long long n = 0;

	for (int d = 0; d < IPCT_DROP_COUNT; d++)
		n += s->drops[d];
	return n;
}

/* are a channel's calls and bytes in this direction counted in this mode? */
static bool chan_counted(const struct ipct_chan *c, bool write,
			 const struct trace_info *info)
{
	int op = c->kind == IPCT_CHAN_PIPE ? (write ? IPCT_PIPE_WRITE : IPCT_PIPE_READ) :
		 (write ? IPCT_UNIX_WRITE : IPCT_UNIX_READ);

	return info->op_counted[op];
}

static const char *count_or_unknown(bool known, __u64 v, char *buf, size_t len)
{
	if (known)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "?");
	return buf;
}

static json_t *count_json(bool known, __u64 v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

/* ---- text ---- */

static size_t nprocs(const struct trace_snapshot *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nthreads; i++)
		n += i == 0 || s->threads[i].tgid != s->threads[i - 1].tgid;
	return n;
}

static void chan_name(const struct ipct_chan *c, char *buf, size_t len)
{
	if (c->kind == IPCT_CHAN_PIPE)
		snprintf(buf, len, "pipe:[%llu]", (unsigned long long)c->ino);
	else if (c->peer_ino)
		snprintf(buf, len, "socket:[%llu] <-> socket:[%llu] (unix stream)",
			 (unsigned long long)c->ino, (unsigned long long)c->peer_ino);
	else
		snprintf(buf, len, "socket:[%llu] (unix stream)",
			 (unsigned long long)c->ino);
}

static __u64 edge_total(const struct wake_edge *e)
{
	__u64 n = 0;

	for (int v = 0; v <= IPCT_OP_COUNT; v++)
		n += e->val.via[v];
	return n;
}

/* who woke whom over one channel, busiest pair first, one pair a line */
#define WAKE_PAIRS_SHOWN 8
static void print_chan_wakeups(FILE *out, const struct trace_snapshot *s,
			       __u64 ino)
{
	const struct wake_edge *top[WAKE_PAIRS_SHOWN];
	size_t ntop = 0, more = 0;

	for (size_t k = 0; k < s->nwakes; k++) {
		const struct wake_edge *e = &s->wakes[k];
		size_t at;

		if (e->key.ino != ino)
			continue;
		/* insertion into a short list kept in descending order */
		for (at = ntop; at > 0 && edge_total(top[at - 1]) < edge_total(e); at--)
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
	for (size_t k = 0; k < ntop; k++)
		fprintf(out, "    %-9s%7u %-15.15s -> %7u %-15.15s %10llu\n",
			k ? "" : "wakeups:", top[k]->key.waker_tid,
			comm_of_tid(s, top[k]->key.waker_tid), top[k]->key.wakee_tid,
			comm_of_tid(s, top[k]->key.wakee_tid),
			(unsigned long long)edge_total(top[k]));
	if (more)
		fprintf(out, "             and %zu more pair%s (--json lists every one)\n",
			more, more == 1 ? "" : "s");
}

void trace_report_text(FILE *out, const struct trace_snapshot *s,
		       const struct trace_info *info)
{
	unsigned long long lost = lost_total(s);
	bool unknown = false;

	fprintf(out, "ipctrace trace: %s for %.2f s; %zu process%s, %zu thread%s,"
		" %zu channel%s\n", info->targets, s->seconds, nprocs(s),
		nprocs(s) == 1 ? "" : "es", s->nthreads, s->nthreads == 1 ? "" : "s",
		s->nchans, s->nchans == 1 ? "" : "s");
	fprintf(out, "attach: %s; calls: %s\n", info->attach.mode, info->calls_source);
	fprintf(out, "blk = blocked writes, rblk = blocked reads (calls that slept), vcs/ics ="
		     " (in)voluntary switches,\nwait = time blocked, wake ="
		     " wakeup-to-run; p50/p99 in us;\nwakeups: waker -> wakee,"
		     " \"?\" is a thread outside the trace, 0 an interrupt or the"
		     " idle task\n");
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		char wait[32], wake[32];
		struct tview v;

		if (i == 0 || th->tgid != s->threads[i - 1].tgid) {
			const char *pcomm = th->comm;

			for (size_t j = i; j < s->nthreads && s->threads[j].tgid == th->tgid; j++)
				if (s->threads[j].tid == th->tgid)
					pcomm = s->threads[j].comm;
			fprintf(out, "\nprocess %u (%s)\n", th->tgid, pcomm);
			fprintf(out, "  %7s %-15s %8s %6s %8s %6s %6s %5s %11s %11s\n",
				"tid", "comm", "writes", "blk", "reads", "rblk", "vcs",
				"ics", "wait", "wake");
		}
		view(th, info, &v);
		p50_99(&s->wait_hist[i], wait, sizeof(wait));
		p50_99(&s->wake_hist[i], wake, sizeof(wake));
		fprintf(out, "  %7u %-15.15s %8llu %6llu %8llu %6llu %6llu %5llu %11s %11s%s\n",
			th->tid, th->comm, v.writes, v.blocked_writes, v.reads,
			v.blocked_reads, (unsigned long long)th->vol_switches,
			(unsigned long long)th->invol_switches, wait, wake,
			th->exited ? " exited" : "");
	}
	if (!s->nthreads)
		fprintf(out, "\nno thread of the targets ran while traced\n");

	fprintf(out, "\nchannels%s\n", s->nchans || s->nopen_chans ? "" :
		": none seen (a channel shows where a thread waits on it, or its calls)");
	for (size_t i = 0; i < s->nchans; i++) {
		const struct ipct_chan *c = &s->chans[i];
		char name[128];

		char wc[24], wb[24], rc[24], rb[24];
		bool wk = chan_counted(c, true, info), rk = chan_counted(c, false, info);

		chan_name(c, name, sizeof(name));
		fprintf(out, "  %s\n", name);
		fprintf(out, "    writes %s (%llu blocked), %s bytes; reads %s (%llu"
			" blocked), %s bytes\n", count_or_unknown(wk, c->w.calls, wc, sizeof(wc)),
			(unsigned long long)c->w.blocked_calls,
			count_or_unknown(wk, c->w.bytes, wb, sizeof(wb)),
			count_or_unknown(rk, c->r.calls, rc, sizeof(rc)),
			(unsigned long long)c->r.blocked_calls,
			count_or_unknown(rk, c->r.bytes, rb, sizeof(rb)));
		unknown |= !wk || !rk;
		if (c->w.fill_samples)
			fprintf(out, "    at block: %.1f of %.0f %s used, %.0f bytes queued\n",
				(double)c->w.fill_used_sum / c->w.fill_samples,
				(double)c->w.fill_cap_sum / c->w.fill_samples,
				c->kind == IPCT_CHAN_PIPE ? "slots" : "bytes of sndbuf",
				(double)c->w.fill_bytes_sum / c->w.fill_samples);
		print_chan_wakeups(out, s, c->ino);
	}
	if (unknown)
		fprintf(out, "  ? = not counted in this mode: pipe calls need fentry/kprobe"
			" mode or --syscall-counts\n");
	if (s->nopen_chans)
		fprintf(out, "  open in traced processes, no wait or call seen%s:\n",
			info->calls_counted ? "" : " (calls not counted in this mode)");
	for (size_t i = 0; i < s->nopen_chans; i++)
		fprintf(out, "    %s:[%llu] (fd %d of %u)\n",
			s->open_chans[i].kind == IPCT_CHAN_PIPE ? "pipe" : "socket",
			(unsigned long long)s->open_chans[i].ino, s->open_chans[i].fd,
			s->open_chans[i].pid);
	fprintf(out, "\nsleeps by syscall, all threads:\n ");
	{
		int col = 1;

		/* sum per syscall across threads; few distinct syscalls */
		long nrs[64];
		unsigned long long cnt[64], ns[64];
		int n = 0;

		for (size_t i = 0; i < s->nsleeps; i++) {
			int k;

			for (k = 0; k < n && nrs[k] != s->sleeps[i].key.syscall_nr; k++)
				;
			if (k == n && n < 64) {
				nrs[n] = s->sleeps[i].key.syscall_nr;
				cnt[n] = ns[n] = 0;
				n++;
			}
			if (k < 64) {
				cnt[k] += s->sleeps[i].val.count;
				ns[k] += s->sleeps[i].val.ns;
			}
		}
		for (int k = 0; k < n; k++) {
			char item[96];
			int w = snprintf(item, sizeof(item), " %s %llu (%.2f ms)%s",
					 syscall_name(nrs[k]), cnt[k], (double)ns[k] / 1e6,
					 k + 1 < n ? "," : "");

			if (col + w > 98) {
				fprintf(out, "\n ");
				col = 1;
			}
			fputs(item, out);
			col += w;
		}
		fprintf(out, "%s\n", n ? "" : " none");
	}
	if (lost) {
		fprintf(out, "LOST EVENTS: %llu, counts above are low:", lost);
		for (int d = 0; d < IPCT_DROP_COUNT; d++)
			if (s->drops[d])
				fprintf(out, " %s %llu;", drop_name(d),
					(unsigned long long)s->drops[d]);
		fprintf(out, "\n");
	} else {
		fprintf(out, "lost events: none\n");
	}
	observer_text(out, &info->observer, "the traced threads'");
}

void trace_report_interval(FILE *out, const struct trace_snapshot *now,
			   const struct trace_snapshot *prev,
			   const struct trace_info *info)
{
	size_t j = 0;
	int lines = 0;

	fprintf(out, "-- %.1f s: %7s %-15s %8s %6s %8s %6s %6s %5s\n", now->seconds,
		"tid", "comm", "writes", "blk", "reads", "rblk", "vcs", "ics");
	for (size_t i = 0; i < now->nthreads; i++) {
		const struct ipct_thread *th = &now->threads[i], *old = NULL;
		struct tview v, pv = { 0 };
		unsigned long long vcs, ics;

		while (prev && j < prev->nthreads && by_thread(&prev->threads[j], th) < 0)
			j++;
		if (prev && j < prev->nthreads && prev->threads[j].tid == th->tid)
			old = &prev->threads[j];
		view(th, info, &v);
		if (old)
			view(old, info, &pv);
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

/* ---- JSON ---- */

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
	json_t *doc = json_object(), *procs = json_array(), *chans = json_array();
	json_t *proc = NULL, *threads = NULL, *lost = json_object();

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		json_t *sl = json_array();
		struct tview v;

		if (i == 0 || th->tgid != s->threads[i - 1].tgid) {
			threads = json_array();
			proc = json_pack("{s:I, s:s, s:o}", "pid", (json_int_t)th->tgid,
					 "comm", th->comm, "threads", threads);
			json_array_append_new(procs, proc);
		}
		if (th->tid == th->tgid)
			json_object_set_new(proc, "comm", json_string(th->comm));
		for (size_t k = 0; k < s->nsleeps; k++)
			if (s->sleeps[k].key.tid == th->tid)
				json_array_append_new(sl, json_pack("{s:s, s:I, s:f}",
					"syscall", syscall_name(s->sleeps[k].key.syscall_nr),
					"count", (json_int_t)s->sleeps[k].val.count,
					"ms", (double)s->sleeps[k].val.ns / 1e6));
		view(th, info, &v);
		json_array_append_new(threads, json_pack(
			"{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}",
			"tid", (json_int_t)th->tid, "comm", th->comm,
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
			"sleeps", sl));
	}
	for (size_t i = 0; i < s->nchans; i++) {
		const struct ipct_chan *c = &s->chans[i];
		json_t *w = json_array(), *fill = json_null();
		char id[64];

		snprintf(id, sizeof(id), "%s:[%llu]", c->kind == IPCT_CHAN_PIPE ?
			 "pipe" : "socket", (unsigned long long)c->ino);
		for (size_t k = 0; k < s->nwakes; k++) {
			if (s->wakes[k].key.ino != c->ino)
				continue;
			json_array_append_new(w, json_pack("{s:I, s:I, s:I}",
				"waker", (json_int_t)s->wakes[k].key.waker_tid,
				"wakee", (json_int_t)s->wakes[k].key.wakee_tid,
				"count", (json_int_t)edge_total(&s->wakes[k])));
		}
		if (c->w.fill_samples)
			fill = json_pack("{s:s, s:f, s:f, s:f}", "unit",
				c->kind == IPCT_CHAN_PIPE ? "slots" : "bytes",
				"used_mean", (double)c->w.fill_used_sum / c->w.fill_samples,
				"capacity_mean", (double)c->w.fill_cap_sum / c->w.fill_samples,
				"bytes_mean", (double)c->w.fill_bytes_sum / c->w.fill_samples);
		bool wk = chan_counted(c, true, info), rk = chan_counted(c, false, info);

		json_array_append_new(chans, json_pack(
			"{s:s, s:s, s:I, s:o, s:o, s:I, s:o, s:I, s:o, s:o, s:o, s:I, s:o}",
			"kind", c->kind == IPCT_CHAN_PIPE ? "pipe" : "unix_stream",
			"identity", id, "ino", (json_int_t)c->ino,
			"peer_ino", c->peer_ino ? json_integer((json_int_t)c->peer_ino) :
						  json_null(),
			"writes", count_json(wk, c->w.calls),
			"blocked_writes", (json_int_t)c->w.blocked_calls,
			"reads", count_json(rk, c->r.calls),
			"blocked_reads", (json_int_t)c->r.blocked_calls,
			"bytes_written", count_json(wk, c->w.bytes),
			"bytes_read", count_json(rk, c->r.bytes),
			"fill_at_block", fill,
			"wakeups", (json_int_t)c->wakeups,
			"wakeups_by_pair", w));
	}
	for (int d = 0; d < IPCT_DROP_COUNT; d++)
		if (s->drops[d])
			json_object_set_new(lost, drop_name(d),
					    json_integer((json_int_t)s->drops[d]));
	json_object_set_new(doc, "format", json_string("ipctrace-trace"));
	json_object_set_new(doc, "format_version", json_integer(TRACE_FORMAT_VERSION));
	json_object_set_new(doc, "targets", json_string(info->targets));
	json_object_set_new(doc, "attach", attach_report_json(&info->attach));
	json_object_set_new(doc, "calls_source", json_string(info->calls_source));
	json_object_set_new(doc, "seconds", json_real(s->seconds));
	json_object_set_new(doc, "processes", procs);
	json_object_set_new(doc, "channels", chans);
	json_object_set_new(doc, "open_channels", open_chans_json(s));
	json_object_set_new(doc, "lost_events", lost);
	json_object_set_new(doc, "observer", observer_json(&info->observer));
	json_object_set_new(doc, "stack_drops", json_integer(
		(json_int_t)(s->drops[IPCT_DROP_STACK] + s->drops[IPCT_DROP_STACK_TIME_MAP_FULL])));
	return doc;
}

/* ---- folded stacks ---- */

int trace_write_folded(FILE *out, const struct trace_snapshot *s)
{
	for (size_t i = 0; i < s->nstacks; i++) {
		const struct folded_stack *f = &s->stacks[i];

		if (!f->us)
			continue;
		fprintf(out, "%s;%s %llu\n", comm_of_tid(s, f->tid), f->frames,
			(unsigned long long)f->us);
	}
	return ferror(out) ? -1 : 0;
}
