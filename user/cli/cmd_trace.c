// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `ipctrace trace`: the same probes on programs the user
 * already runs (or starts with -c), without touching them. Options in
 * trace_args.c, targets in trace_targets.c, the command in
 * trace_command.c, the report in output/trace_report.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "arg_quote.h"
#include "gate.h"
#include "log.h"
#include "out_file.h"
#include "preflight.h"
#include "profiler.h"
#include "proc_fds.h"
#include "snapshot.h"
#include "stop_signal.h"
#include "trace_args.h"
#include "trace_command.h"
#include "trace_report.h"

/* one trace, from the checks to the report; freed by trace_free() */
struct trace {
	struct trace_args a;
	struct probe_report *pr;
	struct tracer_opts opts;
	struct trace_info info;
	struct tracer *t;
	struct profiler *prof;	/* NULL: --no-profile, or unavailable */
	FILE *out;
	struct out_file folded;		/* --folded: kernel stacks of the sleeps */
	struct out_file cpu_folded;	/* --cpu-folded: the CPU profile's stacks */
	struct command cmd;	/* -c; cmd.pid -1 without */
	struct trace_snapshot snap;
	struct observer_cost obs_start;	/* our programs' run time at start */
};

static double now_s(void)
{
	return (double)now_ns() / 1e9;
}

typedef int (*folded_writer)(FILE *, const struct trace_snapshot *,
			     enum folded_key);

/* --folded or --cpu-folded FILE (opt names which): 0, or -1 after saying why */
static int write_folded(struct trace *tr, struct out_file *of, const char *opt,
			folded_writer write)
{
	char why[PATH_MAX + 200];
	FILE *f = out_file_open(of, why, sizeof(why));
	int ret = -1;

	if (f) {
		ret = write(f, &tr->snap, tr->a.folded_by);
		ret = out_file_commit(of, why, sizeof(why)) || ret;
	}
	if (!f || ret) {
		pr_err("%s: %s\n", opt, why);
		return -1;
	}
	if (tr->snap.stacks_unsymbolized)
		pr_warn("%s: /proc/kallsyms shows no addresses, frames left as hex\n",
			of->path);
	return 0;
}

/* privileges, targets, mode, outputs: 0 or an exit status */
static int prepare(struct trace *tr)
{
	char why[PATH_MAX + 200];
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
	/* outputs before anything attaches: a typo costs no trace */
	if (tr->a.folded && out_file_check(&tr->folded, tr->a.folded, why, sizeof(why))) {
		pr_err("--folded: %s\n", why);
		return EXIT_ENV;
	}
	if (tr->a.cpu_folded &&
	    out_file_check(&tr->cpu_folded, tr->a.cpu_folded, why, sizeof(why))) {
		pr_err("--cpu-folded: %s\n", why);
		return EXIT_ENV;
	}
	if (tr->a.output) {
		tr->out = fopen(tr->a.output, "we");
		if (!tr->out) {
			pr_err("cannot write '%s': %s\n", QUOTE(tr->a.output), strerror(errno));
			return EXIT_ENV;
		}
	} else {
		/* with -c, stdout belongs to the command */
		tr->out = tr->a.command ? stderr : stdout;
	}
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
	tr->opts.wait_hists = true;
	tr->opts.collect_stacks = tr->a.folded != NULL;
	tr->opts.filter_tid = (__u32)tr->a.tid;
	if (tr->a.comm)
		snprintf(tr->opts.filter_comm, sizeof(tr->opts.filter_comm), "%s",
			 tr->a.comm);
	return 0;
}

/*
 * The CPU profile of the traced threads, with the tracer's filters. A
 * kernel that cannot give it costs the trace its cpu section only.
 */
static void start_profile(struct trace *tr)
{
	struct profile_info *pi = &tr->snap.prof_info;
	struct profiler_opts po = { .filter_tid = tr->opts.filter_tid,
				    .filter_cgroup = tr->opts.filter_cgroup };
	char why[256];

	pi->requested = !tr->a.no_profile;
	if (!pi->requested)
		return;
	if (profiler_start(&tr->prof, tr->t, &po, why, sizeof(why))) {
		pr_warn("profile unavailable: %s\n", why);
		snprintf(pi->reason, sizeof(pi->reason), "%s", why);
	}
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
	start_profile(tr);
	tr->info.attach = *tracer_attach_report(tr->t);
	tr->info.preempt_rt = tr->pr->kf.preempt_rt;
	/* from here on: the tracer's programs, and the profile's */
	tracer_observer_cost(tr->t, &tr->obs_start);
	if (tr->prof)
		profiler_observer_cost(tr->prof, &tr->obs_start);
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
	trace_watch_targets(tr->t, &tr->a);
	if (tr->a.command) {
		if (command_start(&tr->cmd, tr->a.command)) {
			pr_err("cannot start the command: %s\n", strerror(errno));
			return EXIT_ENV;
		}
		tracer_watch(tr->t, tr->cmd.pid, true);
	}
	fprintf(stderr, "ipctrace: tracing %s (%s); Ctrl-C to end\n",
		tr->info.targets, tr->info.attach.mode);
	if (stop_requested)
		return -1;	/* before the command ran: it never will */
	if (tr->a.command)
		command_go(&tr->cmd);
	return 0;
}

