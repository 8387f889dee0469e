// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_view.c - what `ipctrace trace` shows a user: a socket pair is
 * one channel (both ends, one per direction), a unix socket's fill is the
 * data queued and, apart, the buffer accounting; every syscall by its
 * name; the header says what the writes and reads columns count; waits
 * beside blocked calls; each thread's sleeps by syscall in the text; the
 * -i interval's time on a line of its own.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "runcmd.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX];

/* ipctrace args ending in "-c X", X replaced by cmd as one argument */
static struct cmd_result run_with_command(const char *args, const char *cmd)
{
	char **argv = ipctrace_argv(args);
	struct cmd_result r;
	int i = 1;

	while (argv[i] && strcmp(argv[i - 1], "-c"))
		i++;
	ck_assert_ptr_nonnull(argv[i]);
	free(argv[i]);
	argv[i] = strdup(cmd);
	ck_assert_int_eq(run_cmd(argv, NULL, &r), 0);
	free_argv(argv);
	return r;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static long long num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* 3000 writes of 1000 B over a socketpair, traced as -c: JSON and text */
static void socketpair_trace(json_t **doc, char **text, long *reads)
{
	char cmd[PATH_MAX + 64];
	struct cmd_result r;
	const char *at;

	snprintf(cmd, sizeof(cmd), "%s socketpair 3000 1000", pattern_bin);
	r = run_with_command("trace --json -o sp.json -c X", cmd);
	ck_assert_msg(r.status == 0, "%s", r.err);
	at = strstr(r.out, "reads=");
	ck_assert_ptr_nonnull(at);
	*reads = atol(at + 6);
	cmd_result_free(&r);
	*doc = json_load_file("sp.json", 0, NULL);
	ck_assert_ptr_nonnull(*doc);
	r = run_with_command("trace -o sp.txt -c X", cmd);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cmd_result_free(&r);
	*text = slurp("sp.txt");
}

/*
 * One socketpair, one channel: the writer's end holds the writes, the
 * reader's end the reads; they were two channels, each with half of it.
 */
START_TEST(a_socketpair_is_one_channel)
{
	json_t *doc, *c, *unix_ch = NULL, *ends;
	char *text;
	long reads;
	size_t i;
	int n = 0;

	socketpair_trace(&doc, &text, &reads);
	json_array_foreach(json_object_get(doc, "channels"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "kind")), "unix_stream")) {
			unix_ch = c;
			n++;
		}
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(num(unix_ch, "writes"), 3000);
	ck_assert_int_eq(num(unix_ch, "bytes_written"), 3000 * 1000);
	ck_assert_int_eq(num(unix_ch, "reads"), reads);
	ck_assert_int_eq(num(unix_ch, "bytes_read"), 3000 * 1000);
	ends = json_object_get(unix_ch, "ends");
	ck_assert_int_eq(json_array_size(ends), 2);
	ck_assert_int_eq(num(json_array_get(ends, 0), "ino"), num(unix_ch, "ino"));
	ck_assert_int_eq(num(json_array_get(ends, 1), "ino"), num(unix_ch, "peer_ino"));
	/* the text: one heading for the pair, one line per side of it */
	ck_assert_int_eq(count_of(text, "(unix stream)\n"), 1);
	ck_assert_int_eq(count_of(text, "(unix stream; the peer's end not traced)"), 0);
	ck_assert_ptr_nonnull(strstr(text, "    writes 3000 ("));
	ck_assert_int_eq(count_of(text, ", 3000000 bytes, into socket:["), 1);
	ck_assert_int_eq(count_of(text, ", 3000000 bytes, from socket:["), 1);
	json_decref(doc);
	free(text);
}
END_TEST

/*
 * A unix writer waits on buffer accounting (sk_wmem_alloc: skb truesize),
 * not data: with 1000-byte writes the data queued is well below it. Both
 * are shown, as two figures, never as "N of M bytes used".
 */
