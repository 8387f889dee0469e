/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testlib.h - helpers the integration tests share: workload threads the
 * test controls, a futex "park" that holds a thread still without touching
 * any channel, the kernel's own counters to reconcile against, and a way to
 * know a thread is really off its CPU (not just about to sleep).
 */
#ifndef IPCTRACE_TESTLIB_H
#define IPCTRACE_TESTLIB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "attach_modes.h"
#include "procfs.h"
#include "tracer.h"

pid_t test_gettid(void);

/*
 * Poll until cond holds, sleeping 100 us between looks (a spinning test
 * steals the CPU from the thread it waits for, in a 2-vCPU emulated VM
 * badly). Fails the test, naming what, after 60 s: a hang guard, not a
 * threshold on anything measured.
 */
#define WAIT_UNTIL(cond, what)						\
	do {								\
		long __polls = 0;					\
		while (!(cond)) {					\
			struct timespec __t = { .tv_nsec = 100000 };	\
			ck_assert_msg(++__polls < 600000,		\
				      "waited 60 s for %s", what);	\
			nanosleep(&__t, NULL);				\
		}							\
	} while (0)

/* a futex word: park_wait sleeps (FUTEX_WAIT) until park_release */
struct park {
	int released;
};
void park_wait(struct park *p);
void park_release(struct park *p);

/*
 * Wait until thread tid of this process sleeps in system call nr: see
 * proc_wait_blocked_in(). -1 after 10 s (a hung test, not a threshold).
 */
int wait_blocked_in(pid_t tid, long nr);
/* the same, but 1 as soon as *done is set (the worker finished instead) */
int wait_blocked_or_done(pid_t tid, long nr, const int *done);

/* The kernel's own counters of a thread of this process (user/procfs.h). */
int read_kcounters(pid_t tid, struct kcounters *k);

/*
 * An attach variant under test; each is a named test case of its own
 * (test_counters: "fentry", "kprobe", "tracepoint-raw_tp", ...), so the
 * mode is in every test's name.
 */
struct test_mode {
	struct tracer_opts opts;
	const char *name;
};
extern const struct test_mode test_modes[];	/* NULL-name terminated */
const struct test_mode *test_mode_named(const char *name);

/* probe_kernel() into test_probe, once, before the suite is built */
void test_probe_kernel(void);
/* probe says this mode works here */
bool test_mode_available(const struct test_mode *m);

/* the tracer the tests of one test case share (started by its fixture) */
extern struct tracer *test_tracer;
extern struct test_mode test_mode;
extern struct probe_report test_probe;
/* 0, or tracer_start's error in err */
int test_tracer_start_mode(const struct test_mode *m, char *err, size_t len);
void test_tracer_stop(void);

/* does this mode count every call (fexit/kretprobe/sys_exit)? */
bool test_counts_calls(void);

#endif
