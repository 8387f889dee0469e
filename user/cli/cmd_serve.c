// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c - `ipctrace serve`: the probes of `trace`, left running,
 * exported for Prometheus. The main loop owns the BPF side: every
 * interval it reads the thread records, folds them into series
 * (analysis/series_fold.c), reclaims the exited threads' map entries,
 * renders both exposition formats (output/) and publishes them to the
 * HTTP server (serve_http.c) and the textfile. Nothing the HTTP side does
 * can delay it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "cgroup_paths.h"
#include "exposition.h"
#include "gate.h"
#include "log.h"
#include "preflight.h"
#include "procfs.h"
#include "serve_args.h"
#include "serve_caps.h"
#include "serve_families.h"
#include "serve_http.h"
#include "serve_maps.h"
#include "stop_signal.h"
#include "prog_stats.h"

/* how often threads whose records stand still are checked for life */
#define IDLE_CHECK_S 60.0

struct serve {
	struct serve_args a;
	struct probe_report *pr;
	struct tracer_opts opts;
	struct tracer *t;
	struct http_server *http;
	struct cgroup_paths *cgroups;
	struct series_store *store;
	int stats_fd;			/* BPF_ENABLE_STATS, held for our life */
	bool stats_enabled;
	struct utsname uts;
	uint64_t cycle, idle_every, reclaimed;
	double snapshot_s;
	struct observer_cost progs;	/* the programs' run time, as trace's */
};

/* privileges, targets, mode: 0 or an exit status */
static int prepare(struct serve *sv)
{
	int ret;

	sv->pr = calloc(1, sizeof(*sv->pr));
	if (!sv->pr)
		return EXIT_ENV;
	kf_collect(&sv->pr->kf);
	ret = preflight_privileges_and_btf(&sv->pr->kf);
	if (!ret && serve_args_has_target(&sv->a))
		ret = trace_check_targets(&sv->a.targets, &sv->opts.filter_cgroup);
	if (ret)
		return ret;
	probe_kernel(sv->pr);
	sv->opts.mode = preflight_pick_mode(sv->pr, sv->a.common.attach);
	if (sv->opts.mode == MODE_AUTO)
		return EXIT_ENV;
	if (sv->a.syscall_counts && sv->opts.mode == MODE_TRACEPOINT &&
	    !sv->pr->sys_exit_ok) {
		pr_err("--syscall-counts: raw_syscalls:sys_exit is unusable here: %s\n",
		       sv->pr->sys_exit_reason);
		return EXIT_ENV;
	}
	/* all day, on every process: cheap unless asked otherwise */
	sv->opts.syscall_counts = sv->a.syscall_counts && sv->opts.mode == MODE_TRACEPOINT;
	sv->opts.watch_all = !serve_args_has_target(&sv->a);
	sv->opts.fill_hist = true;
	sv->opts.wait_hists = true;
	sv->opts.max_threads = sv->a.max_threads;
	if (sv->a.targets.comm)
		snprintf(sv->opts.filter_comm, sizeof(sv->opts.filter_comm), "%s",
			 sv->a.targets.comm);
	/* creating a file in it takes write and search */
	if (sv->a.textfile && access(sv->a.textfile, W_OK | X_OK)) {
		pr_err("--textfile %s: %s (give a writable directory)\n",
		       sv->a.textfile, strerror(errno));
		return EXIT_ENV;
	}
	uname(&sv->uts);
	return 0;
}

/*
 * The kernel measures each program's run time only while someone holds a
 * BPF_ENABLE_STATS fd (CAP_SYS_ADMIN) or kernel.bpf_stats_enabled is 1.
 */
static void enable_stats(struct serve *sv)
{
	sv->stats_fd = prog_stats_enable(&sv->stats_enabled);
	if (!sv->stats_enabled)
		pr_warn("BPF run time not measured (BPF_ENABLE_STATS needs"
			" CAP_SYS_ADMIN at start, or sysctl kernel.bpf_stats_enabled=1):"
			" ipctrace_bpf_run_seconds_total is left out\n");
}