START_TEST(unix_fill_is_data_and_accounting)
{
	json_t *doc, *c, *fill = NULL;
	char *text;
	long reads;
	size_t i;

	socketpair_trace(&doc, &text, &reads);
	json_array_foreach(json_object_get(doc, "channels"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "kind")), "unix_stream"))
			fill = json_object_get(c, "fill_at_block");
	if (json_is_object(fill)) {	/* the writer blocked at least once */
		double data = json_number_value(json_object_get(fill, "bytes_mean"));
		double acct = json_number_value(json_object_get(fill, "used_mean"));

		ck_assert_msg(data > 0 && data < acct, "data %.0f, accounting %.0f", data,
			      acct);
	}
	/*
	 * The text comes from a second trace, whose writer may not have
	 * blocked where the first one's did (seen in make test: no fill line
	 * at all): where it shows the fill, it shows both figures.
	 */
	if (strstr(text, "    at block: "))
		ck_assert_msg(strstr(text, "bytes of data queued; send buffer"
				     " accounting"), "%s", text);
	ck_assert_ptr_null(strstr(text, "bytes of sndbuf used"));
	json_decref(doc);
	free(text);
}
END_TEST

/* what the header says is counted, and waits beside blocked calls */
START_TEST(the_header_says_what_is_counted)
{
	json_t *doc;
	char *text, want[160];
	long reads;
	const char *src, *scope;

	socketpair_trace(&doc, &text, &reads);
	src = json_string_value(json_object_get(doc, "calls_source"));
	scope = json_string_value(json_object_get(doc, "calls_scope"));
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(scope);
	ck_assert_str_eq(scope, !strncmp(src, "counted at", 10) ?
			 "calls on pipes and unix stream sockets only" :
			 "write/read-family calls on any fd (files too)");
	snprintf(want, sizeof(want), "\nwrites, reads = %s\n", scope);
	ck_assert_msg(strstr(text, want), "no '%s' in:\n%s", want, text);
	ck_assert_ptr_nonnull(strstr(text, "blocked, "));
	ck_assert_ptr_nonnull(strstr(text, " waits), "));
	/* each thread's sleeps: the writer's in write (or sendmsg) */
	ck_assert_msg(strstr(text, " slept in: "), "no per-thread sleeps:\n%s", text);
	json_decref(doc);
	free(text);
}
END_TEST

/* a sleep in flock(2): not in the old hand table of names */
START_TEST(syscalls_by_name)
{
	struct cmd_result r = run_with_command("trace --json -o flock.json -c X",
		"flock lock.flock sleep 0.3 & sleep 0.1; flock lock.flock true; wait");
	json_t *doc, *p, *t, *e;
	size_t i, j, k;
	bool flock_seen = false;

	ck_assert_msg(r.status == 0, "%s", r.err);
	cmd_result_free(&r);
	doc = json_load_file("flock.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	json_array_foreach(json_object_get(doc, "processes"), i, p)
		json_array_foreach(json_object_get(p, "threads"), j, t)
			json_array_foreach(json_object_get(t, "sleeps"), k, e) {
				const char *name = json_string_value(json_object_get(e,
								     "syscall"));

				ck_assert_msg(strncmp(name, "syscall ", 8), "unnamed: %s", name);
				flock_seen |= !strcmp(name, "flock");
			}
	ck_assert_msg(flock_seen, "no sleep in flock");
	json_decref(doc);
}
END_TEST

/* -i: "-- 0.1 s" on its own line, then the columns */
START_TEST(interval_time_on_its_own_line)
{
	char cmd[PATH_MAX + 64];
	struct cmd_result r;
	const char *at;

	snprintf(cmd, sizeof(cmd), "%s pipe 1000000 100", pattern_bin);
	r = run_with_command("trace -i 0.1 -o iv.txt -c X", cmd);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cmd_result_free(&r);
	{
		char *text = slurp("iv.txt");

		at = strstr(text, "-- 0.1 s\n");
		ck_assert_msg(at, "no interval line:\n%.400s", text);
		ck_assert_msg(!strncmp(strchr(at, '\n') + 1, "            tid comm ", 21),
			      "the columns do not follow: %.200s", at);
		free(text);
	}
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("trace view");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-trace-view-XXXXXX";

	if (enter_pattern_and_scratch_dir(pattern_bin, dir))
		return 2;
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, a_socketpair_is_one_channel);
	tcase_add_test(tc, unix_fill_is_data_and_accounting);
	tcase_add_test(tc, the_header_says_what_is_counted);
	tcase_add_test(tc, syscalls_by_name);
	tcase_add_test(tc, interval_time_on_its_own_line);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
