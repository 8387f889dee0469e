// SPDX-License-Identifier: GPL-2.0
/*
 * test_loop.c - `ipctrace run --pattern loop`: one thread writes a message
 * and reads it back on the same channel. Every count reconciles exactly
 * against the workload, /proc and getrusage, also for a message larger
 * than the channel; the default matrix adds the loop at its smallest
 * message and first buffer only.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "run_doc.h"
#include "runcmd.h"
#include "tap_suite.h"

/* the loop's messages, read back: n iterations of one write and one read */
static void assert_loop_calls(json_t *c, long long iterations, long long writes)
{
	json_t *rep;
	size_t k;

	assert_reconciled(c);
	json_array_foreach(json_object_get(c, "reps"), k, rep) {
		json_t *roles = json_object_get(rep, "roles");
		json_t *w = json_array_get(roles, 0), *r = json_array_get(roles, 1);

		ck_assert_int_eq(json_integer_value(json_object_get(w, "threads")), 1);
		ck_assert_int_eq(json_integer_value(json_object_get(r, "threads")), 0);
		if (writes)
			ck_assert_int_eq(writer_calls(rep), writes);
		ck_assert_int_eq(json_integer_value(json_object_get(w, "read_calls")),
				 json_integer_value(json_object_get(w, "write_calls")));
		ck_assert_int_eq(json_integer_value(json_object_get(rep, "bytes")),
				 iterations * json_integer_value(json_object_get(c, "msg_size")));
		/* one thread, never waiting for the channel */
		ck_assert_int_eq(json_integer_value(json_object_get(w, "bpf_buffer_waits")), 0);
	}
}

/*
 * --pattern loop reconciles exactly, also with a message four times the
 * pipe: the loop writes what fits and reads it back (64K a call), and
 * never waits for a reader that is itself.
 */
START_TEST(loop_reconciles_and_never_waits)
{
	json_t *doc = run_json("run -t pipe,socketpair -m 1000,256K -b default -r 2"
			       " --warmup 0 --bytes 2000000 --pattern loop --no-untraced --no-profile"
			       " --json", NULL);
	json_t *t;

	/* 2000000 B in 1000 B: 2000 iterations; in 256K, rounded up to whole
	 * messages: 8, each 4 writes into a 64K pipe */
	assert_loop_calls(cell(doc, "pipe", 1000, 0), 2000, 2000);
	assert_loop_calls(cell(doc, "socketpair", 1000, 0), 2000, 2000);
	assert_loop_calls(cell(doc, "pipe", 262144, 0), 8, 32);
	assert_loop_calls(cell(doc, "socketpair", 262144, 0), 8, 0);
	t = json_object_get(cell(doc, "pipe", 1000, 0), "time_us_per_message");
	ck_assert_str_eq(json_string_value(json_object_get(t, "unit")), "iteration");
	ck_assert(json_is_number(json_object_get(t, "cpu_all_workers")));
	ck_assert(json_is_null(json_object_get(json_object_get(t, "reader"), "busy")));
	json_decref(doc);
}
END_TEST

/* without --pattern the matrix adds the loop at its smallest message only */
START_TEST(default_patterns_add_a_small_loop)
{
	json_t *doc = run_json("run -t pipe,socketpair -m 64K,4K -b 16K,default -r 1"
			       " --warmup 0 --bytes 1M --no-untraced --no-profile --json", NULL);
	json_t *c;
	size_t i, loops = 0;

	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "pattern")), "loop"))
			continue;
		loops++;
		ck_assert_int_eq(json_integer_value(json_object_get(c, "msg_size")), 4096);
		ck_assert_int_eq(json_integer_value(json_object_get(c, "buffer_requested")),
				 16384);
		/* one thread: 7 checks a repetition, all exact */
		assert_reconciled_min(c, 7);
	}
	ck_assert_int_eq(loops, 2);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 10);
	ck_assert_int_ge(json_array_size(json_object_get(doc, "headline")), 1);
	json_decref(doc);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("loop");
	/* the mode is the test case's name: "auto", "fentry", "kprobe" */
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-loop-XXXXXX";

	/* work in a scratch directory: every run leaves a results directory */
	if (enter_scratch_dir(dir)) {
		perror("setting up a scratch directory");
		return 2;
	}
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, loop_reconciles_and_never_waits);
	tcase_add_test(tc, default_patterns_add_a_small_loop);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
