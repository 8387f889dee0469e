// SPDX-License-Identifier: GPL-2.0
/*
 * test_run.c - `ipctrace run` end to end: reconciliation holds exactly on
 * short runs of each transport; counters move in the direction the kernel
 * dictates (assertions on direction, never on time); bad input fails before
 * anything runs; Ctrl-C leaves no worker and no BPF program behind.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "plots.h"
#include "run_doc.h"
#include "runcmd.h"
#include "tap_suite.h"

/* a text file the run wrote, into buf (NUL-terminated, truncated to fit) */
static void read_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

START_TEST(reconciles_exactly_each_transport)
{
	json_t *doc = run_json("run -t pipe,socketpair,seqpacket -m 4K -b default"
			       " -r 2 --warmup 0 --bytes 4M --no-untraced --no-profile --json", NULL);
	static const char *const t[] = { "pipe", "socketpair", "seqpacket" };

	for (int i = 0; i < 3; i++) {
		json_t *c = cell(doc, t[i], 4096, 0), *rep;
		size_t k;

		assert_reconciled(c);
		json_array_foreach(json_object_get(c, "reps"), k, rep) {
			/* 4 MiB in 4 KiB writes: exactly 1024 calls, all delivered */
			ck_assert_int_eq(writer_calls(rep), 1024);
			ck_assert_int_eq(json_integer_value(json_object_get(rep, "bytes")),
					 4 << 20);
		}
	}
	json_decref(doc);
}
END_TEST

START_TEST(reconciles_pingpong_threads_and_pairs)
{
	json_t *doc = run_json("run -t pipe,socketpair -m 1000 -b default -r 1"
			       " --warmup 0 --bytes 200000 --pattern pingpong --threads"
			       " --no-untraced --no-profile --json", NULL);

	assert_reconciled(cell(doc, "pipe", 1000, 0));
	assert_reconciled(cell(doc, "socketpair", 1000, 0));
	/* 200 round trips, each one write and one read per side */
	ck_assert_int_eq(writer_calls(json_array_get(json_object_get(
		cell(doc, "pipe", 1000, 0), "reps"), 0)), 200);
	json_decref(doc);
	doc = run_json("run -t pipe,socketpair -m 64K -b default -r 1 --warmup 0"
		       " --bytes 8M --pairs 2 --no-untraced --no-profile --json", NULL);
	assert_reconciled(cell(doc, "pipe", 65536, 0));
	assert_reconciled(cell(doc, "socketpair", 65536, 0));
	json_decref(doc);
}
END_TEST

/*
 * 64K writes into a 64K pipe must wait for the reader whenever it lags;
 * a 1M pipe holds 16 of them. Cross-CPU, so that the reader runs beside
 * the writer (on one CPU, kernels that let the woken reader preempt the
 * writer - Debian's 6.1 does - drain the pipe before it ever fills).
 */
START_TEST(pipe_blocking_falls_with_buffer_size)
{
	json_t *doc = run_json("run -t pipe -m 64K -b default,1M -p cross-cpu -r 1"
			       " --warmup 0 --bytes 32M --no-untraced --no-profile --json", NULL);
	json_t *small = cell(doc, "pipe", 65536, 0), *big = cell(doc, "pipe", 65536, 1 << 20);
	json_t *fs = json_object_get(small, "fill_at_block");
	json_t *fb = json_object_get(big, "fill_at_block");

	assert_reconciled(small);
	assert_reconciled(big);
	ck_assert_msg(per_mb(small, "blocked_writes") >= 1, "default pipe: %.2f"
		      " blocking writes per MB", per_mb(small, "blocked_writes"));
	ck_assert_msg(per_mb(small, "blocked_writes") > per_mb(big, "blocked_writes"),
		      "64K pipe %.2f vs 1M pipe %.2f blocking writes per MB",
		      per_mb(small, "blocked_writes"), per_mb(big, "blocked_writes"));
	ck_assert_msg(per_mb(small, "voluntary_switches") >
		      per_mb(big, "voluntary_switches"), "switches do not fall");
	/* the capacity a writer meets is exact; the fill is sampled while
	 * the reader on the other CPU drains, so only bounded */
	ck_assert_str_eq(json_string_value(json_object_get(fs, "unit")), "slots");
	ck_assert_double_eq(json_number_value(json_object_get(fs, "capacity_mean")), 16);
	ck_assert_double_le(json_number_value(json_object_get(fs, "used_mean")), 16);
	ck_assert_double_gt(json_number_value(json_object_get(fs, "used_mean")), 0);
	/*
	 * The 1M pipe is granted 256 slots; whether a concurrent reader lets
	 * it fill is up to the scheduler, so its capacity at block is proven
	 * where nobody reads (test_counters: pipe_big_write_blocks_once_...).
	 */
	ck_assert_int_eq(json_integer_value(json_object_get(big, "buffer_slots")), 256);
	if (json_is_object(fb))
		ck_assert_double_eq(json_number_value(json_object_get(fb, "capacity_mean")), 256);
	json_decref(doc);
}
END_TEST


