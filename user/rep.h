/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rep.h - one repetition of one cell of `ipctrace run`: start the workers,
 * release them together, collect what they say they did, what the kernel
 * counted (/proc, getrusage) and what the BPF programs counted, and check
 * the three against each other.
 */
#ifndef IPCTRACE_REP_H
#define IPCTRACE_REP_H

#include <signal.h>
#include <stdbool.h>
#include "tracer.h"
#include "workload.h"

/* BPF counters summed over the threads of one role */
struct role_totals {
	struct ipct_op_stats op[IPCT_OP_COUNT];
	uint64_t vol, invol;
	uint64_t idle_sleeps;
	uint64_t epoll_sleeps;		/* sleeps in epoll_wait/epoll_pwait(2) */
	uint64_t io_syscw, io_syscr;
	uint64_t wakeup_lat_samples;
	unsigned int threads_seen;
};

struct recon_check {
	char what[72];		/* "writer voluntary switches" */
	char against[40];	/* "/proc status", "getrusage", "workload" */
	long long bpf, other;
	bool ok;
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
};

/*
 * Run one repetition. t may be NULL (an untraced run, for `make bench`).
 * stop is polled: when it becomes nonzero the workers are killed and the
 * result is marked interrupted.
 */
void rep_run(struct tracer *t, const struct rep_plan *plan,
	     volatile sig_atomic_t *stop, struct rep_result *r);

#endif
