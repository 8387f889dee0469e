// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_defaults.c - `ipctrace trace` with its defaults is the cheap
 * path: no syscall tracepoint is attached, read back from the attach
 * report of --json and, while the trace runs, from the kernel itself (the
 * bpf_link fds of the ipctrace process in /proc/PID/fdinfo). The channel
 * is still found, with its waits; calls the mode cannot count are null,
 * never 0. --syscall-counts, in tracepoint mode, does attach sys_exit:
 * the check that finds none would find it.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <jansson.h>
#include "procfs.h"
#include "runcmd.h"
#include "run_doc.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX];

/* the tracepoints the bpf_link fds of process pid attach to, "a,b,c," */
static void linked_tracepoints(pid_t pid, char *buf, size_t len)
{
	char dir[64], path[320], line[256];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	buf[0] = '\0';
	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "tp_name:", 8) && n < len)
				n += (size_t)snprintf(buf + n, len - n, "%s,",
						      line + 8 + strspn(line + 8, " \t"));
		if (f)
			fclose(f);
	}
	closedir(d);
	/* one line per name: drop the newlines fgets kept */
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			memmove(p, p + 1, strlen(p));
}

static bool links_to(json_t *doc, const char *target)
{
	json_t *links = json_object_get(json_object_get(doc, "attach"), "links"), *l;
	size_t i;

	json_array_foreach(links, i, l)
		if (strstr(json_string_value(json_object_get(l, "target")) ?: "", target))
			return true;
	return false;
}

/*
 * Trace a parked ipc_pattern by pid with args; return the JSON document and
 * what the kernel said was attached while it ran.
 */
static json_t *trace_pattern(const char *extra, char *attached, size_t len,
			     pid_t *writer_out)
{
	char *argv[] = { pattern_bin, "pipe", "2000", "65536", "--wait", "--park", NULL };
	struct spawned prog, t;
	struct cmd_result r;
	char args[256], *out = NULL, *err = NULL, **targv;
	size_t olen = 0, elen = 0;
	pid_t pid, writer, reader;
	json_t *doc;
	int in;

	ck_assert_int_eq(spawn_cmd_stdin(argv, &prog, &in), 0);
	ck_assert_int_eq(read_until(prog.out, &out, &olen, "reader="), 0);
	ck_assert_int_eq(read_until(prog.out, &out, &olen, "\n"), 0);
	ck_assert_int_eq(sscanf(strstr(out, "ready pid="), "ready pid=%d writer=%d reader=%d",
				&pid, &writer, &reader), 3);
	snprintf(args, sizeof(args), "trace -p %d %s --json -o defaults.json", pid, extra);
	targv = ipctrace_argv(args);
	ck_assert_int_eq(spawn_cmd(targv, NULL, &t), 0);
	free_argv(targv);
	ck_assert_msg(read_until(t.err, &err, &elen, "Ctrl-C to end") == 0,
		      "trace never attached: %s", err ? err : "");
	free(err);
	/* what is attached, as the kernel holds it */
	linked_tracepoints(t.pid, attached, len);
	ck_assert_int_eq(write(in, "go\n", 3), 3);
	ck_assert_int_eq(read_until(prog.out, &out, &olen, "bytes="), 0);
	ck_assert_int_eq(proc_wait_blocked_in(pid, writer, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(pid, reader, SYS_futex, 60, NULL), 0);
	kill(t.pid, SIGINT);
	spawn_finish(&t, &r);
	ck_assert_msg(r.status == 0, "trace exit %d: %s", r.status, r.err);
	cmd_result_free(&r);
	close(in);
	spawn_finish(&prog, &r);
	cmd_result_free(&r);
	free(out);
	doc = json_load_file("defaults.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	*writer_out = writer;
	return doc;
}

/* the channel the writer blocked on: 2000 writes of 64 KiB into a pipe */
static json_t *blocked_channel(json_t *doc)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "channels"), i, c)
		if (json_integer_value(json_object_get(c, "blocked_writes")) > 0)
			return c;
	ck_abort_msg("no channel with blocked writes");
	return NULL;
}

START_TEST(default_trace_attaches_no_syscall_tracepoint)
{
	char attached[2048];
	const char *mode;
	pid_t writer;
	json_t *doc = trace_pattern("", attached, sizeof(attached), &writer), *ch;

	mode = json_string_value(json_object_get(json_object_get(doc, "attach"), "mode"));
	/* the kernel's view: the scheduler, and no syscall tracepoint */
	ck_assert_msg(strstr(attached, "sched_switch,"), "no sched_switch link seen: %s",
		      attached);
	ck_assert_msg(!strstr(attached, "sys_exit") && !strstr(attached, "sys_enter"),
		      "a syscall tracepoint is attached: %s", attached);
	/* the attach report says the same */
	ck_assert(links_to(doc, "sched_switch"));
	ck_assert(!links_to(doc, "sys_exit") && !links_to(doc, "sys_enter"));
	ck_assert(!strstr(json_string_value(json_object_get(json_object_get(doc, "attach"),
							    "calls")) ?: "", "raw_syscalls"));
	/* the channel is found with its waits; pipe calls known only where
	 * the mode counts them, else null, never 0 */
	ch = blocked_channel(doc);
	ck_assert_str_eq(json_string_value(json_object_get(ch, "kind")), "pipe");
	if (!strcmp(mode, "tracepoint")) {
		ck_assert(json_is_null(json_object_get(ch, "writes")));
		ck_assert(json_is_null(json_object_get(ch, "bytes_written")));
	} else {
		ck_assert_int_eq(json_integer_value(json_object_get(ch, "writes")), 2000);
	}
	/* and what watching cost is stated */
	ck_assert(json_is_object(json_object_get(doc, "observer")));
	json_decref(doc);
}
END_TEST

/* the opt-in is the only way to sys_exit: the check above would see it */
START_TEST(syscall_counts_attach_sys_exit)
{
	char attached[2048];
	pid_t writer;
	json_t *doc = trace_pattern("--syscall-counts", attached, sizeof(attached),
				    &writer), *ch;
	const char *mode = json_string_value(json_object_get(json_object_get(doc, "attach"),
							     "mode"));

	ch = blocked_channel(doc);
	/* exact, or short by no more than the runs the kernel skipped and
	 * trace reported */
	ASSERT_COUNT_BOUND(json_integer_value(json_object_get(ch, "writes")), 2000,
			   trace_skipped_runs(doc), 1);
	if (!strcmp(mode, "tracepoint")) {
		ck_assert_msg(strstr(attached, "sys_exit,"), "no sys_exit link: %s", attached);
		ck_assert(links_to(doc, "sys_exit"));
	}
	json_decref(doc);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("trace-defaults");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-trace-defaults-XXXXXX";

	if (enter_pattern_and_scratch_dir(pattern_bin, dir))
		return 2;
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, default_trace_attaches_no_syscall_tracepoint);
	tcase_add_test(tc, syscall_counts_attach_sys_exit);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
