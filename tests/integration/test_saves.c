// SPDX-License-Identifier: GPL-2.0
/*
 * test_saves.c - outputs that fail are said and marked, never passed off
 * as saved: a results directory on a full filesystem (exit 1, meta.json
 * partial, no file cut short under its final name), reports written to a
 * full device, and trace --folded into a symlink, a device and a FIFO
 * (written in place, the link and the node kept), checked before anything
 * attaches.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <jansson.h>
#include "runcmd.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX];

/* ipctrace args ending in "-c X", X replaced by cmd as one argument */
static struct cmd_result run_with_command(const char *args, const char *cmd,
					  int (*before)(void))
{
	char **argv = ipctrace_argv(args);
	struct cmd_result r;
	int i = 1;

	while (argv[i] && strcmp(argv[i - 1], "-c"))
		i++;
	ck_assert_ptr_nonnull(argv[i]);
	free(argv[i]);
	argv[i] = strdup(cmd);
	ck_assert_int_eq(run_cmd(argv, before, &r), 0);
	free_argv(argv);
	return r;
}

static const char *pattern_cmd(void)
{
	static char cmd[PATH_MAX + 64];

	/* 3000 writes of 4 KiB through a pipe: its writer blocks */
	snprintf(cmd, sizeof(cmd), "%s pipe 3000 4096", pattern_bin);
	return cmd;
}

/* does the file end with its closing tag? */
static bool svg_whole(const char *path)
{
	char tail[64] = "";
	FILE *f = fopen(path, "r");
	long size;
	size_t n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size > 63 ? size - 63 : 0, SEEK_SET);
	n = fread(tail, 1, sizeof(tail) - 1, f);
	tail[n] = '\0';
	fclose(f);
	return strstr(tail, "</svg>") != NULL;
}

/*
 * A tmpfs of 40 KiB: the first groups' files fit, the final results.json
 * or the plots do not. Exit 1 with the reason, meta.json partial, and
 * every file under its final name whole (JSON that parses, SVGs closed).
 */
START_TEST(full_filesystem_is_a_failed_save)
{
	struct cmd_result r;
	json_t *meta;
	DIR *d;
	struct dirent *e;
	int files = 0;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_int_eq(mkdir("full", 0755), 0);
	ck_assert_int_eq(mount("tmpfs", "full", "tmpfs", 0, "size=40k"), 0);
	r = run_ipctrace("run -t pipe,socketpair -m 4K,64K,256K -b default -r 2"
			 " --warmup 0 --bytes 2M -o full/out", NULL);
	ck_assert_msg(r.status == 1, "exit %d on a full disk: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "results not saved completely"));
	ck_assert_ptr_nonnull(strstr(r.err, "No space left on device") ?:
			      strstr(r.err, "incompletely"));
	meta = json_load_file("full/out/meta.json", 0, NULL);
	if (meta)
		ck_assert_msg(json_is_true(json_object_get(meta, "partial")),
			      "meta.json says complete after a failed save");
	json_decref(meta);
	d = opendir("full/out");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300];
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "full/out/%s", e->d_name);
		files++;
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json")) {
			json_t *doc = json_load_file(path, 0, NULL);

			ck_assert_msg(doc != NULL, "%s is cut short", path);
			json_decref(doc);
		}
		if (len > 4 && !strcmp(e->d_name + len - 4, ".svg"))
			ck_assert_msg(svg_whole(path), "%s is cut short", path);
	}
	closedir(d);
	ck_assert_int_gt(files, 0);
	cmd_result_free(&r);
	umount2("full", MNT_DETACH);
}
END_TEST

static int stdout_to_full(void)
{
	int fd = open("/dev/full", O_WRONLY);

	return fd < 0 || dup2(fd, 1) < 0;
}

/*
 * A directory name that is not UTF-8 (Linux allows any bytes): every file
 * is written, the name kept readable in the JSON as \xNN. jansson refused
 * the raw bytes, and results.json, cells.csv and report.md went missing.
 */
START_TEST(a_name_that_is_not_utf8)
{
	char *argv[] = { (char *)ipctrace_bin(), "run", "-t", "pipe", "-m", "4K", "-b",
			 "default", "-r", "1", "--warmup", "0", "--bytes", "1M", "-o",
			 "r\xff" "6", NULL };
	static const char *const files[] = { "meta.json", "results.json", "cells.csv",
					     "report.md" };
	struct cmd_result r;
	const char *cmdline;
	json_t *meta;
	char path[64];

	ck_assert_int_eq(run_cmd(argv, NULL, &r), 0);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "r\xff" "6/%s", files[i]);
		ck_assert_msg(access(path, R_OK) == 0, "no %s", files[i]);
	}
	meta = json_load_file("r\xff" "6/meta.json", 0, NULL);
	ck_assert_ptr_nonnull(meta);
	cmdline = json_string_value(json_object_get(meta, "command_line"));
	ck_assert_msg(cmdline != NULL, "meta.json has no command_line");
	ck_assert_ptr_nonnull(strstr(cmdline, "-o r\\xff6"));
	json_decref(meta);
	cmd_result_free(&r);
}
END_TEST

