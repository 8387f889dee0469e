// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cell_stats.h"
#include "hist.h"

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

void cell_summarize(const struct cell_result *cr, struct cell_summary *s)
{
	const struct cell *cl = &cr->cell;
	bool stream = cl->pattern == PAT_STREAM;
	int wop = transport_op(cl->transport, true);
	int rop = transport_op(cl->transport, false);
	double mbs[1024];
	double sum_wr = 0, sum_rd = 0, blk = 0, wepoll = 0, rsl = 0, w2r = 0,
	       r2w = 0, vol = 0, invol = 0, cpu = 0, fsamp = 0, fused = 0,
	       fcap = 0, fbytes = 0, wwait_ns = 0, wwaits = 0;
	struct ipct_hist lat = { 0 }, rtt = { 0 };

	memset(s, 0, sizeof(*s));
	s->nreps = cr->nreps;
	s->ops_traced = transport_ops_traced(cl->transport);
	s->recon_ok = true;
	for (unsigned int i = 0; i < cr->nreps && i < 1024; i++) {
		const struct rep_result *r = &cr->reps[i];

		mbs[i] = r->mb_s;
		s->total_mb += (double)r->bytes / 1e6;
		s->seconds += r->seconds;
		s->traced = r->traced;
		cpu += r->cpu_s;
		for (int role = 0; role < 2; role++) {
			const struct role_totals *b = &r->bpf[role];
			bool is_writer = role == ROLE_WRITER;

			sum_wr += r->traced ? (double)b->io_syscw : (double)r->wl_write_calls[role];
			sum_rd += r->traced ? (double)b->io_syscr : (double)r->wl_read_calls[role];
			vol += (double)b->vol;
			invol += (double)b->invol;
			/* stream: the writer writes, the reader reads; ping-pong: both */
			if (stream ? is_writer : true) {
				blk += (double)b->op[wop].blocked_calls;
				wwait_ns += (double)b->op[wop].wait_ns;
				wwaits += (double)b->op[wop].waits;
				fsamp += (double)b->op[wop].fill_samples;
				fused += (double)b->op[wop].fill_used_sum;
				fcap += (double)b->op[wop].fill_cap_sum;
				fbytes += (double)b->op[wop].fill_bytes_sum;
			}
			if (stream ? !is_writer : true)
				rsl += (double)b->op[rop].waits;
			if (stream && is_writer)
				wepoll += (double)b->epoll_sleeps;
			else
				rsl += (double)b->epoll_sleeps;
		}
		w2r += (double)r->wake_w2r;
		r2w += (double)r->wake_r2w;
		hist_merge(&lat, &r->wake_lat);
		hist_merge(&rtt, &r->rtt);
		for (int d = 0; d < IPCT_DROP_COUNT; d++)
			s->lost_events += r->drops[d];
		for (int k = 0; k < r->nchecks; k++) {
			const struct recon_check *ck = &r->checks[k];

			if (ck->ok)
				continue;
			if (s->recon_ok)
				snprintf(s->recon_first, sizeof(s->recon_first),
					 "rep %u: %s: BPF %lld, %s %lld", i + 1, ck->what,
					 ck->bpf, ck->against, ck->other);
			s->recon_ok = false;
			s->recon_failed++;
		}
	}
	median_min_max(mbs, cr->nreps < 1024 ? cr->nreps : 1024, &s->mb_s_med,
		       &s->mb_s_min, &s->mb_s_max);
	if (s->total_mb <= 0) {
		s->write_calls = s->read_calls = s->blocking_writes = NAN;
		s->writer_epoll_waits = s->reader_sleeps = s->wake_w2r = NAN;
		s->writer_waits = NAN;
		s->wake_r2w = s->vol_switches = s->invol_switches = s->cpu_ms = NAN;
		s->wake_p50_us = s->wake_p99_us = s->rtt_p50_us = s->rtt_p99_us = NAN;
		return;
	}
	s->write_calls = sum_wr / s->total_mb;
	s->read_calls = sum_rd / s->total_mb;
	s->cpu_ms = cpu * 1e3 / s->total_mb;
	if (s->traced) {
		s->vol_switches = vol / s->total_mb;
		s->invol_switches = invol / s->total_mb;
		s->wake_w2r = w2r / s->total_mb;
		s->wake_r2w = r2w / s->total_mb;
		s->writer_epoll_waits = wepoll / s->total_mb;
		s->blocking_writes = s->ops_traced ? blk / s->total_mb : NAN;
		s->writer_waits = s->ops_traced ? (blk + wepoll) / s->total_mb : NAN;
		s->reader_sleeps = s->ops_traced ? rsl / s->total_mb : NAN;
	} else {
		s->vol_switches = s->invol_switches = s->wake_w2r = NAN;
		s->wake_r2w = s->writer_epoll_waits = s->writer_waits = NAN;
		s->blocking_writes = s->reader_sleeps = NAN;
	}
	s->have_fill = fsamp > 0;
	s->fill_in_slots = cl->transport == TR_PIPE;
	if (s->have_fill) {
		s->fill_used_mean = fused / fsamp;
		s->fill_cap_mean = fcap / fsamp;
		s->fill_bytes_mean = fbytes / fsamp;
	}
	s->wait_us_mean = wwaits > 0 ? wwait_ns / wwaits / 1e3 : NAN;
	s->wake_p50_us = hist_count(&lat) ? hist_percentile(&lat, 50) / 1e3 : NAN;
	s->wake_p99_us = hist_count(&lat) ? hist_percentile(&lat, 99) / 1e3 : NAN;
	s->rtt_p50_us = hist_count(&rtt) ? hist_percentile(&rtt, 50) / 1e3 : NAN;
	s->rtt_p99_us = hist_count(&rtt) ? hist_percentile(&rtt, 99) / 1e3 : NAN;
}