/* with non-blocking fds the writer waits in epoll_wait, never in write */
START_TEST(epoll_writer_waits_in_epoll_wait)
{
	/*
	 * Cross-CPU: the reader wakes by IPI, slower than the writer fills a
	 * 64K pipe, so the writer meets EAGAIN; on one CPU a kernel that lets
	 * the woken reader preempt the writer (6.1) may drain the pipe
	 * before every write. That the writer meets a full pipe is up to
	 * timing: with --no-untraced --no-profile it once did not (make
	 * test, ASan build, 2026-12-02), so it runs as it always did.
	 */
	json_t *doc = run_json("run -t pipe,socketpair -m 64K -b default --io epoll"
			       " -p cross-cpu -r 1 --warmup 0 --bytes 16M --json", NULL);
	json_t *p = cell(doc, "pipe", 65536, 0), *s = cell(doc, "socketpair", 65536, 0);
	json_t *rep = json_array_get(json_object_get(p, "reps"), 0);
	json_t *w = json_array_get(json_object_get(rep, "roles"), 0);

	assert_reconciled(p);
	assert_reconciled(s);
	ck_assert(per_mb(p, "blocked_writes") == 0);
	ck_assert(per_mb(s, "blocked_writes") == 0);
	ck_assert_msg(per_mb(p, "writer_epoll_waits") > 0, "pipe writer never"
		      " slept in epoll_wait");
	/*
	 * The writer slept in epoll_wait, and each such sleep is one of its
	 * voluntary switches. Not "at most one sleep per call": ep_poll()
	 * sleeps again when a wakeup brought no event (seen on 7.3: 239
	 * sleeps in 238 calls).
	 */
	ck_assert_int_gt(json_integer_value(json_object_get(w, "bpf_epoll_sleeps")), 0);
	ck_assert_int_le(json_integer_value(json_object_get(w, "bpf_epoll_sleeps")),
			 json_integer_value(json_object_get(w, "kernel_voluntary_switches")));
	ck_assert_int_gt(json_integer_value(json_object_get(w, "epoll_waits")), 0);
	json_decref(doc);
}
END_TEST

static int as_sudo_nobody(void)
{
	return setenv("SUDO_UID", "65534", 1) || setenv("SUDO_GID", "65534", 1);
}

/* under sudo the workers are the invoking user, not root */
START_TEST(workers_run_as_the_sudo_user)
{
	json_t *doc = run_json_as("run -t pipe -m 4K -b default -r 1 --warmup 0"
				  " --bytes 1M --no-untraced --no-profile --json", as_sudo_nobody, NULL);
	json_t *rep, *role;
	size_t i;

	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(doc, "workers")),
				     "uid 65534"));
	rep = json_array_get(json_object_get(cell(doc, "pipe", 4096, 0), "reps"), 0);
	json_array_foreach(json_object_get(rep, "roles"), i, role)
		ck_assert_int_eq(json_integer_value(json_object_get(role, "uid")), 65534);
	json_decref(doc);
}
END_TEST

struct bad_input {
	const char *args;
	int status;
	const char *needle;
	bool as_nobody;
};

static const struct bad_input bad[] = {
	{ "run -m 0", 2, "message size 0", false },
	{ "run -m 1000,0", 2, "message size 0", false },
	{ "run -b 1K", 2, "under one page", false },
	{ "run -b 4Q", 2, "is not a size", false },
	{ "run -t pipe,carrier-pigeon", 2, "unknown transport 'carrier-pigeon'", false },
	{ "run -p sideways", 2, "unknown placement 'sideways'", false },
	{ "run --pattern zigzag", 2, "unknown pattern 'zigzag'", false },
	{ "run --pairs 1000", 2, "would measure the scheduler", false },
	{ "run --pairs many", 2, "--pairs 'many'", false },
	{ "run --io poll", 2, "unknown --io 'poll'", false },
	{ "run --duration 1 --bytes 1M", 2, "not both", false },
	{ "run -r 0", 2, "--repeat 0", false },
	{ "run --attach kprobes", 2, "unknown --attach value", false },
	{ "run -t pipe -b 2M", 1, "fs.pipe-max-size", true },
};

