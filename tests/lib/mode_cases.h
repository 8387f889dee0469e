/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode_cases.h - one Check test case per attach mode, each named after the
 * mode, its tracer started by the case's own fixture (test_counters,
 * test_waits), and ipctrace's view of the test's own threads.
 */
#ifndef IPCTRACE_TEST_MODE_CASES_H
#define IPCTRACE_TEST_MODE_CASES_H

#include <check.h>
#include "testlib.h"

/*
 * A test case for each mode named on the command line (every mode when
 * none): add() fills those whose mode probe calls available; for the
 * others add_unavailable (NULL: none) adds what checks they really fail.
 * 0, or -1 after naming an unknown mode on stderr.
 */
int add_mode_cases(Suite *s, int argc, char **argv, const char *prog,
		   void (*add)(TCase *tc),
		   void (*add_unavailable)(TCase *tc, const struct test_mode *m));

/* the tracer watches this process (fails the test without a tracer) */
void test_watch_self(void);
/*
 * Runs of our programs the kernel skipped since test_watch_self(): on a
 * preemptible kernel (PREEMPT_LAZY, PREEMPT_RT) a program can be
 * preempted, and the kernel then skips the same program on that CPU for
 * another task (recursion_misses). ipctrace reports them as lost events.
 */
__u64 test_skipped_runs(void);
/*
 * A count our programs make at events the kernel may skip (the call
 * hooks: fexit, kretprobe, sys_exit, the sock tracepoints; a lock wait
 * needs its call's entry): exact, unless the kernel skipped runs of our
 * programs during the test, which can only lower it, by one each.
 */
#define ASSERT_SKIPPABLE(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);		\
	long long s_ = (long long)test_skipped_runs();				\
	if (!s_)								\
		ck_assert_msg(g_ == w_, "%s == %lld, want %lld", #got, g_, w_);	\
	else									\
		ck_assert_msg(g_ <= w_ && w_ - g_ <= s_, "%s == %lld, want %lld" \
			      " (%lld runs skipped by the kernel)", #got, g_, w_, s_); \
} while (0)
/* ipctrace's record of thread tid (fails the test without one) */
struct ipct_thread test_bpf_thread(pid_t tid);

#endif
