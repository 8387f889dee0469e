// SPDX-License-Identifier: GPL-2.0
/*
 * test_interrupts.c - SIGINT, SIGTERM or SIGKILL at a random moment (0.05
 * to 3 s) into `run` (as root or under sudo), `trace -c` and `trace -p`.
 * Whatever the moment, nothing of ipctrace is left: no process running
 * ipctrace's binary (workload leaders, workers, a -c command not yet
 * started), no process holding one of the run's BPF programs, maps or
 * links, none of them loaded; a stop ends as documented (the run's or the
 * command's status); a results directory left behind reads back; and a
 * -p target is untouched.
 *
 * IPCTRACE_INTERRUPT_TRIES sets the number of tries (CI: a few; `make
 * soak`: 120), IPCTRACE_INTERRUPT_SEED the seed (printed, to replay one).
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "leftovers.h"
#include "runcmd.h"
#include "tap_suite.h"

#define GUARD_S 60

static char bin_path[PATH_MAX], pattern_bin[PATH_MAX];
static unsigned int seed;

static int default_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return 0;
}

static int sudo_nobody(void)
{
	default_signals();
	return setenv("SUDO_UID", "65534", 1) || setenv("SUDO_GID", "65534", 1);
}

static bool runs_ipctrace(pid_t pid)
{
	return runs_binary(pid, bin_path);
}

static void kill_trail(const struct run_trail *t)
{
	for (int i = 0; i < t->npids; i++)
		kill(t->pids[i], SIGKILL);
}

/*
 * After SIGKILL of `trace -c`, the command it had started (exec'd: no
 * longer ipctrace's binary, holding none of its fds) runs on, as it would
 * without ipctrace; only processes still running ipctrace must be gone.
 */
static void drop_started_command(struct run_trail *t)
{
	int n = 0;

	for (int i = 0; i < t->npids; i++) {
		char st = state_of(t->pids[i]);

		if (st && st != 'Z' && !runs_ipctrace(t->pids[i])) {
			kill(t->pids[i], SIGKILL);
			continue;
		}
		t->pids[n++] = t->pids[i];
	}
	t->npids = n;
}

static double unit(unsigned int *r)
{
	return (double)rand_r(r) / ((double)RAND_MAX + 1);
}

enum what { RUN_ROOT, RUN_SUDO, TRACE_COMMAND, TRACE_PID, NWHAT };

