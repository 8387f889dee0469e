/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run_result.h - what `ipctrace run` measured, as plain data: per
 * repetition the workload's own account, the kernel's counters and the BPF
 * counts with their reconciliation; per cell its repetitions; the whole
 * matrix. workload/ fills these in, analysis/ and output/ read them.
 */
#ifndef IPCTRACE_RUN_RESULT_H
#define IPCTRACE_RUN_RESULT_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu_profile.h"
#include "ipctrace.h"
#include "observer_cost.h"
#include "run_config.h"

/* who a worker is; ping-pong: the client writes first, the server answers;
 * the loop's one thread is a writer (it reads its own messages back) */
enum role { ROLE_WRITER = 0, ROLE_READER = 1 };

/* a channel's buffer: asked for, granted, and who clamped it */
struct buffer_grant {
	uint64_t requested;	/* 0: the kernel's default */
	uint64_t granted;	/* pipe: F_GETPIPE_SZ; socket: SO_SNDBUF as
				 * getsockopt reports it (twice the request) */
	uint64_t capacity_slots; /* pipe pages a writer may fill; 0 for sockets */
	bool clamped;
	char note[200];		/* why granted != requested, naming the sysctl */
};

/* BPF counters summed over the threads of one role */
struct role_totals {
	struct ipct_op_stats op[IPCT_OP_COUNT];
	uint64_t vol, invol;
	uint64_t idle_sleeps;
	uint64_t idle_sleep_ns;		/* sleeps outside any channel call */
	uint64_t epoll_sleeps;		/* sleeps in epoll_wait/epoll_pwait(2) */
	uint64_t io_syscw, io_syscr;
	uint64_t wakeup_lat_samples;
	/* sleeps ended at a switch-in the kernel did not trace: their
	 * length is dated from CPU time (bpf/switch_account.bpf.h) */
	uint64_t untraced_switch_ins;
	unsigned int threads_seen;
};

struct recon_check {
	char what[72];		/* "writer voluntary switches" */
	char against[40];	/* "/proc status", "getrusage", "workload" */
	long long bpf, other;
	bool ok;
	/*
	 * ok only as a bound: BPF counted less than the other side by no more
	 * than the runs of our programs the kernel skipped (a preemptible
	 * kernel skips a program that is already running on that CPU)
	 */
	bool bounded;
};

#define REP_MAX_CHECKS 32

struct rep_result {
	bool ok;		/* completed; error says why not */
	bool interrupted;
	bool traced;
	char error[400];
	struct buffer_grant grant;
	double seconds;		/* release -> last byte delivered */
	uint64_t bytes;		/* delivered writer -> reader, all pairs */
	double mb_s;
	/* the workload's own account, per role */
	uint64_t wl_write_calls[2], wl_read_calls[2];
	uint64_t wl_bytes_written[2], wl_bytes_read[2];
	uint64_t wl_epoll_waits[2], wl_eagain[2];
	uint32_t uid[2];	/* what the workers of each role ran as */
	uint64_t rounds;
	struct ipct_hist rtt;
	double cpu_s;		/* user + system time of the workers at work */
	/* per role (summed over its threads): getrusage's user and system
	 * time at work, and the time from release to the worker's last call */
	double cpu_user_s[2], cpu_sys_s[2], busy_s[2];
	unsigned int threads[2];	/* workers of each role */
	/* the kernel's switch counters over the same window, per role */
	long long k_vol[2], k_invol[2];
	/* BPF */
	struct role_totals bpf[2];
	uint64_t wake_w2r, wake_r2w;	/* writer woke reader, and back */
	struct ipct_hist wake_lat;	/* all workers' wakeup-to-run */
	__u64 drops[IPCT_DROP_COUNT];
	enum ipct_call_source calls;
	struct recon_check checks[REP_MAX_CHECKS];
	int nchecks;
	bool recon_ok;
	/* the CPU profile of the workers (kernel/profiler.h): kept by role,
	 * moved into the cell by the runner; NULL when not profiled */
	struct prof_samples *prof;
	/* traced: our programs' time from release to park, against cpu_s */
	struct observer_cost observer;
	/*
	 * The same repetition run again next to this one with ipctrace
	 * detached: the throughput and CPU a verdict compares, free of the
	 * observer's cost. untraced_ok false: not run (or it failed).
	 */
	bool untraced_ok;
	double untraced_mb_s;
	double untraced_seconds;
	double untraced_cpu_s;
	/* its workers' context switches, /proc status (k_vol + k_invol) */
	long long untraced_switches;
};

/* a repetition's workers' context switches, as /proc status counts them */
static inline long long rep_switches(const struct rep_result *r)
{
	return r->k_vol[0] + r->k_vol[1] + r->k_invol[0] + r->k_invol[1];
}

/* one point of the matrix; cells of a group differ only in transport */
struct cell {
	enum transport transport;
	uint64_t msg_size;
	uint64_t buffer;	/* requested; 0: default */
	enum placement placement;
	enum pattern pattern;
	int group;		/* cells of a group differ only in transport */
};

struct cell_result {
	struct cell cell;
	struct buffer_grant grant;
	uint64_t bytes_per_rep;	/* per pair */
	unsigned int nreps;	/* repetitions completed */
	struct rep_result *reps;	/* config->repeat of them */
	bool finished;		/* all repetitions completed */
	/* the workers' on-CPU samples over every repetition, by role */
	bool profiled;
	struct prof_samples prof;
};

struct run_results {
	struct cell_result *cells;
	size_t ncells;
	size_t ngroups;
	bool interrupted;
	char error[512];	/* a repetition that failed stops the run */
	double elapsed_s;
};

#endif
