// SPDX-License-Identifier: GPL-2.0
/*
 * test_series_fold.c - per-thread records into series (analysis/
 * series_fold.c): deltas add up, exits keep their counts, an exec moves
 * what follows to the new name, the cap folds label sets into _overflow
 * and counts each once, BPF buckets land under the right fixed bounds,
 * and exited threads are reclaimable only once folded after their exit.
 */
#include <stdio.h>
#include <string.h>
#include "series_fold.h"
#include "tap_suite.h"

static struct ipct_thread rec(__u32 tid, const char *comm, __u64 cg)
{
	struct ipct_thread t;

	memset(&t, 0, sizeof(t));
	t.tid = t.tgid = tid;
	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	t.cgroup_id = cg;
	return t;
}

static const struct series *find(const struct series_store *s, const char *comm,
				 const char *cgroup)
{
	for (size_t i = 0; i < series_count(s); i++) {
		const struct series *x = series_at(s, i);

		if (!strcmp(x->comm, comm) && !strcmp(x->cgroup, cgroup))
			return x;
	}
	return NULL;
}

START_TEST(threads_of_a_label_set_add_up_and_survive_exit)
{
	struct series_store *s = series_store_new(100, false);
	struct ipct_thread a = rec(10, "dd", 5), b = rec(11, "dd", 5);
	const struct series *x;
	__u32 tids[4];

	a.op[IPCT_PIPE_WRITE].blocked_calls = 3;
	b.op[IPCT_PIPE_WRITE].blocked_calls = 4;
	ck_assert_int_eq(series_fold(s, &a, "/a", NULL, 1), 0);
	ck_assert_int_eq(series_fold(s, &b, "/a", NULL, 1), 0);
	x = find(s, "dd", "/a");
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->blocked_calls[IPCT_PIPE_WRITE], 7);
	/* a exits after 2 more; folding twice adds nothing twice */
	a.op[IPCT_PIPE_WRITE].blocked_calls = 5;
	a.exited = 1;
	series_fold(s, &a, "/a", NULL, 2);
	series_fold(s, &b, "/a", NULL, 2);
	series_fold(s, &a, "/a", NULL, 3);
	series_fold(s, &b, "/a", NULL, 3);
	ck_assert_uint_eq(x->blocked_calls[IPCT_PIPE_WRITE], 9);
	/* exit seen in cycle 2, folded again in 3: reclaimable now, not before */
	ck_assert_uint_eq(series_reclaimable(s, 2, tids, 4), 0);
	ck_assert_uint_eq(series_reclaimable(s, 3, tids, 4), 1);
	ck_assert_uint_eq(tids[0], 10);
	series_forget(s, 10);
	ck_assert_uint_eq(series_threads(s), 1);
	/* the series keeps what the gone thread counted */
	b.op[IPCT_PIPE_WRITE].blocked_calls = 6;
	series_fold(s, &b, "/a", NULL, 4);
	ck_assert_uint_eq(x->blocked_calls[IPCT_PIPE_WRITE], 11);
	/* a new thread under a reused tid starts from its own zero */
	a = rec(10, "dd", 5);
	a.op[IPCT_PIPE_WRITE].blocked_calls = 1;
	series_fold(s, &a, "/a", NULL, 4);
	ck_assert_uint_eq(x->blocked_calls[IPCT_PIPE_WRITE], 12);
	series_store_free(s);
}
END_TEST

