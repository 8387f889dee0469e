// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `ipctrace trace`: the same probes on programs the user
 * already runs (or starts with -c), without touching them.
 */
#include <argp.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "ksyms.h"
#include "log.h"
#include "preflight.h"
#include "procfs.h"
#include "sizes.h"
#include "stop_signal.h"
#include "trace_report.h"
#include "tracer.h"
#include "workload.h"

#define CGROUP2_MAGIC 0x63677270
#define CGROUP1_MAGIC 0x27e0eb
#define MAX_PIDS 64

enum { OPT_CGROUP = 1000, OPT_COMM, OPT_FOLDED, OPT_JSON, OPT_NO_SYSCALLS };

struct trace_args {
	struct common_args common;
	pid_t pids[MAX_PIDS];
	int npids;
	pid_t tid;
	const char *command;
	const char *cgroup;
	const char *comm;
	double duration;	/* 0: until the targets exit or Ctrl-C */
	double interval;
	const char *folded;
	const char *output;
	bool json;
	bool no_syscalls;
	char why[400];
};

static const struct argp_option trace_options[] = {
	{ "pid", 'p', "PID[,PID...]", 0, "trace these processes (all their threads)", 0 },
	{ "tid", 't', "TID", 0, "trace this one thread", 0 },
	{ "command", 'c', "\"CMD ARGS\"", 0, "start CMD (through sh -c), trace it and"
	  " its children until it exits; its output passes through and its exit"
	  " status is ipctrace's", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "trace every task in this cgroup v2"
	  " directory and below", 0 },
	{ "comm", OPT_COMM, "NAME", 0, "trace processes named NAME, also those that"
	  " start or take the name while tracing", 0 },
	{ "interval", 'i', "SEC", 0, "print a summary of every SEC seconds", 0 },
	{ "folded", OPT_FOLDED, "FILE", 0, "write the kernel stacks where threads"
	  " blocked, weighted by time blocked (us), in folded format", 0 },
	{ "json", OPT_JSON, NULL, 0, "print one JSON document", 0 },
	{ "output", 'o', "FILE", 0, "write the report to FILE (default: stdout;"
	  " stderr with -c, whose stdout is the command's)", 0 },
	{ "no-syscall-counts", OPT_NO_SYSCALLS, NULL, 0, "tracepoint mode: do not"
	  " attach raw_syscalls:sys_exit (cheaper; calls then come from task io"
	  " accounting, all fds)", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char trace_doc[] =
	"Trace programs that already run, or one command, and report how often"
	" they block on pipes and unix sockets, on which channel, how full it"
	" was, who woke whom and how long they waited.\n"
	"\n"
	"Ends after DURATION seconds, at Ctrl-C, or when every traced process has"
	" exited.\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo ipctrace trace -p 1234 10            # 10 seconds of process 1234\n"
	"  sudo ipctrace trace -c \"make -j8\" -o make.txt\n"
	"  sudo ipctrace trace --comm nginx -i 1     # a summary every second\n"
	"  sudo ipctrace trace -p 1234 --folded off.txt 5   # for flamegraph.pl\n";

static int parse_pid(const char *s, pid_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 4194304)
		return -1;
	*out = (pid_t)v;
	return 0;
}

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	char *copy, *tok, *save = NULL;

	switch (key) {
	case 'p':
		copy = strdup(arg);
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (a->npids == MAX_PIDS || parse_pid(tok, &a->pids[a->npids])) {
				snprintf(a->why, sizeof(a->why), "-p '%s' is not a process id"
					 " (or more than %d of them)", tok, MAX_PIDS);
				free(copy);
				return EINVAL;
			}
			a->npids++;
		}
		free(copy);
		return 0;
	case 't':
		if (parse_pid(arg, &a->tid)) {
			snprintf(a->why, sizeof(a->why), "-t '%s' is not a thread id", arg);
			return EINVAL;
		}
		return 0;
	case 'c':
		a->command = arg;
		return 0;
	case OPT_CGROUP:
		a->cgroup = arg;
		return 0;
	case OPT_COMM:
		if (!*arg || strlen(arg) >= IPCT_COMM_LEN) {
			snprintf(a->why, sizeof(a->why), "--comm '%s': a process name is 1"
				 " to 15 characters (the kernel keeps no more)", arg);
			return EINVAL;
		}
		a->comm = arg;
		return 0;
	case 'i':
		if (parse_seconds(arg, &a->interval) || a->interval < 0.05) {
			snprintf(a->why, sizeof(a->why), "--interval '%s': give seconds,"
				 " at least 0.05", arg);
			return EINVAL;
		}
		return 0;
	case OPT_FOLDED:
		a->folded = arg;
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_NO_SYSCALLS:
		a->no_syscalls = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->duration > 0 || parse_seconds(arg, &a->duration) || a->duration <= 0) {
			snprintf(a->why, sizeof(a->why), "unexpected argument '%s': the only"
				 " argument is a duration in seconds", arg);
			return EINVAL;
		}
		return 0;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

