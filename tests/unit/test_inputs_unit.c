// SPDX-License-Identifier: GPL-2.0
/*
 * test_inputs_unit.c - the parsers and printers the command line and the
 * files go through, without a binary: numbers are plain decimals (no nan,
 * inf, hex or exponent), sizes do not wrap, arguments are shown on one
 * short line, JSON strings stay UTF-8, a socket pair is one channel, and
 * verdicts pair cells in the same order however groups interleave.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "json_text.h"
#include "report_model.h"
#include "sizes.h"
#include "tap_suite.h"
#include "trace_snapshot.h"

START_TEST(seconds_are_plain_decimals)
{
	static const struct { const char *s; double v; } good[] = {
		{ "0.5", 0.5 }, { "2", 2 }, { "250ms", 0.25 }, { "3s", 3 },
		{ ".5", 0.5 }, { "10.", 10 }, { "0", 0 },
	};
	static const char *const bad[] = {
		"nan", "inf", "-1", "0x10", "1e3", " 1", "1 ", "", ".", "1.2.3",
		"5min", "+3", "NaN", "infinity",
	};
	double v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(parse_seconds(good[i].s, &v) == 0, "%s refused", good[i].s);
		ck_assert_msg(fabs(v - good[i].v) < 1e-12, "%s: %g", good[i].s, v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_seconds(bad[i], &v) != 0, "'%s' taken as %g", bad[i], v);
	ck_assert_int_ne(parse_decimal("12ms", &v), 0);
}
END_TEST

/* a time per run keeps to seven columns, whatever its size (a TCG guest's
 * programs took 158 us a run, and overflowed the observer table) */
