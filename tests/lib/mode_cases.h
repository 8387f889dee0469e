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
/* ipctrace's record of thread tid (fails the test without one) */
struct ipct_thread test_bpf_thread(pid_t tid);

#endif
