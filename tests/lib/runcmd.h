/* SPDX-License-Identifier: GPL-2.0 */
/* runcmd.h - run the ipctrace binary as a user would, capture everything. */
#ifndef IPCTRACE_RUNCMD_H
#define IPCTRACE_RUNCMD_H

#include <stdbool.h>
#include <sys/types.h>

struct cmd_result {
	int status;	/* exit code, or 128 + signal */
	char *out;	/* stdout, NUL-terminated */
	char *err;	/* stderr */
};

/*
 * Run argv (argv[0] looked up as given). `before_exec`, when set, runs in
 * the child just before execv: drop privileges, unshare, mount...; a
 * nonzero return makes the child exit 126.
 */
int run_cmd(char *const argv[], int (*before_exec)(void), struct cmd_result *r);
void cmd_result_free(struct cmd_result *r);

/* the same, asynchronously: spawn, do things, then finish (collect + reap) */
struct spawned {
	pid_t pid;
	int out, err;
};
int spawn_cmd(char *const argv[], int (*before_exec)(void), struct spawned *s);
/* the same with a pipe into its stdin: *in is the write end */
int spawn_cmd_stdin(char *const argv[], struct spawned *s, int *in);
/*
 * Read from fd (appending to *buf, which starts NULL) until needle shows
 * up: 0, or -1 at EOF or after 120 s (a hang guard).
 */
int read_until(int fd, char **buf, size_t *len, const char *needle);
int spawn_finish(struct spawned *s, struct cmd_result *r);

/* run argv with stdin/stdout/stderr on a pseudo-terminal; all output in out */
int run_on_pty(char *const argv[], struct cmd_result *r);

/* argv from "run -m 4K --json" with argv[0] = the ipctrace binary and
 * the --attach of runcmd_attach_from_argv() appended to run, trace and probe; free with
 * free_argv */
/*
 * `test_run --attach kprobe`: run the attaching subcommands in that mode
 * (appended to run, trace and probe). Returns the mode's name ("auto"
 * without the option), for the test case's name.
 */
const char *runcmd_attach_from_argv(int argc, char **argv);
/*
 * `test_run --attach kprobe --mode-dependent-only`: add only the cases
 * whose outcome depends on the attach mode (counts, attaching, detaching);
 * the rest (arguments, files, the terminal, the report's layout) then run
 * in another job of the same kernel, in one mode.
 */
bool runcmd_mode_dependent_only(int argc, char **argv);
char **ipctrace_argv(const char *args);
void free_argv(char **argv);

/* children of ppid that lead their own process group (ipctrace run's
 * workload leaders do), into pids (at most max); how many */
int group_leader_children_of(pid_t ppid, pid_t *pids, int max);
/* every child of ppid, into pids (at most max); how many */
int children_of(pid_t ppid, pid_t *pids, int max);
/* processes still in process group pgrp (zombies included) */
int processes_in_group(pid_t pgrp);

/* the binary under test: $IPCTRACE_BIN, else ./ipctrace */
const char *ipctrace_bin(void);

/* number of lines in s (a last line without '\n' counts) */
int count_lines(const char *s);
/* in into out with each line break and the indent after it as one space:
 * a sentence a report wrapped, whole again (truncated to fit) */
void unwrap_text(const char *in, char *out, size_t size);

/* BPF programs, links and maps held by processes this test started (and
 * their children, orphaned or not), once the kernel's asynchronous link
 * teardown has settled (see runcmd.c) */
int count_ipctrace_progs(void);

/* ---- for Check tests (these assert) ---- */

/* run ipctrace with args (as ipctrace_argv splits them); free the result */
struct cmd_result run_ipctrace(const char *args, int (*before_exec)(void));
/*
 * The shape of every bad-input answer: exit status, stderr exactly one
 * line holding needle1 (and needle2 unless NULL), stdout empty. what names
 * the command in failure messages.
 */
void assert_one_line_error(const struct cmd_result *r, const char *what,
			   int status, const char *needle1, const char *needle2);
/* before_exec: become nobody (65534), groups and all */
int become_nobody(void);
/*
 * Make $IPCTRACE_BIN absolute, then work in a new scratch directory from
 * tmpl ("/tmp/x-XXXXXX", rewritten): what runs leaves files there. Resolve
 * other relative paths first. 0, or -1 with errno. The first one is
 * removed when the test program exits (IPCTRACE_KEEP_SCRATCH=1 keeps it).
 */
int enter_scratch_dir(char *tmpl);
/* the same, after finding ipc_pattern ($IPC_PATTERN_BIN or the build's)
 * as an absolute path into pattern_bin (PATH_MAX); -1 said on stderr */
int enter_pattern_and_scratch_dir(char *pattern_bin, char *tmpl);

#endif
