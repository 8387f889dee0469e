// SPDX-License-Identifier: GPL-2.0
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pty.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "runcmd.h"

/*
 * Every command a test starts carries IPCTRACE_TEST_TAG=<the test's pid>
 * in its environment, and so do its children (workers, -c commands), even
 * when orphaned. Other ipctrace runs on the machine do not: the leftovers
 * counted are this test's only.
 */
static const char *test_tag(void)
{
	static char tag[64];

	if (!tag[0])
		snprintf(tag, sizeof(tag), "IPCTRACE_TEST_TAG=%d", (int)getpid());
	return tag;
}

static void tag_child(void)
{
	putenv((char *)test_tag());
}


const char *ipctrace_bin(void)
{
	const char *b = getenv("IPCTRACE_BIN");

	return b && *b ? b : "./ipctrace";
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		abort();
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
}

/* fork and exec argv with stdout and stderr piped back to us; stdin_fd,
 * when >= 0, becomes the child's stdin and close_fd is closed there */
static int spawn_piped(char *const argv[], int (*before_exec)(void), int stdin_fd,
		       int close_fd, struct spawned *s)
{
	int out[2], err[2];

	if (pipe(out) || pipe(err))
		return -errno;
	s->pid = fork();
	if (s->pid < 0)
		return -errno;
	if (s->pid == 0) {
		if (stdin_fd >= 0) {
			dup2(stdin_fd, 0);
			close(stdin_fd);
			close(close_fd);
		}
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		close(out[1]);
		close(err[1]);
		if (before_exec && before_exec())
			_exit(126);
		tag_child();
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	s->out = out[0];
	s->err = err[0];
	return 0;
}

int spawn_cmd(char *const argv[], int (*before_exec)(void), struct spawned *s)
{
	return spawn_piped(argv, before_exec, -1, -1, s);
}

int spawn_cmd_stdin(char *const argv[], struct spawned *s, int *in)
{
	int p[2], ret;

	if (pipe(p))
		return -errno;
	s->pid = -1;
	ret = spawn_piped(argv, NULL, p[0], p[1], s);
	close(p[0]);
	if (ret) {
		close(p[1]);
		return ret;
	}
	*in = p[1];
	return 0;
}

int read_until(int fd, char **buf, size_t *len, const char *needle)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (!*buf) {
		*buf = calloc(1, 1);
		*len = 0;
	}
	while (!strstr(*buf, needle)) {
		char chunk[4096];
		ssize_t n;

		if (poll(&pfd, 1, 120 * 1000) <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return -1;
		append(buf, len, chunk, (size_t)n);
	}
	return 0;
}

/* read fds until EOF into bufs */
static void drain(int *fds, char **bufs, int n)
{
	struct pollfd pfd[2];
	size_t len[2] = { 0, 0 };
	int open_fds = n;

	for (int i = 0; i < n; i++) {
		pfd[i] = (struct pollfd){ fds[i], POLLIN, 0 };
		len[i] = strlen(bufs[i]);
	}
	while (open_fds) {
		char buf[4096];

		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			ssize_t got;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(pfd[i].fd, buf, sizeof(buf));
			if (got <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			append(&bufs[i], &len[i], buf, got);
		}
	}
}

int spawn_finish(struct spawned *s, struct cmd_result *r)
{
	int fds[2] = { s->out, s->err }, status;

	memset(r, 0, sizeof(*r));
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	{
		char *bufs[2] = { r->out, r->err };

		drain(fds, bufs, 2);
		r->out = bufs[0];
		r->err = bufs[1];
	}
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

int run_cmd(char *const argv[], int (*before_exec)(void), struct cmd_result *r)
{
	struct spawned s;
	int ret = spawn_cmd(argv, before_exec, &s);

	if (ret) {
		memset(r, 0, sizeof(*r));
		r->out = calloc(1, 1);
		r->err = calloc(1, 1);
		return ret;
	}
	return spawn_finish(&s, r);
}

int run_on_pty(char *const argv[], struct cmd_result *r)
{
	int master, status, fds[1];
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	char *bufs[1];

	memset(r, 0, sizeof(*r));
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		tag_child();
		execv(argv[0], argv);
		_exit(127);
	}
	fds[0] = master;
	bufs[0] = r->out;
	drain(fds, bufs, 1);	/* EIO at the end of a pty is the EOF */
	r->out = bufs[0];
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* "--attach kprobe": the mode the subcommands that attach run in */
static const char *attach_args;

const char *runcmd_attach_from_argv(int argc, char **argv)
{
	static char buf[64];

	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--attach")) {
			snprintf(buf, sizeof(buf), "--attach %s", argv[i + 1]);
			attach_args = buf;
			return argv[i + 1];
		}
	return "auto";
}

bool runcmd_mode_dependent_only(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--mode-dependent-only"))
			return true;
	return false;
}

char **ipctrace_argv(const char *args)
{
	char *copy = strdup(args), *tok, *save = NULL;
	char **argv = calloc(64, sizeof(*argv));
	int n = 0;
	const char *extra = attach_args;

	argv[n++] = strdup(ipctrace_bin());
	for (tok = strtok_r(copy, " ", &save); tok && n < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[n++] = strdup(tok);
	free(copy);
	/* e.g. "--attach kprobe": the same tests in another attach mode, for
	 * the subcommands that attach */
	if (extra && *extra && (!strncmp(args, "run", 3) || !strncmp(args, "trace", 5) ||
				!strncmp(args, "probe", 5))) {
		copy = strdup(extra);
		for (tok = strtok_r(copy, " ", &save); tok && n < 63;
		     tok = strtok_r(NULL, " ", &save))
			argv[n++] = strdup(tok);
		free(copy);
	}
	return argv;
}

void free_argv(char **argv)
{
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* fields 4 (ppid) and 5 (pgrp) of /proc/PID/stat; comm may hold spaces */
static int stat_ids(pid_t pid, pid_t *ppid, pid_t *pgrp)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	p = ok ? strrchr(buf, ')') : NULL;
	if (!p || sscanf(p + 2, "%*c %d %d", ppid, pgrp) != 2)
		return -1;
	return 0;
}

static int scan_proc(pid_t match_ppid, pid_t match_pgrp, bool group_leaders,
		     pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name), ppid, pgrp;

		if (pid <= 0 || stat_ids(pid, &ppid, &pgrp))
			continue;
		if (group_leaders && pgrp != pid)
			continue;
		if ((match_ppid && ppid == match_ppid) ||
		    (match_pgrp && pgrp == match_pgrp)) {
			if (pids && n < max)
				pids[n] = pid;
			n++;
		}
	}
	closedir(d);
	return n;
}