START_TEST(interrupt_at_a_random_moment)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGKILL };
	unsigned int r = seed + (unsigned int)_i * 7919u;
	enum what what = (enum what)(rand_r(&r) % NWHAT);
	int sig = sigs[rand_r(&r) % 3], status, code;
	double delay = 0.05 + 2.95 * unit(&r);
	char args[PATH_MAX + 200], dir[64], why[256];
	struct run_trail t = { 0 };
	struct spawned s, target = { .pid = -1 };
	struct timespec t0, now;
	char **argv;

	snprintf(dir, sizeof(dir), "interrupted-%d", _i);
	if (what == RUN_ROOT || what == RUN_SUDO)
		snprintf(args, sizeof(args), "run -t pipe,socketpair -m 4K,64K -b default"
			 " -r 2 --warmup 0 -d 0.5 -o %s", dir);
	else if (what == TRACE_COMMAND)
		snprintf(args, sizeof(args), "trace -o trace-%d.txt -c X", _i);
	else {
		char *pargv[] = { pattern_bin, "pipe", "100000000", "1000", NULL };

		ck_assert_int_eq(spawn_cmd(pargv, default_signals, &target), 0);
		snprintf(args, sizeof(args), "trace -o trace-%d.txt -p %d", _i, target.pid);
	}
	printf("# try %d (seed %u): %s%s, %s after %.2f s\n", _i, seed, args,
	       what == RUN_SUDO ? " (under sudo)" : "", strsignal(sig), delay);
	fflush(stdout);
	argv = ipctrace_argv(args);
	for (int i = 1; argv[i]; i++)
		if (!strcmp(argv[i], "X")) {
			free(argv[i]);
			argv[i] = malloc(PATH_MAX + 32);
			snprintf(argv[i], PATH_MAX + 32, "%s pipe 100000000 1000", pattern_bin);
		}
	ck_assert_int_eq(spawn_cmd(argv, what == RUN_SUDO ? sudo_nobody :
				   default_signals, &s), 0);
	free_argv(argv);
	/* gather what the run holds and starts until the moment comes */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		struct timespec tick = { .tv_nsec = 2 * 1000 * 1000 };

		trail_update(&t, s.pid);
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((double)(now.tv_sec - t0.tv_sec) +
		 (double)(now.tv_nsec - t0.tv_nsec) / 1e9 < delay);
	trail_update(&t, s.pid);
	kill(s.pid, sig);
	status = wait_exit(s.pid, GUARD_S);
	if (status < 0) {
		trail_update(&t, s.pid);
		kill_trail(&t);
		ck_abort_msg("ipctrace did not end %d s after %s", GUARD_S, strsignal(sig));
	}
	s.pid = -1;
	if (sig == SIGKILL && what == TRACE_COMMAND)
		drop_started_command(&t);
	if (!trail_nothing_left(&t, GUARD_S, why, sizeof(why))) {
		kill_trail(&t);
		ck_abort_msg("left behind after %s at %.2f s: %s", strsignal(sig), delay, why);
	}
	close(s.out);
	close(s.err);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (sig == SIGKILL)
		ck_assert_int_eq(code, 128 + SIGKILL);
	else if (what == TRACE_COMMAND)	/* the command's status: it got sig */
		ck_assert_msg(code == 128 + sig, "exit %d after %s", code, strsignal(sig));
	else	/* a stop, or finished before it came (trace -p: the report) */
		ck_assert_msg(code == 128 + sig || code == 0, "exit %d after %s", code,
			      strsignal(sig));
	if (what == RUN_ROOT || what == RUN_SUDO) {
		char rep[128];
		struct cmd_result rr;

		/* a directory left behind reads back, and says partial if it is */
		snprintf(rep, sizeof(rep), "report %s", dir);
		if (access(dir, F_OK) == 0) {
			char meta[96];
			json_t *m;

			rr = run_ipctrace(rep, NULL);
			ck_assert_msg(rr.status == 0, "%s after %s: %s", dir,
				      strsignal(sig), rr.err);
			cmd_result_free(&rr);
			snprintf(meta, sizeof(meta), "%s/meta.json", dir);
			m = json_load_file(meta, 0, NULL);
			ck_assert_ptr_nonnull(m);
			ck_assert(code == 0 || json_is_true(json_object_get(m, "partial")));
			json_decref(m);
		}
	}
	if (target.pid > 0) {
		char st = state_of(target.pid);
		struct cmd_result tr;

		ck_assert_msg(st && st != 'Z', "the -p target did not survive the trace");
		kill(target.pid, SIGKILL);
		spawn_finish(&target, &tr);
		cmd_result_free(&tr);
	}
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("interrupts");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-interrupts-XXXXXX";
	const char *pattern = getenv("IPC_PATTERN_BIN");
	const char *tries = getenv("IPCTRACE_INTERRUPT_TRIES");
	const char *seed_env = getenv("IPCTRACE_INTERRUPT_SEED");
	int n = tries ? atoi(tries) : 6;

	seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 10) :
	       (unsigned int)time(NULL) ^ (unsigned int)getpid();
	if (!realpath(ipctrace_bin(), bin_path) ||
	    !realpath(pattern ? pattern : "build/tests/ipc_pattern", pattern_bin) ||
	    enter_scratch_dir(dir)) {
		perror("setting up");
		return 2;
	}
	tcase_set_timeout(tc, 300);	/* per try: a hang guard */
	tcase_add_loop_test(tc, interrupt_at_a_random_moment, 0, n > 0 ? n : 1);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