START_TEST(bad_input_fails_before_running)
{
	const struct bad_input *b = &bad[_i];
	struct cmd_result r = run_ipctrace(b->args, b->as_nobody ? as_sudo_nobody : NULL);

	assert_one_line_error(&r, b->args, b->status, b->needle, NULL);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
	cmd_result_free(&r);
}
END_TEST

/*
 * Ctrl-C once the third workload leader has started (so the first two
 * cells finished): exit 130, those cells printed, every worker gone,
 * every BPF program detached.
 */
START_TEST(ctrl_c_stops_workers_and_detaches)
{
	char **argv = ipctrace_argv("run -t pipe,socketpair -m 4K,64K,256K -b default"
				    " -r 2 --warmup 0 --bytes 64M -o ctrlc");
	struct timespec tick = { .tv_nsec = 200 * 1000 };
	pid_t leaders[16];
	int nleaders = 0;
	struct spawned s;
	struct cmd_result r;

	ck_assert_int_eq(spawn_cmd(argv, NULL, &s), 0);
	free_argv(argv);
	/*
	 * Watch ipctrace's children: each repetition forks a new leader, and
	 * the third is the first cell's untraced twin, so the signal comes
	 * while the programs are detached (64M: the 22 repetitions still to
	 * come outlast the polling by far, also on a fast host). Stop
	 * if ipctrace exits first (then the test fails: the run was too short
	 * to interrupt); 120 s is a hang guard.
	 */
	for (long polls = 0; nleaders < 3 && polls < 600000; polls++) {
		pid_t kids[16];
		int n = group_leader_children_of(s.pid, kids, 16);
		siginfo_t si = { 0 };

		for (int i = 0; i < n && i < 16; i++) {
			bool known = false;

			for (int j = 0; j < nleaders; j++)
				known |= leaders[j] == kids[i];
			if (!known && nleaders < 16)
				leaders[nleaders++] = kids[i];
		}
		if (waitid(P_PID, s.pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == s.pid)
			break;
		nanosleep(&tick, NULL);
	}
	ck_assert_int_ge(nleaders, 3);
	kill(s.pid, SIGINT);
	spawn_finish(&s, &r);
	ck_assert_msg(r.status == 130, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "interrupted"));
	/* the finished 4K cells are in the report */
	ck_assert_ptr_nonnull(strstr(r.out, "INTERRUPTED"));
	ck_assert_msg(strstr(r.out, "4K default  pipe") &&
		      strstr(r.out, "4K default  socketpair"), "%s", r.out);
	for (int i = 0; i < nleaders; i++)
		ck_assert_msg(processes_in_group(leaders[i]) == 0,
			      "workers of leader %d still exist", leaders[i]);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
	/* the results directory keeps the finished cells, marked partial */
	{
		json_t *meta = json_load_file("ctrlc/meta.json", 0, NULL);
		json_t *doc = json_load_file("ctrlc/results.json", 0, NULL);

		ck_assert_ptr_nonnull(meta);
		ck_assert_ptr_nonnull(doc);
		ck_assert(json_is_true(json_object_get(meta, "partial")));
		ck_assert(json_is_true(json_object_get(doc, "interrupted")));
		ck_assert_int_ge(json_array_size(json_object_get(doc, "cells")), 2);
		json_decref(meta);
		json_decref(doc);
	}
	cmd_result_free(&r);
}
END_TEST

/*
 * By default each traced repetition has an untraced twin beside it: the
 * throughput is the twins', the traced runs' own is kept apart, and the
 * second round's traced runs, after the programs were detached and
 * attached again, still reconcile exactly.
 */
START_TEST(untraced_twins_give_the_throughput)
{
	json_t *doc = run_json("run -t pipe,socketpair -m 64K -b default -r 2 --warmup 0"
			       " --bytes 2M --pattern stream --json", NULL);
	json_t *c;
	size_t i;

	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 2);
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		assert_reconciled(c);
		ck_assert(json_is_true(json_object_get(c, "throughput_untraced")));
		ck_assert(json_is_object(json_object_get(c, "throughput_traced_mb_s")));
		assert_throughput_min_is(c, "untraced_mb_s");
	}
	json_decref(doc);
}
END_TEST

