// SPDX-License-Identifier: GPL-2.0
/*
 * test_cell_stats.c - a cell's repetitions summed into waits by cause and
 * the time per message, on synthetic counts with known answers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cell_stats.h"
#include "tap_suite.h"
#include "time_split.h"

/* one repetition of a 64K pipe stream: 1000 messages, 65.536 MB */
static void rep(struct rep_result *r)
{
	struct ipct_op_stats *w = &r->bpf[ROLE_WRITER].op[IPCT_PIPE_WRITE];
	struct ipct_op_stats *rd = &r->bpf[ROLE_READER].op[IPCT_PIPE_READ];

	memset(r, 0, sizeof(*r));
	r->ok = r->traced = true;
	r->bytes = 1000 * 65536ULL;
	r->seconds = 0.02;
	r->mb_s = (double)r->bytes / 1e6 / r->seconds;
	r->threads[0] = r->threads[1] = 1;
	/* the writer: 10 ms at work, 4 ms on a CPU, 5 ms waiting for room
	 * in 500 buffer waits, 0.5 ms on the mutex in 10 lock waits, 2 of
	 * them spinlocks */
	r->busy_s[0] = 0.010;
	r->cpu_user_s[0] = 0.001;
	r->cpu_sys_s[0] = 0.003;
	w->waits = 500;
	w->wait_ns = 5000000;
	w->other_sleeps = 10;
	w->other_sleep_ns = 500000;
	w->rtlock_waits = 2;
	/* the reader: 10 ms, 6 ms on a CPU, 3 ms in 300 waits for data */
	r->busy_s[1] = 0.010;
	r->cpu_sys_s[1] = 0.006;
	rd->waits = 300;
	rd->wait_ns = 3000000;
	r->cpu_s = 0.010;
	r->wl_write_calls[0] = 1000;
	r->wl_read_calls[1] = 1000;
}

START_TEST(waits_by_cause_and_time_per_message)
{
	struct rep_result reps[2];
	struct cell_result cr = {
		.cell = { .transport = TR_PIPE, .msg_size = 65536, .pattern = PAT_STREAM },
		.nreps = 2, .reps = reps,
	};
	struct cell_summary s;
	struct terms t;
	double mb = 2 * 65.536;

	rep(&reps[0]);
	rep(&reps[1]);
	cell_summarize(&cr, &s);
	ck_assert_double_eq_tol(s.total_mb, mb, 1e-9);
	ck_assert_double_eq_tol(s.write_buffer_waits, 1000 / mb, 1e-9);
	ck_assert_double_eq_tol(s.write_lock_waits, 20 / mb, 1e-9);
	ck_assert_double_eq_tol(s.write_rtlock_waits, 4 / mb, 1e-9);
	ck_assert_double_eq_tol(s.read_buffer_waits, 600 / mb, 1e-9);
	ck_assert_double_eq_tol(s.read_lock_waits, 0, 1e-12);
	ck_assert_double_eq_tol(s.write_buffer_wait_us, 10, 1e-9);
	ck_assert_double_eq_tol(s.write_lock_wait_us, 50, 1e-9);
	ck_assert(isnan(s.read_lock_wait_us));
	/* 2000 messages: the writer's 20 ms are 10 us each */
	ck_assert_double_eq_tol(s.messages, 2000 / mb, 1e-9);
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].busy, 10, 1e-9);
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].cpu_user, 1, 1e-9);
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].cpu_sys, 3, 1e-9);
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].buffer_waits, 5, 1e-9);
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].lock_waits, 0.5, 1e-9);
	ck_assert_double_eq_tol(role_time_preempted(&s.time[ROLE_WRITER]), 0.5, 1e-9);
	ck_assert_double_eq_tol(s.cpu_us_per_msg, 10, 1e-9);
	/* the reader sleeps less (3 us against 5.5): it sets the pace */
	ck_assert_int_eq(cell_busier_role(&s), ROLE_READER);
	cell_time_terms(&s, ROLE_WRITER, &t);
	ck_assert_double_eq_tol(terms_sum(&t, -1), 10, 1e-9);
	ck_assert_double_eq_tol(terms_sum(&t, TERM_LOCK_WAIT), 0.5, 1e-9);
	cell_cpu_terms(&s, &t);
	ck_assert_int_eq(t.n, 4);
	ck_assert_double_eq_tol(terms_sum(&t, TERM_CPU), 10, 1e-9);
}
END_TEST

/* the loop: one thread, no reader; an untraced cell: no waits at all */
START_TEST(loop_and_untraced_cells)
{
	struct rep_result r;
	struct cell_result cr = {
		.cell = { .transport = TR_SOCKETPAIR, .msg_size = 65536, .pattern = PAT_LOOP },
		.nreps = 1, .reps = &r,
	};
	struct cell_summary s;
	struct terms t;

	rep(&r);
	r.threads[1] = 0;
	cell_summarize(&cr, &s);
	ck_assert(isnan(s.time[ROLE_READER].busy));
	ck_assert_int_eq(cell_busier_role(&s), ROLE_WRITER);
	ck_assert(isnan(s.wake_p50_us));	/* the loop wakes no one */
	cell_time_terms(&s, ROLE_READER, &t);
	ck_assert_int_eq(t.n, 0);
	r.traced = false;
	cell_summarize(&cr, &s);
	ck_assert(isnan(s.write_buffer_waits));
	ck_assert(isnan(s.time[ROLE_WRITER].buffer_waits));
	ck_assert_double_eq_tol(s.time[ROLE_WRITER].cpu_sys, 3, 1e-9);
}
END_TEST

/*
 * The traced repetitions' switches against the untraced ones' (both /proc
 * status counts): summed over repetitions, a ratio; without untraced
 * repetitions, unknown rather than 0 or 1.
 */
START_TEST(switches_traced_against_untraced)
{
	struct rep_result reps[2];
	struct cell_result cr = {
		.cell = { .transport = TR_PIPE, .msg_size = 1000, .pattern = PAT_STREAM },
		.nreps = 2, .reps = reps,
	};
	struct cell_summary s;

	for (int i = 0; i < 2; i++) {
		rep(&reps[i]);
		reps[i].untraced_ok = true;
		reps[i].untraced_mb_s = 1000;
	}
	/* 100 + 50 + 30 + 20 = 200 and 300 traced, 100 and 150 untraced */
	reps[0].k_vol[0] = 100, reps[0].k_invol[0] = 50;
	reps[0].k_vol[1] = 30, reps[0].k_invol[1] = 20;
	reps[1].k_vol[0] = 300;
	reps[0].untraced_switches = 100;
	reps[1].untraced_switches = 150;
	cell_summarize(&cr, &s);
	ck_assert_double_eq_tol(s.switch_ratio, 500.0 / 250.0, 1e-12);
	reps[1].untraced_ok = false;	/* one twin failed: no untraced cell */
	cell_summarize(&cr, &s);
	ck_assert(isnan(s.switch_ratio));
	reps[1].untraced_ok = true;
	reps[0].untraced_switches = reps[1].untraced_switches = 0;
	cell_summarize(&cr, &s);
	ck_assert(isnan(s.switch_ratio));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cell_stats");
	TCase *tc = tcase_create("cell_stats");

	tcase_add_test(tc, waits_by_cause_and_time_per_message);
	tcase_add_test(tc, loop_and_untraced_cells);
	tcase_add_test(tc, switches_traced_against_untraced);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
