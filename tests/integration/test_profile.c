// SPDX-License-Identifier: GPL-2.0
/*
 * test_profile.c - the CPU profile end to end, in the attach mode given
 * (--attach): a program with known hot spots (ipc_pattern hotspots: one
 * thread spinning in user space, one making 1-byte writes) gets the
 * shares it must; a busy process nobody watches contributes no sample;
 * every count reconciles (samples read back = samples the program counted,
 * the kernel's run count of the program = its own tick count); `run`
 * gives each cell its split and its folded stacks; --no-profile turns it
 * all off. Shares are asserted, never times.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <jansson.h>
#include "procfs.h"
#include "runcmd.h"
#include "tap_suite.h"

static char pattern_bin[PATH_MAX];
/* 1-byte writes of the hotspots program: enough samples on a fast host;
 * the emulated VM, ten times slower, asks for fewer */
static const char *hot_writes = "1000000";

static long long num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", k);
	return json_integer_value(v);
}

static double real(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	ck_assert_msg(json_is_number(v), "%s is not a number", k);
	return json_number_value(v);
}

/* ipc_pattern hotspots COUNT 1 --wait --park, traced by pid until parked */
struct hot {
	pid_t pid, writer, reader, spinner;
	json_t *doc;
};

/*
 * target: how the trace names the program, with %d for its pid ("-p %d");
 * cgroup: a cgroup v2 directory to move it into first, or NULL
 */
static void trace_hotspots_as(const char *count, const char *target,
			      const char *cgroup, const char *extra_args,
			      struct hot *h);

static void trace_hotspots(const char *count, const char *extra_args, struct hot *h)
{
	trace_hotspots_as(count, "-p %d", NULL, extra_args, h);
}

