// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_bench.c - `ipctrace bench` (what `make bench` runs): what ipctrace
 * costs and how good its harness is, as ratios measured side by side in
 * one run, interleaved, repeated, with their spread:
 *   (a) tracing overhead of `run`: the heaviest default cells, in every
 *       placement, traced with run's defaults against the same workload
 *       with ipctrace detached, and against bpftrace with the equivalent
 *       two-probe script in the same rounds; against empty programs on
 *       the same hooks, on one CPU (the floor); then with --syscall-counts;
 *   (b) harness efficiency: run's workload (untraced) against a bare
 *       write()/read() loop;
 *   (c) ping-pong round trips against `perf bench sched pipe`, same placement;
 *   (d) tracing overhead of `trace -c` on a real pipeline (bench_pipeline.c).
 * Every traced run reports the kernel's own time inside each of our
 * programs (BPF_ENABLE_STATS), printed as ns per run.
 */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bare_loop.h"
#include "bench_peer.h"
#include "bench_pipeline.h"
#include "bench_stats.h"
#include "cell_stats.h"
#include "commands.h"
#include "floor_probe.h"
#include "identity.h"
#include "log.h"
#include "preflight.h"
#include "procfs.h"
#include "profiler.h"
#include "rep.h"
#include "sizes.h"

struct bench_args {
	struct common_args common;
	unsigned int rounds;
	char parts[8];		/* which of a, b, c, d to run */
	char why[200];
};

