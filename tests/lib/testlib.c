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

int test_mode_from_env(struct test_mode *m, char *err, size_t len)
{
	const char *mode = getenv("IPCTRACE_TEST_MODE");
	const char *sched = getenv("IPCTRACE_TEST_SCHED");

	memset(m, 0, sizeof(*m));
	if (!mode)
		mode = "tracepoint";
	m->name = mode;
	if (!strcmp(mode, "fentry")) {
		m->opts.mode = MODE_FENTRY;
	} else if (!strcmp(mode, "kprobe")) {
		m->opts.mode = MODE_KPROBE;
	} else if (!strcmp(mode, "tracepoint")) {
		m->opts.mode = MODE_TRACEPOINT;
		m->opts.syscall_counts = true;
	} else if (!strcmp(mode, "tracepoint-sched")) {
		m->opts.mode = MODE_TRACEPOINT;
	} else {
		snprintf(err, len, "unknown IPCTRACE_TEST_MODE '%s'", mode);
		return -1;
	}
	m->opts.force_raw_tp = sched && !strcmp(sched, "raw_tp");
	return 0;
}

void test_tracer_start(void)
{
	char err[512];
	int ret;

	if (test_mode_from_env(&test_mode, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	if (getenv("IPCTRACE_TEST_VERBOSE"))
		log_level = LOG_DEBUG;
	log_setup_libbpf();
	kf_collect(&test_probe.kf);
	probe_kernel(&test_probe);
	ret = tracer_start(&test_tracer, &test_mode.opts, &test_probe, err,
			   sizeof(err));
	if (ret) {
		/* the fixture cannot fail a test; every test then fails on NULL */
		fprintf(stderr, "# tracer_start(%s): %s\n", test_mode.name, err);
		test_tracer = NULL;
	}
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
