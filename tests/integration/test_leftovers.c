// SPDX-License-Identifier: GPL-2.0
/*
 * test_leftovers.c - ipctrace stopped or killed at the moments that used
 * to leave something behind: SIGKILL of `run` under sudo (the workload
 * leader had lost its death signal with its uid), SIGKILL of `trace -c`
 * while its command waits at the start gate, a stop signal sent to
 * `trace -c` alone (it reached only the shell), and signals before the
 * handlers existed. After each: no process of the run, no process holding
 * one of its BPF programs, maps or links (read from /proc/PID/fdinfo), none
 * of them loaded, and no results directory that holds nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "leftovers.h"
#include "procfs.h"
#include "runcmd.h"
#include "tap_suite.h"

/* a hang guard for what must end at once: not a measured threshold */
#define GUARD_S 60

static char bin_path[PATH_MAX];

/* SIGINT and SIGTERM as a terminal's job has them (Check's may differ) */
static int default_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return 0;
}

static int as_sudo_nobody(void)
{
	default_signals();
	return setenv("SUDO_UID", "65534", 1) || setenv("SUDO_GID", "65534", 1);
}

/* ipctrace with args, stdout and stderr piped back (spawn_cmd) */
static void start(struct spawned *s, const char *args, int (*before)(void))
{
	char **argv = ipctrace_argv(args);

	ck_assert_int_eq(spawn_cmd(argv, before ? before : default_signals, s), 0);
	free_argv(argv);
}

/* what was left; on failure everything of the trail is killed first */
static void assert_nothing_left(const struct run_trail *t)
{
	char why[256];

	if (!trail_nothing_left(t, GUARD_S, why, sizeof(why))) {
		for (int i = 0; i < t->npids; i++)
			kill(t->pids[i], SIGKILL);
		ck_abort_msg("left behind: %s", why);
	}
}

/*
 * ipctrace's end, without draining its pipes: a process left behind holds
 * them open, and reading to EOF would hang instead of failing. stderr is
 * read only once the trail is known empty (assert_nothing_left first).
 */
static int ended(struct spawned *s)
{
	int status = wait_exit(s->pid, GUARD_S);

	ck_assert_msg(status >= 0, "ipctrace %d did not end", s->pid);
	s->pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* what ipctrace said on stderr, once nothing holds the pipe any more */
static char *stderr_of(struct spawned *s)
{
	char *buf = NULL;
	size_t len;

	read_until(s->err, &buf, &len, "\x01never\x01");
	close(s->out);
	close(s->err);
	return buf;
}

/* the workload leader of a run: ipctrace's child leading its own group,
 * with two workers that already took uid (or -1: any) */
static pid_t leader_with_workers(pid_t ipctrace, long uid)
{
	pid_t kids[16], workers[16];
	int n = children_of(ipctrace, kids, 16);

	for (int i = 0; i < n && i < 16; i++) {
		int nw = children_of(kids[i], workers, 16), ok = 0;

		for (int w = 0; w < nw && w < 16; w++)
			ok += uid < 0 || uid_of(workers[w]) == uid;
		if (ok >= 2)
			return kids[i];
	}
	return 0;
}

/*
 * SIGKILL of `run` under sudo, once workers run as the sudo user: the
 * leader changed its uid, which clears PR_SET_PDEATHSIG (commit_creds),
 * so it and its workers lived on with every BPF fd of the run.
 */
START_TEST(sigkill_under_sudo_leaves_nothing)
{
	struct run_trail t = { 0 };
	struct spawned s;
	int polls = 0;

	start(&s, "run -t pipe,socketpair -m 4K,64K -b default -r 3 --warmup 0"
	      " --bytes 256M -o sudo-killed", as_sudo_nobody);
	while (!leader_with_workers(s.pid, 65534)) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };

		ck_assert_msg(++polls < GUARD_S * 1000, "no workers as uid 65534");
		ck_assert_msg(state_of(s.pid) != 'Z', "ipctrace ended before its workers ran");
		nanosleep(&tick, NULL);
	}
	trail_update(&t, s.pid);
	ck_assert_int_gt(t.nobjs, 0);
	ck_assert_int_ge(t.npids, 4);	/* ipctrace, leader, two workers */
	kill(s.pid, SIGKILL);
	ck_assert_int_eq(ended(&s), 128 + SIGKILL);
	assert_nothing_left(&t);
	free(stderr_of(&s));
}
END_TEST

/*
 * SIGKILL of `trace -c` while its command waits at the start gate. The
 * window is held open for the test: ipctrace writes its "tracing" line to
 * stderr between starting the command and opening the gate, and this
 * stderr is a pipe already full, so the write blocks right there.
 */
