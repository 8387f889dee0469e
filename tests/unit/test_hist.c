// SPDX-License-Identifier: GPL-2.0
/* test_hist.c - the histogram bucket math of bpf/ipctrace.h and user/hist.c */
#include <stdlib.h>
#include "hist.h"
#include "tap_suite.h"

/* every value lands in the bucket whose bounds hold it */
START_TEST(bucket_bounds_hold_their_values)
{
	uint64_t v = 0;

	for (int i = 0; i < 200000; i++) {
		unsigned int b = ipct_hist_bucket(v);

		ck_assert_uint_lt(b, IPCT_HIST_BUCKETS);
		if (b < IPCT_HIST_BUCKETS - 1) {
			ck_assert_msg(hist_bucket_lo(b) <= v && v < hist_bucket_hi(b),
				      "value %llu in bucket %u [%llu, %llu)",
				      (unsigned long long)v, b,
				      (unsigned long long)hist_bucket_lo(b),
				      (unsigned long long)hist_bucket_hi(b));
		}
		v = v < 64 ? v + 1 : v + v / 37 + (uint64_t)(rand() % 7);
	}
}
END_TEST

START_TEST(small_values_are_exact_and_buckets_contiguous)
{
	for (uint64_t v = 0; v < 2 * IPCT_HIST_SUB; v++)
		ck_assert_uint_eq(ipct_hist_bucket(v), v);
	for (unsigned int b = 0; b + 1 < IPCT_HIST_BUCKETS; b++)
		ck_assert_uint_eq(hist_bucket_hi(b), hist_bucket_lo(b + 1));
	/* a quarter octave: 1000 ns falls in [896, 1024) */
	ck_assert_uint_eq(hist_bucket_lo(ipct_hist_bucket(1000)), 896);
	ck_assert_uint_eq(hist_bucket_hi(ipct_hist_bucket(1000)), 1024);
	/* huge values clamp into the last bucket */
	ck_assert_uint_eq(ipct_hist_bucket(~0ULL), IPCT_HIST_BUCKETS - 1);
}
END_TEST

START_TEST(percentiles_of_known_distributions)
{
	struct ipct_hist h = { 0 };

	ck_assert(hist_percentile(&h, 50) == 0);
	/* 100 samples of 5 ns: exact bucket [5, 6) */
	h.bucket[ipct_hist_bucket(5)] = 100;
	ck_assert(hist_percentile(&h, 50) >= 5 && hist_percentile(&h, 50) <= 6);
	/* 99 at 1 us, 1 at 1 ms: p50 near 1 us, p99 still 1 us, p100 1 ms */
	memset(&h, 0, sizeof(h));
	h.bucket[ipct_hist_bucket(1000)] = 99;
	h.bucket[ipct_hist_bucket(1000000)] = 1;
	ck_assert(hist_percentile(&h, 50) >= 896 && hist_percentile(&h, 50) < 1024);
	ck_assert(hist_percentile(&h, 99) <= 1024);	/* top of the 1 us bucket */
	ck_assert(hist_percentile(&h, 100) >= 917504 && hist_percentile(&h, 100) <= 1048576);
	ck_assert_uint_eq(hist_count(&h), 100);
}
END_TEST

START_TEST(merge_adds_bucketwise)
{
	struct ipct_hist a = { 0 }, b = { 0 };

	a.bucket[3] = 2;
	b.bucket[3] = 5;
	b.bucket[100] = 1;
	hist_merge(&a, &b);
	ck_assert_uint_eq(a.bucket[3], 7);
	ck_assert_uint_eq(a.bucket[100], 1);
	ck_assert_uint_eq(hist_count(&a), 8);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("hist");

	tcase_add_test(tc, bucket_bounds_hold_their_values);
	tcase_add_test(tc, small_values_are_exact_and_buckets_contiguous);
	tcase_add_test(tc, percentiles_of_known_distributions);
	tcase_add_test(tc, merge_adds_bucketwise);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