START_TEST(exec_moves_what_follows_to_the_new_name)
{
	struct series_store *s = series_store_new(100, false);
	struct ipct_thread t = rec(20, "bash", 1);
	const struct series *old, *new;

	t.vol_switches = 5;
	series_fold(s, &t, "/", NULL, 1);
	strcpy(t.comm, "ipc_pattern");
	t.vol_switches = 8;
	series_fold(s, &t, "/", NULL, 2);
	old = find(s, "bash", "/");
	new = find(s, "ipc_pattern", "/");
	ck_assert_ptr_nonnull(old);
	ck_assert_ptr_nonnull(new);
	ck_assert_uint_eq(old->vol_switches, 5);	/* never goes down */
	ck_assert_uint_eq(new->vol_switches, 3);
	/* and a move to another cgroup likewise */
	t.cgroup_id = 2;
	t.vol_switches = 10;
	series_fold(s, &t, "/x", NULL, 3);
	ck_assert_uint_eq(find(s, "ipc_pattern", "/x")->vol_switches, 2);
	ck_assert_uint_eq(new->vol_switches, 3);
	series_store_free(s);
}
END_TEST

START_TEST(over_the_cap_label_sets_fold_into_overflow_counted_once)
{
	struct series_store *s = series_store_new(2, false);
	struct ipct_thread t;
	const struct series *o;

	for (__u32 i = 0; i < 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "p%u", i);
		t = rec(100 + i, name, 1);
		t.wakeups_received = 1;
		series_fold(s, &t, "/", NULL, 1);
	}
	/* a second thread of a refused label set is not a second drop */
	t = rec(200, "p4", 1);
	t.wakeups_received = 1;
	series_fold(s, &t, "/", NULL, 1);
	o = find(s, SERIES_OVERFLOW_LABEL, SERIES_OVERFLOW_LABEL);
	ck_assert_ptr_nonnull(o);
	ck_assert(o->overflow);
	ck_assert_uint_eq(series_count(s), 3);
	ck_assert_uint_eq(series_dropped(s), 3);
	ck_assert_uint_eq(o->wakeups, 4);	/* nothing is lost */
	ck_assert_uint_eq(find(s, "p0", "/")->wakeups + find(s, "p1", "/")->wakeups, 2);
	series_store_free(s);
}
END_TEST

/* fine buckets fold under the fixed bounds; the deltas of histograms too */
START_TEST(histograms_fold_into_fixed_bounds)
{
	struct series_store *s = series_store_new(10, false);
	struct ipct_thread t = rec(30, "w", 1);
	struct ipct_hist wait = { 0 }, fill = { 0 };
	const struct ipct_hist *h[IPCT_HIST_KIND_COUNT] = { NULL };
	const struct series *x;

	/* 1000 ns: <= 1.024 us; 1023 ns too; 1024 ns is past the bound
	 * (a fine bucket [lo, hi) counts as le=hi); 10 s: +Inf */
	wait.bucket[ipct_hist_bucket(1000)] = 2;
	wait.bucket[ipct_hist_bucket(1023)] += 1;
	wait.bucket[ipct_hist_bucket(1024)] = 4;
	wait.bucket[ipct_hist_bucket(10000000000ULL)] = 1;
	t.op[IPCT_PIPE_WRITE].wait_ns = 5;
	/* fills as the BPF records them: ceil(f * 1024) - 1. A full pipe (1),
	 * 15 of 16 slots (0.9375), and a unix sender over its buffer (1.1) */
	fill.bucket[ipct_hist_bucket(1024 - 1)] = 6;
	fill.bucket[ipct_hist_bucket(960 - 1)] += 2;
	fill.bucket[ipct_hist_bucket(1127 - 1)] += 1;
	t.op[IPCT_PIPE_WRITE].fill_samples = 9;
	ck_assert_uint_eq(series_hists_needed(s, &t),
			  1u << IPCT_HIST_WAIT_PIPE_WRITE | 1u << IPCT_HIST_FILL_PIPE_WRITE);
	h[IPCT_HIST_WAIT_PIPE_WRITE] = &wait;
	h[IPCT_HIST_FILL_PIPE_WRITE] = &fill;
	series_fold(s, &t, "/", h, 1);
	x = find(s, "w", "/");
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][0], 3);
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][1], 4);
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][SERIES_TIME_BOUNDS], 1);
	ck_assert(series_fill_bounds[4] == 1 && series_fill_bounds[3] == 0.875);
	ck_assert_uint_eq(x->fill[SERIES_FILL_PIPE][4], 8);	/* (0.875, 1] */
	ck_assert_uint_eq(x->fill[SERIES_FILL_PIPE][5], 1);	/* (1, 1.25] */
	/* nothing moved: no histogram needed, nothing added */
	ck_assert_uint_eq(series_hists_needed(s, &t), 0);
	series_fold(s, &t, "/", NULL, 2);
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][0], 3);
	/* one more wait of 2 ms: only its delta is added */
	wait.bucket[ipct_hist_bucket(2000000)] += 1;
	t.op[IPCT_PIPE_WRITE].wait_ns += 2000000;
	ck_assert_uint_eq(series_hists_needed(s, &t), 1u << IPCT_HIST_WAIT_PIPE_WRITE);
	series_fold(s, &t, "/", h, 3);
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][0], 3);
	ck_assert_uint_eq(x->wait[IPCT_PIPE_WRITE][11], 1);	/* <= 2.097 ms */
	ck_assert_uint_eq(x->wait_ns[IPCT_PIPE_WRITE], 2000005);
	/* the bounds are powers of two nanoseconds, as seconds */
	for (int k = 0; k < SERIES_TIME_BOUNDS; k++)
		ck_assert(series_time_bounds_s[k] * 1e9 == (double)(1ULL << (10 + k)));
	series_store_free(s);
}
END_TEST

