// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "procfs.h"
#include "testlib.h"

struct tracer *test_tracer;
struct test_mode test_mode;
struct probe_report test_probe;

pid_t test_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

void park_wait(struct park *p)
{
	while (!__atomic_load_n(&p->released, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &p->released, FUTEX_WAIT, 0, NULL, NULL, 0);
}

void park_release(struct park *p)
{
	__atomic_store_n(&p->released, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &p->released, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

int wait_blocked_in(pid_t tid, long nr)
{
	return proc_wait_blocked_in(getpid(), tid, nr, 10.0, NULL);
}

int wait_blocked_or_done(pid_t tid, long nr, const int *done)
{
	/* short waits, re-checking the flag: a finished worker never blocks */
	for (int i = 0; i < 1000; i++) {
		if (__atomic_load_n(done, __ATOMIC_ACQUIRE))
			return 1;
		if (proc_wait_blocked_in(getpid(), tid, nr, 0.01, NULL) == 0)
			return 0;
	}
	return -1;
}

int read_kcounters(pid_t tid, struct kcounters *k)
{
	return proc_read_kcounters(getpid(), tid, k);
}

/*
 * Every attach variant the counter tests know. raw_tp variants force the
 * scheduler programs to raw_tp where tp_btf works too, so the fallback is
 * proven wherever the suite runs.
 */
const struct test_mode test_modes[] = {
	{ .name = "fentry", .opts = { .mode = MODE_FENTRY } },
	{ .name = "kprobe", .opts = { .mode = MODE_KPROBE } },
	{ .name = "fentry-raw_tp", .opts = { .mode = MODE_FENTRY, .force_raw_tp = true } },
	/* tracepoint mode with and without counting calls at sys_exit */
	{ .name = "tracepoint", .opts = { .mode = MODE_TRACEPOINT, .syscall_counts = true } },
	{ .name = "tracepoint-sched", .opts = { .mode = MODE_TRACEPOINT } },
	{ .name = "tracepoint-raw_tp", .opts = { .mode = MODE_TRACEPOINT,
						 .syscall_counts = true,
						 .force_raw_tp = true } },
	{ .name = NULL },
};

const struct test_mode *test_mode_named(const char *name)
{
	for (const struct test_mode *m = test_modes; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

void test_probe_kernel(void)
{
	if (getenv("IPCTRACE_TEST_VERBOSE"))
		log_level = LOG_DEBUG;
	log_setup_libbpf();
	kf_collect(&test_probe.kf);
	probe_kernel(&test_probe);
}

bool test_mode_available(const struct test_mode *m)
{
	return test_probe.mode[m->opts.mode].available;
}

int test_tracer_start_mode(const struct test_mode *m, char *err, size_t len)
{
	test_mode = *m;
	test_tracer = NULL;
	return tracer_start(&test_tracer, &m->opts, &test_probe, err, len);
}

void test_tracer_stop(void)
{
	tracer_stop(test_tracer);
	test_tracer = NULL;
}

bool test_counts_calls(void)
{
	return test_tracer && tracer_call_source(test_tracer) != IPCT_CALLS_NONE;
}