int group_leader_children_of(pid_t ppid, pid_t *pids, int max)
{
	return scan_proc(ppid, 0, true, pids, max);
}

int children_of(pid_t ppid, pid_t *pids, int max)
{
	return scan_proc(ppid, 0, false, pids, max);
}

int processes_in_group(pid_t pgrp)
{
	return scan_proc(0, pgrp, false, NULL, 0);
}

void cmd_result_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
}

int count_lines(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		if (*p == '\n' || !p[1])
			n++;
	return n;
}

void unwrap_text(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++) {
		if (*in == '\n') {
			while (in[1] == ' ')
				in++;
			out[n++] = ' ';
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

/* does process pid carry this test's tag? */
static bool tagged(const char *pid)
{
	char path[64], env[65536];
	const char *tag = test_tag();
	size_t n, len = strlen(tag);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(env, 1, sizeof(env) - 1, f);
	fclose(f);
	for (size_t i = 0; i + len <= n; i += strlen(env + i) + 1) {
		env[n] = '\0';
		if (!strncmp(env + i, tag, len) && (env[i + len] == '\0'))
			return true;
	}
	return false;
}

/* BPF objects (programs, links, maps) held open by tagged processes */
static int count_now(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;
	int n = 0;

	if (!proc)
		return -1;
	while ((p = readdir(proc))) {
		char dir[300];
		DIR *fds;
		struct dirent *fd;

		if (!isdigit((unsigned char)p->d_name[0]) || !tagged(p->d_name))
			continue;
		snprintf(dir, sizeof(dir), "/proc/%s/fd", p->d_name);
		fds = opendir(dir);
		while (fds && (fd = readdir(fds))) {
			char link[600], target[64] = "";
			ssize_t l;

			snprintf(link, sizeof(link), "%s/%s", dir, fd->d_name);
			l = readlink(link, target, sizeof(target) - 1);
			if (l > 0) {
				target[l] = '\0';
				n += !strncmp(target, "anon_inode:bpf", 14);
			}
		}
		if (fds)
			closedir(fds);
	}
	closedir(proc);
	return n;
}

/*
 * The kernel releases a closed BPF link from a workqueue (bpf_link_put ->
 * schedule_work) and only then drops its program, so programs of a process
 * that just exited can linger for a moment. Wait for the teardown to
 * finish; 10 s is a hang guard, not a threshold on anything measured.
 */
int count_ipctrace_progs(void)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
	int n = count_now();

	for (int i = 0; n && i < 1000; i++) {
		nanosleep(&pause, NULL);
		n = count_now();
	}
	return n;
}

struct cmd_result run_ipctrace(const char *args, int (*before_exec)(void))
{
	char **argv = ipctrace_argv(args);
	struct cmd_result r;

	ck_assert_int_eq(run_cmd(argv, before_exec, &r), 0);
	free_argv(argv);
	return r;
}

void assert_one_line_error(const struct cmd_result *r, const char *what,
			   int status, const char *needle1, const char *needle2)
{
	ck_assert_msg(r->status == status, "%s: exit %d, want %d; stderr: %s",
		      what, r->status, status, r->err);
	ck_assert_msg(count_lines(r->err) == 1, "%s: stderr has %d lines: %s",
		      what, count_lines(r->err), r->err);
	ck_assert_msg(!strcmp(r->out, ""), "%s: stdout is not empty: %s", what, r->out);
	ck_assert_msg(strstr(r->err, needle1), "%s: '%s' not in: %s", what, needle1,
		      r->err);
	if (needle2)
		ck_assert_msg(strstr(r->err, needle2), "%s: '%s' not in: %s", what,
			      needle2, r->err);
}

int become_nobody(void)
{
	gid_t none[1] = { 65534 };

	return setgroups(1, none) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534);
}

