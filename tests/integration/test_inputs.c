// SPDX-License-Identifier: GPL-2.0
/*
 * test_inputs.c - bad command lines, each with its exact one-line answer:
 * lists with a value twice, sizes that would wrap, numbers that mean
 * nothing (nan, inf, hex, 1e100, a negative DURATION), ids that do not
 * fit, empty items, arguments of 100 KB or with a newline (cut and
 * escaped, the reason kept), argp's own errors. Each exits with its status
 * before anything runs, prints nothing on stdout, and attaches nothing.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "leftovers.h"
#include "runcmd.h"
#include "tap_suite.h"

/*
 * Bad input fails before anything runs, so a run still going after this
 * long took the input: a hang guard, killed with all it started.
 */
#define ACCEPTED_AFTER_S 20

static void run_bounded(char *const argv[], struct cmd_result *r, const char *shown)
{
	struct run_trail t = { 0 };
	struct spawned s;
	int status;

	ck_assert_int_eq(spawn_cmd(argv, NULL, &s), 0);
	trail_update(&t, s.pid);
	status = wait_exit(s.pid, ACCEPTED_AFTER_S);
	if (status < 0) {
		trail_update(&t, s.pid);
		for (int i = 0; i < t.npids; i++)
			kill(t.pids[i], SIGKILL);
		waitpid(s.pid, NULL, 0);
		close(s.out);
		close(s.err);
		ck_abort_msg("%s: still running after %d s: the bad input was taken",
			     shown, ACCEPTED_AFTER_S);
	}
	/* it exited: the status, then what it printed (spawn_finish reaps) */
	s.pid = -1;
	r->out = r->err = NULL;
	{
		size_t len;
		char *out = NULL, *err = NULL;

		read_until(s.out, &out, &len, "\x01never\x01");
		read_until(s.err, &err, &len, "\x01never\x01");
		close(s.out);
		close(s.err);
		r->out = out;
		r->err = err;
	}
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct bad {
	const char *argv[8];	/* after the binary; "LONG" is 100 KB of 'x' */
	const char *env;	/* NAME=VALUE set for the run, or NULL */
	int status;
	const char *message;	/* stderr, exactly */
};

#define TOO_BIG "above the 1G ipctrace supports (pipes and socket buffers take an" \
	" int); use a smaller --buffer-size"
#define DURATION_NAN "is not a number of seconds (e.g. 10, 2.5 or 500ms)"

static const struct bad bad[] = {
	/* duplicates: a cell given twice would be compared with itself */
	{ { "run", "-m", "4K,4K" }, NULL, 2, "--msg-size lists 4K twice (4096 and 4K"
	  " are one size): give each size once" },
	{ { "run", "-m", "4096,1000,4K" }, NULL, 2, "--msg-size lists 4K twice (4096"
	  " and 4K are one size): give each size once" },
	{ { "run", "-b", "default,16K,default" }, NULL, 2, "--buffer-size lists default"
	  " twice: give each size once" },
	{ { "run", "-t", "pipe,socketpair,pipe" }, NULL, 2, "transport 'pipe' is listed"
	  " twice: give each transport once" },
	{ { "run", "-p", "same-cpu,same-cpu" }, NULL, 2, "placement 'same-cpu' is"
	  " listed twice: give each placement once" },
	/* sizes that wrapped in an int */
	{ { "run", "-t", "pipe", "-b", "4G" }, NULL, 2, "buffer size 4G is " TOO_BIG },
	{ { "run", "-t", "pipe", "-b", "2G" }, NULL, 2, "buffer size 2G is " TOO_BIG },
	{ { "run", "-t", "pipe", "-b", "3G" }, NULL, 2, "buffer size 3G is " TOO_BIG },
	{ { "run", "-t", "socketpair", "-b", "16T" }, NULL, 2, "buffer size 16384G is "
	  TOO_BIG },
	{ { "run", "-b", "99999999999999999999" }, NULL, 2, "--buffer-size:"
	  " '99999999999999999999' is too large" },
	{ { "run", "--bytes", "2T" }, NULL, 2, "--bytes 2048G is above the 1T ipctrace"
	  " supports per repetition" },
	/* numbers that mean nothing */
	{ { "run", "-w", "nan" }, NULL, 2, "--warmup 'nan' is not a number of seconds"
	  " (e.g. 0.15, or 0 for none)" },
	{ { "run", "-d", "inf" }, NULL, 2, "--duration 'inf' is not a number of seconds"
	  " (e.g. 0.4 or 250ms)" },
	{ { "run", "-d", "0x10" }, NULL, 2, "--duration '0x10' is not a number of"
	  " seconds (e.g. 0.4 or 250ms)" },
	{ { "run", "-r", "4294967297" }, NULL, 2, "--repeat '4294967297': give 1 to"
	  " 1000 repetitions" },
	{ { "run", "--pairs", "-1" }, NULL, 2, "--pairs '-1': give a whole number of"
	  " pairs" },
	{ { "trace", "-p", "1", "nan" }, NULL, 2, "DURATION 'nan' " DURATION_NAN },
	{ { "trace", "-p", "1", "inf" }, NULL, 2, "DURATION 'inf' " DURATION_NAN },
	{ { "trace", "-p", "1", "1e100" }, NULL, 2, "DURATION '1e100' " DURATION_NAN },
	{ { "trace", "-p", "1", "0x10" }, NULL, 2, "DURATION '0x10' " DURATION_NAN },
	{ { "trace", "-p", "1", "0" }, NULL, 2, "DURATION '0': give seconds above 0"
	  " and at most 1000000, or none to trace until Ctrl-C" },
	{ { "trace", "-p", "1", "-1" }, NULL, 2, "DURATION '-1' is below 0: give"
	  " seconds above 0, or none to trace until Ctrl-C" },
	{ { "trace", "-p", "1", "5", "6" }, NULL, 2, "unexpected argument '6': the only"
	  " argument is the DURATION, given already" },
	{ { "trace", "-p", "1", "-i", "nan" }, NULL, 2, "--interval 'nan': give"
	  " seconds, from 0.05 to 1000000" },
	{ { "bench", "-r", "4294967297" }, NULL, 2, "--rounds '4294967297': use 1 to"
	  " 100" },
	{ { "compare", "--threshold", "nan", "a", "b" }, NULL, 2, "--threshold 'nan':"
	  " give a percentage from 0 to 99" },
	{ { "run" }, "SUDO_UID=99999999999", 2, "SUDO_UID/SUDO_GID ('99999999999'/"
	  "'65534') are not a user and group id (0 to 4294967294); unset them or use"
	  " --keep-root" },
	/* empty items and commands */
	{ { "run", "-m", "," }, NULL, 2, "--msg-size ',' has an empty item: give sizes"
	  " separated by commas, e.g. 1000,4K" },
	{ { "run", "-m", "4K," }, NULL, 2, "--msg-size '4K,' has an empty item: give"
	  " sizes separated by commas, e.g. 1000,4K" },
	{ { "run", "-t", "" }, NULL, 2, "transport list '' has an empty item: use pipe,"
	  " socketpair, seqpacket, separated by commas" },
	{ { "run", "-o", "" }, NULL, 2, "-o '': give a directory name (not empty)" },
	{ { "trace", "-c", "" }, NULL, 2, "-c '': give the command to run, e.g. -c"
	  " \"make -j8\"" },
	{ { "trace", "-c", "  " }, NULL, 2, "-c '  ': give the command to run, e.g. -c"
	  " \"make -j8\"" },
	{ { "trace", "-p", "1,,2" }, NULL, 2, "-p '1,,2': an empty item; give process"
	  " ids separated by commas" },
	{ { "trace", "-p", "2" }, NULL, 2, "process 2 (kthreadd) is a kernel thread: it"
	  " makes no pipe or socket calls of its own; give a user process" },
	/* long and unprintable arguments: cut and escaped, the reason kept */
	{ { "run", "-m", "LONG" }, NULL, 2, "--msg-size: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxx... (102400 bytes)' is not a size" },
	{ { "run", "-t", "pi\npe" }, NULL, 2, "unknown transport 'pi\\npe': use pipe,"
	  " socketpair, seqpacket" },
	{ { "run", "-o", "LONG" }, NULL, 2, "-o 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "... (102400 bytes)': give a directory name shorter than PATH_MAX" },
	{ { "trace", "-p", "1", "-o", "LONG" }, NULL, 1, "cannot write 'xxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxx... (102400 bytes)': File name too long" },
	/* argp's own: one line, the argument named */
	{ { "run", "--bogus" }, NULL, 2, "unknown option '--bogus'; see 'ipctrace run"
	  " --help'" },
	{ { "run", "-x" }, NULL, 2, "unknown option '-x'; see 'ipctrace run --help'" },
	{ { "run", "-m" }, NULL, 2, "option '-m' needs a value (LIST)" },
	{ { "run", "--msg-size" }, NULL, 2, "option '--msg-size' needs a value (LIST)" },
	{ { "run", "--json=yes" }, NULL, 2, "option '--json' takes no value; see"
	  " 'ipctrace run --help'" },
	{ { "run", "stray" }, NULL, 2, "unexpected argument 'stray': run takes options"
	  " only; see ipctrace run --help" },
	{ { "report", "a", "b" }, NULL, 2, "unexpected argument 'b': give one results"
	  " directory" },
};

static char *long_arg(void)
{
	static char *s;

	if (!s) {
		s = malloc(102401);
		memset(s, 'x', 102400);
		s[102400] = '\0';
	}
	return s;
}

START_TEST(bad_input_is_one_exact_line)
{
	const struct bad *b = &bad[_i];
	char *argv[12] = { (char *)ipctrace_bin() }, want[600], shown[200] = "";
	struct cmd_result r;
	int n = 1;

	for (int i = 0; b->argv[i] && i < 8; i++, n++) {
		argv[n] = strcmp(b->argv[i], "LONG") ? (char *)b->argv[i] : long_arg();
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), " %.30s",
			 b->argv[i]);
	}
	if (b->env) {
		char name[64];
		const char *eq = strchr(b->env, '=');

		snprintf(name, sizeof(name), "%.*s", (int)(eq - b->env), b->env);
		setenv(name, eq + 1, 1);
		setenv("SUDO_GID", "65534", 1);
	}
	run_bounded(argv, &r, shown);
	snprintf(want, sizeof(want), "ipctrace: %s\n", b->message);
	ck_assert_msg(r.status == b->status, "%s: exit %d, want %d: %s", shown,
		      r.status, b->status, r.err);
	ck_assert_msg(!strcmp(r.err, want), "%s:\n got: %s want: %s", shown, r.err, want);
	ck_assert_msg(!r.out[0], "%s: stdout: %s", shown, r.out);
	cmd_result_free(&r);
}
END_TEST

