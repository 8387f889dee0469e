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
	char path[64], buf[256];
	struct timespec pause = { .tv_nsec = 1000 * 1000 };

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	for (int i = 0; i < 10000; i++) {
		FILE *f = fopen(path, "re");
		long got;

		if (!f)
			return -1;
		if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%ld", &got) == 1 &&
		    got == nr) {
			fclose(f);
			return 0;
		}
		fclose(f);
		nanosleep(&pause, NULL);
	}
	return -1;
}

static long long field_after(const char *path, const char *key)
{
	FILE *f = fopen(path, "re");
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0) {
			v = strtoll(line + klen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int read_kcounters(pid_t tid, struct kcounters *k)
{
	char status[64], io[64];

	snprintf(status, sizeof(status), "/proc/self/task/%d/status", tid);
	snprintf(io, sizeof(io), "/proc/self/task/%d/io", tid);
	k->vol = field_after(status, "voluntary_ctxt_switches:");
	k->invol = field_after(status, "nonvoluntary_ctxt_switches:");
	k->syscr = field_after(io, "syscr:");
	k->syscw = field_after(io, "syscw:");
	k->rchar = field_after(io, "rchar:");
	k->wchar = field_after(io, "wchar:");
	return k->vol < 0 || k->syscw < 0 ? -1 : 0;
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