/* write DIR/ipctrace.prom through a temporary file: readers never see half */
static void write_textfile(const char *dir, const char *body, size_t len)
{
	char tmp[4200], path[4200];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s/.ipctrace.prom.%d.tmp", dir, (int)getpid());
	snprintf(path, sizeof(path), "%s/ipctrace.prom", dir);
	f = fopen(tmp, "we");
	if (!f) {
		pr_warn("cannot write %s: %s\n", tmp, strerror(errno));
		return;
	}
	ok = fwrite(body, 1, len, f) == len;
	if (fclose(f) || !ok || rename(tmp, path)) {
		pr_warn("cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
}

/* one thread record into its series, with the histograms that moved */
static int fold_one(struct serve *sv, const struct ipct_thread *th)
{
	unsigned int need = series_hists_needed(sv->store, th);
	struct ipct_hist h[IPCT_HIST_KIND_COUNT];
	const struct ipct_hist *hp[IPCT_HIST_KIND_COUNT] = { NULL };

	for (int k = 0; k < IPCT_HIST_KIND_COUNT; k++) {
		if (!(need & (1u << k)))
			continue;
		if (tracer_read_hist(sv->t, th->tid, k, &h[k]) == 0)
			hp[k] = &h[k];
	}
	return series_fold(sv->store, th, cgroup_paths_get(sv->cgroups, th->cgroup_id),
			   hp, sv->cycle);
}

/*
 * Exited threads are folded one more cycle (their final switch-out comes
 * after the exit event), then their entries go. A record that stands still
 * is checked for life now and then: the final switch of a thread already
 * reclaimed makes a new record that no exit will ever mark.
 */
static void reclaim(struct serve *sv, size_t nrec)
{
	__u32 *tids = calloc(nrec ? nrec : 1, sizeof(*tids));
	size_t n;
	int err;

	if (!tids)
		return;
	if (sv->cycle % sv->idle_every == 0) {
		n = series_idle(sv->store, sv->cycle, sv->idle_every, tids, nrec);
		for (size_t i = 0; i < n; i++)
			if (proc_tgid((pid_t)tids[i]) < 0)
				series_mark_exited(sv->store, tids[i], sv->cycle - 1);
	}
	n = series_reclaimable(sv->store, sv->cycle, tids, nrec);
	err = tracer_forget_threads(sv->t, tids, n);
	if (err)
		pr_debug("reclaiming exited threads: %s\n", strerror(-err));
	for (size_t i = 0; i < n; i++)
		series_forget(sv->store, tids[i]);
	sv->reclaimed += n;
	free(tids);
}

static void self_of(struct serve *sv, struct serve_self *self)
{
	memset(self, 0, sizeof(*self));
	self->version = IPCTRACE_VERSION;
	self->kernel = sv->uts.release;
	self->attach = attach_mode_name(tracer_mode(sv->t));
	self->calls_counted = tracer_call_source_name(sv->t) != NULL;
	self->stats_enabled = sv->stats_enabled;
	tracer_observer_cost(sv->t, &sv->progs);
	self->progs = sv->progs.prog;
	self->nprogs = sv->progs.nprogs;
	tracer_read_drops(sv->t, self->drops);
	self->threads_reclaimed = sv->reclaimed;
	self->snapshot_seconds = sv->snapshot_s;
}

/* render m in format f into a malloc'ed buffer */
static char *render(const struct metrics *m, enum exposition_format f, size_t *len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);

	if (!out)
		return NULL;
	if (exposition_render(out, m, f)) {
		fclose(out);
		free(buf);
		return NULL;
	}
	fclose(out);
	return buf;
}

/* read, fold, reclaim, render, publish: 0, or -1 when nothing could be read */
static int snapshot(struct serve *sv)
{
	uint64_t t0 = now_ns();
	struct ipct_thread *recs = NULL;
	struct metrics m = { 0 };
	struct serve_self self;
	char *prom, *om;
	size_t n = 0, plen, olen;

	if (tracer_read_threads(sv->t, &recs, &n)) {
		pr_warn("cannot read the thread map: %s\n", strerror(errno));
		return -1;
	}
	sv->cycle++;
	for (size_t i = 0; i < n; i++)
		if (fold_one(sv, &recs[i]))
			pr_warn("out of memory folding thread %u\n", recs[i].tid);
	series_sweep(sv->store, sv->cycle);
	reclaim(sv, n);
	free(recs);
	self_of(sv, &self);
	if (serve_families_build(&m, sv->store, &self)) {
		metrics_free(&m);
		return -1;
	}
	prom = render(&m, EXPO_PROMETHEUS, &plen);
	om = render(&m, EXPO_OPENMETRICS, &olen);
	metrics_free(&m);
	if (prom && sv->a.textfile)
		write_textfile(sv->a.textfile, prom, plen);
	if (prom && om && sv->http)
		http_server_publish(sv->http, prom, plen, om, olen);
	else {
		free(prom);
		free(om);
	}
	sv->snapshot_s = (double)(now_ns() - t0) / 1e9;
	return 0;
}

static void describe_listen(const struct serve *sv, unsigned int port, char *buf,
			    size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	const struct sockaddr *sa = (const struct sockaddr *)&sv->a.addr;

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, host,
			  sizeof(host));
		snprintf(buf, len, "http://[%s]:%u/metrics", host, port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host,
			  sizeof(host));
		snprintf(buf, len, "http://%s:%u/metrics", host, port);
	}
}

