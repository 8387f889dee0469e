// SPDX-License-Identifier: GPL-2.0
/*
 * test_install.c - the installed ipctrace works from anywhere: run by
 * tests/run/30-install.t on the binary `make install DESTDIR=...` put in
 * place ($IPCTRACE_BIN), from a scratch directory, with the checkout
 * hidden under an empty tmpfs in a private mount namespace, so anything
 * the binary still needed from the tree would fail here. probe selects the
 * mode probe selects from the checkout, a short run reconciles exactly and
 * writes its directory, report prints it again byte for byte, the default
 * results directory lands under the current directory, the plots are drawn
 * when gnuplot is on PATH, and --version and meta.json name the version
 * the build compiled in.
 *
 * $IPCTRACE_CHECKOUT: the tree to hide. $IPCTRACE_EXPECT_VERSION: what
 * `make -s version` printed, "0.1.0 (3917b38eaf7c)". $IPCTRACE_EXPECT_MODE:
 * the mode probe selects here.
 */
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "plots.h"
#include "runcmd.h"
#include "tap_suite.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v && *v, "$%s is not set: run this from tests/run/30-install.t", name);
	return v;
}

/* before_exec: the checkout becomes an empty directory for the child */
static int hide_checkout(void)
{
	return unshare(CLONE_NEWNS) ||
	       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	       mount("none", getenv("IPCTRACE_CHECKOUT"), "tmpfs", MS_RDONLY, NULL);
}

/* the installed ipctrace, args split as run_ipctrace does, checkout hidden */
static struct cmd_result installed(const char *args)
{
	return run_ipctrace(args, hide_checkout);
}

/* the hiding works: the child sees nothing where the checkout is */
START_TEST(the_checkout_is_hidden)
{
	char *argv[] = { "/bin/ls", "-A", (char *)env("IPCTRACE_CHECKOUT"), NULL };
	struct cmd_result r;

	ck_assert_int_eq(access("Makefile", F_OK) == 0, 0);	/* we are elsewhere */
	ck_assert_int_eq(run_cmd(argv, hide_checkout, &r), 0);
	ck_assert_msg(r.status == 0 && r.out[0] == '\0', "ls %s: exit %d, '%s' %s",
		      argv[2], r.status, r.out, r.err);
	cmd_result_free(&r);
}
END_TEST

START_TEST(version_is_the_builds)
{
	struct cmd_result r = installed("--version");
	char want[256];

	snprintf(want, sizeof(want), "ipctrace %s\n", env("IPCTRACE_EXPECT_VERSION"));
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	cmd_result_free(&r);
}
END_TEST

START_TEST(probe_json_selects_the_mode)
{
	struct cmd_result r = installed("probe --json");
	json_error_t jerr;
	json_t *doc;

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, &jerr);
	ck_assert_msg(doc != NULL, "not JSON (%s): %.300s", jerr.text, r.out);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "selected")),
			 env("IPCTRACE_EXPECT_MODE"));
	json_decref(doc);
	cmd_result_free(&r);
}
END_TEST

/* "0.1.0 (3917b38eaf7c)" -> version "0.1.0", revision "3917b38eaf7c" */
static void expected_version(char *version, size_t vlen, char *rev, size_t rlen)
{
	const char *v = env("IPCTRACE_EXPECT_VERSION"), *paren = strchr(v, '(');

	ck_assert_ptr_nonnull(paren);
	snprintf(version, vlen, "%.*s", (int)(paren - v - 1), v);
	snprintf(rev, rlen, "%.*s", (int)strlen(paren + 1) - 1, paren + 1);
}

static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s is missing", path);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

