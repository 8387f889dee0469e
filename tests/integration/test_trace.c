// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace.c - `ipctrace trace` on a program with a known pattern
 * (ipc_pattern): by pid, by thread, by command (output and exit status
 * passed through, children followed), by cgroup v2 and by name. Exact
 * write counts, switch counts reconciled with /proc while the program is
 * provably asleep, a program without IPC shows none, a program that exits
 * ends the trace, folded stacks, and clear errors.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "procfs.h"
#include "run_doc.h"
#include "runcmd.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX];

/* a running ipc_pattern --wait --park, its ids and its stdin */
struct prog {
	struct spawned s;
	int in;
	pid_t pid, writer, reader;
	char *out;
	size_t outlen;
	/* the kernel's counters before the trace attached, taken while the
	 * threads sleep at their start line: trace counts from attach on */
	struct kcounters base_writer, base_reader;
};

/* extra: one more ipc_pattern option, or NULL */
static void prog_start_with(struct prog *p, const char *kind, const char *count,
			    const char *size, const char *extra)
{
	char *argv[] = { pattern_bin, (char *)kind, (char *)count, (char *)size,
			 "--wait", "--park", (char *)extra, NULL };
	char *at;

	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(spawn_cmd_stdin(argv, &p->s, &p->in), 0);
	ck_assert_int_eq(read_until(p->s.out, &p->out, &p->outlen, "reader="), 0);
	ck_assert_int_eq(read_until(p->s.out, &p->out, &p->outlen, "\n"), 0);
	at = strstr(p->out, "ready pid=");
	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(sscanf(at, "ready pid=%d writer=%d reader=%d", &p->pid,
				&p->writer, &p->reader), 3);
	ck_assert_int_eq(proc_wait_blocked_in(p->pid, p->writer, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(p->pid, p->reader, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_read_kcounters(p->pid, p->writer, &p->base_writer), 0);
	ck_assert_int_eq(proc_read_kcounters(p->pid, p->reader, &p->base_reader), 0);
}

static void prog_start(struct prog *p, const char *kind, const char *count,
		       const char *size)
{
	prog_start_with(p, kind, count, size, NULL);
}

/* let it run; return when it is done and every thread sleeps */
static void prog_go_and_park(struct prog *p)
{
	ck_assert_int_eq(write(p->in, "go\n", 3), 3);
	ck_assert_int_eq(read_until(p->s.out, &p->out, &p->outlen, "bytes="), 0);
	ck_assert_int_eq(proc_wait_blocked_in(p->pid, p->writer, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(p->pid, p->reader, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(p->pid, p->pid, SYS_read, 60, NULL), 0);
}

/* a count from the program's final line ("... reads=N bytes=N") */
static long prog_count(const struct prog *p, const char *key)
{
	const char *at = strstr(p->out, key);

	ck_assert_ptr_nonnull(at);
	return atol(at + strlen(key));
}

static void prog_end(struct prog *p)
{
	struct cmd_result r;

	close(p->in);
	spawn_finish(&p->s, &r);
	ck_assert_int_eq(r.status, 0);
	cmd_result_free(&r);
	free(p->out);
}

/* start ipctrace trace and wait until it says it is attached */
static void trace_start(struct spawned *t, const char *args)
{
	char **argv = ipctrace_argv(args);
	char *err = NULL;
	size_t len;

	ck_assert_int_eq(spawn_cmd(argv, NULL, t), 0);
	free_argv(argv);
	ck_assert_msg(read_until(t->err, &err, &len, "Ctrl-C to end") == 0,
		      "trace never attached: %s", err ? err : "");
	free(err);
}

/*
 * ipctrace args, ending in "-c X", with X replaced by cmd as one argument
 * (ipctrace_argv splits on spaces); runs to the end
 */
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

static json_t *trace_stop(struct spawned *t, const char *json_file, int want_status)
{
	struct cmd_result r;
	json_error_t jerr;
	json_t *doc;

	kill(t->pid, SIGINT);
	spawn_finish(t, &r);
	ck_assert_msg(r.status == want_status, "trace exit %d: %s", r.status, r.err);
	cmd_result_free(&r);
	doc = json_load_file(json_file, 0, &jerr);
	ck_assert_msg(doc != NULL, "%s: %s", json_file, jerr.text);
	return doc;
}

static json_t *thread(json_t *doc, pid_t tid)
{
	size_t i, j;
	json_t *p, *t;

	json_array_foreach(json_object_get(doc, "processes"), i, p)
		json_array_foreach(json_object_get(p, "threads"), j, t)
			if (json_integer_value(json_object_get(t, "tid")) == tid)
				return t;
	ck_abort_msg("thread %d not in the trace", tid);
	return NULL;
}

static long long num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

/* the channel the writer wrote into */
static json_t *written_channel(json_t *doc, long long writes)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(doc, "channels"), i, c)
		if (num(c, "writes") == writes)
			return c;
	ck_abort_msg("no channel with %lld writes", writes);
	return NULL;
}

/*
 * Over the channel only the writer and the reader wake each other. A timer
 * or softirq that wakes some other task while one of them sits in write()
 * or read() is an interrupt's doing, and must not be charged to the channel
 * (it used to be: ipc_pattern's timer-woken thread showed up here). The pairs
 * add up to the channel's wakeup count.
 */
static void assert_wakeups_only_between(json_t *ch, const struct prog *p)
{
	json_t *pairs = json_object_get(ch, "wakeups_by_pair"), *e;
	long long sum = 0;
	size_t i;

	ck_assert(json_is_array(pairs));
	json_array_foreach(pairs, i, e) {
		pid_t waker = num(e, "waker"), wakee = num(e, "wakee");

		ck_assert_msg((waker == p->writer && wakee == p->reader) ||
			      (waker == p->reader && wakee == p->writer),
			      "wakeup %d -> %d charged to the channel of writer %d,"
			      " reader %d", waker, wakee, p->writer, p->reader);
		sum += num(e, "count");
	}
	ck_assert_int_eq(sum, num(ch, "wakeups"));
}

/* a histogram's buckets add up to its count; returns the count */
static long long hist_total(json_t *h)
{
	json_t *b;
	long long sum = 0;
	size_t i;

	if (json_is_null(h))
		return 0;
	json_array_foreach(json_object_get(h, "buckets"), i, b) {
		ck_assert(json_real_value(json_array_get(b, 0)) <
			  json_real_value(json_array_get(b, 1)));
		sum += json_integer_value(json_array_get(b, 2));
	}
	ck_assert_int_eq(sum, num(h, "count"));
	return sum;
}

/* the sleeps of thread t in syscall name, as the sleeps list counts them */
static long long sleeps_in(json_t *t, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(t, "sleeps"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "syscall")), name))
			return num(e, "count");
	return 0;
}