START_TEST(idle_threads_and_vanished_records)
{
	struct series_store *s = series_store_new(10, false);
	struct ipct_thread a = rec(40, "a", 1), b = rec(41, "b", 1);
	__u32 tids[4];

	series_fold(s, &a, "/", NULL, 1);
	series_fold(s, &b, "/", NULL, 1);
	a.vol_switches = 1;
	series_fold(s, &a, "/", NULL, 5);
	series_fold(s, &b, "/", NULL, 5);
	/* b has not moved since cycle 1 */
	ck_assert_uint_eq(series_idle(s, 5, 3, tids, 4), 1);
	ck_assert_uint_eq(tids[0], 41);
	series_mark_exited(s, 41, 5);
	series_fold(s, &a, "/", NULL, 6);
	series_fold(s, &b, "/", NULL, 6);
	ck_assert_uint_eq(series_reclaimable(s, 6, tids, 4), 1);
	ck_assert_uint_eq(tids[0], 41);
	/* a record gone from the map is forgotten by the sweep */
	series_fold(s, &b, "/", NULL, 7);
	series_sweep(s, 7);
	ck_assert_uint_eq(series_threads(s), 1);
	series_store_free(s);
}
END_TEST

/* many threads come and go: the thread table stays consistent */
START_TEST(thread_table_survives_churn)
{
	struct series_store *s = series_store_new(10, false);
	const struct series *x;
	uint64_t cycle = 1;

	for (__u32 round = 0; round < 50; round++, cycle++) {
		for (__u32 i = 0; i < 300; i++) {
			struct ipct_thread t = rec(1 + round * 300 + i, "c", 1);

			t.invol_switches = 1;
			ck_assert_int_eq(series_fold(s, &t, "/", NULL, cycle), 0);
		}
		series_sweep(s, cycle);
		ck_assert_uint_eq(series_threads(s), 300);
	}
	x = find(s, "c", "/");
	ck_assert_uint_eq(x->invol_switches, 50 * 300);
	series_store_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("series_fold");
	TCase *tc = tcase_create("series_fold");

	tcase_add_test(tc, threads_of_a_label_set_add_up_and_survive_exit);
	tcase_add_test(tc, exec_moves_what_follows_to_the_new_name);
	tcase_add_test(tc, over_the_cap_label_sets_fold_into_overflow_counted_once);
	tcase_add_test(tc, histograms_fold_into_fixed_bounds);
	tcase_add_test(tc, idle_threads_and_vanished_records);
	tcase_add_test(tc, thread_table_survives_churn);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