START_TEST(run_then_report_from_elsewhere)
{
	struct cmd_result r, rep;
	json_t *doc, *meta, *c, *rec;
	char version[64], rev[128], text[65536];

	r = installed("run -t pipe -m 64K -b default --pattern stream -r 1 --warmup 0 --bytes 1M -o quick");
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "results: quick/"));
	doc = json_load_file("quick/results.json", 0, NULL);
	meta = json_load_file("quick/meta.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(meta);
	/* one cell, 1 MiB in 64 KiB writes: 16 calls, every count reconciled */
	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 1);
	c = json_array_get(json_object_get(doc, "cells"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "transport")), "pipe");
	rec = json_object_get(c, "reconciliation");
	ck_assert_msg(json_is_true(json_object_get(rec, "ok")), "%s",
		      json_string_value(json_object_get(rec, "first_failure")));
	ck_assert_int_ge(json_integer_value(json_object_get(rec, "checks")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(rec, "failed")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
		json_object_get(json_array_get(json_object_get(c, "reps"), 0), "roles"), 0),
		"write_calls")), 16);
	expected_version(version, sizeof(version), rev, sizeof(rev));
	ck_assert_str_eq(json_string_value(json_object_get(meta, "ipctrace_version")), version);
	ck_assert_str_eq(json_string_value(json_object_get(meta, "git_revision")), rev);
	read_file("quick/cells.csv", text, sizeof(text));
	ck_assert_int_eq(count_lines(text), 2);
	read_file("quick/report.md", text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "verdicts:"));
	/* the plots need gnuplot on PATH, nothing else */
	if (plots_available())
		ck_assert_msg(access("quick/throughput_vs_buffer.svg", R_OK) == 0,
			      "gnuplot is on PATH, yet no plot: %s", r.err);
	else
		ck_assert_ptr_nonnull(strstr(text, "ipctrace report quick --plots"));
	/* report prints what run printed, byte for byte */
	rep = installed("report quick");
	ck_assert_msg(rep.status == 0, "exit %d: %s", rep.status, rep.err);
	ck_assert_str_eq(rep.out, r.out);
	json_decref(doc);
	json_decref(meta);
	cmd_result_free(&r);
	cmd_result_free(&rep);
}
END_TEST

/* without -o: results/<date>-<host>-<kernel>/ under the current directory */
START_TEST(default_results_directory_is_under_cwd)
{
	struct cmd_result r;
	struct dirent *e;
	char path[512], *dir = NULL;
	DIR *d;
	int n = 0;

	ck_assert_int_eq(mkdir("here", 0755), 0);
	ck_assert_int_eq(chdir("here"), 0);
	r = installed("run -t pipe -m 64K -b default --pattern stream -r 1 --warmup 0 --bytes 1M");
	ck_assert_int_eq(chdir(".."), 0);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	d = opendir("here/results");
	ck_assert_msg(d != NULL, "no results/ in the current directory: %s", r.err);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			n++;
			free(dir);
			dir = strdup(e->d_name);
		}
	closedir(d);
	ck_assert_int_eq(n, 1);
	snprintf(path, sizeof(path), "here/results/%s/results.json", dir);
	ck_assert_msg(access(path, R_OK) == 0, "no %s", path);
	snprintf(path, sizeof(path), "results: results/%s/", dir);
	ck_assert_ptr_nonnull(strstr(r.err, path));
	free(dir);
	cmd_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("install");
	TCase *tc = tcase_create("installed");
	char dir[] = "/tmp/ipctrace-installed-XXXXXX";

	if (!getenv("IPCTRACE_BIN") || !getenv("IPCTRACE_CHECKOUT")) {
		fprintf(stderr, "test_install: set IPCTRACE_BIN (the installed ipctrace)"
			" and IPCTRACE_CHECKOUT (run tests/run/30-install.t)\n");
		return 2;
	}
	if (enter_scratch_dir(dir)) {
		perror("setting up a scratch directory");
		return 2;
	}
	tcase_set_timeout(tc, 300);	/* a hang guard */
	tcase_add_test(tc, the_checkout_is_hidden);
	tcase_add_test(tc, version_is_the_builds);
	tcase_add_test(tc, probe_json_selects_the_mode);
	tcase_add_test(tc, run_then_report_from_elsewhere);
	tcase_add_test(tc, default_results_directory_is_under_cwd);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