static void trace_hotspots_as(const char *count, const char *target,
			      const char *cgroup, const char *extra_args,
			      struct hot *h)
{
	char *argv[] = { pattern_bin, "hotspots", (char *)count, "1", "--wait", "--park",
			 NULL };
	struct spawned prog, t;
	struct cmd_result r;
	char *out = NULL, *err = NULL, args[300], **targv;
	size_t len = 0, elen = 0;
	int in;

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(spawn_cmd_stdin(argv, &prog, &in), 0);
	ck_assert_int_eq(read_until(prog.out, &out, &len, "spinner="), 0);
	ck_assert_int_eq(read_until(prog.out, &out, &len, "\n"), 0);
	ck_assert_int_eq(sscanf(strstr(out, "ready pid="), "ready pid=%d writer=%d"
				" reader=%d spinner=%d", &h->pid, &h->writer, &h->reader,
				&h->spinner), 4);
	if (cgroup) {
		char procs[400];
		FILE *f;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
		f = fopen(procs, "w");
		ck_assert_msg(f != NULL, "%s: %s", procs, strerror(errno));
		fprintf(f, "%d\n", h->pid);
		ck_assert_int_eq(fclose(f), 0);
	}
	{
		char who[64];
		int id = strstr(target, "-t") ? h->writer : h->pid;

		snprintf(who, sizeof(who), target, id);
		snprintf(args, sizeof(args), "trace %s --json -o hot.json %s", who,
			 extra_args);
	}
	targv = ipctrace_argv(args);
	ck_assert_int_eq(spawn_cmd(targv, NULL, &t), 0);
	free_argv(targv);
	ck_assert_msg(read_until(t.err, &err, &elen, "Ctrl-C to end") == 0,
		      "trace never attached: %s", err ? err : "");
	ck_assert_int_eq(write(in, "go\n", 3), 3);
	ck_assert_int_eq(read_until(prog.out, &out, &len, "bytes="), 0);
	/* every thread parked: nothing of it runs while the trace is read */
	ck_assert_int_eq(proc_wait_blocked_in(h->pid, h->writer, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(h->pid, h->spinner, SYS_futex, 60, NULL), 0);
	ck_assert_int_eq(proc_wait_blocked_in(h->pid, h->pid, SYS_read, 60, NULL), 0);
	kill(t.pid, SIGINT);
	spawn_finish(&t, &r);
	ck_assert_msg(r.status == 0, "trace exit %d: %s", r.status, r.err);
	cmd_result_free(&r);
	close(in);
	spawn_finish(&prog, &r);
	ck_assert_int_eq(r.status, 0);
	cmd_result_free(&r);
	free(out);
	free(err);
	h->doc = json_load_file("hot.json", 0, NULL);
	ck_assert_ptr_nonnull(h->doc);
}

static json_t *thread(json_t *doc, pid_t tid)
{
	size_t i, j;
	json_t *p, *t;

	json_array_foreach(json_object_get(doc, "processes"), i, p)
		json_array_foreach(json_object_get(p, "threads"), j, t)
			if (num(t, "tid") == tid)
				return t;
	ck_abort_msg("thread %d not in the trace", tid);
	return NULL;
}

/* a thread's share in one mechanism; its shares add up to 1 */
static double share_of(json_t *cpu, const char *name)
{
	json_t *m, *by = json_object_get(cpu, "by_mechanism");
	double sum = 0, got = 0;
	long long samples = 0;
	size_t i;

	ck_assert(json_is_array(by));
	json_array_foreach(by, i, m) {
		sum += real(m, "share");
		samples += num(m, "samples");
		if (!strcmp(json_string_value(json_object_get(m, "name")), name))
			got = real(m, "share");
	}
	ck_assert_msg(sum > 1 - 1e-9 && sum < 1 + 1e-9, "shares sum to %.12f", sum);
	ck_assert_int_eq(samples, num(cpu, "samples"));
	return got;
}

/* "user 0.98, sched 0.01": a thread's split, for the log */
static void print_split(const char *who, json_t *cpu)
{
	json_t *m;
	size_t i;

	printf("# %s, %lld samples:", who, num(cpu, "samples"));
	json_array_foreach(json_object_get(cpu, "by_mechanism"), i, m)
		printf(" %s %.3f", json_string_value(json_object_get(m, "name")),
		       real(m, "share"));
	printf("\n");
}

/* the profile is there, and its counts reconcile: read = counted - lost */
static json_t *profile_of(json_t *doc)
{
	json_t *p = json_object_get(doc, "profile");

	ck_assert(json_is_object(p));
	ck_assert_msg(json_is_true(json_object_get(p, "available")),
		      "profile unavailable: %s", json_string_value(json_object_get(
		      p, "unavailable_reason")));
	ck_assert_int_eq(num(p, "lost"), 0);
	ck_assert_int_eq(num(p, "samples"), num(p, "samples_counted"));
	ck_assert(num(p, "ticks") >= num(p, "samples"));
	return p;
}

START_TEST(known_hot_spots_get_their_shares)
{
	struct hot h;
	json_t *spin, *wr;
	double user_spin, user_wr;

	trace_hotspots(hot_writes, "", &h);
	profile_of(h.doc);
	spin = json_object_get(thread(h.doc, h.spinner), "cpu");
	wr = json_object_get(thread(h.doc, h.writer), "cpu");
	ck_assert_msg(json_is_object(spin) && json_is_object(wr), "no cpu for a thread");
	/* a precondition, not a measurement: shares of a handful say nothing */
	ck_assert_msg(num(spin, "samples") >= 30 && num(wr, "samples") >= 30,
		      "too few samples (%lld, %lld): raise IPCTRACE_HOTSPOT_WRITES",
		      num(spin, "samples"), num(wr, "samples"));
	/*
	 * Of what each thread did itself: interrupts and softirqs that landed
	 * on its CPU are not its work (under TCG they are 5-11% of a spinning
	 * thread's samples: emulated timer ticks), and the table keeps them
	 * apart for that reason.
	 */
	user_spin = share_of(spin, "user") / (1 - share_of(spin, "interrupts"));
	user_wr = share_of(wr, "user") / (1 - share_of(wr, "interrupts"));
	print_split("spinner", spin);
	print_split("writer", wr);
	ck_assert_msg(user_spin > 0.9, "spinner's user share of its own work %.3f",
		      user_spin);
	ck_assert_msg(user_wr < 0.5, "writer's user share of its own work %.3f", user_wr);
	/* the writer's samples in its syscalls: entry/exit, the pipe, copies */
	ck_assert_msg(share_of(wr, "syscall") + share_of(wr, "channel") +
		      share_of(wr, "data_copy") + share_of(wr, "locking") +
		      share_of(wr, "wakeup") + share_of(wr, "scheduler") +
		      share_of(wr, "probes") > 0.5, "the writer's kernel share is small");
	/* CPU per IPC call: the writer made 100000 of them */
	ck_assert(real(wr, "us_per_call") > 0);
	ck_assert_int_eq(num(thread(h.doc, h.writer), "writes"), atoll(hot_writes));
	json_decref(h.doc);
}
END_TEST

/* a busy process nobody traces, spinning alongside: not one sample of it */
START_TEST(only_watched_threads_are_sampled)
{
	struct hot h;
	json_t *p, *pr, *th;
	long long in_threads = 0;
	size_t i, j;
	pid_t busy = fork();
	char line[2048], tag[64];
	FILE *f;
	int lines = 0;

	ck_assert_int_ge(busy, 0);
	if (busy == 0) {
		volatile unsigned long x = 0;

		prctl(PR_SET_NAME, "busy-unwatched");
		for (;;)
			x++;
	}
	trace_hotspots(hot_writes, "--cpu-folded hot.folded --folded-by thread", &h);
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	p = profile_of(h.doc);
	/* every sample read back belongs to a thread of the traced process */
	json_array_foreach(json_object_get(h.doc, "processes"), i, pr) {
		ck_assert_int_eq(num(pr, "pid"), h.pid);
		json_array_foreach(json_object_get(pr, "threads"), j, th)
			if (json_is_object(json_object_get(th, "cpu")))
				in_threads += num(json_object_get(th, "cpu"), "samples");
	}
	ck_assert_int_eq(in_threads, num(p, "samples"));
	/* the folded stacks, keyed by process and thread, name only it */
	snprintf(tag, sizeof(tag), "ipc_pattern-%d;ipc_pattern-", h.pid);
	f = fopen("hot.folded", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		ck_assert_msg(!strncmp(line, tag, strlen(tag)), "not ours: %s", line);
		lines++;
	}
	fclose(f);
	ck_assert_int_gt(lines, 0);
	json_decref(h.doc);
}
END_TEST

static int cgroup2_mount(char *buf, size_t len)
{
	FILE *f = fopen("/proc/mounts", "r");
	char dev[256], dir[256], type[64];
	int found = -1;

	if (!f)
		return -1;
	while (found && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			found = 0;
		}
	fclose(f);
	return found;
}

/* -t and --cgroup narrow the profile as they narrow the tracer */
START_TEST(trace_filters_apply_to_the_profile)
{
	char root[256], dir[300], target[400];
	struct hot h;
	json_t *p, *w;

	/* one thread: every sample read back is the writer's */
	trace_hotspots_as(hot_writes, "-t %d", NULL, "", &h);
	p = profile_of(h.doc);
	w = json_object_get(thread(h.doc, h.writer), "cpu");
	ck_assert(json_is_object(w));
	ck_assert_int_gt(num(w, "samples"), 0);
	ck_assert_int_eq(num(w, "samples"), num(p, "samples"));
	json_decref(h.doc);
	/* a cgroup v2 directory: its threads are sampled, by the subtree walk */
	ck_assert_msg(cgroup2_mount(root, sizeof(root)) == 0, "no cgroup2 mount");
	snprintf(dir, sizeof(dir), "%s/ipctrace-profile-%d", root, getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(target, sizeof(target), "--cgroup %s", dir);
	trace_hotspots_as(hot_writes, target, dir, "", &h);
	p = profile_of(h.doc);
	ck_assert_int_gt(num(json_object_get(thread(h.doc, h.spinner), "cpu"), "samples"), 0);
	ck_assert_int_gt(num(json_object_get(thread(h.doc, h.writer), "cpu"), "samples"), 0);
	json_decref(h.doc);
	rmdir(dir);
}
END_TEST

/*
 * The program's own cost, kernel-measured: with BPF stats on, its run
 * count equals the ticks it counted itself, and ns per tick is printed
 * (a measurement for the README, not a threshold).
 */
START_TEST(program_cost_is_measured)
{
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	struct hot h;
	json_t *p;

	ck_assert_msg(stats >= 0, "BPF_ENABLE_STATS: %s", strerror(errno));
	trace_hotspots(hot_writes, "", &h);
	close(stats);
	p = profile_of(h.doc);
	ck_assert_int_eq(num(p, "program_runs"), num(p, "ticks"));
	/* the program's own clock inside its run time: never more */
	ck_assert(num(p, "sample_ns") < num(p, "program_run_ns"));
	printf("# profile program: %.0f ns per tick over %lld ticks (BPF stats),"
	       " %.0f%% of them samples of watched threads, %.0f ns per sample by"
	       " its own clock\n", (double)num(p, "program_run_ns") /
	       (double)num(p, "program_runs"), num(p, "ticks"),
	       100.0 * (double)num(p, "samples") / (double)num(p, "ticks"),
	       (double)num(p, "sample_ns") / (double)num(p, "samples_counted"));
	json_decref(h.doc);
}
END_TEST

static long long folded_sum(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	long long sum = 0;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *sp = strrchr(line, ' ');

		ck_assert_msg(sp && (!strncmp(line, "writer;", 7) ||
				     !strncmp(line, "reader;", 7)), "bad line: %s", line);
		sum += atoll(sp + 1);
	}
	fclose(f);
	return sum;
}

START_TEST(run_cells_carry_their_split_and_stacks)
{
	struct cmd_result r = run_ipctrace("run -t pipe,socketpair -m 1000 -b default"
					   " -r 2 -d 0.2 -w 0 --json -o prof-run", NULL);
	json_t *doc, *c;
	size_t i;
	struct stat st;

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_is_true(json_object_get(json_object_get(doc, "profile"), "available")));
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *cpu = json_object_get(c, "cpu"), *m;
		const char *tr = json_string_value(json_object_get(c, "transport"));
		double share = 0, us = 0;
		char path[200];
		size_t k;

