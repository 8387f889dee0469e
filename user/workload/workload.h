/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload.h - the producer/consumer workloads `ipctrace run` measures.
 *
 * One repetition: ipctrace forks a leader; the leader takes the workers'
 * identity, opens the channels and starts one writer and one reader per
 * pair (processes, or threads with --threads). Every worker waits at a
 * futex barrier, works, records what it did (calls, bytes, getrusage, time)
 * in shared memory - the ground truth the BPF counts are checked against -
 * and parks on a second futex until ipctrace has read everything.
 */
#ifndef IPCTRACE_WORKLOAD_H
#define IPCTRACE_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "gate.h"
#include "transport.h"
#include "identity.h"
#include "ipctrace.h"
#include "run_config.h"

struct rep_plan {
	enum transport transport;
	enum pattern pattern;
	enum io_mode io;
	enum placement placement;
	uint64_t msg_size;
	uint64_t buffer;	/* 0: kernel default */
	unsigned int pairs;
	bool threads;
	uint64_t bytes;		/* per pair; 0: run for `seconds` instead */
	double seconds;
	int cpu_a, cpu_b;	/* same-cpu: a; cross-cpu: writers a, readers b */
	struct worker_identity id;
};

struct worker_report {
	int32_t pid, tid;
	int32_t role, pair;
	uint32_t uid;				/* who the worker really ran as */
	uint64_t write_calls, read_calls;	/* every call, EAGAIN included */
	uint64_t bytes_written, bytes_read;
	uint64_t eagain;			/* calls that found no room/data */
	uint64_t epoll_waits;			/* epoll_wait calls */
	uint64_t rounds;			/* ping-pong round trips (client) */
	struct ipct_hist rtt;			/* their durations, ns */
	struct rusage ru_start, ru_end;		/* RUSAGE_THREAD around the work */
	uint64_t t_start_ns, t_end_ns;		/* CLOCK_MONOTONIC */
	int32_t error;				/* errno of a failure */
	char error_what[96];
	int32_t done;
};

struct rep_shared {
	struct rep_plan plan;
	int32_t go_setup;	/* futex: leader may start (it is watched) */
	int32_t go;		/* futex: workers may start working */
	int32_t release;	/* futex: parked workers may exit */
	int32_t nready;		/* workers waiting at `go` */
	int32_t ndone;		/* workers parked after their work */
	int32_t nworkers;
	int32_t leader_failed;
	char leader_error[320];
	struct buffer_grant grant;
	struct worker_report w[];	/* nworkers of them */
};

/* shared memory for a plan's workers; NULL on failure */
struct rep_shared *rep_shared_create(const struct rep_plan *plan);
void rep_shared_destroy(struct rep_shared *s);

/* the leader process's body, forked by ipctrace (never returns) */
void leader_main(struct rep_shared *s, pid_t ipctrace) __attribute__((noreturn));


#endif