static char scratch_path[PATH_MAX];
static pid_t scratch_owner;

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path)) {
		/* best effort: what cannot go stays, the walk goes on */
	}
	return 0;
}

/* at the test program's exit (not its forked tests'): the scratch
 * directory goes, unless IPCTRACE_KEEP_SCRATCH asks to keep it */
static void remove_scratch_dir(void)
{
	if (getpid() != scratch_owner || !scratch_path[0] ||
	    getenv("IPCTRACE_KEEP_SCRATCH"))
		return;
	if (chdir("/")) {
		/* the walk below uses absolute paths */
	}
	nftw(scratch_path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int enter_scratch_dir(char *tmpl)
{
	char bin[PATH_MAX];

	if (!realpath(ipctrace_bin(), bin) || !mkdtemp(tmpl) || chdir(tmpl))
		return -1;
	if (!scratch_path[0]) {
		snprintf(scratch_path, sizeof(scratch_path), "%s", tmpl);
		scratch_owner = getpid();
		atexit(remove_scratch_dir);
	}
	return setenv("IPCTRACE_BIN", bin, 1);
}

int enter_pattern_and_scratch_dir(char *pattern_bin, char *tmpl)
{
	const char *pattern = getenv("IPC_PATTERN_BIN");

	/* the helper by absolute path, before leaving for the scratch dir */
	if (!realpath(pattern ? pattern : "build/tests/ipc_pattern", pattern_bin) ||
	    enter_scratch_dir(tmpl)) {
		perror("setting up");
		return -1;
	}
	return 0;
}
