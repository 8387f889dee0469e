// SPDX-License-Identifier: GPL-2.0
/*
 * test_mechanisms.c - the mechanism table (analysis/mechanisms.c) on a
 * fixture of real kernel stacks, each labelled by hand with the mechanism
 * the kernel source gives it; every table row reachable; and a cell's CPU
 * split (analysis/cpu_split.c): shares sum to 1, parts to the whole.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu_split.h"
#include "mechanisms.h"
#include "tap_suite.h"

#define FIXTURE "tests/fixtures/stacks/mechanisms.txt"

START_TEST(fixture_stacks_get_their_mechanism)
{
	struct mech_classifier *mc = mech_classifier_new();
	FILE *f = fopen(FIXTURE, "r");
	char line[4096];
	int n = 0, wrong = 0;
	bool seen[MECH_COUNT] = { false };

	ck_assert_msg(f != NULL, "cannot open %s", FIXTURE);
	ck_assert_ptr_nonnull(mc);
	while (fgets(line, sizeof(line), f)) {
		char *frames, *nl = strchr(line, '\n');
		int want;
		enum mechanism got, uncached;
		bool user;

		if (nl)
			*nl = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		frames = strchr(line, ' ');
		if (frames)
			*frames++ = '\0';
		want = mech_by_name(line);
		ck_assert_msg(want >= 0, "fixture names no mechanism: %s", line);
		user = !frames;
		got = mech_classify(mc, frames ? frames : "", user, NULL);
		uncached = mech_classify(NULL, frames ? frames : "", user, NULL);
		ck_assert_int_eq(got, uncached);
		if ((int)got != want) {
			fprintf(stderr, "# want %s, got %s: %s\n", line, mech_name(got),
				frames ? frames : "(user)");
			wrong++;
		}
		seen[want] = true;
		n++;
	}
	fclose(f);
	mech_classifier_free(mc);
	ck_assert_msg(n >= 60, "only %d stacks in the fixture", n);
	ck_assert_msg(!wrong, "%d of %d stacks classified wrong (see above)", wrong, n);
	for (int m = 0; m < MECH_COUNT; m++)
		ck_assert_msg(seen[m], "the fixture has no %s stack", mech_name(m));
}
END_TEST

/* a row that an earlier row of another mechanism shadows is a bug */
START_TEST(every_row_is_reachable)
{
	for (unsigned int r = 0; r < mech_table_len; r++) {
		const char *p = mech_table[r].pattern;
		char name[128];
		size_t len;
		int got;

		snprintf(name, sizeof(name), "%s", p[0] == '*' ? p + 1 : p);
		len = strlen(name);
		if (len && name[len - 1] == '*')
			name[--len] = '\0';
		got = mech_row_of(name, (unsigned int)len);
		ck_assert_msg(got >= 0, "row %u (%s) matches not even its own name", r, p);
		ck_assert_msg(mech_table[got].mech == mech_table[r].mech &&
			      mech_table[got].claim == mech_table[r].claim,
			      "row %u (%s) is shadowed by row %d (%s)", r, p, got,
			      mech_table[got].pattern);
	}
}
END_TEST

START_TEST(artefacts_are_flagged_and_suffixes_ignored)
{
	bool art = false;

	ck_assert_int_eq(mech_classify(NULL, "a;__schedule;finish_task_switch.isra.0",
				       false, &art), MECH_SCHED);
	ck_assert(art);
	/* an irqrestore under a context frame goes to that frame */
	ck_assert_int_eq(mech_classify(NULL, "try_to_wake_up;_raw_spin_unlock_irqrestore",
				       false, &art), MECH_WAKEUP);
	ck_assert(art);
	ck_assert_int_eq(mech_classify(NULL, "__slab_free;_raw_spin_unlock_irqrestore",
				       false, &art), MECH_SLAB);
	ck_assert(art);
	/* a lock does not own the interrupts-off region it called into */
	ck_assert_int_eq(mech_classify(NULL, "mutex_lock;_raw_spin_unlock_irqrestore",
				       false, &art), MECH_WAKEUP);
	ck_assert_int_eq(mech_classify(NULL, "anon_pipe_write;mutex_lock", false, &art),
			 MECH_LOCK);
	ck_assert(!art);
	ck_assert_int_eq(mech_classify(NULL, "x;kmem_cache_free.cold", false, NULL),
			 MECH_SLAB);
	ck_assert_int_eq(mech_classify(NULL, "", false, NULL), MECH_OTHER);
	ck_assert_int_eq(mech_classify(NULL, "anything", true, NULL), MECH_USER);
}
END_TEST

START_TEST(names_round_trip)
{
	for (int m = 0; m < MECH_COUNT; m++) {
		ck_assert_int_eq(mech_by_name(mech_name(m)), m);
		for (int k = 0; k < m; k++)
			ck_assert_str_ne(mech_label(m), mech_label(k));
	}
	ck_assert_int_eq(mech_by_name("no such"), -1);
}
END_TEST

