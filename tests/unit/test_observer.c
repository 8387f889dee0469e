// SPDX-License-Identifier: GPL-2.0
/*
 * test_observer.c - the arithmetic of the observer cost
 * (model/observer_cost.c): a window is the difference of two readings,
 * program by program; repetitions add up; a share needs both the kernel's
 * timing and the workload's CPU time, else it is unknown (NAN), never 0.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "tap_suite.h"
#include "observer_cost.h"

static struct observer_cost reading(uint64_t sw_ns, uint64_t sw_runs, uint64_t wk_ns,
				    uint64_t wk_runs)
{
	struct observer_cost c = { .measured = true, .nprogs = 2 };

	snprintf(c.prog[0].name, sizeof(c.prog[0].name), "tp_btf_sched_switch");
	c.prog[0].run_ns = sw_ns;
	c.prog[0].run_cnt = sw_runs;
	snprintf(c.prog[1].name, sizeof(c.prog[1].name), "tp_btf_sched_waking");
	c.prog[1].run_ns = wk_ns;
	c.prog[1].run_cnt = wk_runs;
	return c;
}

START_TEST(a_window_is_after_minus_before_by_program)
{
	struct observer_cost before = reading(1000, 10, 500, 5);
	struct observer_cost after = reading(91000, 1010, 40500, 505), d;

	/* the other order in the later reading: matched by name */
	struct prog_cost t = after.prog[0];

	after.prog[0] = after.prog[1];
	after.prog[1] = t;
	after.workload_cpu_s = 0;
	observer_cost_delta(&after, &before, &d);
	d.workload_cpu_s = 0.5;
	ck_assert(d.measured);
	ck_assert_int_eq(d.nprogs, 2);
	ck_assert_str_eq(d.prog[1].name, "tp_btf_sched_switch");
	ck_assert_int_eq(d.prog[1].run_ns, 90000);
	ck_assert_int_eq(d.prog[1].run_cnt, 1000);
	ck_assert_int_eq(d.prog[0].run_ns, 40000);
	ck_assert_double_eq_tol(prog_cost_ns_per_run(&d.prog[1]), 90.0, 1e-9);
	ck_assert_int_eq(observer_cost_total_ns(&d), 130000);
	/* 130 us of 0.5 s */
	ck_assert_double_eq_tol(observer_cost_pct(&d), 0.026, 1e-12);
	ck_assert_double_eq_tol(prog_cost_pct(&d, &d.prog[0]), 0.008, 1e-12);
}
END_TEST

START_TEST(repetitions_add_up)
{
	struct observer_cost sum = { 0 }, a = reading(100, 1, 50, 1),
			     b = reading(300, 3, 0, 0);

	a.workload_cpu_s = 0.25;
	b.workload_cpu_s = 0.75;
	observer_cost_add(&sum, &a);
	observer_cost_add(&sum, &b);
	ck_assert(sum.measured);
	ck_assert_int_eq(sum.prog[0].run_ns, 400);
	ck_assert_int_eq(sum.prog[0].run_cnt, 4);
	ck_assert_double_eq_tol(sum.workload_cpu_s, 1.0, 1e-12);
	/* one repetition the kernel did not time makes the sum untimed */
	b.measured = false;
	observer_cost_add(&sum, &b);
	ck_assert(!sum.measured);
	ck_assert(isnan(observer_cost_pct(&sum)));
}
END_TEST

START_TEST(unknown_is_not_zero)
{
	struct observer_cost c = reading(100, 1, 0, 0);
	struct prog_cost idle = { .name = "tp_btf_sched_process_exec" };

	/* no CPU time of the workload: no share */
	ck_assert(isnan(observer_cost_pct(&c)));
	c.workload_cpu_s = 1;
	ck_assert(!isnan(observer_cost_pct(&c)));
	c.measured = false;
	ck_assert(isnan(observer_cost_pct(&c)));
	ck_assert(isnan(prog_cost_ns_per_run(&idle)));
	ck_assert_str_eq(prog_cost_short_name("raw_tp_sched_waking"), "sched_waking");
	/* 6.1's variants (bpf/reads.bpf.h) are the same hooks in every table */
	ck_assert_str_eq(prog_cost_short_name("tp_btf_v61_sched_switch"), "sched_switch");
	ck_assert_str_eq(prog_cost_short_name("fexit_pipe_write"), "fexit_pipe_write");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("observer");
	TCase *tc = tcase_create("observer");

	tcase_add_test(tc, a_window_is_after_minus_before_by_program);
	tcase_add_test(tc, repetitions_add_up);
	tcase_add_test(tc, unknown_is_not_zero);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