START_TEST(sigkill_trace_command_at_its_gate)
{
	char **argv = ipctrace_argv("trace -c X");
	static char fill[65536 - 10];
	struct run_trail t = { 0 };
	int err[2], status;
	pid_t pid, kids[4];

	free(argv[3]);
	argv[3] = strdup("sleep 1000");
	ck_assert_int_eq(pipe(err), 0);
	memset(fill, 'x', sizeof(fill));
	/* 16 pages, the last with 10 bytes free: the next line needs a slot */
	ck_assert_int_eq(write(err[1], fill, sizeof(fill)), (ssize_t)sizeof(fill));
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		default_signals();
		dup2(null, 1);
		dup2(err[1], 2);
		close(err[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	free_argv(argv);
	close(err[1]);
	/* the command forked and waiting at its gate, ipctrace in write();
	 * other children come and go before (the lockdown probe) */
	for (int polls = 0;; polls++) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };
		int n = children_of(pid, kids, 4);
		bool gated = false;

		for (int i = 0; i < n && i < 4 && !gated; i++)
			gated = !proc_wait_blocked_in(kids[i], kids[i], SYS_futex, 0, NULL);
		if (gated && !proc_wait_blocked_in(pid, pid, SYS_write, 0, NULL))
			break;
		ck_assert_msg(polls < GUARD_S * 1000, "trace -c never stopped at its gate");
		ck_assert_msg(state_of(pid) != 'Z', "ipctrace exited before its gate");
		nanosleep(&tick, NULL);
	}
	trail_update(&t, pid);
	ck_assert_int_gt(t.nobjs, 0);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	close(err[0]);
	assert_nothing_left(&t);
}
END_TEST


/* processes of the trail named comm, or in state st (0: any) */
static int trail_count(struct run_trail *t, pid_t root, const char *comm, char st)
{
	int n = 0;

	trail_update(t, root);
	for (int i = 0; i < t->npids; i++) {
		char c[64];

		proc_comm(t->pids[i], c, sizeof(c));
		n += (!comm || !strcmp(c, comm)) && (!st || state_of(t->pids[i]) == st);
	}
	return n;
}

/* trace -c CMD -o rep.txt, started and attached, its command running */
static void trace_command(struct spawned *s, const char *cmd)
{
	char **argv = ipctrace_argv("trace -o rep.txt -c X");
	char *err = NULL;
	size_t len;
	int i = 1;

	while (argv[i] && strcmp(argv[i - 1], "-c"))
		i++;
	free(argv[i]);
	argv[i] = strdup(cmd);
	ck_assert_int_eq(spawn_cmd(argv, default_signals, s), 0);
	free_argv(argv);
	ck_assert_msg(read_until(s->err, &err, &len, "Ctrl-C to end") == 0,
		      "trace never attached: %s", err ? err : "");
	free(err);
}

static void assert_reported(void)
{
	char buf[256] = "";
	FILE *f = fopen("rep.txt", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_msg(!strncmp(buf, "ipctrace trace:", 15), "no report: %s", buf);
}

/*
 * SIGINT sent to ipctrace's pid alone (not the terminal's group): the
 * command's whole process group gets it, ipctrace reports, and exits with
 * the command's status (sh killed by SIGINT: 130). It used to wait
 * forever, and a second signal left sh, yes and cat running.
 */
START_TEST(stop_signal_reaches_the_command)
{
	struct run_trail t = { 0 };
	struct spawned s;
	int status;

	trace_command(&s, "yes | cat >/dev/null");
	for (int polls = 0; trail_count(&t, s.pid, "yes", 0) < 1 ||
			    trail_count(&t, s.pid, "cat", 0) < 1; polls++) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };

		ck_assert_msg(polls < GUARD_S * 1000, "yes | cat never ran");
		nanosleep(&tick, NULL);
	}
	kill(s.pid, SIGINT);
	status = wait_exit(s.pid, GUARD_S);
	if (status < 0) {
		for (int i = 0; i < t.npids; i++)
			kill(t.pids[i], SIGKILL);
		ck_abort_msg("ipctrace trace -c did not end after SIGINT");
	}
	s.pid = -1;
	assert_nothing_left(&t);
	free(stderr_of(&s));
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGINT,
		      "status 0x%x: want exit 130, the command's", status);
	assert_reported();
}
END_TEST

