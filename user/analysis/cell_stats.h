/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cell_stats.h - what a cell's repetitions add up to: throughput median
 * and spread, every counter per MB moved (MB = 10^6 bytes), the channel's
 * fill at block, latencies, and whether all of it reconciled.
 */
#ifndef IPCTRACE_CELL_STATS_H
#define IPCTRACE_CELL_STATS_H

#include <stdbool.h>
#include "observer_cost.h"
#include "run_result.h"

struct cell_summary {
	unsigned int nreps;
	/* throughput and CPU: of the untraced repetitions run next to the
	 * traced ones where there are (untraced), else of the traced ones */
	double mb_s_med, mb_s_min, mb_s_max;
	bool untraced;
	double traced_mb_s_med, traced_mb_s_min, traced_mb_s_max;	/* NAN: none */
	/* our programs' time over the traced repetitions, against their CPU */
	struct observer_cost observer;
	double total_mb;
	double seconds;			/* summed over repetitions */
	bool traced;
	bool ops_traced;		/* the transport's functions are probed */
	/* per MB moved; NAN where not measured (see the glossary in
	 * bpf/ipctrace.h for what each counts) */
	double write_calls;		/* all writes of all workers */
	double read_calls;
	double blocked_writes;		/* write calls that slept for room */
	double blocked_reads;		/* read calls that slept for data */
	double writer_epoll_waits;	/* epoll mode: the writer's epoll waits */
	double reader_epoll_waits;	/* ... and the reader's */
	double writer_waits;		/* blocked writes + writer epoll waits */
	double reader_waits;		/* blocked reads + reader epoll waits */
	double wake_w2r, wake_r2w;	/* writer woke reader / reader woke writer */
	double vol_switches, invol_switches;
	double cpu_ms;			/* workers' user+system CPU */
	/* the writer's channel at its waits */
	bool have_fill;
	bool fill_in_slots;		/* pipe: slots; sockets: bytes */
	double fill_used_mean, fill_cap_mean, fill_bytes_mean;
	double wait_us_mean;		/* writer's mean wait for room */
	double wake_p50_us, wake_p99_us;	/* NAN without samples */
	double rtt_p50_us, rtt_p99_us;		/* ping-pong only */
	/* reconciliation over all repetitions */
	bool recon_ok;
	unsigned int recon_failed;
	char recon_first[200];		/* the first mismatch, spelled out */
	uint64_t lost_events;
};

void cell_summarize(const struct cell_result *cr, struct cell_summary *s);

/* median of v[0..n); sorts a copy */
double median(const double *v, unsigned int n);
/* median, min and max of v[0..n); all NAN when n is 0 */
void median_min_max(const double *v, unsigned int n, double *med, double *lo,
		    double *hi);

#endif
