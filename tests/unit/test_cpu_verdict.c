// SPDX-License-Identifier: GPL-2.0
/*
 * test_cpu_verdict.c - the per-call part of a verdict (analysis/
 * cpu_verdict.c) on synthetic profiles with known answers: the terms
 * claimed are the ones beyond their sampling error, the rest of the gap
 * is stated as what the profile cannot split, a gap within the error is
 * not explained, and the cost model then points to the profile.
 */
#include <math.h>
#include <string.h>
#include "cost_model.h"
#include "cpu_verdict.h"
#include "tap_suite.h"

static struct cpu_split split(const uint64_t c[MECH_COUNT], double us, double lo,
			      double hi)
{
	struct cpu_split s;

	cpu_split_from_counts(c, 0, us, lo, hi, &s);
	return s;
}

/* a pipe and a socketpair at 1000 B as this machine profiles them */
static void pipe_and_socket(struct cpu_split *pipe, struct cpu_split *sock, int scale)
{
	uint64_t p[MECH_COUNT] = { 0 }, s[MECH_COUNT] = { 0 };

	p[MECH_COPY] = 300 * scale, p[MECH_SYSCALL] = 300 * scale;
	p[MECH_SCHED] = 200 * scale, p[MECH_USER] = 200 * scale;
	s[MECH_COPY] = 300 * scale, s[MECH_SYSCALL] = 250 * scale;
	s[MECH_SCHED] = 150 * scale, s[MECH_SLAB] = 500 * scale;
	s[MECH_MEMCG] = 200 * scale, s[MECH_WAKEUP] = 150 * scale;
	s[MECH_USER] = 100 * scale, s[MECH_OTHER] = 10 * scale;
	*pipe = split(p, 0.83, 0.80, 0.86);
	*sock = split(s, 2.19, 2.10, 2.30);
}

static const struct cpu_term *term(const struct cpu_gap *g, enum mechanism m)
{
	for (unsigned int i = 0; i < g->nterms; i++)
		if (g->terms[i].mech == m)
			return &g->terms[i];
	ck_abort_msg("no term %s", mech_name(m));
	return NULL;
}

START_TEST(known_mechanisms_are_named_with_their_error)
{
	struct cpu_split pipe, sock;
	struct cpu_gap g;
	const struct cpu_term *slab;
	double sum = 0, p = 500.0 / 1660;

	pipe_and_socket(&pipe, &sock, 1);
	cpu_gap_explain("socketpair", &sock, "pipe", &pipe, &g);
	ck_assert(g.said && g.significant);
	ck_assert_double_eq_tol(g.gap_us, 2.19 - 0.83, 1e-12);
	slab = term(&g, MECH_SLAB);
	ck_assert_double_eq_tol(slab->d_us, 2.19 * p, 1e-12);
	ck_assert_double_eq_tol(slab->se_us, 2.19 * sqrt(p * (1 - p) / 1660), 1e-12);
	ck_assert(slab->claimed);
	ck_assert(term(&g, MECH_MEMCG)->claimed);
	/* the largest difference first */
	ck_assert_int_eq(g.terms[0].mech, MECH_SLAB);
	/* every term adds up to the gap: claimed + within error + unnamed */
	for (unsigned int i = 0; i < g.nterms; i++)
		sum += g.terms[i].d_us;
	ck_assert_double_eq_tol(sum, g.gap_us, 1e-12);
	ck_assert_double_eq_tol(g.claimed_us + g.uncertain_us + g.other_us, g.gap_us, 1e-12);
	ck_assert_msg(strstr(g.text, "socketpair spends 1.36 us more CPU per write than"
			     " pipe (2.19 against 0.83, from 1660 and 1000 samples):"
			     " slab and skb allocation/free +0.66 us (se 0.025)"),
		      "%s", g.text);
	ck_assert_msg(strstr(g.text, "memcg accounting +0.26 us"), "%s", g.text);
	/* the pipe's user time is larger: a term of the other sign, claimed */
	ck_assert(term(&g, MECH_USER)->claimed && term(&g, MECH_USER)->d_us < 0);
	ck_assert_msg(strstr(g.text, "user space -0.034 us"), "%s", g.text);
	/* code the table does not name is never claimed, only stated */
	ck_assert(!term(&g, MECH_OTHER)->claimed);
	ck_assert_msg(strstr(g.text, "in code the mechanism table does not name"),
		      "%s", g.text);
	ck_assert_ptr_null(strstr(g.text, "does not see"));
}
END_TEST