/* until the duration, a stop, or the end of every target; -i summaries */
static void trace_loop(struct trace *tr, double start_s)
{
	struct trace_snapshot snap = { 0 }, prev = { 0 };
	double next_interval = start_s + tr->a.interval;
	bool have_prev = false, with_cmd = tr->a.command != NULL;

	for (;;) {
		struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
		double now = now_s();

		/* a stop ends the command first (its group, then SIGKILL), so
		 * the report holds its end and ipctrace its exit status */
		if (stop_requested && !with_cmd)
			break;
		if (stop_requested)
			command_stop(&tr->cmd, stop_requested);
		if (with_cmd) {
			command_escalate(&tr->cmd);
			if (command_poll(&tr->cmd))
				break;
		}
		if (tr->a.duration > 0 && now - start_s >= tr->a.duration)
			break;
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

/* the report reached its file: 0, or EXIT_ENV after saying why */
static int report_written(struct trace *tr)
{
	const char *name = tr->a.output ? tr->a.output :
			   tr->out == stdout ? "stdout" : "stderr";
	int err = 0;

	errno = 0;
	if (fflush(tr->out) || ferror(tr->out))
		err = errno ? errno : EIO;
	if (tr->a.output) {
		if (fclose(tr->out) && !err)
			err = errno;
		tr->out = NULL;
	}
	if (!err)
		return 0;
	pr_err("the report was not written: %s: %s\n", name, strerror(err));
	return EXIT_ENV;
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
	__u32 last = 0;

	/* threads are sorted by process: each live one once, even when its
	 * first thread listed has exited */
	for (size_t i = 0; i < s->nthreads; i++) {
		if (s->threads[i].exited || s->threads[i].tgid == last)
			continue;
		last = s->threads[i].tgid;
		proc_open_chans((pid_t)last, &v, &n, &cap);
	}
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
	struct profile_info pi = tr->snap.prof_info;
	struct observer_cost obs_end;
	int folded = 0, cpu_folded = 0, ret;

	if (trace_snapshot_take(tr->t, seconds, &tr->snap)) {
		pr_err("cannot read the counters: %s\n", strerror(errno));
		return EXIT_ENV;
	}
	tr->snap.prof_info = pi;	/* requested, or why not */
	open_channels(&tr->snap);
	/* what watching cost, against the CPU time of what was watched */
	tracer_observer_cost(tr->t, &obs_end);
	if (tr->prof)
		profiler_observer_cost(tr->prof, &obs_end);
	observer_cost_delta(&obs_end, &tr->obs_start, &tr->info.observer);
	tr->info.observer.workload_cpu_s = 0;
	for (size_t i = 0; i < tr->snap.nthreads; i++)
		tr->info.observer.workload_cpu_s += (double)tr->snap.threads[i].cpu_ns / 1e9;
	if (tr->prof && trace_snapshot_take_profile(tr->prof, &tr->snap)) {
		int err = errno;

		pr_err("cannot read the CPU profile: %s\n", strerror(err));
		/* no part of a profile: the report says it is unavailable */
		prof_samples_free(&tr->snap.prof);
		tr->snap.prof_info.available = false;
		snprintf(tr->snap.prof_info.reason, sizeof(tr->snap.prof_info.reason),
			 "reading it failed: %s", strerror(err));
		cpu_folded = -1;
	}
	if (tr->a.folded && trace_snapshot_take_stacks(tr->t, &tr->snap)) {
		pr_err("cannot read the kernel stacks: %s\n", strerror(errno));
		folded = -1;
	}
	/* detach before printing: nothing stays attached if printing fails */
	profiler_stop(tr->prof);
	tr->prof = NULL;
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
	ret = report_written(tr);
	/* one output failing does not cost the others */
	if (tr->a.folded && !folded)
		folded = write_folded(tr, &tr->folded, "--folded", trace_write_folded);
	if (tr->a.cpu_folded && !cpu_folded)
		cpu_folded = write_folded(tr, &tr->cpu_folded, "--cpu-folded",
					  trace_write_cpu_folded);
	return ret ? ret : folded || cpu_folded ? EXIT_ENV : 0;
}

static void trace_free(struct trace *tr)
{
	profiler_stop(tr->prof);
	tracer_stop(tr->t);
	trace_snapshot_free(&tr->snap);
	if (tr->out && tr->out != stdout && tr->out != stderr)
		fclose(tr->out);
	command_free(&tr->cmd);
	free(tr->pr);
}

int cmd_trace(int argc, char **argv)
{
	struct trace tr = { .a = { .common = COMMON_DEFAULTS }, .cmd = { .pid = -1 } };
	double start_s;
	int ret;

	/* first: a signal from now on is a stop, never a kill (stop_signal.h) */
	stop_on_signals();
	ret = trace_args_parse(argc, argv, &tr.a);
	if (ret)
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	ret = prepare(&tr);
	if (!ret && stop_requested)
		ret = -1;
	if (!ret)
		ret = start(&tr);
	if (ret < 0) {
		/* stopped while getting ready: say so, exit as a stop does */
		pr_err("interrupted (%s) before tracing began; nothing stays"
		       " attached\n", strsignal(stop_requested));
		ret = 128 + stop_requested;
	}
	if (ret)
		goto out;
	start_s = now_s();
	trace_loop(&tr, start_s);
	ret = report(&tr, now_s() - start_s);
	/* -c: the command's status is ipctrace's, once the report is out */
	if (tr.cmd.pid > 0) {
		int status = command_wait(&tr.cmd, &stop_requested);

		ret = ret ? ret : status;
	}
out:
	trace_free(&tr);
	return ret;
}