/* a command that ignores the signal is killed after the grace: exit 137 */
START_TEST(stop_signal_escalates_to_sigkill)
{
	struct run_trail t = { 0 };
	struct spawned s;
	char *err;
	int status;

	trace_command(&s, "trap '' INT TERM; exec sleep 1000");
	for (int polls = 0; trail_count(&t, s.pid, "sleep", 0) < 1; polls++) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };

		ck_assert_msg(polls < GUARD_S * 1000, "sleep never ran");
		nanosleep(&tick, NULL);
	}
	kill(s.pid, SIGTERM);
	status = ended(&s);
	assert_nothing_left(&t);
	err = stderr_of(&s);
	ck_assert_msg(status == 128 + SIGKILL, "exit %d: %s", status, err);
	ck_assert_ptr_nonnull(strstr(err, "did not end within 3 s of Terminated"));
	free(err);
	assert_reported();
}
END_TEST

/* a command that stopped itself gets the signal too (with SIGCONT) */
START_TEST(stop_signal_reaches_a_stopped_command)
{
	struct run_trail t = { 0 };
	struct spawned s;
	int status;

	trace_command(&s, "kill -STOP $$; exec sleep 1000");
	for (int polls = 0; trail_count(&t, s.pid, "sh", 'T') < 1; polls++) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };

		ck_assert_msg(polls < GUARD_S * 1000, "the command never stopped");
		nanosleep(&tick, NULL);
	}
	kill(s.pid, SIGTERM);
	status = ended(&s);
	assert_nothing_left(&t);
	free(stderr_of(&s));
	ck_assert_msg(status == 128 + SIGTERM, "exit %d", status);
	assert_reported();
}
END_TEST

/* read the pty's master side into buf until needle shows up (a hang guard) */
static bool pty_until(int fd, char *buf, size_t len, const char *needle)
{
	size_t n = strlen(buf);

	for (int polls = 0; !strstr(buf, needle) && polls < GUARD_S * 100; polls++) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t got;

		if (poll(&p, 1, 10) <= 0)
			continue;
		got = read(fd, buf + n, len - 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		buf[n] = '\0';
	}
	return strstr(buf, needle) != NULL;
}

/*
 * On a terminal the command is the foreground job: it reads the terminal
 * (no SIGTTIN from being in a group of its own), and the terminal's Ctrl-C
 * ends it; ipctrace reports and exits 130.
 */
START_TEST(terminal_belongs_to_the_command)
{
	char buf[8192] = "";
	int master, status;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		default_signals();
		execl(bin_path, "ipctrace", "trace", "-o", "tty-report.txt", "-c", "cat",
		      (char *)NULL);
		_exit(127);
	}
	ck_assert(pty_until(master, buf, sizeof(buf), "Ctrl-C to end"));
	ck_assert_int_eq(write(master, "ping\n", 5), 5);
	/* the terminal echoes the line, then cat writes it back */
	ck_assert_msg(pty_until(master, buf, sizeof(buf), "ping\r\nping"),
		      "cat did not read the terminal: %s", buf);
	ck_assert_int_eq(write(master, "\x03", 1), 1);
	status = wait_exit(pid, GUARD_S);
	if (status < 0)
		kill(pid, SIGKILL);
	ck_assert_msg(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 130,
		      "status 0x%x, want exit 130", status);
	close(master);
	ck_assert_int_eq(access("tty-report.txt", R_OK), 0);
}
END_TEST

/* the binary ipctrace runs once exec'd (not the test's fork before it) */
static bool execed(pid_t pid)
{
	return runs_binary(pid, bin_path);
}

/* does pid catch SIGINT (SigCgt in /proc/PID/status)? */
static bool catches_sigint(pid_t pid)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &mask) == 1)
			break;
	fclose(f);
	return mask & (1ULL << (SIGINT - 1));
}

/*
 * SIGINT early: as soon as ipctrace runs (its handler is there), or, where
 * it is not yet, once it does anything at all: forks its checks or holds
 * a BPF fd (probe_kernel), both before the old code's handler existed.
 */
static void signal_early(pid_t pid)
{
	struct run_trail t = { 0 };
	pid_t kids[4];

	for (long polls = 0;; polls++) {
		struct timespec tick = { .tv_nsec = 100 * 1000 };

		ck_assert_msg(polls < GUARD_S * 10000L, "ipctrace never started");
		ck_assert_msg(state_of(pid) && state_of(pid) != 'Z',
			      "ipctrace ended before it was interrupted");
		if (execed(pid)) {
			if (catches_sigint(pid) || children_of(pid, kids, 4))
				break;
			t.nobjs = 0;
			trail_update(&t, pid);
			if (t.nobjs)
				break;
		}
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGINT);
}

