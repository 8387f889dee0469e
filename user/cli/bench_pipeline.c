// SPDX-License-Identifier: GPL-2.0
/*
 * bench_pipeline.c - `ipctrace bench` (d): a shell pipeline as a user
 * would trace it, `dd if=/dev/zero bs=1000 count=N | cat >/dev/null`,
 * run untraced, under `ipctrace trace -c` with its defaults (and with
 * --syscall-counts in tracepoint mode), and under bpftrace, in rotating
 * order each round. Throughput is dd's own figure (its bytes over its
 * time), so ipctrace's start-up is not in it: trace -c starts the command
 * only once everything is attached. Our programs' cost comes from the
 * `observer` object of trace's --json document.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "bench_peer.h"
#include "bench_pipeline.h"
#include "bench_stats.h"
#include "log.h"
#include "procfs.h"

enum pl_watcher { PW_NONE = 0, PW_TRACE, PW_TRACE_SYSCALLS, PW_PEER, PW_COUNT };

struct pipeline {
	char cmd[256];
	char dd_err[64];	/* dd's stderr: its bytes and seconds */
	char json[64];		/* trace --json -o */
	enum attach_mode mode;
};

/* dd's "N bytes (...) copied, S s, ..." as MB/s; NAN when absent */
static double dd_mb_s(const char *path)
{
	char buf[1024], *at;
	FILE *f = fopen(path, "r");
	size_t n;
	double bytes, s;

	if (!f)
		return NAN;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	at = strstr(buf, " copied, ");
	if (!at)
		return NAN;
	while (at > buf && at[-1] != '\n')
		at--;
	bytes = strtod(at, NULL);
	s = strtod(strstr(at, " copied, ") + 9, NULL);
	return s > 0 ? bytes / 1e6 / s : NAN;
}

/* the observer object of a trace --json document into c */
static int read_observer(const char *path, struct observer_cost *c)
{
	json_t *doc = json_load_file(path, 0, NULL), *o, *progs, *p;
	size_t i;

	memset(c, 0, sizeof(*c));
	o = doc ? json_object_get(doc, "observer") : NULL;
	if (!o) {
		json_decref(doc);
		return -1;
	}
	c->measured = json_is_true(json_object_get(o, "measured"));
	c->workload_cpu_s = json_number_value(json_object_get(o, "workload_cpu_s"));
	progs = json_object_get(o, "programs");
	json_array_foreach(progs, i, p) {
		struct prog_cost *pc;

		if (c->nprogs == OBS_MAX_PROGS)
			break;
		pc = &c->prog[c->nprogs++];
		snprintf(pc->name, sizeof(pc->name), "%s",
			 json_string_value(json_object_get(p, "program")) ?: "?");
		pc->run_cnt = (uint64_t)json_integer_value(json_object_get(p, "runs"));
		pc->run_ns = (uint64_t)json_integer_value(json_object_get(p, "run_ns"));
	}
	json_decref(doc);
	return 0;
}

/* run the pipeline once, watched by w; its MB/s, and our cost into obs */
static double pipeline_once(const struct pipeline *pl, enum pl_watcher w, int cpu,
			    struct observer_cost *obs)
{
	static const char *const comms[] = { "dd", "cat", NULL };
	pid_t peer = -1, pid;
	int status;

	unlink(pl->dd_err);
	unlink(pl->json);
	if (w == PW_PEER && (peer = peer_start(comms)) < 0) {
		pr_err("bpftrace did not start\n");
		return NAN;
	}
	pid = fork();
	if (pid == 0) {
		const char *mode = attach_mode_name(pl->mode);

		proc_pin_to_cpu(cpu);
		if (w == PW_TRACE || w == PW_TRACE_SYSCALLS) {
			int devnull = open("/dev/null", O_WRONLY);

			/* the report goes to the file; "tracing..." lines nowhere */
			dup2(devnull, 2);
			execl("/proc/self/exe", "ipctrace", "trace", "-a", mode, "--json",
			      "-o", pl->json, "-c", pl->cmd,
			      w == PW_TRACE_SYSCALLS ? "--syscall-counts" : NULL,
			      (char *)NULL);
		} else {
			execl("/bin/sh", "sh", "-c", pl->cmd, (char *)NULL);
		}
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		peer_stop(peer);
		pr_err("pipeline run failed (%s)\n", w == PW_PEER ? "bpftrace" :
		       w == PW_NONE ? "untraced" : "ipctrace trace -c");
		return NAN;
	}
	peer_stop(peer);
	if ((w == PW_TRACE || w == PW_TRACE_SYSCALLS) && read_observer(pl->json, obs))
		memset(obs, 0, sizeof(*obs));
	return dd_mb_s(pl->dd_err);
}

