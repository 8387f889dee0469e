// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "mode_cases.h"

/*
 * Check runs a test case's unchecked fixture without arguments: one
 * fixture per slot starts the tracer in that slot's mode.
 */
#define MAX_CASES 8
static const struct test_mode *case_mode[MAX_CASES];

static void start_case(int i)
{
	char err[512];

	if (test_tracer_start_mode(case_mode[i], err, sizeof(err))) {
		/* a fixture cannot fail a test; every test then fails on NULL */
		fprintf(stderr, "# tracer_start(%s): %s\n", case_mode[i]->name, err);
		test_tracer = NULL;
	}
}

#define CASE_FIXTURE(i) static void start_case_##i(void) { start_case(i); }
CASE_FIXTURE(0) CASE_FIXTURE(1) CASE_FIXTURE(2) CASE_FIXTURE(3)
CASE_FIXTURE(4) CASE_FIXTURE(5) CASE_FIXTURE(6) CASE_FIXTURE(7)
static void (*const case_fixture[MAX_CASES])(void) = {
	start_case_0, start_case_1, start_case_2, start_case_3,
	start_case_4, start_case_5, start_case_6, start_case_7,
};

int add_mode_cases(Suite *s, int argc, char **argv, const char *prog,
		   void (*add)(TCase *tc),
		   void (*add_unavailable)(TCase *tc, const struct test_mode *m))
{
	int ncases = 0;

	test_probe_kernel();
	for (int i = 1; i < argc; i++)
		if (!test_mode_named(argv[i])) {
			fprintf(stderr, "%s: unknown mode '%s'\n", prog, argv[i]);
			return -1;
		}
	for (const struct test_mode *m = test_modes; m->name; m++) {
		bool wanted = argc < 2;
		TCase *tc;

		for (int i = 1; i < argc; i++)
			wanted |= !strcmp(argv[i], m->name);
		if (!wanted)
			continue;
		if (!test_mode_available(m) && !add_unavailable)
			continue;
		if (test_mode_available(m) && ncases == MAX_CASES)
			continue;
		tc = tcase_create(m->name);
		tcase_set_timeout(tc, 600);	/* a hang guard for slow emulated VMs */
		if (!test_mode_available(m)) {
			add_unavailable(tc, m);
		} else {
			case_mode[ncases] = m;
			tcase_add_unchecked_fixture(tc, case_fixture[ncases],
						    test_tracer_stop);
			ncases++;
			add(tc);
		}
		suite_add_tcase(s, tc);
	}
	return 0;
}

/* runs of our programs the kernel skipped before this test began */
static __u64 skips_before;

static __u64 skips_now(void)
{
	__u64 drops[IPCT_DROP_COUNT];

	tracer_read_drops(test_tracer, drops);
	return drops[IPCT_DROP_PROG_SKIPPED];
}

void test_watch_self(void)
{
	ck_assert_msg(test_tracer != NULL, "tracer failed to start in %s mode",
		      test_mode.name ? test_mode.name : "?");
	ck_assert_int_eq(tracer_watch(test_tracer, getpid(), false), 0);
	skips_before = skips_now();
}

__u64 test_skipped_runs(void)
{
	ck_assert_ptr_nonnull(test_tracer);
	return skips_now() - skips_before;
}

struct ipct_thread test_bpf_thread(pid_t tid)
{
	struct ipct_thread t;

	ck_assert_ptr_nonnull(test_tracer);
	ck_assert_msg(tracer_read_thread(test_tracer, tid, &t) == 0,
		      "ipctrace has no record of thread %d", tid);
	return t;
}