/* no directory, and no hidden temporary of one, named like name */
static void assert_no_directory(const char *name)
{
	DIR *d = opendir(".");
	struct dirent *e;
	char hidden[128];

	ck_assert_msg(access(name, F_OK) != 0, "%s exists", name);
	snprintf(hidden, sizeof(hidden), ".%s.partial-", name);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		ck_assert_msg(strncmp(e->d_name, hidden, strlen(hidden)),
			      "%s left behind", e->d_name);
	closedir(d);
}

static int ignoring_sigint(void)
{
	/* a background job of a shell without job control */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	return 0;
}

static void early_run_case(const char *dir, int (*before)(void))
{
	struct spawned s;
	char args[200];
	int status;

	snprintf(args, sizeof(args), "run -t pipe -m 4K -b default -r 1 --warmup 0"
		 " --bytes 1M -o %s", dir);
	start(&s, args, before);
	signal_early(s.pid);
	status = wait_exit(s.pid, GUARD_S * 5);
	ck_assert_msg(status >= 0, "run did not end");
	ck_assert_msg(WIFEXITED(status), "killed by signal %d, not a stop",
		      WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	ck_assert_msg(WEXITSTATUS(status) == 130, "exit %d: the signal was lost",
		      WEXITSTATUS(status));
	s.pid = -1;
	close(s.out);
	close(s.err);
	assert_no_directory(dir);
}

START_TEST(early_sigint_stops_run_and_leaves_no_directory)
{
	early_run_case("early-default", NULL);
}
END_TEST

/* an inherited ignored SIGINT does not make ipctrace ignore a stop */
START_TEST(early_sigint_stops_run_even_when_inherited_ignored)
{
	early_run_case("early-ignored", ignoring_sigint);
}
END_TEST

START_TEST(early_sigint_stops_trace)
{
	struct spawned s, target;
	struct cmd_result tr;
	char *sleeper[] = { "/bin/sleep", "1000", NULL };
	char args[64];
	int status;

	ck_assert_int_eq(spawn_cmd(sleeper, NULL, &target), 0);
	snprintf(args, sizeof(args), "trace -p %d", target.pid);
	start(&s, args, NULL);
	signal_early(s.pid);
	status = wait_exit(s.pid, GUARD_S * 5);
	ck_assert_msg(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 130,
		      "status 0x%x, want exit 130", status);
	s.pid = -1;
	close(s.out);
	close(s.err);
	kill(target.pid, SIGKILL);
	spawn_finish(&target, &tr);
	cmd_result_free(&tr);
}
END_TEST

/* SIGKILL before the first cell was saved: no directory to block -o */
START_TEST(sigkill_before_first_save_leaves_no_directory)
{
	struct run_trail t = { 0 };
	struct spawned s;
	struct cmd_result r;

	start(&s, "run -t pipe,socketpair -m 4K -b default -r 2 --warmup 0"
	      " --bytes 512M -o killed-early", NULL);
	for (int polls = 0; !leader_with_workers(s.pid, -1); polls++) {
		struct timespec tick = { .tv_nsec = 1000 * 1000 };

		ck_assert_msg(polls < GUARD_S * 1000, "no workers ran");
		nanosleep(&tick, NULL);
	}
	trail_update(&t, s.pid);
	kill(s.pid, SIGKILL);
	ended(&s);
	assert_nothing_left(&t);
	free(stderr_of(&s));
	assert_no_directory("killed-early");
	/* and the same -o works at once */
	r = run_ipctrace("run -t pipe -m 4K -b default -r 1 --warmup 0 --bytes 1M"
			 " -o killed-early", NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cmd_result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("leftovers");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-leftovers-XXXXXX";

	if (!realpath(ipctrace_bin(), bin_path) || enter_scratch_dir(dir)) {
		perror("setting up a scratch directory");
		return 2;
	}
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, sigkill_under_sudo_leaves_nothing);
	tcase_add_test(tc, sigkill_trace_command_at_its_gate);
	tcase_add_test(tc, stop_signal_reaches_the_command);
	tcase_add_test(tc, stop_signal_escalates_to_sigkill);
	tcase_add_test(tc, stop_signal_reaches_a_stopped_command);
	tcase_add_test(tc, terminal_belongs_to_the_command);
	tcase_add_test(tc, early_sigint_stops_run_and_leaves_no_directory);
	tcase_add_test(tc, early_sigint_stops_run_even_when_inherited_ignored);
	tcase_add_test(tc, early_sigint_stops_trace);
	tcase_add_test(tc, sigkill_before_first_save_leaves_no_directory);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