/*
 * --no-untraced: no twins, so the throughput is the traced runs', the
 * document says so cell by cell, and the report's header says so, also
 * when `report` renders the saved run.
 */
START_TEST(no_untraced_says_the_throughput_is_traced)
{
	static const char *const said = "all traced: MB/s and cpu/MB are of the traced"
		" runs, which the tracing slowed (no untraced runs beside them: --no-untraced)";
	struct cmd_result r = run_ipctrace("run -t pipe,socketpair -m 64K -b default -r 2"
					   " --warmup 0 --bytes 2M --pattern stream"
					   " --no-untraced --no-profile -o traced", NULL), rep;
	json_t *doc = json_load_file("traced/results.json", 0, NULL), *c, *one;
	static char flat[65536];
	size_t i, k;

	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 2);
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		assert_reconciled(c);
		ck_assert(json_is_false(json_object_get(c, "throughput_untraced")));
		ck_assert(json_is_null(json_object_get(c, "throughput_traced_mb_s")));
		json_array_foreach(json_object_get(c, "reps"), k, one)
			ck_assert(json_is_null(json_object_get(one, "untraced_mb_s")));
		assert_throughput_min_is(c, "mb_s");
	}
	unwrap_text(r.out, flat, sizeof(flat));
	ck_assert_msg(strstr(flat, said), "%s", r.out);
	rep = run_ipctrace("report traced", NULL);
	ck_assert_int_eq(rep.status, 0);
	ck_assert_str_eq(rep.out, r.out);
	json_decref(doc);
	cmd_result_free(&r);
	cmd_result_free(&rep);
}
END_TEST

static bool have_gnuplot(void)
{
	return plots_available();	/* the PATH search plots.c itself uses */
}

/* is there a link of this kind (NULL: any) to target in the attach report? */
static bool has_link(json_t *attach, const char *kind, const char *target)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(attach, "links"), i, l)
		if ((!kind || !strcmp(json_string_value(json_object_get(l, "kind")), kind)) &&
		    !strcmp(json_string_value(json_object_get(l, "target")), target))
			return true;
	return false;
}

/*
 * meta.json names every link the loader made: the five scheduler
 * tracepoints in every mode, the four channel functions at entry and exit
 * in fentry and kprobe mode, and nothing that was not attached: no
 * raw_syscalls:sys_exit without --syscall-counts.
 */
static void check_attach_report(json_t *attach)
{
	static const char *const sched[] = {
		"sched_switch", "sched_waking", "sched_process_fork",
		"sched_process_exit", "sched_process_exec",
	};
	const char *mode = json_string_value(json_object_get(attach, "mode"));
	json_t *fns = json_object_get(attach, "functions");
	size_t want = 5;

	ck_assert_ptr_nonnull(mode);
	for (size_t i = 0; i < sizeof(sched) / sizeof(sched[0]); i++)
		ck_assert_msg(has_link(attach, NULL, sched[i]), "no link to %s", sched[i]);
	ck_assert_msg(!has_link(attach, NULL, "sys_exit"), "sys_exit attached"
		      " without --syscall-counts");
	if (strcmp(mode, "tracepoint")) {
		const char *k = !strcmp(mode, "fentry") ? "fentry" : "kprobe";
		const char *x = !strcmp(mode, "fentry") ? "fexit" : "kretprobe";
		const char *key;
		json_t *fn;

		json_object_foreach(fns, key, fn) {
			ck_assert_msg(has_link(attach, k, json_string_value(fn)),
				      "no %s on %s", k, json_string_value(fn));
			ck_assert_msg(has_link(attach, x, json_string_value(fn)),
				      "no %s on %s", x, json_string_value(fn));
		}
		want += 8;
	}
	ck_assert_int_eq(json_array_size(json_object_get(attach, "links")), want);
}

static const char *const plots[] = {
	"throughput_vs_buffer.svg", "switches_vs_buffer.svg",
	"waits_vs_buffer.svg", "wakeup_latency.svg", "cpu_per_message.svg",
};

