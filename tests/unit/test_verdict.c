// SPDX-License-Identifier: GPL-2.0
/* test_verdict.c - the cost model fit and the verdict logic, on synthetic
 * numbers with known answers */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cost_model.h"
#include "tap_suite.h"
#include "verdict.h"

/* cells made from known costs: 150 us/MB copy, 4 us/switch, 0.3 us/syscall */
static void synthetic(struct cost_point *p, size_t n, double noise)
{
	srand(42);
	for (size_t i = 0; i < n; i++) {
		double jitter = noise * ((double)rand() / RAND_MAX - 0.5);

		p[i].switches = (double)((i * 37) % 120);
		p[i].syscalls = (double)((i * 173) % 2000) + 4;
		p[i].s_per_mb = (150 + 4 * p[i].switches + 0.3 * p[i].syscalls) *
				1e-6 * (1 + jitter);
	}
}

START_TEST(fit_recovers_known_costs)
{
	struct cost_point p[24];
	struct cost_model m;

	synthetic(p, 24, 0);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	ck_assert(fabs(m.copy_us_per_mb - 150) < 1e-6);
	ck_assert(fabs(m.switch_us - 4) < 1e-9);
	ck_assert(fabs(m.syscall_us - 0.3) < 1e-9);
	ck_assert(m.r2 > 0.999999);
	/* 5% noise still fits well and close */
	synthetic(p, 24, 0.05);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	ck_assert(fabs(m.switch_us - 4) < 0.5);
	ck_assert(m.r2 > 0.9);
}
END_TEST

