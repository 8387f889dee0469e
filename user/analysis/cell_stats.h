/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cell_stats.h - what a cell's repetitions add up to: throughput median
 * and spread, every counter per MB moved (MB = 10^6 bytes), the channel's
 * fill at block, latencies, and whether all of it reconciled.
 */
#ifndef IPCTRACE_CELL_STATS_H
#define IPCTRACE_CELL_STATS_H

#include <stdbool.h>
#include "cpu_split.h"
#include "observer_cost.h"
#include "run_result.h"

/* where one role's time at work went, us per message: its threads summed,
 * divided by the cell's messages (see cell_summary.messages) */
struct role_time {
	double busy;		/* release to its last call */
	double cpu_user, cpu_sys;	/* getrusage (the split is tick-sampled) */
	double buffer_waits;	/* asleep in buffer waits */
	double lock_waits;	/* asleep in lock or fault waits */
	double other_sleeps;	/* asleep outside channel calls (epoll_wait) */
};

struct cell_summary {
	unsigned int nreps;
	/* throughput and CPU: of the untraced repetitions run next to the
	 * traced ones where there are (untraced), else of the traced ones */
	double mb_s_med, mb_s_min, mb_s_max;
	bool untraced;
	double traced_mb_s_med, traced_mb_s_min, traced_mb_s_max;	/* NAN: none */
	/*
	 * The traced repetitions' context switches against the untraced
	 * ones' (both /proc status, the same bytes): how much the observer
	 * changed the scheduling it counts. NAN: no untraced repetitions.
	 */
	double switch_ratio;
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
	/*
	 * Waits by cause, per MB (glossary: buffer wait, lock or fault wait,
	 * spinlock wait), in the write calls and in the read calls of every
	 * worker; and the mean length of one, in us (NAN without any).
	 */
	double write_buffer_waits, write_lock_waits, write_rtlock_waits;
	double read_buffer_waits, read_lock_waits, read_rtlock_waits;
	double write_buffer_wait_us, write_lock_wait_us;
	double read_buffer_wait_us, read_lock_wait_us;
	/* messages per MB: a stream's writes of msg_size, a loop's
	 * iterations, a ping-pong's rounds (pattern_unit_name()) */
	double messages;
	double cpu_us_per_msg;		/* every worker's CPU per message */
	struct role_time time[2];	/* writer (the loop's thread), reader */
	/* reconciliation over all repetitions */
	bool recon_ok;
	unsigned int recon_failed;
	unsigned int recon_bounded;	/* checks ok only as a bound (skipped runs) */
	uint64_t skipped_runs;		/* runs of our programs the kernel skipped */
	char recon_first[200];		/* the first mismatch, spelled out */
	uint64_t lost_events;
	/* CPU per write and its split by mechanism (cell_cpu_summarize) */
	struct cpu_split cpu;
};

void cell_summarize(const struct cell_result *cr, struct cell_summary *s);

/* the time a role was runnable but not running (preempted), us per
 * message: busy less CPU less sleeps; NAN when a part is unmeasured */
double role_time_preempted(const struct role_time *t);

/* median of v[0..n); sorts a copy */
double median(const double *v, unsigned int n);
/* median, min and max of v[0..n); all NAN when n is 0 */
void median_min_max(const double *v, unsigned int n, double *med, double *lo,
		    double *hi);

#endif
