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
	ck_assert_double_eq_tol(m.copy_us_per_mb, 150, 1e-6);
	ck_assert_double_eq_tol(m.switch_us, 4, 1e-9);
	ck_assert_double_eq_tol(m.syscall_us, 0.3, 1e-9);
	ck_assert_double_gt(m.r2, 0.999999);
	/* an exact fit leaves no uncertainty */
	ck_assert_double_lt(m.switch_se_us, 1e-9);
	ck_assert_double_lt(m.syscall_se_us, 1e-9);
	ck_assert(cost_is_known(m.switch_us, m.switch_se_us));
	/* 5% noise still fits well and close */
	synthetic(p, 24, 0.05);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	ck_assert_double_eq_tol(m.switch_us, 4, 0.5);
	ck_assert_double_gt(m.r2, 0.9);
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

/* the inverse of a symmetric 3x3 matrix by its adjugate */
static void inverse3(const double a[3][3], double inv[3][3])
{
	double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
		     a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
		     a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);

	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++) {
			int r1 = (c + 1) % 3, r2 = (c + 2) % 3;
			int c1 = (r + 1) % 3, c2 = (r + 2) % 3;

			inv[r][c] = (a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1]) / det;
		}
}

/*
 * The standard errors are those of the textbook: se_j = sqrt(s^2 (X'X)^-1_jj)
 * with s^2 = residual sum of squares / (n - 3), computed here apart from GSL.
 */
START_TEST(standard_errors_are_the_textbook_ones)
{
	struct cost_point p[24];
	struct cost_model m;
	double xtx[3][3] = { { 0 } }, inv[3][3], rss = 0;

	synthetic(p, 24, 0.05);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	for (size_t i = 0; i < 24; i++) {
		double row[3] = { 1, p[i].switches, p[i].syscalls };
		double fit = (m.copy_us_per_mb + m.switch_us * p[i].switches +
			      m.syscall_us * p[i].syscalls) * 1e-6;

		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				xtx[r][c] += row[r] * row[c];
		rss += (p[i].s_per_mb - fit) * (p[i].s_per_mb - fit);
	}
	inverse3(xtx, inv);
	ck_assert_double_eq_tol(m.copy_se_us, sqrt(rss / 21 * inv[0][0]) * 1e6,
				1e-6 * m.copy_se_us);
	ck_assert_double_eq_tol(m.switch_se_us, sqrt(rss / 21 * inv[1][1]) * 1e6,
				1e-6 * m.switch_se_us);
	ck_assert_double_eq_tol(m.syscall_se_us, sqrt(rss / 21 * inv[2][2]) * 1e6,
				1e-6 * m.syscall_se_us);
	ck_assert_double_gt(m.switch_se_us, 0);
}
END_TEST

/* cells whose syscall cost is small against the scatter of the fit */
static void uncertain_syscalls(struct cost_point *p, size_t n)
{
	static const double e[] = { 1, -1, -1, 1 };	/* a fixed scatter */

	for (size_t i = 0; i < n; i++) {
		p[i].switches = (double)((i * 37) % 120);
		p[i].syscalls = (double)((i * 173) % 2000) + 4;
		p[i].s_per_mb = (150 + 4 * p[i].switches + 0.005 * p[i].syscalls +
				 12 * e[i % 4]) * 1e-6;
	}
}