static void pipeline_placement(struct pipeline *pl, const char *place, int cpu,
			       bool with_peer, unsigned int rounds)
{
	struct series mb[PW_COUNT] = { 0 }, loss[PW_COUNT] = { 0 };
	struct prog_table progs[PW_COUNT] = { 0 };
	enum pl_watcher order[PW_COUNT];
	unsigned int nw = 0;
	char l[PW_COUNT][48];

	order[nw++] = PW_NONE;
	order[nw++] = PW_TRACE;
	if (pl->mode == MODE_TRACEPOINT)
		order[nw++] = PW_TRACE_SYSCALLS;
	if (with_peer)
		order[nw++] = PW_PEER;
	for (unsigned int r = 0; r < rounds; r++) {
		double v[PW_COUNT] = { NAN, NAN, NAN, NAN };

		for (unsigned int k = 0; k < nw; k++) {
			enum pl_watcher w = order[(k + r) % nw];
			struct observer_cost obs = { 0 };

			v[w] = pipeline_once(pl, w, cpu, &obs);
			prog_table_add(&progs[w], &obs);
		}
		for (unsigned int k = 0; k < nw; k++) {
			series_add(&mb[order[k]], v[order[k]]);
			if (order[k] != PW_NONE)
				series_add(&loss[order[k]],
					   100.0 * (1 - v[order[k]] / v[PW_NONE]));
		}
	}
	printf("    %-9s %5.0f %-17s %-17s %-17s %5.0f %5.0f %6.1f%%\n", place,
	       series_median(&mb[PW_NONE]), series_pct(&loss[PW_TRACE], l[0], 48),
	       series_pct(&loss[PW_TRACE_SYSCALLS], l[1], 48),
	       series_pct(&loss[PW_PEER], l[2], 48),
	       prog_table_ns(&progs[PW_TRACE], "sched_switch"),
	       prog_table_ns(&progs[PW_TRACE], "sched_waking"),
	       series_median(&progs[PW_TRACE].total_pct));
	printf("      trace -c, per program: median ns per run (min..max over runs)\n");
	prog_table_print(stdout, &progs[PW_TRACE], "        ");
	if (pl->mode == MODE_TRACEPOINT) {
		printf("      trace -c --syscall-counts, per program:\n");
		prog_table_print(stdout, &progs[PW_TRACE_SYSCALLS], "        ");
	}
	fflush(stdout);
}

void bench_pipeline(enum attach_mode mode, bool with_peer, unsigned int rounds,
		    const int *cpus)
{
	struct pipeline pl = { .mode = mode };
	const long count = 400000;	/* 400 MB: about 0.4 s untraced */

	snprintf(pl.dd_err, sizeof(pl.dd_err), "/tmp/ipctrace-bench-dd.%d", (int)getpid());
	snprintf(pl.json, sizeof(pl.json), "/tmp/ipctrace-bench-trace.%d.json",
		 (int)getpid());
	snprintf(pl.cmd, sizeof(pl.cmd), "dd if=/dev/zero bs=1000 count=%ld 2>%s"
		 " | cat >/dev/null", count, pl.dd_err);
	printf("\n(d) tracing overhead of trace -c on a pipeline: %s\n"
	       "    MB/s as dd reports it; loss against the same pipeline untraced in\n"
	       "    the same round; sw/wk ns and bpf as in (a), from trace --json\n",
	       pl.cmd);
	printf("    %-9s %5s %-17s %-17s %-17s %5s %5s %7s\n", "placement", "untr",
	       "trace -c loss", "--syscall-counts", "bpftrace loss", "sw ns",
	       "wk ns", "bpf");
	pipeline_placement(&pl, "same-cpu", cpus[0], with_peer, rounds);
	pipeline_placement(&pl, "unpinned", -1, with_peer, rounds);
	unlink(pl.dd_err);
	unlink(pl.json);
}