START_TEST(times_keep_to_seven_columns)
{
	static const struct { double ns; const char *text; } cases[] = {
		{ 0, "   0 ns" }, { 850.4, " 850 ns" }, { 9999.4, "9999 ns" },
		{ 9999.5, "  10 us" }, { 157910, " 158 us" }, { 12.5e6, "  12 ms" },
		{ 3e12, "3000 s" }, { NAN, "-" },
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(format_ns(cases[i].ns, buf, sizeof(buf)), cases[i].text);
}
END_TEST

START_TEST(sizes_do_not_wrap)
{
	char why[300];
	uint64_t v, *list;
	size_t n;
	unsigned long long u;

	ck_assert_int_eq(parse_size("4KiB", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(v, 4096);
	ck_assert_int_eq(parse_size("4G", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(v, 4ULL << 30);
	ck_assert_int_eq(parse_size("16T", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(v, 16ULL << 40);
	ck_assert_int_ne(parse_size("18446744073709551616", &v, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "too large"));
	ck_assert_int_ne(parse_size("17179869184G", &v, why, sizeof(why)), 0);
	ck_assert_int_ne(parse_size("-1", &v, why, sizeof(why)), 0);
	ck_assert_int_ne(parse_size_list("-m", "4K,,8K", false, &list, &n, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "has an empty item"));
	ck_assert_int_eq(parse_size_list("-b", "default,1M", true, &list, &n, why,
					 sizeof(why)), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(list[0], 0);
	free(list);
	ck_assert_int_ne(parse_uint_range("4294967297", 1, 100, &u), 0);
	ck_assert_int_ne(parse_uint_range("-5", 0, 100, &u), 0);
	ck_assert_int_eq(parse_uint_range("100", 1, 100, &u), 0);
}
END_TEST

START_TEST(arguments_shown_on_one_short_line)
{
	char buf[ARG_QUOTE_LEN], *big = malloc(100001);

	ck_assert_str_eq(arg_quote("a\nb\tc\x01", buf, sizeof(buf)), "a\\nb\\tc\\x01");
	memset(big, 'y', 100000);
	big[100000] = '\0';
	arg_quote(big, buf, sizeof(buf));
	ck_assert_int_le(strlen(buf), ARG_QUOTE_SHOWN + 32);
	ck_assert_ptr_nonnull(strstr(buf, "... (100000 bytes)"));
	free(big);
}
END_TEST

START_TEST(json_strings_stay_utf8)
{
	json_t *j = json_text("/tmp/r\xff" "6 \xc3\xa9");

	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(j), "/tmp/r\\xff6 \xc3\xa9");
	json_decref(j);
	/* overlong and surrogate forms are not UTF-8 either */
	j = json_text("\xc0\xaf \xed\xa0\x80");
	ck_assert_str_eq(json_string_value(j), "\\xc0\\xaf \\xed\\xa0\\x80");
	json_decref(j);
}
END_TEST

/* both ends of a socket pair that name each other are one channel */
START_TEST(socket_pair_is_one_channel)
{
	struct ipct_chan chans[] = {
		{ .kind = IPCT_CHAN_PIPE, .ino = 10 },
		{ .kind = IPCT_CHAN_UNIX, .ino = 20, .peer_ino = 21 },
		{ .kind = IPCT_CHAN_UNIX, .ino = 21, .peer_ino = 20 },
		{ .kind = IPCT_CHAN_UNIX, .ino = 30, .peer_ino = 99 },	/* peer untraced */
		{ .kind = IPCT_CHAN_UNIX, .ino = 40, .peer_ino = 41 },	/* 41 names another */
		{ .kind = IPCT_CHAN_UNIX, .ino = 41, .peer_ino = 42 },
	};
	struct trace_snapshot s = { .chans = chans, .nchans = 6 };
	struct chan_view *v;
	long n = trace_snapshot_channels(&s, &v);

	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(v[1].ends[0]->ino, 20);
	ck_assert_int_eq(v[1].ends[1]->ino, 21);
	ck_assert_ptr_null(v[2].ends[1]);
	ck_assert_ptr_null(v[3].ends[1]);
	ck_assert_ptr_null(v[4].ends[1]);
	free(v);
}
END_TEST

/* the report finds a thread and its sleeps by tid, indexed or not */
START_TEST(threads_and_sleeps_found_by_tid)
{
	struct ipct_thread th[] = {		/* by tgid, tid: not by tid */
		{ .tgid = 5, .tid = 5 }, { .tgid = 5, .tid = 90 },
		{ .tgid = 7, .tid = 7 }, { .tgid = 7, .tid = 8 },
	};
	struct sleep_entry sl[] = {
		{ .key = { .tid = 8, .syscall_nr = 0 } },
		{ .key = { .tid = 90, .syscall_nr = 1 } },
		{ .key = { .tid = 8, .syscall_nr = 7 } },
		{ .key = { .tid = 5, .syscall_nr = 0 } },
	};
	struct trace_snapshot s = { .threads = th, .nthreads = 4, .sleeps = sl,
				    .nsleeps = 4 };
	size_t first, n;

	for (int pass = 0; pass < 2; pass++) {
		ck_assert_ptr_eq(trace_snapshot_thread(&s, 90), &th[1]);
		ck_assert_ptr_eq(trace_snapshot_thread(&s, 8), &th[3]);
		ck_assert_ptr_null(trace_snapshot_thread(&s, 6));
		if (!pass)
			ck_assert_int_eq(trace_snapshot_index(&s), 0);
	}
	n = trace_snapshot_sleeps_of(&s, 8, &first);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(sl[first].key.tid, 8);
	ck_assert_uint_eq(sl[first + 1].key.syscall_nr, 7);
	ck_assert_uint_eq(trace_snapshot_sleeps_of(&s, 6, &first), 0);
	ck_assert_uint_eq(trace_snapshot_sleeps_of(&s, 90, &first), 1);
	ck_assert_uint_eq(sl[first].key.tid, 90);
	free(s.by_tid);
}
END_TEST

/* verdicts in the order of the cells, whatever the order of the groups */
START_TEST(verdicts_pair_cells_in_order)
{
	struct report_model m = { 0 };
	static const int groups[] = { 1, 0, 1, 0, 2 };

	m.ncells = 5;
	m.cells = calloc(5, sizeof(*m.cells));
	for (int i = 0; i < 5; i++) {
		m.cells[i].cell = (struct cell){ .transport = (enum transport)(i / 2),
						 .msg_size = 4096, .group = groups[i] };
		m.cells[i].s.nreps = 1;
		m.cells[i].s.mb_s_med = m.cells[i].s.mb_s_min = m.cells[i].s.mb_s_max =
			100.0 * (i + 1);
	}
	ck_assert_int_eq(report_model_judge(&m), 0);
	ck_assert_int_eq(m.nverdicts, 2);
	ck_assert(m.verdicts[0].a == 0 && m.verdicts[0].b == 2);
	ck_assert(m.verdicts[1].a == 1 && m.verdicts[1].b == 3);
	report_model_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("inputs");
	TCase *tc = tcase_create("inputs");

	tcase_add_test(tc, seconds_are_plain_decimals);
	tcase_add_test(tc, sizes_do_not_wrap);
	tcase_add_test(tc, times_keep_to_seven_columns);
	tcase_add_test(tc, arguments_shown_on_one_short_line);
	tcase_add_test(tc, json_strings_stay_utf8);
	tcase_add_test(tc, socket_pair_is_one_channel);
	tcase_add_test(tc, threads_and_sleeps_found_by_tid);
	tcase_add_test(tc, verdicts_pair_cells_in_order);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