/* every file a run leaves, and what meta.json must say */
START_TEST(results_directory_is_complete)
{
	static const char *const sysctls[] = {
		"fs.pipe-max-size", "fs.pipe-user-pages-soft", "net.core.wmem_default",
		"net.core.wmem_max", "net.core.rmem_default", "net.core.rmem_max",
	};
	struct cmd_result r, rep;
	json_t *meta, *doc;
	char path[128];
	char md[65536];

	r = run_ipctrace("run -t pipe,socketpair -m 4K,64K -b default -r 2 --warmup 0"
			 " --bytes 2M -o complete", NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "results: complete/"));
	meta = json_load_file("complete/meta.json", 0, NULL);
	doc = json_load_file("complete/results.json", 0, NULL);
	ck_assert_ptr_nonnull(meta);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(json_string_value(json_object_get(meta, "format")), "ipctrace-meta");
	ck_assert_ptr_nonnull(json_string_value(json_object_get(meta, "git_revision")));
	ck_assert_ptr_nonnull(json_string_value(json_object_get(
		json_object_get(meta, "kernel"), "cmdline")));
	ck_assert_ptr_nonnull(json_string_value(json_object_get(
		json_object_get(meta, "cpu"), "model")));
	ck_assert_ptr_nonnull(json_string_value(json_object_get(meta, "virtualization")));
	check_attach_report(json_object_get(meta, "attach"));
	ck_assert(json_equal(json_object_get(meta, "attach"), json_object_get(doc, "attach")));
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		ck_assert_msg(json_integer_value(json_object_get(json_object_get(meta,
			"sysctls"), sysctls[i])) > 0, "sysctl %s", sysctls[i]);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(meta,
		"command_line")), "-o complete"));
	ck_assert(json_is_false(json_object_get(meta, "partial")));
	/* 2 x 2 stream cells, and the default's loop at 4K */
	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 6);
	read_text("complete/cells.csv", md, sizeof(md));
	ck_assert_int_eq(count_lines(md), 7);
	read_text("complete/report.md", md, sizeof(md));
	ck_assert_ptr_nonnull(strstr(md, "## Report"));
	ck_assert_ptr_nonnull(strstr(md, "## How to read it"));
	/* the report in report.md is the one run printed */
	ck_assert_ptr_nonnull(strstr(md, "verdicts:"));
	for (size_t i = 0; i < sizeof(plots) / sizeof(plots[0]); i++) {
		snprintf(path, sizeof(path), "complete/%s", plots[i]);
		if (have_gnuplot())
			ck_assert_msg(access(path, R_OK) == 0, "no %s", path);
		else
			ck_assert_msg(access(path, F_OK) != 0, "%s without gnuplot", path);
	}
	if (!have_gnuplot())
		ck_assert_ptr_nonnull(strstr(md, "ipctrace report complete --plots"));
	else
		ck_assert_ptr_nonnull(strstr(md, "![Throughput against the buffer requested]"));
	/* report re-renders exactly what run printed */
	rep = run_ipctrace("report complete", NULL);
	ck_assert_int_eq(rep.status, 0);
	ck_assert_str_eq(rep.out, r.out);
	json_decref(meta);
	json_decref(doc);
	cmd_result_free(&r);
	cmd_result_free(&rep);
}
END_TEST

START_TEST(existing_directory_is_never_overwritten)
{
	const char *args = "run -t pipe -m 4K -b default -r 1 --warmup 0 --bytes 1M"
			   " -o existing";
	struct cmd_result r;
	FILE *f;

	ck_assert_int_eq(mkdir("existing", 0755), 0);
	f = fopen("existing/keep.txt", "w");
	fputs("mine", f);
	fclose(f);
	r = run_ipctrace(args, NULL);
	assert_one_line_error(&r, args, 1, "existing already exists: ipctrace never"
			      " overwrites results", NULL);
	ck_assert_int_ne(access("existing/meta.json", F_OK), 0);
	ck_assert_int_eq(access("existing/keep.txt", F_OK), 0);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
	cmd_result_free(&r);
}
END_TEST

static int sudo_nobody_without_gnuplot(void)
{
	return setenv("SUDO_UID", "65534", 1) || setenv("SUDO_GID", "65534", 1) ||
	       setenv("PATH", "/nonexistent", 1);
}

/* under sudo the results belong to the user; without gnuplot, no plots
 * but a report that says how to get them */
