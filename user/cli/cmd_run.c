// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c - `ipctrace run`: the workload matrix, traced, reconciled,
 * explained. Everything that can be wrong with the request is checked
 * before any workload runs (run_args.c, transport_check.c); the results
 * directory is saved as groups finish (run_save.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include "log.h"
#include "plots.h"
#include "preflight.h"
#include "procfs.h"
#include "profiler.h"
#include "run_args.h"
#include "run_save.h"
#include "runner.h"
#include "stop_signal.h"
#include "tracer.h"
#include "transport_check.h"

/* what a run holds from the checks to the report; freed by run_free() */
struct run {
	struct run_args a;
	struct worker_identity id;
	struct probe_report *pr;
	enum attach_mode mode;
	struct tracer *t;
	struct profiler *prof;	/* NULL: --no-profile, or unavailable here */
	struct run_results res;
	struct run_save save;
};

static void fill_meta(struct run_meta *m, const struct kernel_facts *kf,
		      const struct worker_identity *id, int argc, char **argv)
{
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	snprintf(m->kernel, sizeof(m->kernel), "%s", kf->release);
	m->preempt_rt = kf->preempt_rt;
	snprintf(m->identity, sizeof(m->identity), "%s", id->desc);
	n = (size_t)snprintf(m->cmdline, sizeof(m->cmdline), "ipctrace run");
	for (int i = 1; i < argc && n < sizeof(m->cmdline); i++)
		n += (size_t)snprintf(m->cmdline + n, sizeof(m->cmdline) - n, " %s",
				      argv[i]);
}

/* privileges, the kernel, the buffers, the mode: 0 or an exit status */
static int check_environment(struct run *r)
{
	char err[512];
	int ret;

	if (identity_from_env(&r->id, r->a.cfg.keep_root, err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_USAGE;
	}
	r->pr = calloc(1, sizeof(*r->pr));
	if (!r->pr)
		return EXIT_ENV;
	kf_collect(&r->pr->kf);
	ret = preflight_privileges_and_btf(&r->pr->kf);
	if (ret)
		return ret;
	if (transport_check(&r->a.cfg, &r->id))
		return EXIT_ENV;
	probe_kernel(r->pr);
	r->mode = preflight_pick_mode(r->pr, r->a.common.attach);
	return r->mode == MODE_AUTO ? EXIT_ENV : 0;
}

/*
 * The CPU profile of the workers, in every attach mode. A kernel that
 * cannot give it costs the run its cpu split, not the run: one warning.
 */
static void start_profile(struct run *r)
{
	struct profile_info *pi = &r->save.meta.profile;
	char why[256];

	pi->requested = !r->a.cfg.no_profile;
	if (!pi->requested)
		return;
	if (profiler_start(&r->prof, r->t, &(struct profiler_opts){ 0 }, why,
			   sizeof(why))) {
		pr_warn("profile unavailable: %s\n", why);
		snprintf(pi->reason, sizeof(pi->reason), "%s", why);
		return;
	}
	profiler_info(r->prof, pi);
	r->save.prof = r->prof;
}

/* the results directory, then the BPF side: 0 or an exit status */
static int start(struct run *r, int argc, char **argv)
{
	struct tracer_opts topts = { .mode = r->mode };
	struct run_save *s = &r->save;
	char err[512];
	time_t now = time(NULL);
	struct tm tm;

	/* an existing directory is an error before anything runs; it is
	 * created when the first cell is saved */
	if (results_dir_plan(&s->dir, r->a.cfg.outdir, err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_ENV;
	}
	gmtime_r(&now, &tm);
	strftime(s->started, sizeof(s->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	s->cfg = &r->a.cfg;
	s->res = &r->res;
	fill_meta(&s->meta, &r->pr->kf, &r->id, argc, argv);
	topts.syscall_counts = r->a.cfg.syscall_counts && r->mode == MODE_TRACEPOINT;
	if (tracer_start(&r->t, &topts, r->pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		return EXIT_ENV;
	}
	/* what the loader attached is what every output says was attached */
	s->meta.attach = *tracer_attach_report(r->t);
	attach_report_describe(&s->meta.attach, s->meta.attach_detail,
			       sizeof(s->meta.attach_detail));
	pr_debug("attached: %s\n", s->meta.attach_detail);
	start_profile(r);
	return 0;
}

/* the report reached stdout: 0, or -1 after saying why */
static int stdout_written(void)
{
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	pr_err("the report was not written: stdout: %s\n",
	       strerror(errno ? errno : EIO));
	return -1;
}

/* print the report, save the directory for the last time; the exit status */
static int finish(struct run *r)
{
	struct report_model model = { 0 };
	json_t *doc;
	int ret, printed;

	if (report_model_from_run(&r->a.cfg, &r->res, &r->save.meta, &model)) {
		pr_err("out of memory\n");
		report_model_free(&model);
		return EXIT_ENV;
	}
	/* the final save and the report print the same model and document */
	doc = report_json(&model, &r->res);
	run_save_final(&r->save, &model, doc);
	if (r->a.cfg.json)
		run_save_write_json(stdout, doc);
	else if (r->a.cfg.csv)
		report_csv(stdout, &model);
	else
		report_text(stdout, &model);
	printed = stdout_written();
	if (r->save.err[0])
		pr_err("results not saved completely: %s\n", r->save.err);
	else if (model.ncells)
		fprintf(stderr, "results: %s/ (report.md, results.json, cells.csv,"
			" meta.json%s%s)\n", r->save.dir.path,
			r->save.meta.profile.available ? ", stacks/" : "",
			plots_available() ? ", plots" : "; install gnuplot for plots");
	if (r->res.interrupted)
		pr_err("interrupted: %zu finished cell%s printed%s, workers stopped,"
		       " BPF programs detached\n", model.ncells,
		       model.ncells == 1 ? "" : "s", model.ncells ? "" :
		       " (no results directory)");
	else if (r->res.error[0])
		pr_err("%s\n", r->res.error);
	/* a save that failed outweighs the rest: what ran is not all kept */
	if (r->save.err[0] || printed || (r->res.error[0] && !r->res.interrupted))
		ret = EXIT_ENV;
	else if (r->res.interrupted)
		ret = 128 + (stop_requested ? stop_requested : SIGINT);
	else
		ret = 0;
	json_decref(doc);
	report_model_free(&model);
	return ret;
}

static void run_free(struct run *r)
{
	profiler_stop(r->prof);
	tracer_stop(r->t);
	runner_free(&r->res);
	run_config_free(&r->a.cfg);
	free(r->pr);
}

/* a stop before any cell ran: nothing to save or report */
static int stopped_early(void)
{
	pr_err("interrupted (%s) before any cell ran: nothing was saved, and"
	       " nothing stays attached\n", strsignal(stop_requested));
	return 128 + stop_requested;
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .a = { .common = COMMON_DEFAULTS } };
	int cpus[256], ncpus = proc_allowed_cpus(cpus, 256);
	int ret;

	/* first: a signal from now on is a stop, never a kill (stop_signal.h) */
	stop_on_signals();
	ret = run_args_parse(argc, argv, ncpus, &r.a);
	if (ret)
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	ret = check_environment(&r);
	if (!ret && !stop_requested)
		ret = start(&r, argc, argv);
	if (!ret && stop_requested)
		ret = stopped_early();
	if (ret)
		goto out;
	/* orphaned workers of a killed leader become ours to reap (rep.c) */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (runner_plan(&r.a.cfg, &r.res)) {
		pr_err("out of memory\n");
		ret = EXIT_ENV;
		goto out;
	}
	runner_run(&r.a.cfg, &r.id, r.t, r.prof, &stop_requested, &r.res,
		   run_save_group, &r.save);
	/* detach before printing: nothing stays attached if printing fails */
	if (r.prof) {
		profiler_pause(r.prof);
		profiler_info(r.prof, &r.save.meta.profile);
	}
	profiler_stop(r.prof);
	r.prof = NULL;
	r.save.prof = NULL;
	tracer_stop(r.t);
	r.t = NULL;
	ret = finish(&r);
out:
	run_free(&r);
	return ret;
}