/*
 * Every blocked write waited at least once, and each buffer wait is one
 * sample of the wait histogram, exactly. The waits by cause are sleeps in
 * write(): the buffer waits and the lock or fault waits (one on the pipe's
 * mutex, held by the reader) together at most as many. A wakeup-to-run
 * sample ends a switch.
 */
static void assert_histograms(json_t *t, const char *write_call)
{
	long long waits = hist_total(json_object_get(t, "wait_us"));

	ck_assert_int_ge(waits, num(t, "blocked_writes"));
	ck_assert_int_eq(waits, num(t, "buffer_waits"));
	ck_assert_int_le(num(t, "buffer_waits") + num(t, "lock_fault_waits"),
			 sleeps_in(t, write_call));
	ck_assert_int_eq(num(t, "spinlock_waits") <= num(t, "lock_fault_waits"), 1);
	ck_assert_int_le(hist_total(json_object_get(t, "wakeup_latency_us")),
			 num(t, "voluntary_switches") + num(t, "involuntary_switches"));
}

/* the thread's switches while traced equal the kernel's, exactly */
static void assert_thread_matches_proc(json_t *doc, const struct prog *p, pid_t tid)
{
	const struct kcounters *base = tid == p->writer ? &p->base_writer : &p->base_reader;
	struct kcounters k;
	json_t *t = thread(doc, tid);

	ck_assert_int_eq(proc_read_kcounters(p->pid, tid, &k), 0);
	ck_assert_int_eq(num(t, "voluntary_switches"), k.vol - base->vol);
	ck_assert_int_eq(num(t, "involuntary_switches"), k.invol - base->invol);
}

