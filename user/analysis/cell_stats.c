// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cell_stats.h"
#include "hist.h"
#include "trace_snapshot.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double median(const double *v, unsigned int n)
{
	double *c, m;

	if (!n)
		return NAN;
	c = malloc(n * sizeof(*c));
	if (!c)
		return NAN;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

void median_min_max(const double *v, unsigned int n, double *med, double *lo,
		    double *hi)
{
	*med = median(v, n);
	*lo = *hi = n ? v[0] : NAN;
	for (unsigned int i = 1; i < n; i++) {
		*lo = fmin(*lo, v[i]);
		*hi = fmax(*hi, v[i]);
	}
}

/* a cell's counters summed over its repetitions, before dividing by MB */
struct cell_sums {
	double write_calls, read_calls;
	double blocked_writes, blocked_reads;
	double writer_epoll, reader_epoll;
	double wake_w2r, wake_r2w;
	double vol, invol, cpu_s;
	double fill_samples, fill_used, fill_cap, fill_bytes, fill_bytes_samples;
	double writer_wait_ns, writer_wait_count;
	struct ipct_hist wake_lat, rtt;
	/* waits by cause in write [0] and read [1] calls: count, ns */
	double buf[2], buf_ns[2], lock[2], lock_ns[2], rtlock[2];
	/* per role: time at work, CPU, and time asleep by cause */
	double busy[2], cpu_user[2], cpu_sys[2];
	double role_buf_ns[2], role_lock_ns[2], role_idle_ns[2];
};

/* waits by cause: every worker's, by the operation they slept in */
static void add_waits(struct cell_sums *t, const struct rep_result *r,
		      const struct cell *cl)
{
	for (int role = 0; role < 2; role++) {
		const struct role_totals *b = &r->bpf[role];

		for (int dir = 0; dir < 2; dir++) {
			const struct ipct_op_stats *o =
				&b->op[transport_op(cl->transport, dir == 0)];

			t->buf[dir] += (double)o->waits;
			t->buf_ns[dir] += (double)o->wait_ns;
			t->lock[dir] += (double)o->other_sleeps;
			t->lock_ns[dir] += (double)o->other_sleep_ns;
			t->rtlock[dir] += (double)o->rtlock_waits;
			t->role_buf_ns[role] += (double)o->wait_ns;
			t->role_lock_ns[role] += (double)o->other_sleep_ns;
		}
		t->role_idle_ns[role] += (double)b->idle_sleep_ns;
		t->busy[role] += r->busy_s[role];
		t->cpu_user[role] += r->cpu_user_s[role];
		t->cpu_sys[role] += r->cpu_sys_s[role];
	}
}

double role_time_preempted(const struct role_time *t)
{
	return t->busy - t->cpu_user - t->cpu_sys - t->buffer_waits -
	       t->lock_waits - t->other_sleeps;
}

static double mean_us(double ns, double n)
{
	return n > 0 ? ns / n / 1e3 : NAN;
}

/* the sums, per MB and per message; NAN where unmeasured */
static void summarize_waits(struct cell_summary *s, const struct cell_sums *t,
			    const struct cell *cl, unsigned int nroles)
{
	double mb = s->total_mb > 0 ? s->total_mb : NAN;
	double hooked = s->traced && s->ops_traced ? mb : NAN;
	double msgs = s->total_mb * 1e6 / (double)cl->msg_size;
	double per_msg_us = msgs > 0 ? 1e6 / msgs : NAN;
	double traced_us = s->traced && s->ops_traced ? per_msg_us : NAN;

	s->write_buffer_waits = t->buf[0] / hooked;
	s->write_lock_waits = t->lock[0] / hooked;
	s->write_rtlock_waits = t->rtlock[0] / hooked;
	s->read_buffer_waits = t->buf[1] / hooked;
	s->read_lock_waits = t->lock[1] / hooked;
	s->read_rtlock_waits = t->rtlock[1] / hooked;
	s->write_buffer_wait_us = s->traced ? mean_us(t->buf_ns[0], t->buf[0]) : NAN;
	s->write_lock_wait_us = s->traced ? mean_us(t->lock_ns[0], t->lock[0]) : NAN;
	s->read_buffer_wait_us = s->traced ? mean_us(t->buf_ns[1], t->buf[1]) : NAN;
	s->read_lock_wait_us = s->traced ? mean_us(t->lock_ns[1], t->lock[1]) : NAN;
	s->messages = msgs / mb;
	s->cpu_us_per_msg = s->cpu_ms * 1e3 / s->messages;
	for (unsigned int role = 0; role < 2; role++) {
		struct role_time *rt = &s->time[role];
		bool has = role < nroles;

		rt->busy = has ? t->busy[role] * per_msg_us : NAN;
		rt->cpu_user = has ? t->cpu_user[role] * per_msg_us : NAN;
		rt->cpu_sys = has ? t->cpu_sys[role] * per_msg_us : NAN;
		/* seconds x (1e6 / messages): us per message */
		rt->buffer_waits = has ? t->role_buf_ns[role] / 1e9 * traced_us : NAN;
		rt->lock_waits = has ? t->role_lock_ns[role] / 1e9 * traced_us : NAN;
		rt->other_sleeps = has && s->traced ?
				   t->role_idle_ns[role] / 1e9 * per_msg_us : NAN;
	}
}

/* one role of one repetition into the sums: stream writers write and
 * stream readers read; in ping-pong both roles do both */
static void add_role(struct cell_sums *t, const struct rep_result *r, int role,
		     const struct cell *cl)
{
	const struct role_totals *b = &r->bpf[role];
	bool stream = cl->pattern == PAT_STREAM, writer = role == ROLE_WRITER;
	const struct ipct_op_stats *w = &b->op[transport_op(cl->transport, true)];
	const struct ipct_op_stats *rd = &b->op[transport_op(cl->transport, false)];

	t->write_calls += r->traced ? (double)b->io_syscw : (double)r->wl_write_calls[role];
	t->read_calls += r->traced ? (double)b->io_syscr : (double)r->wl_read_calls[role];
	t->vol += (double)b->vol;
	t->invol += (double)b->invol;
	if (!stream || writer) {
		t->blocked_writes += (double)w->blocked_calls;
		t->writer_wait_ns += (double)w->wait_ns;
		t->writer_wait_count += (double)w->waits;
		t->fill_samples += (double)w->fill_samples;
		t->fill_used += (double)w->fill_used_sum;
		t->fill_cap += (double)w->fill_cap_sum;
		t->fill_bytes += (double)w->fill_bytes_sum;
		t->fill_bytes_samples += (double)w->fill_bytes_samples;
	}
	if (!stream || !writer)
		t->blocked_reads += (double)rd->blocked_calls;
	if (stream && writer)
		t->writer_epoll += (double)b->epoll_sleeps;
	else
		t->reader_epoll += (double)b->epoll_sleeps;
}

/* the first failed check of a repetition, and how many failed */
static void add_checks(struct cell_summary *s, const struct rep_result *r,
		       unsigned int rep)
{
	for (int k = 0; k < r->nchecks; k++) {
		const struct recon_check *ck = &r->checks[k];

		s->recon_bounded += ck->bounded;
		if (ck->ok)
			continue;
		if (s->recon_ok)
			snprintf(s->recon_first, sizeof(s->recon_first),
				 "rep %u: %s: BPF %lld, %s %lld", rep + 1, ck->what,
				 ck->bpf, ck->against, ck->other);
		s->recon_ok = false;
		s->recon_failed++;
	}
}

static double pctl_us(const struct ipct_hist *h, double p)
{
	return hist_count(h) ? hist_percentile(h, p) / 1e3 : NAN;
}

void cell_summarize(const struct cell_result *cr, struct cell_summary *s)
{
	const struct cell *cl = &cr->cell;
	struct cell_sums t = { 0 };
	double mbs[1024], traced_mbs[1024], cpu_untraced = 0, mb_untraced = 0;
	double sw_traced = 0, sw_untraced = 0;
	unsigned int nreps = cr->nreps < 1024 ? cr->nreps : 1024;
	double mb;

	memset(s, 0, sizeof(*s));
	s->nreps = cr->nreps;
	s->ops_traced = transport_ops_traced(cl->transport);
	s->recon_ok = true;
	s->untraced = nreps > 0;
	for (unsigned int i = 0; i < nreps; i++)
		s->untraced &= cr->reps[i].untraced_ok;
	for (unsigned int i = 0; i < nreps; i++) {
		const struct rep_result *r = &cr->reps[i];

		traced_mbs[i] = r->mb_s;
		mbs[i] = s->untraced ? r->untraced_mb_s : r->mb_s;
		s->total_mb += (double)r->bytes / 1e6;
		s->seconds += r->seconds;
		s->traced = r->traced;
		t.cpu_s += r->cpu_s;
		cpu_untraced += r->untraced_cpu_s;
		mb_untraced += (double)r->bytes / 1e6;
		sw_traced += (double)rep_switches(r);
		sw_untraced += (double)r->untraced_switches;
		if (r->traced)
			observer_cost_add(&s->observer, &r->observer);
		for (int role = 0; role < 2; role++)
			add_role(&t, r, role, cl);
		add_waits(&t, r, cl);
		t.wake_w2r += (double)r->wake_w2r;
		t.wake_r2w += (double)r->wake_r2w;
		hist_merge(&t.wake_lat, &r->wake_lat);
		hist_merge(&t.rtt, &r->rtt);
		s->lost_events += drops_lost(r->drops);
		s->skipped_runs += r->drops[IPCT_DROP_PROG_SKIPPED];
		add_checks(s, r, i);
	}
	median_min_max(mbs, nreps, &s->mb_s_med, &s->mb_s_min, &s->mb_s_max);
	s->traced_mb_s_med = s->traced_mb_s_min = s->traced_mb_s_max = NAN;
	s->switch_ratio = s->untraced && s->traced && sw_untraced > 0 ?
			  sw_traced / sw_untraced : NAN;
	if (s->untraced)
		median_min_max(traced_mbs, nreps, &s->traced_mb_s_med,
			       &s->traced_mb_s_min, &s->traced_mb_s_max);
	mb = s->total_mb > 0 ? s->total_mb : NAN;
	s->write_calls = t.write_calls / mb;
	s->read_calls = t.read_calls / mb;
	/* the CPU a transport needs: untraced, or our programs are in it */
	s->cpu_ms = s->untraced ? cpu_untraced * 1e3 / (mb_untraced > 0 ? mb_untraced : NAN) :
				  t.cpu_s * 1e3 / mb;
	/* untraced, or a transport whose calls are not hooked: unmeasured */
	{
		double traced = s->traced ? mb : NAN;
		double hooked = s->traced && s->ops_traced ? mb : NAN;

		s->vol_switches = t.vol / traced;
		s->invol_switches = t.invol / traced;
		s->wake_w2r = t.wake_w2r / traced;
		s->wake_r2w = t.wake_r2w / traced;
		s->writer_epoll_waits = t.writer_epoll / traced;
		s->reader_epoll_waits = t.reader_epoll / traced;
		s->blocked_writes = t.blocked_writes / hooked;
		s->blocked_reads = t.blocked_reads / hooked;
		s->writer_waits = (t.blocked_writes + t.writer_epoll) / hooked;
		s->reader_waits = (t.blocked_reads + t.reader_epoll) / hooked;
	}
	/* a thread's first fill reads its bytes: both or neither are there */
	s->have_fill = t.fill_samples > 0 && t.fill_bytes_samples > 0;
	s->fill_in_slots = cl->transport == TR_PIPE;
	if (s->have_fill) {
		s->fill_used_mean = t.fill_used / t.fill_samples;
		s->fill_cap_mean = t.fill_cap / t.fill_samples;
		/* bytes are read at fewer waits (IPCT_FILL_BYTES_GAP_NS) */
		s->fill_bytes_mean = t.fill_bytes / t.fill_bytes_samples;
	}
	s->wait_us_mean = t.writer_wait_count > 0 ?
			  t.writer_wait_ns / t.writer_wait_count / 1e3 : NAN;
	/* the loop wakes no one: its only wakeups are the start barrier's */
	s->wake_p50_us = s->total_mb > 0 && cl->pattern != PAT_LOOP ?
			 pctl_us(&t.wake_lat, 50) : NAN;
	s->wake_p99_us = s->total_mb > 0 && cl->pattern != PAT_LOOP ?
			 pctl_us(&t.wake_lat, 99) : NAN;
	s->rtt_p50_us = s->total_mb > 0 ? pctl_us(&t.rtt, 50) : NAN;
	s->rtt_p99_us = s->total_mb > 0 ? pctl_us(&t.rtt, 99) : NAN;
	summarize_waits(s, &t, cl, pattern_workers_per_pair(cl->pattern));
}