/* a zombie as -p: one line, exit 1, not an empty report */
START_TEST(zombie_is_no_target)
{
	char args[64], want[160];
	pid_t z = fork();
	struct cmd_result r;

	if (z == 0)
		_exit(0);
	/* not reaped yet: a zombie until waitpid below */
	for (int i = 0; i < 100000; i++) {
		char path[64], buf[256], *p;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", z);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (p && p[2] == 'Z')
			break;
		usleep(100);
	}
	snprintf(args, sizeof(args), "trace -p %d", z);
	r = run_ipctrace(args, NULL);
	snprintf(want, sizeof(want), "ipctrace: process %d has exited (a zombie its"
		 " parent has not reaped): nothing to trace\n", z);
	ck_assert_msg(r.status == 1 && !strcmp(r.err, want), "exit %d: %s", r.status,
		      r.err);
	waitpid(z, NULL, 0);
	cmd_result_free(&r);
}
END_TEST

/* -c goes through sh -c, as the README says: builtins run */
START_TEST(command_builtins_run_through_the_shell)
{
	char *argv[] = { (char *)ipctrace_bin(), "trace", "-o", "/dev/null", "-c",
			 "exit 3", NULL };
	struct cmd_result r;

	ck_assert_int_eq(run_cmd(argv, NULL, &r), 0);
	ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_null(strstr(r.err, "cannot run"));
	cmd_result_free(&r);
}
END_TEST

/* help and version still print and exit 0, and nothing runs after them */
START_TEST(help_and_version)
{
	struct cmd_result r = run_ipctrace("trace --help", NULL);

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: ipctrace trace"));
	ck_assert_str_eq(r.err, "");
	cmd_result_free(&r);
	r = run_ipctrace("run -V", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert(!strncmp(r.out, "ipctrace ", 9));
	ck_assert_str_eq(r.err, "");
	cmd_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("inputs");
	TCase *tc = tcase_create("inputs");
	char dir[] = "/tmp/ipctrace-inputs-XXXXXX";

	/* a scratch directory: an input wrongly taken leaves its results there */
	if (enter_scratch_dir(dir)) {
		perror("setting up a scratch directory");
		return 2;
	}
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, bad_input_is_one_exact_line, 0,
			    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, zombie_is_no_target);
	tcase_add_test(tc, command_builtins_run_through_the_shell);
	tcase_add_test(tc, help_and_version);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