START_TEST(poor_fit_explains_nothing)
{
	struct cost_point p[24], slow, fast;
	struct cost_model m;
	char text[300];

	/* time per MB unrelated to switches or syscalls */
	for (size_t i = 0; i < 24; i++) {
		p[i].switches = (double)((i * 37) % 120);
		p[i].syscalls = (double)((i * 173) % 2000);
		p[i].s_per_mb = (i % 2 ? 900 : 100) * 1e-6;
	}
	cost_fit(p, 24, &m);
	ck_assert(!m.usable);
	ck_assert_ptr_nonnull(strstr(m.why, "poor"));
	slow = (struct cost_point){ 1e-3, 20, 100 };
	fast = (struct cost_point){ 5e-4, 2, 100 };
	ck_assert(!cost_explain(&m, "pipe", &slow, &fast, false, text, sizeof(text)));
	ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(too_few_or_collinear_cells)
{
	struct cost_point p[24];
	struct cost_model m;

	synthetic(p, 24, 0);
	cost_fit(p, 4, &m);
	ck_assert(!m.usable);
	ck_assert_ptr_nonnull(strstr(m.why, "too few"));
	/* syscalls always 10x switches: their costs cannot be separated */
	for (size_t i = 0; i < 24; i++) {
		p[i].syscalls = 10 * p[i].switches;
		p[i].s_per_mb = (100 + 5 * p[i].switches) * 1e-6;
	}
	cost_fit(p, 24, &m);
	ck_assert(!m.usable);
	ck_assert_msg(strstr(m.why, "move together"), "%s", m.why);
}
END_TEST

START_TEST(explanation_in_numbers)
{
	struct cost_point p[24];
	struct cost_model m;
	/* 64K messages: pipe 9.8 more switches per MB than socketpair */
	struct cost_point slow = { (150 + 4 * 10.0 + 0.3 * 30.6) * 1e-6, 10.0, 30.6 };
	struct cost_point fast = { (150 + 4 * 0.2 + 0.3 * 30.6) * 1e-6, 0.2, 30.6 };
	char text[300];

	synthetic(p, 24, 0);
	cost_fit(p, 24, &m);
	ck_assert(cost_explain(&m, "pipe", &slow, &fast, false, text, sizeof(text)));
	/* 9.8 switches x 4 us = 39.2 us/MB = 0.0392 s/GB, all of the gap */
	ck_assert_msg(strstr(text, "of pipe's 0.0392 s/GB disadvantage, 0.0392 s is"
			     " explained by 9.8 extra context switches per MB at"
			     " about 4 us each"), "%s", text);
	/* the faster side explains nothing */
	ck_assert(!cost_explain(&m, "socketpair", &fast, &slow, false, text, sizeof(text)));
}
END_TEST

/* slower with as many switches and syscalls: the model must not pretend */
START_TEST(explanation_when_counts_do_not_differ)
{
	struct cost_point p[24];
	struct cost_model m;
	struct cost_point slow = { 2.6e-3, 4.0, 2000 };
	struct cost_point fast = { 1.0e-3, 4.5, 2000 };
	char text[300];

	synthetic(p, 24, 0);
	cost_fit(p, 24, &m);
	ck_assert(cost_explain(&m, "socketpair", &slow, &fast, false, text, sizeof(text)));
	ck_assert_msg(strstr(text, "extra switches and syscalls explain none") &&
		      strstr(text, "work done inside each call"), "%s", text);
}
END_TEST

static struct cell_summary cell(double med, double lo, double hi)
{
	struct cell_summary s = { 0 };

	s.nreps = 5;
	s.mb_s_med = med;
	s.mb_s_min = lo;
	s.mb_s_max = hi;
	s.blocked_writes = s.writer_waits = 0.1;
	s.writer_epoll_waits = 0;
	s.vol_switches = 1;
	s.cpu_ms = 0.5;
	s.write_calls = 15.3;
	s.wake_p50_us = 20;
	return s;
}

START_TEST(verdict_blocking_mechanism)
{
	struct cell_summary pipe = cell(1000, 950, 1100), sock = cell(3000, 2800, 3300);
	struct verdict v;

	pipe.blocked_writes = pipe.writer_waits = 9.8;
	pipe.vol_switches = 20;
	pipe.have_fill = sock.have_fill = true;
	pipe.fill_in_slots = true;
	pipe.fill_cap_mean = 16;
	sock.fill_cap_mean = 212992;
	verdict_compare("pipe", &pipe, "socketpair", &sock, &v);
	ck_assert_int_eq(v.winner, 1);
	ck_assert(v.significant);
	ck_assert(fabs(v.ratio - 3.0) < 1e-9);
	ck_assert_msg(strstr(v.mechanism, "pipe writer blocked 9.80 times per MB"
			     " against 0.10 for socketpair; capacity at block 64 KiB"
			     " (16 slots) against 208 KiB"), "%s", v.mechanism);
}
END_TEST

START_TEST(verdict_overlap_is_no_difference)
{
	struct cell_summary a = cell(1000, 800, 1200), b = cell(1100, 1150, 1300);
	struct verdict v;

	verdict_compare("pipe", &a, "socketpair", &b, &v);
	ck_assert_int_eq(v.winner, -1);
	ck_assert(!v.significant);
	ck_assert_ptr_nonnull(strstr(v.headline, "no significant difference"));
	ck_assert_str_eq(v.mechanism, "");
}
END_TEST

START_TEST(verdict_cpu_per_call_mechanism)
{
	struct cell_summary pipe = cell(2000, 1900, 2100), sock = cell(700, 650, 730);
	struct verdict v;

	pipe.write_calls = sock.write_calls = 1000;
	pipe.cpu_ms = 1.0;
	sock.cpu_ms = 2.6;
	verdict_compare("pipe", &pipe, "socketpair", &sock, &v);
	ck_assert_int_eq(v.winner, 0);
	ck_assert_msg(strstr(v.mechanism, "socketpair spent 2.60 ms of CPU per MB"
			     " against 1.00 (2.60 us per write"), "%s", v.mechanism);
	ck_assert_ptr_nonnull(strstr(v.mechanism, "the cost is in each call"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, fit_recovers_known_costs);
	tcase_add_test(tc, poor_fit_explains_nothing);
	tcase_add_test(tc, too_few_or_collinear_cells);
	tcase_add_test(tc, explanation_in_numbers);
	tcase_add_test(tc, explanation_when_counts_do_not_differ);
	tcase_add_test(tc, verdict_blocking_mechanism);
	tcase_add_test(tc, verdict_overlap_is_no_difference);
	tcase_add_test(tc, verdict_cpu_per_call_mechanism);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