START_TEST(results_belong_to_sudo_user_and_survive_no_gnuplot)
{
	static const char *const files[] = {
		"owned", "owned/meta.json", "owned/results.json", "owned/cells.csv",
		"owned/report.md",
	};
	struct cmd_result r;
	struct stat st;
	char md[65536];

	r = run_ipctrace("run -t pipe -m 4K -b default -r 1 --warmup 0 --bytes 1M"
			 " --no-untraced --no-profile -o owned", sudo_nobody_without_gnuplot);
	ck_assert_msg(r.status == 0, "%s", r.err);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ck_assert_int_eq(stat(files[i], &st), 0);
		ck_assert_msg(st.st_uid == 65534 && st.st_gid == 65534,
			      "%s owned by %u:%u", files[i], st.st_uid, st.st_gid);
	}
	ck_assert_int_ne(access("owned/throughput_vs_buffer.svg", F_OK), 0);
	read_text("owned/report.md", md, sizeof(md));
	ck_assert_ptr_nonnull(strstr(md, "gnuplot is not installed"));
	ck_assert_ptr_nonnull(strstr(md, "ipctrace report owned --plots"));
	cmd_result_free(&r);
}
END_TEST

START_TEST(progress_line_on_a_terminal)
{
	char **argv = ipctrace_argv("run -t pipe,socketpair -m 4K -b default -r 1"
				    " --warmup 0 --bytes 1M --no-untraced --no-profile");
	struct cmd_result r;

	ck_assert_int_eq(run_on_pty(argv, &r), 0);
	free_argv(argv);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "ETA ") && strstr(r.out, "[  1/"), "%s", r.out);
	cmd_result_free(&r);
	/* and not when stderr is a pipe */
	r = run_ipctrace("run -t pipe -m 4K -b default -r 1 --warmup 0 --bytes 1M"
			 " --no-untraced --no-profile", NULL);
	ck_assert_ptr_null(strstr(r.err, "ETA"));
	cmd_result_free(&r);
}
END_TEST

START_TEST(text_report_fits_100_columns)
{
	struct cmd_result r = run_ipctrace("run -t pipe,socketpair -m 1000,64K"
					   " -b default,16K -r 2 --warmup 0 --bytes 2M"
					   " --pattern stream,pingpong,loop --no-untraced", NULL);
	const char *line;

	ck_assert_msg(r.status == 0, "%s", r.err);
	for (line = r.out; *line;) {
		size_t len = strcspn(line, "\n");

		ck_assert_msg(len <= 100, "line of %zu columns: %.*s", len, (int)len, line);
		line += len + (line[len] == '\n');
	}
	ck_assert_ptr_nonnull(strstr(r.out, "verdicts:"));
	/* on a failed check, the report's own words say which */
	ck_assert_msg(strstr(r.out, "all exact"), "not all exact: %s",
		      strstr(r.out, "MISMATCH") ? strstr(r.out, "MISMATCH") : r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "rtt p50/p99"));
	ck_assert_ptr_nonnull(strstr(r.out, "waits by cause, per MB"));
	ck_assert_ptr_nonnull(strstr(r.out, "time per message, us"));
	ck_assert_ptr_nonnull(strstr(r.out, "  loop, unpinned:"));
	ck_assert_ptr_nonnull(strstr(r.out, "vs stream: alone, "));
	/* the answer first: the report opens with its headline, at most six
	 * lines before the settings line */
	{
		const char *settings = strstr(r.out, "ipctrace run: ");
		int lines = 0;

		ck_assert_ptr_nonnull(settings);
		for (const char *c = r.out; c < settings; c++)
			lines += *c == '\n';
		ck_assert_msg(lines >= 1 && lines <= 7, "%d lines before the settings:"
			      " %.300s", lines, r.out);
	}
	cmd_result_free(&r);
}
END_TEST