/* a cost within its uncertainty is reported but never claimed */
START_TEST(term_within_its_uncertainty_is_not_claimed)
{
	struct cost_point p[24];
	struct cost_model m;
	/* the pair differs in syscalls and switches */
	struct cost_point slow = { (150 + 4 * 12.0 + 0.005 * 1500) * 1e-6, 12, 1500 };
	struct cost_point fast = { (150 + 4 * 2.0 + 0.005 * 30) * 1e-6, 2, 30 };
	char text[400];

	uncertain_syscalls(p, 24);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	ck_assert_msg(m.syscall_us > 0 && !cost_is_known(m.syscall_us, m.syscall_se_us),
		      "syscall %.4f +- %.4f us", m.syscall_us, m.syscall_se_us);
	ck_assert(cost_is_known(m.switch_us, m.switch_se_us));
	ck_assert(cost_explain(&m, "pipe", &slow, &fast, false, text, sizeof(text)));
	ck_assert_msg(strstr(text, "is priced to 10 extra context switches per MB"),
		      "%s", text);
	ck_assert_msg(strstr(text, "syscalls not claimed: their cost") &&
		      strstr(text, "is within its uncertainty"), "%s", text);
}
END_TEST

/* terms that add up to more than the whole gap: inconsistent, no number */
START_TEST(more_than_the_gap_is_inconsistent)
{
	struct cost_point p[24];
	struct cost_model m;
	/* 20 extra switches at 4 us are 0.08 s/GB; the gap is 0.03 s/GB */
	struct cost_point slow = { 200e-6 + 30e-6, 22, 300 };
	struct cost_point fast = { 200e-6, 2, 300 };
	char text[400];

	synthetic(p, 24, 0.05);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	ck_assert(cost_explain(&m, "pipe", &slow, &fast, false, text, sizeof(text)));
	ck_assert_msg(strstr(text, "inconsistent for this pair: 20 extra context"
			     " switches per MB at"), "%s", text);
	ck_assert_msg(strstr(text, "more than the whole gap of 0.03 s/GB: no share"
			     " of it is claimed"), "%s", text);
	ck_assert_ptr_null(strstr(text, "priced"));
}
END_TEST

/* over the gap but within the uncertainty: all of the gap, never more */
START_TEST(over_the_gap_within_uncertainty_claims_all_of_it)
{
	struct cost_point p[24];
	struct cost_model m;
	struct cost_point slow, fast = { 200e-6, 2, 300 };
	char text[400];

	synthetic(p, 24, 0.05);
	cost_fit(p, 24, &m);
	ck_assert_msg(m.usable, "%s", m.why);
	/* 20 extra switches priced a standard error above the gap */
	slow = (struct cost_point){ 200e-6 + 20 * (m.switch_us - m.switch_se_us) * 1e-6,
				    22, 300 };
	ck_assert(cost_explain(&m, "pipe", &slow, &fast, false, text, sizeof(text)));
	ck_assert_msg(strstr(text, "all of pipe's ") && strstr(text, " s/GB disadvantage"
			     " is priced to 20 extra context switches per MB at") &&
		      strstr(text, "over the gap, within the uncertainty"), "%s", text);
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
	ck_assert_msg(strstr(text, "of pipe's 0.0392 s/GB disadvantage, 0.0392 +-"),
		      "%s", text);
	ck_assert_msg(strstr(text, " s is priced to 9.8 extra context switches per"
			     " MB at 4 +- "), "%s", text);
	ck_assert_ptr_null(strstr(text, "all of the gap"));
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
	ck_assert_msg(strstr(text, "extra switches and syscalls explain none of"
			     " socketpair's 1.6 s/GB disadvantage"), "%s", text);
	ck_assert_ptr_null(strstr(text, "does not see"));
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
	ck_assert_double_eq_tol(v.ratio, 3.0, 1e-9);
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
	tcase_add_test(tc, standard_errors_are_the_textbook_ones);
	tcase_add_test(tc, term_within_its_uncertainty_is_not_claimed);
	tcase_add_test(tc, more_than_the_gap_is_inconsistent);
	tcase_add_test(tc, over_the_gap_within_uncertainty_claims_all_of_it);
	tcase_add_test(tc, explanation_in_numbers);
	tcase_add_test(tc, explanation_when_counts_do_not_differ);
	tcase_add_test(tc, verdict_blocking_mechanism);
	tcase_add_test(tc, verdict_overlap_is_no_difference);
	tcase_add_test(tc, verdict_cpu_per_call_mechanism);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