START_TEST(shares_sum_to_one_and_parts_to_the_whole)
{
	uint64_t counts[MECH_COUNT] = { 0 };
	struct cpu_split s;
	double share = 0, us = 0;

	srand(7);
	for (int m = 0; m < MECH_COUNT; m++)
		counts[m] = m % 4 ? (uint64_t)(rand() % 1000) : 0;
	cpu_split_from_counts(counts, 17, 2.19, 2.0, 2.4, &s);
	ck_assert(s.have);
	for (unsigned int i = 0; i < s.nmech; i++) {
		share += s.by[i].share;
		us += s.by[i].us_per_write;
		ck_assert(s.by[i].samples > 0);
		if (i)
			ck_assert(s.by[i].samples <= s.by[i - 1].samples);
	}
	ck_assert_double_eq_tol(share, 1.0, 1e-12);
	ck_assert_double_eq_tol(us, 2.19, 1e-12);
	/* the binomial error: p = 1/2 of 100 samples is 0.05 of the whole */
	memset(counts, 0, sizeof(counts));
	counts[MECH_COPY] = counts[MECH_SLAB] = 50;
	cpu_split_from_counts(counts, 0, 2.0, 2, 2, &s);
	ck_assert_double_eq_tol(s.by[0].se_us, 0.1, 1e-12);
	ck_assert_double_eq_tol(s.by[0].us_per_write, 1.0, 1e-12);
	/* no samples: no split */
	memset(counts, 0, sizeof(counts));
	cpu_split_from_counts(counts, 0, 2.0, 2, 2, &s);
	ck_assert(!s.have);
}
END_TEST

/* a cell's repetitions: CPU per write from getrusage, split by samples */
START_TEST(cell_split_from_reps_and_samples)
{
	struct rep_result reps[2];
	struct cell_result cr = { .nreps = 2, .reps = reps, .profiled = true };
	struct prof_stack st[3] = {
		{ .role = ROLE_WRITER, .samples = 60, .kframes = "x;__alloc_skb",
		  .uframes = "" },
		{ .role = ROLE_READER, .samples = 30, .kframes = "x;_copy_to_iter",
		  .uframes = "" },
		{ .role = ROLE_READER, .samples = 10, .user_mode = true, .kframes = "",
		  .uframes = "libc.so.6+0x10" },
	};
	struct mech_classifier *mc = mech_classifier_new();
	struct cpu_split s;

	memset(reps, 0, sizeof(reps));
	for (int i = 0; i < 2; i++) {
		reps[i].wl_write_calls[ROLE_WRITER] = 1000000;
		reps[i].cpu_s = i ? 2.5 : 1.5;		/* 1.5 and 2.5 us per write */
		reps[i].cpu_user_s[ROLE_WRITER] = reps[i].cpu_s * 0.6;
		reps[i].cpu_user_s[ROLE_READER] = reps[i].cpu_s * 0.4;
	}
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(prof_samples_add(&cr.prof, &st[i], false), 0);
	cell_cpu_summarize(&cr, mc, &s);
	ck_assert(s.have);
	ck_assert_int_eq(s.samples, 100);
	ck_assert_double_eq_tol(s.us_per_write, 2.0, 1e-12);
	ck_assert_double_eq_tol(s.us_min, 1.5, 1e-12);
	ck_assert_double_eq_tol(s.us_max, 2.5, 1e-12);
	ck_assert_double_eq_tol(s.writer_us, 1.2, 1e-12);
	ck_assert_double_eq_tol(s.reader_us, 0.8, 1e-12);
	ck_assert_int_eq(s.by[0].mech, MECH_SLAB);
	ck_assert_double_eq_tol(s.by[0].us_per_write, 1.2, 1e-12);
	ck_assert_double_eq_tol(cpu_split_find(&s, MECH_COPY)->us_per_write, 0.6, 1e-12);
	ck_assert_double_eq_tol(cpu_split_find(&s, MECH_USER)->share, 0.1, 1e-12);
	ck_assert_ptr_null(cpu_split_find(&s, MECH_LOCK));
	/* the same stacks added again merge: one entry each */
	ck_assert_int_eq(prof_samples_add(&cr.prof, &st[0], false), 0);
	ck_assert_int_eq(cr.prof.n, 3);
	ck_assert_int_eq(cr.prof.total, 160);
	prof_samples_free(&cr.prof);
	mech_classifier_free(mc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mechanisms");
	TCase *tc = tcase_create("mechanisms");

	tcase_add_test(tc, fixture_stacks_get_their_mechanism);
	tcase_add_test(tc, every_row_is_reachable);
	tcase_add_test(tc, artefacts_are_flagged_and_suffixes_ignored);
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, shares_sum_to_one_and_parts_to_the_whole);
	tcase_add_test(tc, cell_split_from_reps_and_samples);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