/* a real gap, but too few samples to say where: nothing is claimed */
START_TEST(gap_within_sampling_error_is_not_explained)
{
	uint64_t a[MECH_COUNT] = { 0 }, b[MECH_COUNT] = { 0 };
	struct cpu_split slow, fast;
	struct cpu_gap g;

	a[MECH_COPY] = 9, a[MECH_SLAB] = 7, a[MECH_SYSCALL] = 8;
	b[MECH_COPY] = 9, b[MECH_SLAB] = 5, b[MECH_SYSCALL] = 10;
	slow = split(a, 1.2, 1.15, 1.25);
	fast = split(b, 1.0, 0.95, 1.05);
	cpu_gap_explain("socketpair", &slow, "pipe", &fast, &g);
	ck_assert(g.said && g.significant);
	for (unsigned int i = 0; i < g.nterms; i++)
		ck_assert_msg(!g.terms[i].claimed, "%s claimed with %g +- %g",
			      mech_name(g.terms[i].mech), g.terms[i].d_us,
			      g.terms[i].se_us);
	ck_assert_double_eq_tol(g.claimed_us, 0, 1e-12);
	ck_assert_double_eq_tol(g.uncertain_us, 0.2, 1e-12);
	ck_assert_msg(strstr(g.text, "no mechanism differs beyond its sampling error;"
			     " the profile cannot split 0.20 us: 0.20 within sampling"
			     " error"), "%s", g.text);
}
END_TEST

/* the same shapes with 100x the samples: now the difference is claimed */
START_TEST(more_samples_claim_what_few_could_not)
{
	struct cpu_split pipe, sock;
	struct cpu_gap few, many;

	pipe_and_socket(&pipe, &sock, 1);
	cpu_gap_explain("socketpair", &sock, "pipe", &pipe, &few);
	pipe_and_socket(&pipe, &sock, 100);
	cpu_gap_explain("socketpair", &sock, "pipe", &pipe, &many);
	/* scheduler: 150/1660 x 2.19 against 200/1000 x 0.83: 0.032 us apart,
	 * within 2 x 0.019 us with these samples, beyond 2 x 0.0019 with 100x */
	ck_assert(!term(&few, MECH_SCHED)->claimed);
	ck_assert(term(&many, MECH_SCHED)->claimed);
	ck_assert_double_eq_tol(term(&few, MECH_SCHED)->d_us,
				term(&many, MECH_SCHED)->d_us, 1e-12);
	ck_assert(term(&many, MECH_SCHED)->se_us < term(&few, MECH_SCHED)->se_us / 9);
}
END_TEST

START_TEST(overlapping_spread_claims_nothing)
{
	struct cpu_split pipe, sock;
	struct cpu_gap g;

	pipe_and_socket(&pipe, &sock, 1);
	sock.us_min = 0.85;		/* one repetition as cheap as the pipe's */
	cpu_gap_explain("socketpair", &sock, "pipe", &pipe, &g);
	ck_assert(g.said && !g.significant);
	ck_assert_int_eq(g.nterms, 0);
	ck_assert_msg(strstr(g.text, "CPU per write does not differ beyond the spread"
			     " of the repetitions (socketpair 2.19 us, 0.85..2.30, against"
			     " pipe 0.83, 0.80..0.86): the profile claims no mechanism"),
		      "%s", g.text);
}
END_TEST

START_TEST(loser_that_spends_less_loses_on_waiting)
{
	struct cpu_split pipe, sock;
	struct cpu_gap g;

	pipe_and_socket(&pipe, &sock, 1);
	cpu_gap_explain("pipe", &pipe, "socketpair", &sock, &g);
	ck_assert(g.said && g.significant && g.gap_us < 0);
	ck_assert_msg(strstr(g.text, "pipe spends less CPU per write than socketpair"),
		      "%s", g.text);
	/* a cell without a profile: nothing to say */
	pipe.have = false;
	cpu_gap_explain("pipe", &pipe, "socketpair", &sock, &g);
	ck_assert(!g.said);
	ck_assert_str_eq(g.text, "");
}
END_TEST

/* with the profile splitting the calls, the cost model says so */
START_TEST(cost_model_points_to_the_profile)
{
	struct cost_point p[24];
	struct cost_model m;
	struct cost_point slow = { 2.6e-3, 4.0, 2000 }, fast = { 1.0e-3, 4.5, 2000 };
	char text[400];

	for (size_t i = 0; i < 24; i++) {
		p[i].switches = (double)((i * 37) % 120);
		p[i].syscalls = (double)((i * 173) % 2000) + 4;
		p[i].s_per_mb = (150 + 4 * p[i].switches + 0.3 * p[i].syscalls) * 1e-6;
	}
	cost_fit(p, 24, &m);
	ck_assert(cost_explain(&m, "socketpair", &slow, &fast, true, text, sizeof(text)));
	ck_assert_msg(strstr(text, "split by the CPU profile"), "%s", text);
	ck_assert_ptr_null(strstr(text, "does not see"));
	ck_assert(cost_explain(&m, "socketpair", &slow, &fast, false, text, sizeof(text)));
	ck_assert_ptr_null(strstr(text, "split by the CPU profile"));
	ck_assert_ptr_null(strstr(text, "does not see"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cpu_verdict");
	TCase *tc = tcase_create("cpu_verdict");

	tcase_add_test(tc, known_mechanisms_are_named_with_their_error);
	tcase_add_test(tc, gap_within_sampling_error_is_not_explained);
	tcase_add_test(tc, more_samples_claim_what_few_could_not);
	tcase_add_test(tc, overlapping_spread_claims_nothing);
	tcase_add_test(tc, loser_that_spends_less_loses_on_waiting);
	tcase_add_test(tc, cost_model_points_to_the_profile);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