static double now_s(void)
{
	return (double)now_ns() / 1e9;
}

static bool alive(pid_t pid)
{
	char path[64], state = 0, buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		state = p[2];
	fclose(f);
	return state && state != 'Z' && state != 'X';
}

/* processes named comm right now */
static int watch_by_comm(struct tracer *t, const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], name[64] = "";
		pid_t pid;
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]) || parse_pid(e->d_name, &pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
		if (!strcmp(name, comm) && pid != getpid() && !tracer_watch(t, pid, false))
			n++;
	}
	closedir(d);
	return n;
}

/* validate the targets before anything attaches */
static int check_targets(struct trace_args *a, __u64 *cgroup_id)
{
	int kinds = (a->npids > 0) + (a->tid > 0) + !!a->command + !!a->cgroup + !!a->comm;

	if (kinds != 1) {
		pr_err("%s: give one of -p PID, -t TID, -c \"CMD\", --cgroup PATH,"
		       " --comm NAME\n", kinds ? "one kind of target at a time" :
		       "nothing to trace");
		return EXIT_USAGE;
	}
	for (int i = 0; i < a->npids; i++) {
		pid_t tgid = proc_tgid(a->pids[i]);

		if (tgid < 0) {
			pr_err("no process %d: check the PID (ps -p %d)\n", a->pids[i],
			       a->pids[i]);
			return EXIT_ENV;
		}
		if (tgid != a->pids[i]) {
			pr_err("%d is a thread of process %d: use -t %d for the thread or"
			       " -p %d for the process\n", a->pids[i], tgid, a->pids[i], tgid);
			return EXIT_USAGE;
		}
	}
	if (a->tid && proc_tgid(a->tid) < 0) {
		pr_err("no thread %d: check the TID (ps -eLf)\n", a->tid);
		return EXIT_ENV;
	}
	if (a->cgroup) {
		struct statfs fs;
		struct stat st;

		if (statfs(a->cgroup, &fs) || stat(a->cgroup, &st)) {
			pr_err("--cgroup %s: %s\n", a->cgroup, strerror(errno));
			return EXIT_ENV;
		}
		if ((unsigned long)fs.f_type == CGROUP1_MAGIC) {
			pr_err("--cgroup %s is in a cgroup v1 hierarchy: ipctrace follows"
			       " cgroup v2 only; give a directory of the cgroup2 mount"
			       " (see: mount -t cgroup2)\n", a->cgroup);
			return EXIT_ENV;
		}
		if ((unsigned long)fs.f_type != CGROUP2_MAGIC || !S_ISDIR(st.st_mode)) {
			pr_err("--cgroup %s is not a cgroup v2 directory; give a directory"
			       " of the cgroup2 mount (see: mount -t cgroup2)\n", a->cgroup);
			return EXIT_ENV;
		}
		/* a cgroup v2 directory's inode number is its kernfs id */
		*cgroup_id = st.st_ino;
	}
	return 0;
}