static void by_pid_case(const char *kind)
{
	struct prog p;
	struct spawned t;
	char args[200];
	json_t *doc, *w, *ch;
	long long skipped;

	/* the timer-woken thread tempts the tracer to charge an interrupt's
	 * wakeup to whichever of writer and reader it interrupted */
	prog_start_with(&p, kind, "3000", "1000", "--timer-waker");
	/* the exact path: in tracepoint mode calls are counted only if asked */
	snprintf(args, sizeof(args), "trace -p %d --syscall-counts --no-profile --json"
		 " -o by-pid.json", p.pid);
	trace_start(&t, args);
	prog_go_and_park(&p);
	doc = trace_stop(&t, "by-pid.json", 0);
	w = thread(doc, p.writer);
	/* exact, or short by no more than the sys_exit runs the kernel
	 * skipped and trace reported (7.3.4: run_doc.h) */
	skipped = trace_skipped_runs(doc);
	ASSERT_COUNT_BOUND(num(w, "writes"), 3000, skipped, 1);
	ASSERT_COUNT_BOUND(num(w, "bytes_written"), 3000 * 1000, skipped, 1000);
	ASSERT_COUNT_BOUND(num(thread(doc, p.reader), "reads"), prog_count(&p, "reads="),
			   skipped, 1);
	ch = written_channel(doc, num(w, "writes"));
	ck_assert_str_eq(json_string_value(json_object_get(ch, "kind")),
			 !strcmp(kind, "pipe") ? "pipe" : "unix_stream");
	ck_assert_int_eq(num(ch, "bytes_written"), num(w, "bytes_written"));
	if (strcmp(kind, "pipe"))
		ck_assert(json_is_integer(json_object_get(ch, "peer_ino")));
	assert_wakeups_only_between(ch, &p);
	assert_histograms(w, "write");
	/* the channel's waits by cause are its threads' */
	ck_assert_int_eq(num(ch, "write_buffer_waits"), num(w, "buffer_waits"));
	ck_assert_int_eq(num(ch, "write_lock_fault_waits"), num(w, "lock_fault_waits"));
	ck_assert_int_ge(num(ch, "write_buffer_waits"), num(ch, "blocked_writes"));
	ck_assert(json_is_boolean(json_object_get(doc, "preempt_rt")));
	/* the kernel's own switch counts, read while every thread sleeps */
	assert_thread_matches_proc(doc, &p, p.writer);
	assert_thread_matches_proc(doc, &p, p.reader);
	assert_trace_lost_only_skipped(doc);
	json_decref(doc);
	prog_end(&p);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
}

START_TEST(trace_pipe_by_pid_exact)
{
	by_pid_case("pipe");
}
END_TEST

START_TEST(trace_socketpair_by_pid_exact)
{
	by_pid_case("socketpair");
}
END_TEST

/* -t: only that thread is reported */
START_TEST(trace_one_thread)
{
	struct prog p;
	struct spawned t;
	char args[200];
	json_t *doc, *procs;

	prog_start(&p, "pipe", "1000", "100");
	snprintf(args, sizeof(args), "trace -t %d --no-profile --json -o tid.json", p.writer);
	trace_start(&t, args);
	prog_go_and_park(&p);
	doc = trace_stop(&t, "tid.json", 0);
	procs = json_object_get(doc, "processes");
	ck_assert_int_eq(json_array_size(procs), 1);
	ck_assert_int_eq(json_array_size(json_object_get(json_array_get(procs, 0),
							 "threads")), 1);
	ck_assert_int_eq(num(thread(doc, p.writer), "writes"), 1000);
	assert_thread_matches_proc(doc, &p, p.writer);
	json_decref(doc);
	prog_end(&p);
}
END_TEST

