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
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
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
	expect_error("report", "format_version", "is not one this ipctrace reads (1 to 5)");
	remove_scratch();
}
END_TEST

/* the scratch copy's results.json, changed by edit */
static void edit_results(void (*edit)(json_t *doc, void *arg), void *arg)
{
	char path[300];
	json_t *doc;

	snprintf(path, sizeof(path), "%s/results.json", scratch);
	doc = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	edit(doc, arg);
	ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

static void add_copies(json_t *doc, void *arg)
{
	json_t *cells = json_object_get(doc, "cells");
	json_t *first = json_array_get(cells, 0);

	for (int i = 0; i < *(int *)arg; i++)
		json_array_append_new(cells, json_deep_copy(first));
}

static void mix_groups(json_t *doc, void *arg)
{
	json_t *cells = json_object_get(doc, "cells");

	(void)arg;
	/* the 1000-byte cell into the 64K cells' comparison */
	json_object_set_new(json_array_get(cells, 2), "group", json_integer(0));
}

/*
 * A cell given twice (compare A A reported a regression, and verdicts grew
 * with the square of the copies): an error in the file, found in n log n
 * (20000 copies are refused as fast as one; Check's 4 s guard holds).
 */
START_TEST(repeated_cells_are_an_error_in_the_file)
{
	int one = 1, many = 20000;

	make_scratch();
	edit_results(add_copies, &one);
	expect_error("report", "results.json: malformed: cells[3] repeats cells[0]"
		     " (pipe 64K default unpinned stream): a results file holds each"
		     " cell once", NULL);
	expect_error("compare", "cells[3] repeats cells[0]", NULL);
	edit_results(add_copies, &many);
	expect_error("report", "repeats cells[0]", NULL);
	remove_scratch();
	make_scratch();
	edit_results(mix_groups, NULL);
	expect_error("report", "cells[1] and cells[2] share group 0 but differ in"
		     " more than the transport", NULL);
	remove_scratch();
}
END_TEST

static void set_number(json_t *doc, void *arg)
{
	const char **kv = arg;	/* { object in cells[0] or "", key, value } */
	json_t *c = json_array_get(json_object_get(doc, "cells"), 0);
	json_t *o = kv[0][0] ? json_object_get(c, kv[0]) : c;

	json_object_set_new(o, kv[1], json_loads(kv[2], JSON_DECODE_ANY, NULL));
}

/* numbers out of their field's range, integers beyond their C type */
START_TEST(numbers_are_range_checked)
{
	static const char *const cases[][4] = {
		{ "", "msg_size", "-1", "cells[0].msg_size is negative" },
		{ "reconciliation", "failed", "10000000000",
		  "cells[0].reconciliation.failed is out of range (0 to 4294967295)" },
		{ "per_mb", "write_calls", "-5", "cells[0].per_mb.write_calls is negative" },
		{ "", "seconds", "-0.5", "cells[0].seconds is negative" },
		{ "", "repetitions", "2.5", "cells[0].repetitions is not a whole number" },
		{ "", "group", "9223372036854775807", "cells[0].group is out of range" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_scratch();
		edit_results(set_number, (void *)cases[i]);
		expect_error("report", cases[i][3], NULL);
		remove_scratch();
	}
}
END_TEST

/* what is not a results file is named for what it is, and never hangs */
START_TEST(not_a_results_file)
{
	char path[300], cmd[700];
	FILE *f;

	make_scratch();
	snprintf(path, sizeof(path), "%s/results.json", scratch);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	expect_error("report", "results.json: not a regular file (a directory)", NULL);
	rmdir(path);
	/* a FIFO nobody writes would block a plain open forever */
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	expect_error("report", "results.json: not a regular file (a FIFO)", NULL);
	unlink(path);
	snprintf(cmd, sizeof(cmd), "cp " BEFORE "/results.json %s && echo '{}' >> %s",
		 path, path);
	ck_assert_int_eq(system(cmd), 0);
	expect_error("report", "data follows the document (two documents, or a stray"
		     " edit?)", NULL);
	f = fopen(path, "w");
	fputs("{\"format\": \"ipctrace-results\", \"format\": 2}", f);
	fclose(f);
	expect_error("report", "a key appears twice in one object", NULL);
	remove_scratch();
}
END_TEST

static void no_cells(json_t *doc, void *arg)
{
	(void)arg;
	json_object_set_new(doc, "cells", json_array());
}

/* plots of a directory without cells: say so, not "gnuplot failed" */
START_TEST(no_cells_to_plot)
{
	char args[400];
	struct cmd_result r;

	make_scratch();
	edit_results(no_cells, NULL);
	snprintf(args, sizeof(args), "report --plots %s", scratch);
	r = run_ipctrace(args, NULL);
	if (access("/usr/bin/gnuplot", X_OK) == 0)
		assert_one_line_error(&r, args, 1, "no cells to plot", NULL);
	else
		assert_one_line_error(&r, args, 1, "gnuplot is not installed", NULL);
	cmd_result_free(&r);
	remove_scratch();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("results");

	tcase_set_timeout(tc, 120);	/* a hang guard: 20000 cells are copied */
	tcase_add_test(tc, compare_finds_the_known_regression);
	tcase_add_test(tc, compare_threshold_and_direction);
	tcase_add_test(tc, report_renders_a_fixture);
	tcase_add_test(tc, missing_files_are_named);
	tcase_add_test(tc, truncated_file_is_named);
	tcase_add_test(tc, malformed_fields_are_named);
	tcase_add_test(tc, repeated_cells_are_an_error_in_the_file);
	tcase_add_test(tc, numbers_are_range_checked);
	tcase_add_test(tc, not_a_results_file);
	tcase_add_test(tc, no_cells_to_plot);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
