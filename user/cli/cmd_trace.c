// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `ipctrace trace`: the same probes on programs the user
 * already runs (or starts with -c), without touching them. Options in
 * trace_args.c, targets in trace_targets.c, the report in
 * output/trace_report.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "gate.h"
#include "log.h"
#include "preflight.h"
#include "proc_fds.h"
#include "snapshot.h"
#include "stop_signal.h"
#include "trace_args.h"
#include "trace_report.h"

/* one trace, from the checks to the report; freed by trace_free() */
struct trace {
	struct trace_args a;
	struct probe_report *pr;
	struct tracer_opts opts;
	struct trace_info info;
	struct tracer *t;
	FILE *out;
	int32_t *gate;		/* -c: the command waits on it until watched */
	pid_t child;		/* -c: the command, -1 without */
	int child_status;
	bool child_done;
	struct trace_snapshot snap;
	struct observer_cost obs_start;	/* our programs' run time at start */
};

static double now_s(void)
{
	return (double)now_ns() / 1e9;
}

static int write_folded(const char *path, const struct trace_snapshot *s)
{
	char tmp[4200];
	FILE *f;
	int ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		pr_err("cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	ret = trace_write_folded(f, s);
	if (fclose(f) || ret || rename(tmp, path)) {
		pr_err("cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		ret = -1;
	}
	if (s->stacks_unsymbolized)
		pr_warn("%s: /proc/kallsyms shows no addresses, frames left as hex\n",
			path);
	return ret;
}

/* privileges, targets, mode, output: 0 or an exit status */
static int prepare(struct trace *tr)
{
	int ret;

	tr->pr = calloc(1, sizeof(*tr->pr));
	if (!tr->pr)
		return EXIT_ENV;
	kf_collect(&tr->pr->kf);
	ret = preflight_privileges_and_btf(&tr->pr->kf);
	if (!ret)
		ret = trace_check_targets(&tr->a, &tr->opts.filter_cgroup);
	if (ret)
		return ret;
	probe_kernel(tr->pr);
	tr->opts.mode = preflight_pick_mode(tr->pr, tr->a.common.attach);
	if (tr->opts.mode == MODE_AUTO)
		return EXIT_ENV;
	/*
	 * Cheap unless asked: counting calls at sys_exit slows every syscall
	 * of every task, so it is opt-in; the function probes of fentry and
	 * kprobe mode count calls exactly anyway.
	 */
	tr->opts.syscall_counts = tr->opts.mode == MODE_TRACEPOINT &&
				  tr->a.syscall_counts;
	if (tr->opts.syscall_counts && !tr->pr->sys_exit_ok) {
		pr_err("--syscall-counts: raw_syscalls:sys_exit is not usable here (%s);"
		       " trace without it\n", tr->pr->sys_exit_reason);
		return EXIT_ENV;
	}
	tr->opts.track_channels = true;
	tr->opts.collect_stacks = tr->a.folded != NULL;
	tr->opts.filter_tid = (__u32)tr->a.tid;
	if (tr->a.comm)
		snprintf(tr->opts.filter_comm, sizeof(tr->opts.filter_comm), "%s",
			 tr->a.comm);
	if (tr->a.output) {
		tr->out = fopen(tr->a.output, "we");
		if (!tr->out) {
			pr_err("cannot write %s: %s\n", tr->a.output, strerror(errno));
			return EXIT_ENV;
		}
	} else {
		/* with -c, stdout belongs to the command */
		tr->out = tr->a.command ? stderr : stdout;
	}
	return 0;
}

/* attach, watch the targets, start the command: 0 or an exit status */
static int start(struct trace *tr)
{
	const char *src;
	char err[512];

	if (tracer_start(&tr->t, &tr->opts, tr->pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_ENV;
	}
	tr->info.attach = *tracer_attach_report(tr->t);
	tracer_observer_cost(tr->t, &tr->obs_start);
	src = tracer_call_source_name(tr->t);
	tr->info.calls_counted = src != NULL;
	for (int op = 0; op < IPCT_OP_COUNT; op++)
		tr->info.op_counted[op] = tracer_op_call_source_name(tr->t, op) != NULL;
	if (src)
		snprintf(tr->info.calls_source, sizeof(tr->info.calls_source),
			 "counted at %s%s", tracer_call_source(tr->t) ==
			 IPCT_CALLS_SYSCALL ? "raw_syscalls:" : "", src);
	else if (tr->info.op_counted[IPCT_UNIX_WRITE])
		snprintf(tr->info.calls_source, sizeof(tr->info.calls_source),
			 "unix at sock:sock_*_length; threads: task io accounting (any fd)");
	else
		snprintf(tr->info.calls_source, sizeof(tr->info.calls_source),
			 "task io accounting (write/read calls on any fd)");
	trace_describe_targets(&tr->a, tr->info.targets, sizeof(tr->info.targets));
	stop_on_signals();
	trace_watch_targets(tr->t, &tr->a);
	if (tr->a.command) {
		tr->child = trace_command_start(tr->a.command, &tr->gate);
		if (tr->child < 0) {
			pr_err("cannot start the command: %s\n", strerror(errno));
			return EXIT_ENV;
		}
		tracer_watch(tr->t, tr->child, true);
	}
	fprintf(stderr, "ipctrace: tracing %s (%s); Ctrl-C to end\n",
		tr->info.targets, tr->info.attach.mode);
	if (tr->gate)
		trace_command_go(tr->gate);
	return 0;
}

/* until the duration, Ctrl-C, or the end of every target; -i summaries */
static void trace_loop(struct trace *tr, double start_s)
{
	struct trace_snapshot snap = { 0 }, prev = { 0 };
	double next_interval = start_s + tr->a.interval;
	bool have_prev = false;

	while (!stop_requested) {
		struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
		double now = now_s();

		if (tr->a.duration > 0 && now - start_s >= tr->a.duration)
			break;
		if (tr->child > 0 &&
		    waitpid(tr->child, &tr->child_status, WNOHANG) == tr->child) {
			tr->child_done = true;
			break;
		}
		if ((tr->a.npids || tr->a.tid) && !trace_targets_alive(&tr->a))
			break;	/* every traced process exited: a complete trace */
		if (tr->a.interval > 0 && now >= next_interval) {
			if (trace_snapshot_take_threads(tr->t, now - start_s, &snap) == 0)
				trace_report_interval(tr->out, &snap,
						      have_prev ? &prev : NULL, &tr->info);
			trace_snapshot_free(&prev);
			prev = snap;
			memset(&snap, 0, sizeof(snap));
			have_prev = true;
			next_interval += tr->a.interval;
		}
		nanosleep(&tick, NULL);
	}
	trace_snapshot_free(&prev);
}

/*
 * The channels traced processes still have open that neither a wait nor a
 * call showed: without syscall counts, a loop that never blocks would
 * otherwise leave its channel unseen.
 */
static void open_channels(struct trace_snapshot *s)
{
	struct open_chan *v = NULL;
	size_t n = 0, cap = 0, keep = 0;

	for (size_t i = 0; i < s->nthreads; i++)
		if (!s->threads[i].exited &&
		    (i == 0 || s->threads[i].tgid != s->threads[i - 1].tgid))
			proc_open_chans((pid_t)s->threads[i].tgid, &v, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t c = 0; c < s->nchans; c++)
			seen |= s->chans[c].ino == v[i].ino;
		if (!seen)
			v[keep++] = v[i];
	}
	s->open_chans = v;
	s->nopen_chans = keep;
}

/* read everything, detach, print: 0 or an exit status */
static int report(struct trace *tr, double seconds)
{
	struct observer_cost obs_end;

	if (trace_snapshot_take(tr->t, seconds, &tr->snap)) {
		pr_err("cannot read the counters: %s\n", strerror(errno));
		return EXIT_ENV;
	}
	open_channels(&tr->snap);
	/* what watching cost, against the CPU time of what was watched */
	tracer_observer_cost(tr->t, &obs_end);
	observer_cost_delta(&obs_end, &tr->obs_start, &tr->info.observer);
	tr->info.observer.workload_cpu_s = 0;
	for (size_t i = 0; i < tr->snap.nthreads; i++)
		tr->info.observer.workload_cpu_s += (double)tr->snap.threads[i].cpu_ns / 1e9;
	if (tr->a.folded && (trace_snapshot_take_stacks(tr->t, &tr->snap) ||
			     write_folded(tr->a.folded, &tr->snap)))
		return EXIT_ENV;
	/* detach before printing: nothing stays attached if printing fails */
	tracer_stop(tr->t);
	tr->t = NULL;
	if (tr->a.json) {
		json_t *doc = trace_report_json(&tr->snap, &tr->info);

		json_dumpf(doc, tr->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', tr->out);
		json_decref(doc);
	} else {
		trace_report_text(tr->out, &tr->snap, &tr->info);
	}
	fflush(tr->out);
	return 0;
}

/* -c: the command's status is ipctrace's */
static int command_status(struct trace *tr)
{
	/* Ctrl-C reached the command too; pass on a plain SIGINT/TERM */
	if (!tr->child_done) {
		if (stop_requested)
			kill(tr->child, SIGINT);
		waitpid(tr->child, &tr->child_status, 0);
		tr->child_done = true;
	}
	return WIFEXITED(tr->child_status) ? WEXITSTATUS(tr->child_status) :
	       128 + WTERMSIG(tr->child_status);
}

static void trace_free(struct trace *tr, int ret)
{
	tracer_stop(tr->t);
	trace_snapshot_free(&tr->snap);
	if (tr->out && tr->out != stdout && tr->out != stderr)
		fclose(tr->out);
	if (tr->gate)
		munmap(tr->gate, sizeof(*tr->gate));
	if (tr->child > 0 && ret == EXIT_ENV && !tr->child_done) {
		kill(tr->child, SIGKILL);
		waitpid(tr->child, NULL, 0);
	}
	free(tr->pr);
}

int cmd_trace(int argc, char **argv)
{
	struct trace tr = { .a = { .common = COMMON_DEFAULTS }, .child = -1 };
	double start_s;
	int ret;

	if (trace_args_parse(argc, argv, &tr.a))
		return EXIT_USAGE;
	ret = prepare(&tr);
	if (!ret)
		ret = start(&tr);
	if (ret)
		goto out;
	start_s = now_s();
	trace_loop(&tr, start_s);
	ret = report(&tr, now_s() - start_s);
	if (!ret && tr.child > 0)
		ret = command_status(&tr);
out:
	trace_free(&tr, ret);
	return ret;
}
