// SPDX-License-Identifier: GPL-2.0
/*
 * test_results.c - reading results directories back: `report` on a fixture,
 * `compare` on two fixtures with a known regression (64K pipe 1000 -> 700
 * MB/s, ranges apart), and clear errors for missing, truncated and
 * malformed files. Needs no privileges: these subcommands touch no BPF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runcmd.h"
#include "tap_suite.h"

#define BEFORE "tests/fixtures/results-before"
#define AFTER "tests/fixtures/results-after"

START_TEST(compare_finds_the_known_regression)
{
	struct cmd_result r = run_ipctrace("compare " BEFORE " " AFTER, NULL);

	ck_assert_msg(r.status == 3, "exit %d: %s%s", r.status, r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "REGRESSION: 1 cell of B"));
	ck_assert_ptr_nonnull(strstr(r.out, "pipe 64K default unpinned stream: 1000 ->"
				     " 700 MB/s (-30.0%; A 950..1050, B 680..720)"));
	/* the socketpair moved within its spread: '=' */
	ck_assert_ptr_nonnull(strstr(r.out, "socketpair     3000     3050   +1.7%  ="));
	ck_assert_ptr_nonnull(strstr(r.out, "only in A: pipe 1000 default unpinned stream"));
	ck_assert_ptr_nonnull(strstr(r.out, "only in B: pipe 4K default unpinned stream"));
	ck_assert_ptr_nonnull(strstr(r.out, "net.core.wmem_max 4194304 -> 212992"));
	cmd_result_free(&r);
}
END_TEST

START_TEST(compare_threshold_and_direction)
{
	struct cmd_result r = run_ipctrace("compare --threshold 40 " BEFORE " " AFTER, NULL);

	ck_assert_msg(r.status == 0, "a 30%% drop is below a 40%% threshold: %s", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "no regression beyond 40%"));
	cmd_result_free(&r);
	/* the other way round B is faster: no regression */
	r = run_ipctrace("compare " AFTER " " BEFORE, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "+42.9%  +"));
	cmd_result_free(&r);
	r = run_ipctrace("compare --threshold lots " BEFORE " " AFTER, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--threshold 'lots'"));
	cmd_result_free(&r);
}
END_TEST

START_TEST(report_renders_a_fixture)
{
	struct cmd_result r = run_ipctrace("report " BEFORE, NULL);

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "attach: tracepoint"));
	ck_assert_ptr_nonnull(strstr(r.out, "64K default  pipe           1000      950     1050"));
	ck_assert_ptr_nonnull(strstr(r.out, "socketpair 3.00x faster: 3000 MB/s (2900-3100)"));
	ck_assert_ptr_nonnull(strstr(r.out, "pipe writer blocked 9.80 times per MB against"
				     " 0.50 for socketpair"));
	ck_assert_ptr_nonnull(strstr(r.out, "3 cells are too few to fit"));
	cmd_result_free(&r);
}
END_TEST

/* a scratch copy of the "before" fixture to damage */
static char scratch[256];

static void make_scratch(void)
{
	char cmd[600];

	snprintf(scratch, sizeof(scratch), "/tmp/ipctrace-results-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(scratch));
	snprintf(cmd, sizeof(cmd), "cp " BEFORE "/* %s/", scratch);
	ck_assert_int_eq(system(cmd), 0);
}

static void remove_scratch(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch);
	ck_assert_int_eq(system(cmd), 0);
}

static void expect_error(const char *sub, const char *needle1, const char *needle2)
{
	char args[400];
	struct cmd_result r;

	snprintf(args, sizeof(args), "%s %s", sub, scratch);
	if (!strcmp(sub, "compare"))
		snprintf(args, sizeof(args), "compare " BEFORE " %s", scratch);
	r = run_ipctrace(args, NULL);
	assert_one_line_error(&r, args, 1, needle1, needle2);
	cmd_result_free(&r);
}

START_TEST(missing_files_are_named)
{
	char path[300];

	make_scratch();
	snprintf(path, sizeof(path), "%s/results.json", scratch);
	unlink(path);
	expect_error("report", "results.json", "No such file");
	expect_error("compare", "results.json", "No such file");
	snprintf(path, sizeof(path), "%s/meta.json", scratch);
	unlink(path);
	expect_error("report", "meta.json", "No such file");
	remove_scratch();
	/* no directory at all */
	snprintf(scratch, sizeof(scratch), "/nonexistent/results");
	expect_error("report", "/nonexistent/results", "no such results directory");
}
END_TEST

START_TEST(truncated_file_is_named)
{
	char path[300];
	FILE *f;
	long len;
	char *buf;

	make_scratch();
	snprintf(path, sizeof(path), "%s/results.json", scratch);
	f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	ck_assert_int_eq(ftruncate(fileno(f), len / 2), 0);
	fclose(f);
	expect_error("report", "results.json: not valid JSON", "truncated");
	/* and a file that is not JSON at all */
	f = fopen(path, "w");
	buf = "cells,throughput\n1,2\n";
	fputs(buf, f);
	fclose(f);
	expect_error("report", "results.json: not valid JSON", "line 1");
	remove_scratch();
}
END_TEST

START_TEST(malformed_fields_are_named)
{
	char cmd[700];

	make_scratch();
	/* drop one cell's per_mb, then make a number a string */
	snprintf(cmd, sizeof(cmd), "sed -i '0,/\"per_mb\"/s//\"per_mb_gone\"/' %s/results.json",
		 scratch);
	ck_assert_int_eq(system(cmd), 0);
	expect_error("report", "results.json: malformed: cells[0].per_mb", "is missing");
	snprintf(cmd, sizeof(cmd), "cp " BEFORE "/results.json %s/ && sed -i"
		 " '0,/\"msg_size\": 65536/s//\"msg_size\": \"64K\"/' %s/results.json",
		 scratch, scratch);
	ck_assert_int_eq(system(cmd), 0);
	expect_error("report", "cells[0].msg_size", "is not a whole number");
	snprintf(cmd, sizeof(cmd), "cp " BEFORE "/results.json %s/ && sed -i"
		 " 's/\"format_version\": 1/\"format_version\": 7/' %s/results.json",
		 scratch, scratch);
	ck_assert_int_eq(system(cmd), 0);
	expect_error("report", "format_version", "is not one this ipctrace reads (1 to 3)");
	remove_scratch();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("results");

	tcase_add_test(tc, compare_finds_the_known_regression);
	tcase_add_test(tc, compare_threshold_and_direction);
	tcase_add_test(tc, report_renders_a_fixture);
	tcase_add_test(tc, missing_files_are_named);
	tcase_add_test(tc, truncated_file_is_named);
	tcase_add_test(tc, malformed_fields_are_named);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