static const struct argp_option bench_options[] = {
	{ "rounds", 'r', "N", 0, "interleaved rounds per comparison (default 7)", 0 },
	{ "only", 'o', "PARTS", 0, "run only these parts, e.g. \"ad\" (default abcd)", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static error_t bench_parse(int key, char *arg, struct argp_state *state)
{
	struct bench_args *a = state->input;
	unsigned long long v;

	switch (key) {
	case 'r':
		/* parsed whole: a cast of 4294967297 would be 1 round */
		if (parse_uint_range(arg, 1, 100, &v)) {
			snprintf(a->why, sizeof(a->why), "--rounds '%s': use 1 to 100", arg);
			return EINVAL;
		}
		a->rounds = (unsigned int)v;
		return 0;
	case 'o':
		if (!*arg || strlen(arg) >= sizeof(a->parts) ||
		    strspn(arg, "abcd") != strlen(arg)) {
			snprintf(a->why, sizeof(a->why), "--only '%s': give letters of"
				 " abcd", arg);
			return EINVAL;
		}
		snprintf(a->parts, sizeof(a->parts), "%s", arg);
		return 0;
	case ARGP_KEY_ARG:
		snprintf(a->why, sizeof(a->why), "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

static const char bench_doc[] =
	"Measure ipctrace itself on this machine: (a) the tracing overhead of"
	" run against bpftrace, (b) harness efficiency, (c) ping-pong latency"
	" against perf bench sched pipe, (d) the overhead of trace -c on a"
	" pipeline. Every figure is a ratio of runs made side by side,"
	" interleaved, over --rounds rounds; the spread is min..max over rounds."
	" Per-program costs are the kernel's own (BPF_ENABLE_STATS).\n";

struct heavy_cell {
	enum transport t;
	uint64_t msg;
};

/* the default cells with the most events per second: small writes (most
 * syscalls) and 64K writes into the default pipe (most switches) */
static const struct heavy_cell heavy[] = {
	{ TR_PIPE, 1000 }, { TR_SOCKETPAIR, 1000 },
	{ TR_PIPE, 65536 }, { TR_SOCKETPAIR, 65536 },
};
#define NHEAVY (sizeof(heavy) / sizeof(heavy[0]))

static volatile sig_atomic_t no_stop;

static struct rep_plan plan_of(const struct heavy_cell *c, uint64_t bytes,
			       double seconds, enum pattern pat,
			       enum placement pl, const int *cpus)
{
	struct rep_plan p = {
		.transport = c->t, .pattern = pat, .io = IO_BLOCKING,
		.placement = pl, .msg_size = c->msg, .pairs = 1,
		.bytes = bytes, .seconds = seconds, .cpu_a = cpus[0],
		.cpu_b = cpus[1],
	};
	char why[64];

	identity_from_env(&p.id, true, why, sizeof(why));
	return p;
}

/* how a run of the workload is watched */
enum watcher { W_NONE = 0, W_IPCTRACE, W_PEER, W_FLOOR };

/*
 * One workload run: untraced, traced by ipctrace (attached just for this
 * run, with opts, and the CPU profile as `run` takes it by default), or
 * watched by the peer, or by the empty floor programs (floor_probe.h).
 * seconds: a round trip's time (ping-pong); obs: ipctrace's programs'
 * cost over the run, the profile's included (or the floor's).
 */
static double one_run(const struct rep_plan *p, enum watcher w,
		      const struct tracer_opts *opts,
		      const struct probe_report *pr, double *seconds,
		      struct observer_cost *obs)
{
	static const char *const peer_comms[] = { "ipctrace", NULL };
	struct rep_result *r = calloc(1, sizeof(*r));
	struct tracer *t = NULL;
	struct profiler *prof = NULL;
	struct profiler_opts po = { 0 };
	struct floor_probe *floor = NULL;
	struct observer_cost f0 = { 0 }, f1;
	pid_t peer = -1;
	char err[400];
	double mb_s = NAN;

	if (!r)
		return NAN;
	if (w == W_IPCTRACE && tracer_start(&t, opts, pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		free(r);
		return NAN;
	}
	/* unavailable: the run goes on without it, as `run` does */
	if (t && profiler_start(&prof, t, &po, err, sizeof(err)))
		pr_debug("profile unavailable: %s\n", err);
	/* the workers are forks of ipctrace and keep its name */
	if (w == W_PEER && (peer = peer_start(peer_comms)) < 0) {
		pr_err("bpftrace did not start\n");
		free(r);
		return NAN;
	}
	if (w == W_FLOOR) {
		if (floor_start(&floor, pr->sched == SCHED_TP_BTF, err, sizeof(err))) {
			pr_err("%s\n", err);
			free(r);
			return NAN;
		}
		floor_cost(floor, &f0);
	}
	rep_run_profiled(t, prof, p, &no_stop, r);
	if (floor) {
		floor_cost(floor, &f1);
		observer_cost_delta(&f1, &f0, &r->observer);
		r->observer.workload_cpu_s = r->cpu_s;
	}
	floor_stop(floor);
	profiler_stop(prof);
	tracer_stop(t);
	peer_stop(peer);
	if (r->prof) {
		prof_samples_free(r->prof);
		free(r->prof);
	}
	if (obs)
		*obs = r->observer;
	if (r->ok) {
		mb_s = r->mb_s;
		if (seconds)
			*seconds = r->rounds ? r->seconds / (double)r->rounds : r->seconds;
	} else {
		pr_err("benchmark run failed: %s\n", r->error);
	}
	free(r);
	return mb_s;
}

static const char *cell_name(const struct heavy_cell *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %llu B", transport_name(c->t),
		 (unsigned long long)c->msg);
	return buf;
}

static const enum placement bench_placements[] = {
	PL_SAME_CPU, PL_CROSS_CPU, PL_UNPINNED,
};
#define NPLACEMENTS (sizeof(bench_placements) / sizeof(bench_placements[0]))

static uint64_t calibrate(const struct heavy_cell *hc, enum placement pl,
			  const struct probe_report *pr, const int *cpus)
{
	struct rep_plan p = plan_of(hc, 0, 0.3, PAT_STREAM, pl, cpus);
	double mb_s = one_run(&p, W_NONE, NULL, pr, NULL, NULL);
	uint64_t bytes = (uint64_t)(fmax(mb_s, 1) * 1e6 * 0.4) / hc->msg * hc->msg;

	return bytes ? bytes : hc->msg;
}

/* one cell of (a): rounds of untraced, traced and (with_peer) the peer,
 * each round in another order */
static void overhead_cell(const struct heavy_cell *hc, enum placement pl,
			  const struct probe_report *pr,
			  const struct tracer_opts *opts, bool with_peer,
			  unsigned int rounds, const int *cpus,
			  struct prog_table *all)
{
	struct rep_plan p = plan_of(hc, calibrate(hc, pl, pr, cpus), 0,
				    PAT_STREAM, pl, cpus);
	struct series u = { 0 }, tr = { 0 }, lost = { 0 }, peer_lost = { 0 };
	struct prog_table cell = { 0 };
	enum watcher order[3] = { W_NONE, W_IPCTRACE, W_PEER };
	unsigned int nw = with_peer ? 3 : 2;
	char name[48], l1[48], l2[48];

	for (unsigned int r = 0; r < rounds; r++) {
		double mb[3] = { NAN, NAN, NAN };

		for (unsigned int k = 0; k < nw; k++) {
			enum watcher w = order[(k + r) % nw];
			struct observer_cost obs;

			mb[w] = one_run(&p, w, opts, pr, NULL, &obs);
			if (w == W_IPCTRACE) {
				prog_table_add(&cell, &obs);
				prog_table_add(all, &obs);
			}
		}
		series_add(&u, mb[W_NONE]);
		series_add(&tr, mb[W_IPCTRACE]);
		series_add(&lost, 100.0 * (1 - mb[W_IPCTRACE] / mb[W_NONE]));
		if (with_peer)
			series_add(&peer_lost, 100.0 * (1 - mb[W_PEER] / mb[W_NONE]));
	}
	printf("    %-17s %-9s %5.0f %5.0f %-17s %-17s %5.0f %5.0f %5.1f%%\n",
	       cell_name(hc, name, sizeof(name)), placement_name(pl),
	       series_median(&u), series_median(&tr), series_pct(&lost, l1, sizeof(l1)),
	       with_peer ? series_pct(&peer_lost, l2, sizeof(l2)) : "-",
	       prog_table_ns(&cell, "sched_switch"), prog_table_ns(&cell, "sched_waking"),
	       series_median(&cell.total_pct));
	fflush(stdout);
}

static void tracing_overhead(const struct probe_report *pr,
			     const struct tracer_opts *opts, const char *label,
			     bool with_peer, unsigned int rounds, const int *cpus)
{
	struct prog_table all = { 0 };

	printf("\n(a) tracing overhead of run, %s: throughput lost with ipctrace\n"
	       "    attached (untraced runs have it fully detached)%s; sw/wk ns = the\n"
	       "    kernel's time per run of sched_switch/sched_waking; bpf = all our\n"
	       "    programs' time in %% of the workload's CPU time\n", label,
	       with_peer ? ", and with\n    the peer, bpftrace, in the same rounds" : "");
	printf("    %-17s %-9s %5s %5s %-17s %-17s %5s %5s %6s\n", "cell, MB/s",
	       "placement", "untr", "ours", "our loss", "bpftrace loss",
	       "sw ns", "wk ns", "bpf");
	for (size_t k = 0; k < NPLACEMENTS; k++)
		for (size_t i = 0; i < NHEAVY; i++)
			overhead_cell(&heavy[i], bench_placements[k], pr, opts,
				      with_peer, rounds, cpus, &all);
	printf("    per program, all cells: median ns per run (min..max over runs)\n");
	prog_table_print(stdout, &all, "      ");
}

/*
 * (a) against the floor: the heavy cells on one CPU, where every write
 * costs a switch or a wakeup, untraced, under the empty programs and under
 * ipctrace in the same rounds. What the empty ones lose and cost per run
 * is what any program on those two hooks costs on this machine.
 */
static void floor_cell(const struct heavy_cell *hc, const struct probe_report *pr,
		       const struct tracer_opts *opts, unsigned int rounds,
		       const int *cpus)
{
	struct rep_plan p = plan_of(hc, calibrate(hc, PL_SAME_CPU, pr, cpus), 0,
				    PAT_STREAM, PL_SAME_CPU, cpus);
	static const enum watcher order[3] = { W_NONE, W_FLOOR, W_IPCTRACE };
	struct series floor_lost = { 0 }, our_lost = { 0 };
	struct prog_table floor = { 0 }, ours = { 0 };
	char name[48], l1[48], l2[48];

	for (unsigned int r = 0; r < rounds; r++) {
		double mb[W_FLOOR + 1] = { NAN, NAN, NAN, NAN };

		for (unsigned int k = 0; k < 3; k++) {
			enum watcher w = order[(k + r) % 3];
			struct observer_cost obs;

			mb[w] = one_run(&p, w, opts, pr, NULL, &obs);
			if (w != W_NONE)
				prog_table_add(w == W_FLOOR ? &floor : &ours, &obs);
		}
		series_add(&floor_lost, 100.0 * (1 - mb[W_FLOOR] / mb[W_NONE]));
		series_add(&our_lost, 100.0 * (1 - mb[W_IPCTRACE] / mb[W_NONE]));
	}
	printf("    %-17s %-17s %-17s %5.0f %5.0f %5.0f %5.0f\n",
	       cell_name(hc, name, sizeof(name)), series_pct(&floor_lost, l1, sizeof(l1)),
	       series_pct(&our_lost, l2, sizeof(l2)),
	       prog_table_ns(&floor, "sched_switch"), prog_table_ns(&ours, "sched_switch"),
	       prog_table_ns(&floor, "sched_waking"), prog_table_ns(&ours, "sched_waking"));
	fflush(stdout);
}

static void against_floor(const struct probe_report *pr,
			  const struct tracer_opts *opts, unsigned int rounds,
			  const int *cpus)
{
	printf("\n(a) against the floor, same-cpu: throughput lost under programs that\n"
	       "    do nothing on the same two hooks (bpf/floor.bpf.c), and under\n"
	       "    ipctrace, in the same rounds; ns per run of sched_switch (sw) and\n"
	       "    sched_waking (wk), the empty programs' against ours\n");
	printf("    %-17s %-17s %-17s %5s %5s %5s %5s\n", "cell", "floor loss",
	       "our loss", "sw 0", "sw", "wk 0", "wk");
	for (size_t i = 0; i < NHEAVY; i++)
		floor_cell(&heavy[i], pr, opts, rounds, cpus);
}

static void harness_efficiency(const struct probe_report *pr,
			       unsigned int rounds, const int *cpus)
{
	printf("\n(b) harness efficiency: ipctrace run's workload (untraced) against a"
	       " bare\n    write()/read() loop, same bytes, same placement\n");
	printf("    %-20s %-9s %10s %10s %26s\n", "cell (default buffer)", "placement",
	       "bare loop", "harness", "ratio: median (min..max)");
	for (size_t k = 0; k < NPLACEMENTS; k++) {
		for (size_t i = 0; i < NHEAVY; i++) {
			const struct heavy_cell *hc = &heavy[i];
			enum placement pl = bench_placements[k];
			struct rep_plan p = plan_of(hc, calibrate(hc, pl, pr, cpus), 0,
						    PAT_STREAM, pl, cpus);
			int wcpu = pl == PL_UNPINNED ? -1 : cpus[0];
			int rcpu = pl == PL_UNPINNED ? -1 : pl == PL_SAME_CPU ? cpus[0] : cpus[1];
			double bare[100], har[100], ratio[100], mr, lo, hi;
			char name[48];

			for (unsigned int r = 0; r < rounds; r++) {
				if (r % 2) {
					har[r] = one_run(&p, W_NONE, NULL, pr, NULL, NULL);
					bare[r] = minimal_stream_mb_s(hc->t, hc->msg, p.bytes,
								      wcpu, rcpu);
				} else {
					bare[r] = minimal_stream_mb_s(hc->t, hc->msg, p.bytes,
								      wcpu, rcpu);
					har[r] = one_run(&p, W_NONE, NULL, pr, NULL, NULL);
				}
				ratio[r] = 100.0 * har[r] / bare[r];
			}
			median_min_max(ratio, rounds, &mr, &lo, &hi);
			printf("    %-20s %-9s %5.0f MB/s %5.0f MB/s %9.1f%% (%.1f%%..%.1f%%)\n",
			       cell_name(hc, name, sizeof(name)), placement_name(pl),
			       median(bare, rounds), median(har, rounds), mr, lo, hi);
		}
	}
}

/* perf bench sched pipe: usecs per round trip, or NAN */
static double perf_pipe_us(long loops, int cpu)
{
	int p[2];
	pid_t pid;
	char out[4096] = "", *at;
	ssize_t n, len = 0;

	if (pipe(p))
		return NAN;
	pid = fork();
	if (pid == 0) {
		char l[32];

		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		proc_pin_to_cpu(cpu);
		snprintf(l, sizeof(l), "%ld", loops);
		execlp("perf", "perf", "bench", "sched", "pipe", "-l", l, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += n;
	close(p[0]);
	out[len] = '\0';
	waitpid(pid, NULL, 0);
	at = strstr(out, "usecs/op");
	if (!at)
		return NAN;
	while (at > out && (at[-1] == ' ' || at[-1] == '\t'))
		at--;
	while (at > out && ((at[-1] >= '0' && at[-1] <= '9') || at[-1] == '.'))
		at--;
	return strtod(at, NULL);
}

static void pingpong_vs_perf(const struct probe_report *pr, unsigned int rounds,
			     const int *cpus)
{
	static const enum placement pls[] = { PL_UNPINNED, PL_SAME_CPU };
	const long loops = 20000;

	printf("\n(c) ping-pong, 4-byte messages over a pipe, mean round trip: ipctrace"
	       " run's\n    workload (untraced) against perf bench sched pipe -l %ld\n",
	       loops);
	printf("    %-10s %12s %12s %28s\n", "placement", "ipctrace", "perf",
	       "ratio: median (min..max)");
	for (size_t i = 0; i < sizeof(pls) / sizeof(pls[0]); i++) {
		struct heavy_cell hc = { TR_PIPE, 4 };
		struct rep_plan p = plan_of(&hc, 4 * (uint64_t)loops, 0, PAT_PINGPONG,
					    pls[i], cpus);
		double ours[100], perf[100], ratio[100], mr, lo, hi;
		int cpu = pls[i] == PL_SAME_CPU ? cpus[0] : -1;

		for (unsigned int r = 0; r < rounds; r++) {
			double s = NAN;

			if (r % 2) {
				perf[r] = perf_pipe_us(loops, cpu);
				one_run(&p, W_NONE, NULL, pr, &s, NULL);
				ours[r] = s * 1e6;
			} else {
				one_run(&p, W_NONE, NULL, pr, &s, NULL);
				ours[r] = s * 1e6;
				perf[r] = perf_pipe_us(loops, cpu);
			}
			ratio[r] = ours[r] / perf[r];
		}
		if (isnan(perf[0])) {
			printf("    %-10s %9.2f us %12s (perf not found: apt-get install"
			       " linux-perf)\n", placement_name(pls[i]),
			       median(ours, rounds), "-");
			continue;
		}
		median_min_max(ratio, rounds, &mr, &lo, &hi);
		printf("    %-10s %9.2f us %9.2f us %10.2fx (%.2fx..%.2fx)\n",
		       placement_name(pls[i]), median(ours, rounds),
		       median(perf, rounds), mr, lo, hi);
	}
}

int cmd_bench(int argc, char **argv)
{
	struct bench_args a = { .common = COMMON_DEFAULTS, .rounds = 7, .parts = "abcd" };
	struct argp argp = { bench_options, bench_parse, NULL, bench_doc, NULL,
			     NULL, NULL };
	struct probe_report *pr = calloc(1, sizeof(*pr));
	struct tracer_opts opts = { 0 };
	int cpus[2] = { 0, 0 }, ret;
	char why[200];
	bool peer;

	if (!pr)
		return EXIT_ENV;
	ret = parse_subcommand_args(&argp, argc, argv, &a, a.why);
	if (ret) {
		free(pr);
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	}
	proc_allowed_cpus(cpus, 2);	/* none found: both stay CPU 0 */
	kf_collect(&pr->kf);
	ret = preflight_privileges_and_btf(&pr->kf);
	if (ret) {
		free(pr);
		return ret;
	}
	probe_kernel(pr);
	opts.mode = preflight_pick_mode(pr, a.common.attach);
	if (opts.mode == MODE_AUTO) {
		free(pr);
		return EXIT_ENV;
	}
	/* orphaned workers of a killed run become ours to reap */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	printf("ipctrace bench: kernel %s, %u interleaved rounds per comparison,"
	       " attach mode %s\n", pr->kf.release, a.rounds,
	       attach_mode_name(opts.mode));
	peer = (strchr(a.parts, 'a') || strchr(a.parts, 'd')) &&
	       peer_available(why, sizeof(why));
	if (!peer && (strchr(a.parts, 'a') || strchr(a.parts, 'd')))
		printf("peer: none, %s\n", why);
	if (strchr(a.parts, 'a')) {
		tracing_overhead(pr, &opts, "defaults", peer, a.rounds, cpus);
		against_floor(pr, &opts, a.rounds, cpus);
		if (opts.mode == MODE_TRACEPOINT && pr->sys_exit_ok) {
			opts.syscall_counts = true;
			tracing_overhead(pr, &opts, "--syscall-counts", false, a.rounds, cpus);
			opts.syscall_counts = false;
		}
	}
	if (strchr(a.parts, 'b'))
		harness_efficiency(pr, a.rounds, cpus);
	if (strchr(a.parts, 'c'))
		pingpong_vs_perf(pr, a.rounds, cpus);
	if (strchr(a.parts, 'd'))
		bench_pipeline(opts.mode, peer, a.rounds, cpus);
	peer_cleanup();
	free(pr);
	return 0;
}