/* -c: output through, exit status back, children followed */
START_TEST(trace_command_passes_output_status_and_children)
{
	char cmd[PATH_MAX + 100];
	struct cmd_result r;
	json_t *doc;
	size_t i, j;
	json_t *pr, *th;
	int with_500 = 0;

	snprintf(cmd, sizeof(cmd), "%s pipe 500 100 --fork --exit 7", pattern_bin);
	r = run_with_command("trace --json -o cmd.json -c X", cmd);
	ck_assert_msg(r.status == 7, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "writes=500"));
	doc = json_load_file("cmd.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	/* the pattern ran in a child of the command */
	ck_assert_int_ge(json_array_size(json_object_get(doc, "processes")), 2);
	json_array_foreach(json_object_get(doc, "processes"), i, pr)
		json_array_foreach(json_object_get(pr, "threads"), j, th)
			with_500 += num(th, "writes") == 500;
	ck_assert_int_eq(with_500, 1);
	json_decref(doc);
	cmd_result_free(&r);
}
END_TEST

START_TEST(trace_program_without_ipc)
{
	char cmd[PATH_MAX + 64];
	struct cmd_result r;
	json_t *doc, *pr, *th;
	size_t i, j;

	snprintf(cmd, sizeof(cmd), "%s none 200 1 --quiet", pattern_bin);
	/* channel calls counted (not task io accounting, which counts every
	 * fd, the loader's reads included) */
	r = run_with_command("trace --syscall-counts --json -o none.json -c X", cmd);
	ck_assert_msg(r.status == 0, "%s", r.err);
	doc = json_load_file("none.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "channels")), 0);
	json_array_foreach(json_object_get(doc, "processes"), i, pr)
		json_array_foreach(json_object_get(pr, "threads"), j, th) {
			ck_assert_int_eq(num(th, "writes"), 0);
			ck_assert_int_eq(num(th, "reads"), 0);
			ck_assert_int_eq(num(th, "blocked_writes"), 0);
			ck_assert_int_eq(num(th, "blocked_reads"), 0);
		}
	ck_assert_int_ge(json_array_size(json_object_get(doc, "processes")), 1);
	json_decref(doc);
	cmd_result_free(&r);
}
END_TEST

/* the traced process exits on its own: the trace ends with its summary */
START_TEST(traced_process_exits_mid_trace)
{
	char *argv[] = { pattern_bin, "pipe", "800", "100", "--wait", NULL };
	struct spawned prog, t;
	struct cmd_result r, pr;
	char *out = NULL, args[200];
	size_t len;
	pid_t pid, writer, reader;
	int in;
	json_t *doc, *w;

	ck_assert_int_eq(spawn_cmd_stdin(argv, &prog, &in), 0);
	ck_assert_int_eq(read_until(prog.out, &out, &len, "\n"), 0);
	ck_assert_int_eq(sscanf(out, "ready pid=%d writer=%d reader=%d", &pid, &writer,
				&reader), 3);
	snprintf(args, sizeof(args), "trace -p %d --no-profile --json -o exits.json", pid);
	trace_start(&t, args);
	ck_assert_int_eq(write(in, "go\n", 3), 3);
	close(in);
	spawn_finish(&prog, &pr);
	ck_assert_int_eq(pr.status, 0);
	/* no signal: ipctrace must notice the exit and finish by itself */
	spawn_finish(&t, &r);
	ck_assert_msg(r.status == 0, "trace exit %d: %s", r.status, r.err);
	doc = json_load_file("exits.json", 0, NULL);
	ck_assert_ptr_nonnull(doc);
	w = thread(doc, writer);
	ck_assert_int_eq(num(w, "writes"), 800);
	ck_assert(json_is_true(json_object_get(w, "exited")));
	json_decref(doc);
	cmd_result_free(&r);
	cmd_result_free(&pr);
	free(out);
}
END_TEST

START_TEST(folded_stacks_where_threads_blocked)
{
	char cmd[PATH_MAX + 64], line[8192];
	struct cmd_result r;
	FILE *f;
	int lines = 0, pipe_frames = 0;

	snprintf(cmd, sizeof(cmd), "%s pipe 3000 4096", pattern_bin);
	r = run_with_command("trace --folded blocked.folded -o /dev/null -c X", cmd);
	ck_assert_msg(r.status == 0, "%s", r.err);
	f = fopen("blocked.folded", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char *sp = strrchr(line, ' ');

		/* comm;frame;...;frame value */
		ck_assert_msg(sp && atol(sp + 1) > 0 && strchr(line, ';'), "%s", line);
		ck_assert_ptr_nonnull(strstr(line, "schedule"));
		pipe_frames += strstr(line, "pipe_read") || strstr(line, "pipe_write");
		lines++;
	}
	fclose(f);
	ck_assert_int_gt(lines, 0);
	ck_assert_int_gt(pipe_frames, 0);
	cmd_result_free(&r);
}
END_TEST

/* the first cgroup2 mount, from /proc/mounts */
static int cgroup2_mount(char *buf, size_t len)
{
	FILE *f = fopen("/proc/mounts", "r");
	char dev[256], dir[256], type[64];
	int found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

START_TEST(trace_cgroup_v2_subtree)
{
	char root[256], dir[300], sub[320], procs[350], args[400];
	struct prog p;
	struct spawned t;
	json_t *doc;
	FILE *f;

	ck_assert_msg(cgroup2_mount(root, sizeof(root)) == 0, "no cgroup2 mount");
	snprintf(dir, sizeof(dir), "%s/ipctrace-test-%d", root, getpid());
	snprintf(sub, sizeof(sub), "%s/inner", dir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	prog_start(&p, "pipe", "700", "100");
	/* in a child cgroup: --cgroup covers the subtree */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", sub);
	f = fopen(procs, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", p.pid);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(args, sizeof(args), "trace --cgroup %s --no-profile --json -o cg.json", dir);
	trace_start(&t, args);
	prog_go_and_park(&p);
	doc = trace_stop(&t, "cg.json", 0);
	ck_assert_int_eq(num(thread(doc, p.writer), "writes"), 700);
	assert_thread_matches_proc(doc, &p, p.writer);
	json_decref(doc);
	prog_end(&p);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

/* --comm: a process that starts after the trace is picked up by name */
START_TEST(trace_by_name_catches_a_later_process)
{
	struct spawned t;
	struct cmd_result r;
	char *argv[] = { pattern_bin, "pipe", "600", "100", "--quiet", NULL };
	json_t *doc, *pr, *th;
	size_t i, j;
	int found = 0;

	trace_start(&t, "trace --comm ipc_pattern --no-profile --json -o comm.json");
	ck_assert_int_eq(run_cmd(argv, NULL, &r), 0);
	ck_assert_int_eq(r.status, 0);
	cmd_result_free(&r);
	doc = trace_stop(&t, "comm.json", 0);
	json_array_foreach(json_object_get(doc, "processes"), i, pr)
		json_array_foreach(json_object_get(pr, "threads"), j, th)
			found += num(th, "writes") == 600;
	ck_assert_int_eq(found, 1);
	json_decref(doc);
}
END_TEST

START_TEST(interval_summaries)
{
	struct prog p;
	struct spawned t;
	struct cmd_result r;
	char args[200], line[80], *out = NULL;
	size_t len;

	prog_start(&p, "pipe", "2000", "100");
	snprintf(args, sizeof(args), "trace -p %d -i 0.1 --no-profile", p.pid);
	trace_start(&t, args);
	prog_go_and_park(&p);
	/*
	 * some interval shows the writer's 2000 writes (its line: tid, comm,
	 * writes, as trace_report_interval() prints them: a tid like 12000
	 * or a count like 12000 cannot match); later ones that nothing moved
	 */
	snprintf(line, sizeof(line), "%12d %-15.15s %8d ", p.writer, "ipc_pattern", 2000);
	ck_assert_int_eq(read_until(t.out, &out, &len, line), 0);
	ck_assert_int_eq(read_until(t.out, &out, &len, "(nothing moved)"), 0);
	kill(t.pid, SIGINT);
	spawn_finish(&t, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "channels"));
	cmd_result_free(&r);
	free(out);
	prog_end(&p);
}
END_TEST

/*
 * A cgroup v1 hierarchy of our own, in a private mount namespace, on an
 * empty directory the test made (nothing may be mounted over a directory
 * that holds ipctrace: a clone under /tmp must still find its binary).
 */
static char cgv1_dir[] = "/tmp/ipctrace-cgv1-XXXXXX";

static int mount_cgroup_v1(void)
{
	return unshare(CLONE_NEWNS) ||
	       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	       mount("none", cgv1_dir, "cgroup", 0, "none,name=ipctracetest");
}

static void expect_error(const char *args, int (*before)(void), int status,
			 const char *needle)
{
	struct cmd_result r = run_ipctrace(args, before);

	assert_one_line_error(&r, args, status, needle, NULL);
	cmd_result_free(&r);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
}

START_TEST(trace_errors)
{
	char args[200];
	pid_t gone = fork();
	struct prog p;

	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	snprintf(args, sizeof(args), "trace -p %d", gone);
	expect_error(args, NULL, 1, "no process");
	expect_error("trace -p 1,notapid", NULL, 2, "-p '1,notapid': give process ids");
	expect_error("trace", NULL, 2, "nothing to trace");
	expect_error("trace -p 1 --comm x", NULL, 2, "one kind of target");
	ck_assert_ptr_nonnull(mkdtemp(cgv1_dir));
	snprintf(args, sizeof(args), "trace --cgroup %s", cgv1_dir);
	expect_error(args, mount_cgroup_v1, 1, "cgroup v1");
	rmdir(cgv1_dir);
	expect_error("trace --cgroup /proc", NULL, 1, "not a cgroup v2 directory");
	expect_error("trace -p 1", become_nobody, 1, "needs root");
	/* a thread given as a process */
	prog_start(&p, "pipe", "1", "1");
	snprintf(args, sizeof(args), "trace -p %d", p.writer);
	expect_error(args, NULL, 2, "is a thread of process");
	ck_assert_int_eq(write(p.in, "go\n", 3), 3);
	prog_end(&p);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("trace");
	/* the mode is the test case's name: "auto", "fentry", "kprobe" */
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-trace-XXXXXX";

	if (enter_pattern_and_scratch_dir(pattern_bin, dir))
		return 2;
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	/* what the mode's programs count and attribute, exactly */
	tcase_add_test(tc, trace_pipe_by_pid_exact);
	tcase_add_test(tc, trace_socketpair_by_pid_exact);
	tcase_add_test(tc, trace_one_thread);
	tcase_add_test(tc, traced_process_exits_mid_trace);
	tcase_add_test(tc, folded_stacks_where_threads_blocked);
	/* the same in every mode: which tasks are watched is decided by the
	 * scheduler tracepoints every mode shares; output, exit status,
	 * intervals, bad targets */
	if (!runcmd_mode_dependent_only(argc, argv)) {
		tcase_add_test(tc, trace_command_passes_output_status_and_children);
		tcase_add_test(tc, trace_program_without_ipc);
		tcase_add_test(tc, trace_cgroup_v2_subtree);
		tcase_add_test(tc, trace_by_name_catches_a_later_process);
		tcase_add_test(tc, interval_summaries);
		tcase_add_test(tc, trace_errors);
	}
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