		ck_assert_msg(json_is_object(cpu), "%s: no cpu", tr);
		ck_assert(real(cpu, "us_per_write") > 0);
		ck_assert(num(cpu, "samples") > 0);
		json_array_foreach(json_object_get(cpu, "by_mechanism"), k, m) {
			share += real(m, "share");
			us += real(m, "us_per_write");
		}
		ck_assert_double_eq_tol(share, 1, 1e-9);
		ck_assert_double_eq_tol(us, real(cpu, "us_per_write"), 1e-9);
		/* writer and reader add up to the whole */
		ck_assert_double_eq_tol(real(cpu, "writer_us_per_write") +
					real(cpu, "reader_us_per_write"),
					real(cpu, "us_per_write"), 1e-9);
		snprintf(path, sizeof(path), "prof-run/stacks/%s-unpinned-1000-default-%s"
			 ".folded", json_string_value(json_object_get(c, "pattern")), tr);
		ck_assert_int_eq(folded_sum(path), num(cpu, "samples"));
	}
	ck_assert_int_eq(stat("prof-run/stacks/stream-unpinned-1000-default.pipe-vs-"
			      "socketpair.pipe.folded", &st), 0);
	ck_assert_int_eq(stat("prof-run/stacks/stream-unpinned-1000-default.pipe-vs-"
			      "socketpair.socketpair.folded", &st), 0);
	json_decref(doc);
	cmd_result_free(&r);
	/* the report read back prints the same per-cell lines */
	r = run_ipctrace("report prof-run", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "cpu per write: "));
	cmd_result_free(&r);
}
END_TEST