START_TEST(json_and_csv_documents)
{
	json_t *doc = run_json("run -t pipe,socketpair -m 4K -b default,16K -r 2"
			       " --warmup 0 --bytes 1M --pattern stream --no-untraced"
			       " --no-profile --json", NULL);
	static const char *const keys[] = {
		"transport", "msg_size", "buffer_requested", "buffer_granted",
		"placement", "pattern", "throughput_mb_s", "per_mb", "reconciliation",
	};
	static const char *const pm[] = {
		"write_calls", "blocked_writes", "reader_waits", "wakeups",
		"voluntary_switches", "involuntary_switches",
	};
	static const char *const waits[] = {
		"write_buffer_waits", "write_lock_fault_waits", "read_buffer_waits",
		"read_lock_fault_waits", "write_spinlock_waits",
	};
	struct cmd_result r;
	size_t i;
	json_t *c;

	ck_assert_int_eq(json_integer_value(json_object_get(doc, "format_version")), 5);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "cells")), 4);
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *t = json_object_get(c, "throughput_mb_s");

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			ck_assert_msg(json_object_get(c, keys[k]), "no %s", keys[k]);
		for (size_t k = 0; k < sizeof(pm) / sizeof(pm[0]); k++)
			per_mb(c, pm[k]);
		for (size_t k = 0; k < sizeof(waits) / sizeof(waits[0]); k++)
			ck_assert_msg(json_is_number(json_object_get(json_object_get(c,
				"waits_by_cause"), waits[k])), "waits_by_cause.%s", waits[k]);
		/* the writer's time split adds up to its time at work */
		{
			json_t *w = json_object_get(json_object_get(c,
				"time_us_per_message"), "writer");
			double sum = 0;
			static const char *const parts[] = {
				"cpu_user", "cpu_system", "buffer_waits",
				"lock_fault_waits", "other_sleeps", "preempted",
			};

			for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
				sum += json_number_value(json_object_get(w, parts[k]));
			ck_assert_double_eq_tol(sum, json_number_value(json_object_get(w,
				"busy")), 1e-6);
		}
		ck_assert(json_number_value(json_object_get(t, "min")) <=
			  json_number_value(json_object_get(t, "median")));
		ck_assert(json_number_value(json_object_get(t, "median")) <=
			  json_number_value(json_object_get(t, "max")));
	}
	/* 16K SO_SNDBUF: granted is reported as getsockopt says, doubled */
	ck_assert_int_eq(json_integer_value(json_object_get(
		cell(doc, "socketpair", 4096, 16384), "buffer_granted")), 32768);
	ck_assert_int_eq(json_integer_value(json_object_get(
		cell(doc, "pipe", 4096, 16384), "buffer_granted")), 16384);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "verdicts")), 2);
	json_decref(doc);

	r = run_ipctrace("run -t pipe,socketpair -m 4K -b default -r 1 --warmup 0"
			 " --bytes 1M --csv --pattern stream --no-untraced --no-profile",
			 NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(count_lines(r.out), 3);	/* header + 2 cells */
	ck_assert_ptr_nonnull(strstr(r.out, ",write_lock_fault_waits_per_mb,"));
	ck_assert_ptr_nonnull(strstr(r.out, "transport,msg_size,"));
	cmd_result_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("run");
	/* the mode is the test case's name: "auto", "fentry", "kprobe" */
	TCase *tc = tcase_create(runcmd_attach_from_argv(argc, argv));
	char dir[] = "/tmp/ipctrace-run-XXXXXX";

	/* work in a scratch directory: every run leaves a results directory */
	if (enter_scratch_dir(dir)) {
		perror("setting up a scratch directory");
		return 2;
	}

	tcase_set_timeout(tc, 900);	/* a hang guard for slow emulated VMs */
	/* what the programs of the attach mode count, and attaching,
	 * detaching (the twins, Ctrl-C) and the links meta.json names */
	tcase_add_test(tc, reconciles_exactly_each_transport);
	tcase_add_test(tc, reconciles_pingpong_threads_and_pairs);
	tcase_add_test(tc, pipe_blocking_falls_with_buffer_size);
	tcase_add_test(tc, epoll_writer_waits_in_epoll_wait);
	tcase_add_test(tc, untraced_twins_give_the_throughput);
	tcase_add_test(tc, ctrl_c_stops_workers_and_detaches);
	tcase_add_test(tc, results_directory_is_complete);
	/* the same in every mode: arguments, identities, files, the
	 * terminal, the report's layout and documents */
	if (!runcmd_mode_dependent_only(argc, argv)) {
		tcase_add_test(tc, no_untraced_says_the_throughput_is_traced);
		tcase_add_test(tc, workers_run_as_the_sudo_user);
		tcase_add_loop_test(tc, bad_input_fails_before_running, 0,
				    sizeof(bad) / sizeof(bad[0]));
		tcase_add_test(tc, progress_line_on_a_terminal);
		tcase_add_test(tc, text_report_fits_100_columns);
		tcase_add_test(tc, json_and_csv_documents);
		tcase_add_test(tc, existing_directory_is_never_overwritten);
		tcase_add_test(tc, results_belong_to_sudo_user_and_survive_no_gnuplot);
	}
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