/* the report that could not be written is an error, for run and trace */
START_TEST(report_to_a_full_device_is_an_error)
{
	struct cmd_result r = run_with_command("trace -o /dev/full -c X", "true", NULL);

	ck_assert_msg(r.status == 1, "trace -o /dev/full: exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "the report was not written: /dev/full:"
				     " No space left on device"));
	cmd_result_free(&r);
	r = run_ipctrace("run -t pipe -m 4K -b default -r 1 --warmup 0 --bytes 1M"
			 " -o to-full", stdout_to_full);
	ck_assert_msg(r.status == 1, "run > /dev/full: exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "the report was not written: stdout:"
				     " No space left on device"));
	/* what could be saved still was */
	ck_assert_int_eq(access("to-full/results.json", R_OK), 0);
	cmd_result_free(&r);
}
END_TEST

static int count_folded_lines(const char *path)
{
	char line[8192];
	FILE *f = fopen(path, "r");
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		ck_assert_msg(strchr(line, ';') && strrchr(line, ' '), "not folded: %s", line);
		n++;
	}
	fclose(f);
	return n;
}

/* --folded through a symlink writes its target; the link stays a link */
START_TEST(folded_through_a_symlink_keeps_the_link)
{
	struct cmd_result r;
	struct stat st;
	FILE *f = fopen("stacks.txt", "w");

	fputs("old\n", f);
	fclose(f);
	ck_assert_int_eq(symlink("stacks.txt", "link.folded"), 0);
	r = run_with_command("trace --folded link.folded -o /dev/null -c X",
			     pattern_cmd(), NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_int_eq(lstat("link.folded", &st), 0);
	ck_assert_msg(S_ISLNK(st.st_mode), "the symlink was replaced");
	ck_assert_int_gt(count_folded_lines("stacks.txt"), 0);
	cmd_result_free(&r);
}
END_TEST

/*
 * --folded into a device: written in place (here a full one, like
 * /dev/full, made for the test), never replaced by a file; its failure is
 * exit 1 and one line, and the report is still written.
 */
START_TEST(folded_into_a_device_in_place)
{
	struct cmd_result r;
	struct stat st;
	char head[32] = "";
	FILE *f;

	ck_assert_int_eq(mknod("full-node", S_IFCHR | 0666, makedev(1, 7)), 0);
	r = run_with_command("trace --folded full-node -o report.txt -c X",
			     pattern_cmd(), NULL);
	ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "--folded: cannot write full-node: No space"
				     " left on device"));
	ck_assert_int_eq(stat("full-node", &st), 0);
	ck_assert_msg(S_ISCHR(st.st_mode), "the device node was replaced");
	f = fopen("report.txt", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(head, sizeof(head), f));
	fclose(f);
	ck_assert_msg(!strncmp(head, "ipctrace trace:", 15), "no report: %s", head);
	cmd_result_free(&r);
}
END_TEST

/* --folded into a FIFO: its reader gets the stacks, the FIFO stays */
START_TEST(folded_into_a_fifo)
{
	struct cmd_result r;
	struct stat st;
	char buf[65536];
	ssize_t n, total = 0;
	int fd;

	ck_assert_int_eq(mkfifo("stacks.fifo", 0644), 0);
	/* a reader that does not block: the writer's open finds it */
	fd = open("stacks.fifo", O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	r = run_with_command("trace --folded stacks.fifo -o /dev/null -c X",
			     pattern_cmd(), NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	buf[total] = '\0';
	close(fd);
	ck_assert_msg(total > 0 && strchr(buf, ';'), "the FIFO's reader got: %s", buf);
	ck_assert_int_eq(stat("stacks.fifo", &st), 0);
	ck_assert_msg(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	cmd_result_free(&r);
}
END_TEST

/* an output that cannot be written is refused before anything attaches */
START_TEST(folded_checked_before_attaching)
{
	struct cmd_result r = run_with_command("trace --folded /nonexistent/x.folded"
					       " -c X", "true", NULL);

	assert_one_line_error(&r, "--folded /nonexistent/x.folded", 1,
			      "--folded: cannot write /nonexistent/x.folded: /nonexistent:"
			      " No such file or directory", NULL);
	cmd_result_free(&r);
	ck_assert_int_eq(mkdir("a-dir", 0755), 0);
	r = run_with_command("trace --folded a-dir -c X", "true", NULL);
	assert_one_line_error(&r, "--folded a-dir", 1, "cannot write a-dir: it is a"
			      " directory", NULL);
	cmd_result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("saves");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-saves-XXXXXX";

	if (enter_pattern_and_scratch_dir(pattern_bin, dir))
		return 2;
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, full_filesystem_is_a_failed_save);
	tcase_add_test(tc, report_to_a_full_device_is_an_error);
	tcase_add_test(tc, a_name_that_is_not_utf8);
	tcase_add_test(tc, folded_through_a_symlink_keeps_the_link);
	tcase_add_test(tc, folded_into_a_device_in_place);
	tcase_add_test(tc, folded_into_a_fifo);
	tcase_add_test(tc, folded_checked_before_attaching);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