START_TEST(no_profile_turns_it_off)
{
	struct cmd_result r = run_ipctrace("run -t pipe -m 1000 -b default -r 1 -d 0.1"
					   " -w 0 --no-profile --json -o noprof-run", NULL);
	json_t *doc, *p;
	struct stat st;
	struct hot h;

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	p = json_object_get(doc, "profile");
	ck_assert(json_is_false(json_object_get(p, "requested")));
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(doc, "cells"),
							      0), "cpu")));
	ck_assert_int_ne(stat("noprof-run/stacks", &st), 0);
	json_decref(doc);
	cmd_result_free(&r);
	trace_hotspots("1000", "--no-profile", &h);
	p = json_object_get(h.doc, "profile");
	ck_assert(json_is_false(json_object_get(p, "requested")));
	ck_assert(json_is_null(json_object_get(thread(h.doc, h.writer), "cpu")));
	json_decref(h.doc);
}
END_TEST

/* before_exec: perf_event_open fails with ENODEV, as on a kernel without
 * perf events (seccomp; the tracer in tracepoint or fentry mode needs none) */
static int no_perf_events(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_perf_event_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENODEV),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* a kernel that cannot give the profile: said once, and the run goes on */
START_TEST(profile_unavailable_is_said_not_fatal)
{
	struct cmd_result r = run_ipctrace("run -t pipe -m 1000 -b default -r 1 -d 0.1"
					   " -w 0 --json -o unavail-run", no_perf_events);
	const char *needle = "profile unavailable: perf_event_open of the software"
			     " cpu-clock event on CPU";
	json_t *doc, *p;

	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, needle) && strstr(r.err, "No such device"), "%s",
		      r.err);
	ck_assert_ptr_null(strstr(strstr(r.err, needle) + 1, needle));	/* once */
	doc = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	p = json_object_get(doc, "profile");
	ck_assert(json_is_true(json_object_get(p, "requested")));
	ck_assert(json_is_false(json_object_get(p, "available")));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p,
				     "unavailable_reason")), "perf_event_open"));
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(doc, "cells"),
							      0), "cpu")));
	/* the reconciliation still holds: the tracer did not care */
	ck_assert(json_is_true(json_object_get(json_object_get(json_array_get(
		json_object_get(doc, "cells"), 0), "reconciliation"), "ok")));
	json_decref(doc);
	cmd_result_free(&r);
	r = run_ipctrace("report unavail-run", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "profile unavailable: perf_event_open"));
	cmd_result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-profile-XXXXXX";

	if (getenv("IPCTRACE_HOTSPOT_WRITES"))
		hot_writes = getenv("IPCTRACE_HOTSPOT_WRITES");
	if (enter_pattern_and_scratch_dir(pattern_bin, dir))
		return 2;
	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	/* the profile beside the mode's programs (the probes are in it), and
	 * the tracer going on without perf events */
	tcase_add_test(tc, known_hot_spots_get_their_shares);
	/* kprobes are perf events themselves: that mode cannot lose only these */
	if (strcmp(runcmd_attach_from_argv(argc, argv), "kprobe"))
		tcase_add_test(tc, profile_unavailable_is_said_not_fatal);
	/* the same in every mode: the sampling program, its filter (the
	 * watched set the scheduler tracepoints keep), its cost, run's cells */
	if (!runcmd_mode_dependent_only(argc, argv)) {
		tcase_add_test(tc, only_watched_threads_are_sampled);
		tcase_add_test(tc, trace_filters_apply_to_the_profile);
		tcase_add_test(tc, program_cost_is_measured);
		tcase_add_test(tc, run_cells_carry_their_split_and_stacks);
		tcase_add_test(tc, no_profile_turns_it_off);
	}
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