/* -c: a child that waits on a futex until it is watched, then execs */
static pid_t start_command(const char *cmd, int32_t **gate)
{
	pid_t pid;

	*gate = mmap(NULL, sizeof(int32_t), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (*gate == MAP_FAILED)
		return -1;
	**gate = 0;
	pid = fork();
	if (pid == 0) {
		/* no read or write before exec: the io counters stay the command's */
		futex_wait_while(*gate, 0);
		if (strpbrk(cmd, "$`\\\"'*?[]|&;<>(){}~\n#=")) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		} else {
			/* plain words: exec them directly, no shell in the report */
			char *copy = strdup(cmd), *argv[128], *save = NULL;
			int n = 0;

			for (char *w = strtok_r(copy, " \t", &save); w && n < 127;
			     w = strtok_r(NULL, " \t", &save))
				argv[n++] = w;
			argv[n] = NULL;
			if (n)
				execvp(argv[0], argv);
			fprintf(stderr, "ipctrace: cannot run %s: %s\n", n ? argv[0] : "''",
				strerror(errno));
		}
		_exit(127);
	}
	return pid;
}

static void describe_targets(const struct trace_args *a, char *buf, size_t len)
{
	size_t n = 0;

	if (a->npids) {
		n = (size_t)snprintf(buf, len, "process%s", a->npids > 1 ? "es" : "");
		for (int i = 0; i < a->npids && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s%d", i ? "," : " ", a->pids[i]);
	} else if (a->tid) {
		snprintf(buf, len, "thread %d", a->tid);
	} else if (a->command) {
		snprintf(buf, len, "command \"%.200s\"", a->command);
	} else if (a->cgroup) {
		snprintf(buf, len, "cgroup %.200s", a->cgroup);
	} else {
		snprintf(buf, len, "processes named %s", a->comm);
	}
}

static bool targets_alive(const struct trace_args *a)
{
	for (int i = 0; i < a->npids; i++)
		if (alive(a->pids[i]))
			return true;
	return a->tid && alive(a->tid);
}

static int write_folded(const char *path, struct tracer *t,
			const struct trace_snapshot *s)
{
	struct ksyms *k = ksyms_load();
	char tmp[4200];
	FILE *f;
	int ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		pr_err("cannot write %s: %s\n", tmp, strerror(errno));
		ksyms_free(k);
		return -1;
	}
	ret = trace_write_folded(f, t, s, k);
	if (fclose(f) || ret || rename(tmp, path)) {
		pr_err("cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		ret = -1;
	}
	if (!k)
		pr_warn("%s: /proc/kallsyms shows no addresses, frames left as hex\n",
			path);
	ksyms_free(k);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = { .common = COMMON_DEFAULTS };
	struct argp argp = { trace_options, trace_parse, "[DURATION]", trace_doc,
			     NULL, NULL, NULL };
	struct probe_report *pr = calloc(1, sizeof(*pr));
	struct tracer_opts opts = { 0 };
	struct trace_info info = { 0 };
	struct trace_snapshot snap = { 0 }, prev = { 0 };
	struct tracer *t = NULL;
	int32_t *gate = NULL;
	pid_t child = -1;
	int child_status = 0, ret = EXIT_ENV;
	bool child_done = false, have_prev = false;
	double start, next_interval;
	FILE *out = stdout;
	const char *src;
	char err[512];

	if (!pr)
		return EXIT_ENV;
	if (parse_subcommand_args(&argp, argc, argv, &a, a.why)) {
		free(pr);
		return EXIT_USAGE;
	}
	kf_collect(&pr->kf);
	ret = preflight_privileges_and_btf(&pr->kf);
	if (ret)
		goto out;
	ret = check_targets(&a, &opts.filter_cgroup);
	if (ret)
		goto out;
	ret = EXIT_ENV;
	probe_kernel(pr);
	opts.mode = preflight_pick_mode(pr, a.common.attach);
	if (opts.mode == MODE_AUTO)
		goto out;
	/* investigating: exact per-channel calls unless told to be cheap */
	opts.syscall_counts = opts.mode == MODE_TRACEPOINT && !a.no_syscalls &&
			      pr->sys_exit_ok;
	opts.track_channels = true;
	opts.collect_stacks = a.folded != NULL;
	opts.filter_tid = (__u32)a.tid;
	if (a.comm)
		snprintf(opts.filter_comm, sizeof(opts.filter_comm), "%s", a.comm);
	if (a.output) {
		out = fopen(a.output, "we");
		if (!out) {
			pr_err("cannot write %s: %s\n", a.output, strerror(errno));
			out = stdout;
			goto out;
		}
	} else if (a.command) {
		out = stderr;	/* stdout belongs to the command */
	}
	if (tracer_start(&t, &opts, pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto out;
	}
	snprintf(info.attach, sizeof(info.attach), "%s", attach_mode_name(opts.mode));
	src = tracer_call_source_name(t);
	info.calls_counted = src != NULL;
	if (src)
		snprintf(info.calls_source, sizeof(info.calls_source), "counted at %s%s",
			 tracer_call_source(t) == IPCT_CALLS_SYSCALL ? "raw_syscalls:" : "",
			 src);
	else
		snprintf(info.calls_source, sizeof(info.calls_source),
			 "task io accounting (write/read calls on any fd)");
	describe_targets(&a, info.targets, sizeof(info.targets));

	stop_on_signals();
	for (int i = 0; i < a.npids; i++)
		tracer_watch(t, a.pids[i], false);
	if (a.tid)
		tracer_watch(t, proc_tgid(a.tid), false);
	if (a.comm)
		watch_by_comm(t, a.comm);
	if (a.command) {
		child = start_command(a.command, &gate);
		if (child < 0) {
			pr_err("cannot start the command: %s\n", strerror(errno));
			goto out;
		}
		tracer_watch(t, child, true);
	}
	fprintf(stderr, "ipctrace: tracing %s (%s); Ctrl-C to end\n", info.targets,
		info.attach);
	if (gate) {
		__atomic_store_n(gate, 1, __ATOMIC_RELEASE);
		futex_wake_all(gate);
	}

	start = now_s();
	next_interval = start + a.interval;
	while (!stop_requested) {
		struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
		double now = now_s();

		if (a.duration > 0 && now - start >= a.duration)
			break;
		if (child > 0 && waitpid(child, &child_status, WNOHANG) == child) {
			child_done = true;
			break;
		}
		if ((a.npids || a.tid) && !targets_alive(&a))
			break;	/* every traced process exited: a complete trace */
		if (a.interval > 0 && now >= next_interval) {
			if (trace_snapshot_take_threads(t, now - start, &snap) == 0)
				trace_report_interval(out, &snap, have_prev ? &prev : NULL, &info);
			trace_snapshot_free(&prev);
			prev = snap;
			memset(&snap, 0, sizeof(snap));
			have_prev = true;
			next_interval += a.interval;
		}
		nanosleep(&tick, NULL);
	}
	if (trace_snapshot_take(t, now_s() - start, &snap)) {
		pr_err("cannot read the counters: %s\n", strerror(errno));
		goto out;
	}
	if (a.folded && write_folded(a.folded, t, &snap))
		goto out;
	/* detach before printing: nothing stays attached if printing fails */
	tracer_stop(t);
	t = NULL;
	if (a.json) {
		json_t *doc = trace_report_json(&snap, &info);

		json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(doc);
	} else {
		trace_report_text(out, &snap, &info);
	}
	fflush(out);
	ret = 0;
	if (child > 0) {
		/* Ctrl-C reached the command too; pass on a plain SIGINT/TERM */
		if (!child_done) {
			if (stop_requested)
				kill(child, SIGINT);
			waitpid(child, &child_status, 0);
		}
		ret = WIFEXITED(child_status) ? WEXITSTATUS(child_status) :
		      128 + WTERMSIG(child_status);
	}
out:
	tracer_stop(t);
	trace_snapshot_free(&snap);
	trace_snapshot_free(&prev);
	if (out != stdout && out != stderr)
		fclose(out);
	if (gate)
		munmap(gate, sizeof(*gate));
	if (child > 0 && ret == EXIT_ENV && !child_done) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	free(pr);
	return ret;
}