/* bind, attach, watch, drop privileges, listen, first snapshot: 0 or a status */
static int start(struct serve *sv)
{
	char err[512], where[128];

	/* the port first: a taken one fails before anything is attached */
	if (serve_args_http(&sv->a)) {
		if (http_server_bind(&sv->http, (struct sockaddr *)&sv->a.addr,
				     sv->a.addrlen, err, sizeof(err))) {
			pr_err("--listen %s: %s\n", sv->a.listen, err);
			return EXIT_ENV;
		}
		describe_listen(sv, http_server_port(sv->http), where, sizeof(where));
	} else {
		snprintf(where, sizeof(where), "%s/ipctrace.prom", sv->a.textfile);
	}
	enable_stats(sv);
	if (tracer_start(&sv->t, &sv->opts, sv->pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_ENV;
	}
	if (serve_args_has_target(&sv->a))
		trace_watch_targets(sv->t, &sv->a.targets);
	sv->cgroups = cgroup_paths_new();
	sv->store = series_store_new(sv->a.max_series, sv->a.pid_label);
	if (!sv->cgroups || !sv->store) {
		pr_err("out of memory\n");
		return EXIT_ENV;
	}
	sv->idle_every = (uint64_t)(IDLE_CHECK_S / sv->a.interval) + 1;
	/* all that needed more than CAP_BPF and CAP_PERFMON is done */
	if (serve_drop_capabilities())
		pr_warn("cannot drop capabilities: %s\n", strerror(errno));
	/* a directory only CAP_DAC_OVERRIDE let root write would get nothing */
	if (sv->a.textfile && access(sv->a.textfile, W_OK | X_OK)) {
		pr_err("--textfile %s: %s once ipctrace keeps only CAP_BPF and"
		       " CAP_PERFMON (it drops CAP_DAC_OVERRIDE after attaching):"
		       " give a directory its user may write (chown it, or"
		       " chmod u+w as its owner)\n", sv->a.textfile, strerror(errno));
		return EXIT_ENV;
	}
	/* the thread that parses requests starts without them */
	if (sv->http && http_server_run(sv->http, err, sizeof(err))) {
		pr_err("--listen %s: %s\n", sv->a.listen, err);
		return EXIT_ENV;
	}
	snapshot(sv);
	stop_on_signals();
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "ipctrace: serving %s (%s, %s); SIGTERM or Ctrl-C to end\n",
		where, attach_mode_name(tracer_mode(sv->t)),
		sv->opts.watch_all ? "every process" : "targets only");
	return 0;
}

static void serve_loop(struct serve *sv)
{
	uint64_t period = (uint64_t)(sv->a.interval * 1e9), next = now_ns() + period;

	while (!stop_requested) {
		uint64_t now = now_ns();
		struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };

		if (now >= next) {
			snapshot(sv);
			next += period;
			if (next <= now_ns())	/* fell behind: no burst to catch up */
				next = now_ns() + period;
			continue;
		}
		if (next - now < (uint64_t)tick.tv_nsec)
			tick.tv_nsec = (long)(next - now);
		nanosleep(&tick, NULL);
	}
}

static void serve_free(struct serve *sv)
{
	/* the server first: no request is answered from freed memory */
	http_server_stop(sv->http);
	tracer_stop(sv->t);
	series_store_free(sv->store);
	cgroup_paths_free(sv->cgroups);
	if (sv->stats_fd >= 0)
		close(sv->stats_fd);
	free(sv->pr);
}

int cmd_serve(int argc, char **argv)
{
	struct serve sv = { .a = { .common = COMMON_DEFAULTS,
				   .targets = { .common = COMMON_DEFAULTS } },
			    .stats_fd = -1 };
	int ret;

	if (serve_args_parse(argc, argv, &sv.a))
		return EXIT_USAGE;
	ret = prepare(&sv);
	if (!ret)
		ret = start(&sv);
	if (!ret)
		serve_loop(&sv);
	serve_free(&sv);
	return ret;
}
