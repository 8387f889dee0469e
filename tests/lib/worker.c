// SPDX-License-Identifier: GPL-2.0
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "worker.h"

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	__atomic_store_n(&w->tid, test_gettid(), __ATOMIC_RELEASE);
	__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
	w->fn(w);
	getrusage(RUSAGE_THREAD, &w->ru);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	park_wait(&w->park);	/* a futex sleep: no channel involved */
	return NULL;
}

void worker_start(struct worker *w)
{
	ck_assert_int_eq(pthread_create(&w->thread, NULL, worker_main, w), 0);
	WAIT_UNTIL(__atomic_load_n(&w->started, __ATOMIC_ACQUIRE), "the worker to start");
}

void worker_wait_parked(struct worker *w)
{
	WAIT_UNTIL(__atomic_load_n(&w->done, __ATOMIC_ACQUIRE), "the worker to finish");
	ck_assert_msg(wait_blocked_in(w->tid, SYS_futex) == 0,
		      "worker %d never parked", w->tid);
}

void worker_finish(struct worker *w)
{
	park_release(&w->park);
	pthread_join(w->thread, NULL);
}

void write_all_fn(struct worker *w)
{
	char *buf = malloc(w->size);

	memset(buf, 'w', w->size);
	for (size_t i = 0; i < w->count; i++) {
		ssize_t n = write(w->fd, buf, w->size);

		w->calls++;
		if (n > 0)
			w->bytes += n;
	}
	free(buf);
}

void read_bytes_fn(struct worker *w)
{
	char *buf = malloc(w->size);

	while (w->bytes < (long long)w->count) {
		ssize_t n = read(w->fd, buf, w->size);

		w->calls++;
		if (n <= 0)
			break;
		w->bytes += n;
	}
	free(buf);
}

void drain(int fd, char *buf, size_t bufsz, long from, long total)
{
	for (long got = from; got < total;) {
		ssize_t n = read(fd, buf, bufsz);

		ck_assert_int_gt(n, 0);
		got += n;
	}
}
