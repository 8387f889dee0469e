/* SPDX-License-Identifier: GPL-2.0 */
/*
 * worker.h - a test's worker thread: runs fn, records its rusage, then
 * parks in a futex sleep (no channel involved) until released, so that
 * ipctrace's counts of it can be read while it still exists.
 */
#ifndef IPCTRACE_TEST_WORKER_H
#define IPCTRACE_TEST_WORKER_H

#include <pthread.h>
#include <stddef.h>
#include <sys/resource.h>
#include "testlib.h"

struct worker {
	pthread_t thread;
	pid_t tid;
	void (*fn)(struct worker *w);
	int fd;
	size_t size, count;	/* bytes per call, calls */
	long calls;		/* calls the worker made */
	long long bytes;	/* bytes they moved */
	struct rusage ru;	/* RUSAGE_THREAD just before parking */
	int done;
	struct park park;
	int started;
};

void worker_start(struct worker *w);
/* wait until the worker finished its work and sleeps in its park */
void worker_wait_parked(struct worker *w);
void worker_finish(struct worker *w);

/* w->count writes of w->size bytes into w->fd */
void write_all_fn(struct worker *w);
/* read until w->count bytes arrived, w->size bytes per call */
void read_bytes_fn(struct worker *w);
/* the test thread drains fd until it has read from..total bytes */
void drain(int fd, char *buf, size_t bufsz, long from, long total);

#endif
