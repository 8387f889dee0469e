// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c - `ipctrace run`: the workload matrix, traced, reconciled,
 * explained. Everything that can be wrong with the request is checked
 * before any workload runs.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "channel.h"
#include "commands.h"
#include "identity.h"
#include "log.h"
#include "meta.h"
#include "plots.h"
#include "preflight.h"
#include "procfs.h"
#include "report.h"
#include "results_dir.h"
#include "runner.h"
#include "sizes.h"
#include "stop_signal.h"
#include "tracer.h"

enum {
	OPT_PATTERN = 1000, OPT_PAIRS, OPT_THREADS, OPT_IO, OPT_BYTES,
	OPT_KEEP_ROOT, OPT_SYSCALLS, OPT_CSV, OPT_JSON,
};

/* what saving the results directory needs, after each group and at the end */
struct save_ctx {
	const struct run_config *cfg;
	struct run_results *res;
	struct run_meta meta;
	struct results_dir dir;
	const struct probe_report *pr;
	enum attach_mode mode;
	char started[40];
	bool final;
	char err[512];
};

struct run_args {
	struct common_args common;
	struct run_config cfg;
	bool duration_set;
	char why[400];
};

static const struct argp_option run_options[] = {
	{ "transport", 't', "LIST", 0, "pipe, socketpair, seqpacket (default: pipe,socketpair)", 0 },
	{ "msg-size", 'm', "LIST", 0, "bytes per write: 1000,4K,64K,256K (default)", 0 },
	{ "buffer-size", 'b', "LIST", 0, "pipe size (F_SETPIPE_SZ) / SO_SNDBUF; 'default' keeps the"
	  " kernel's (default: default,16K,1M)", 0 },
	{ "placement", 'p', "LIST", 0, "unpinned (default), same-cpu, cross-cpu", 0 },
	{ "pattern", OPT_PATTERN, "LIST", 0, "stream (default), pingpong", 0 },
	{ "pairs", OPT_PAIRS, "N", 0, "concurrent writer/reader pairs (default 1)", 0 },
	{ "threads", OPT_THREADS, NULL, 0, "writer and reader as threads of one process", 0 },
	{ "io", OPT_IO, "MODE", 0, "blocking (default) or epoll (non-blocking, event loop)", 0 },
	{ "duration", 'd', "SEC", 0, "time one repetition should take: bytes are calibrated so the"
	  " slowest transport takes this long (default 0.4)", 0 },
	{ "bytes", OPT_BYTES, "N", 0, "bytes per pair and repetition, instead of --duration", 0 },
	{ "warmup", 'w', "SEC", 0, "discarded warm-up run per cell, also used to calibrate"
	  " (default 0.15)", 0 },
	{ "repeat", 'r', "N", 0, "repetitions per cell (default 5)", 0 },
	{ "keep-root", OPT_KEEP_ROOT, NULL, 0, "under sudo, keep the workers root instead of"
	  " the invoking user", 0 },
	{ "syscall-counts", OPT_SYSCALLS, NULL, 0, "tracepoint mode: also count every call at"
	  " raw_syscalls:sys_exit (exact per-channel calls, slower)", 0 },
	{ "csv", OPT_CSV, NULL, 0, "print CSV, one line per cell", 0 },
	{ "json", OPT_JSON, NULL, 0, "print one JSON document", 0 },
	{ "output", 'o', "DIR", 0, "results directory to create (default:"
	  " results/<date>-<host>-<kernel>/; never overwritten)", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char run_doc[] =
	"Run pipe and socketpair producer/consumer workloads across message"
	" sizes, buffer sizes and CPU placements, trace them, and explain which"
	" transport wins and why.\n"
	"\n"
	"Each cell (transport x message size x buffer x placement x pattern) runs"
	" --repeat times; every transport of a comparison moves the same bytes"
	" with the same write()/read() pattern. BPF counts are reconciled against"
	" the workload's own counts and the kernel's counters.\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo ipctrace run                                  # the default matrix\n"
	"  sudo ipctrace run -m 64K -b default,1M -r 5        # one question, more reps\n"
	"  sudo ipctrace run --pattern pingpong -p same-cpu,cross-cpu\n"
	"  sudo ipctrace run --io epoll --json > result.json\n";

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT_MAX || s[0] == '-')
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_args *a = state->input;
	struct run_config *c = &a->cfg;
	char *why = a->why;
	size_t wl = sizeof(a->why);

	switch (key) {
	case 't':
		return parse_transports(arg, c, why, wl) ? EINVAL : 0;
	case 'm':
		free(c->msg_sizes);
		c->msg_sizes = NULL;
		if (parse_size_list(arg, false, &c->msg_sizes, &c->nmsg, why, wl)) {
			snprintf(why + strlen(why), wl - strlen(why), " (--msg-size)");
			return EINVAL;
		}
		return 0;
	case 'b':
		free(c->buffers);
		c->buffers = NULL;
		if (parse_size_list(arg, true, &c->buffers, &c->nbuffers, why, wl)) {
			snprintf(why + strlen(why), wl - strlen(why),
				 " (--buffer-size takes sizes or 'default')");
			return EINVAL;
		}
		return 0;
	case 'p':
		return parse_placements(arg, c, why, wl) ? EINVAL : 0;
	case OPT_PATTERN:
		return parse_patterns(arg, c, why, wl) ? EINVAL : 0;
	case OPT_PAIRS:
		if (parse_uint(arg, &c->pairs)) {
			snprintf(why, wl, "--pairs '%s' is not a whole number", arg);
			return EINVAL;
		}
		return 0;
	case OPT_THREADS:
		c->threads = true;
		return 0;
	case OPT_IO:
		if (!strcmp(arg, "blocking"))
			c->io = IO_BLOCKING;
		else if (!strcmp(arg, "epoll"))
			c->io = IO_EPOLL;
		else {
			snprintf(why, wl, "unknown --io '%s': use blocking or epoll", arg);
			return EINVAL;
		}
		return 0;
	case 'd':
		if (parse_seconds(arg, &c->duration)) {
			snprintf(why, wl, "--duration '%s' is not a number of seconds", arg);
			return EINVAL;
		}
		a->duration_set = true;
		return 0;
	case OPT_BYTES:
		if (parse_size(arg, &c->bytes, why, wl) || c->bytes == 0) {
			snprintf(why, wl, "--bytes '%s' is not a size above 0 (e.g. 64M)", arg);
			return EINVAL;
		}
		return 0;
	case 'w':
		if (parse_seconds(arg, &c->warmup)) {
			snprintf(why, wl, "--warmup '%s' is not a number of seconds", arg);
			return EINVAL;
		}
		return 0;
	case 'r':
		if (parse_uint(arg, &c->repeat)) {
			snprintf(why, wl, "--repeat '%s' is not a whole number", arg);
			return EINVAL;
		}
		return 0;
	case OPT_KEEP_ROOT:
		c->keep_root = true;
		return 0;
	case OPT_SYSCALLS:
		c->syscall_counts = true;
		return 0;
	case OPT_CSV:
		c->csv = true;
		return 0;
	case OPT_JSON:
		c->json = true;
		return 0;
	case 'o':
		c->outdir = arg;
		return 0;
	case ARGP_KEY_ARG:
		snprintf(why, wl, "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

/*
 * Open every transport x buffer once, as the workers will (their identity,
 * in a child), before anything runs: a refused buffer is an error now, not
 * half-way through the matrix.
 */
static int preflight_channels(const struct run_config *c,
			      const struct worker_identity *id)
{
	for (size_t t = 0; t < c->ntransports; t++) {
		for (size_t b = 0; b < c->nbuffers; b++) {
			int p[2], status;
			char why[400] = "";
			pid_t pid;
			ssize_t n;

			if (pipe(p))
				return -1;
			pid = fork();
			if (pid == 0) {
				struct channel_fds fds;
				struct buffer_grant g;

				close(p[0]);
				if (identity_apply(id)) {
					snprintf(why, sizeof(why), "cannot run the workers as"
						 " %s: %s", id->desc, strerror(errno));
				} else if (channel_open(c->transports[t], c->buffers[b],
							false, &fds, &g, why,
							sizeof(why)) == 0) {
					why[0] = '\0';
					/* a seqpacket message must fit in the send buffer */
					for (size_t m = 0; c->transports[t] == TR_SEQPACKET &&
						      m < c->nmsg && !why[0]; m++) {
						char *buf = calloc(1, c->msg_sizes[m]);

						if (buf && send(fds.wr, buf, c->msg_sizes[m],
								MSG_DONTWAIT) < 0 &&
						    errno == EMSGSIZE)
							snprintf(why, sizeof(why), "seqpacket"
								 " messages of %llu bytes do"
								 " not fit a %llu-byte send"
								 " buffer (EMSGSIZE); use a"
								 " larger --buffer-size or"
								 " smaller --msg-size",
								 (unsigned long long)c->msg_sizes[m],
								 (unsigned long long)g.granted);
						free(buf);
					}
					channel_close(&fds);
				}
				if (write(p[1], why, strlen(why)) < 0)
					_exit(2);
				_exit(0);
			}
			close(p[1]);
			n = read(p[0], why, sizeof(why) - 1);
			close(p[0]);
			waitpid(pid, &status, 0);
			if (n > 0) {
				why[n] = '\0';
				pr_err("%s\n", why);
				return -1;
			}
		}
	}
	return 0;
}

struct md_arg {
	const struct report_model *model;
	json_t *meta;
	const char *dir;
	const char *plots_missing;
};

static int write_json(FILE *out, void *arg)
{
	return json_dumpf(arg, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	       fputc('\n', out) == EOF ? -1 : 0;
}

static int write_csv(FILE *out, void *arg)
{
	report_csv(out, arg);
	return ferror(out) ? -1 : 0;
}

static int write_md(FILE *out, void *arg)
{
	struct md_arg *a = arg;

	return report_md(out, a->model, a->meta, a->dir, a->plots_missing);
}

/*
 * (Re)write the results directory from what has run so far. Each file is
 * replaced atomically, so a run killed at any point leaves finished cells
 * behind; meta.json says partial until the end.
 */
static void save_model(struct save_ctx *s, const struct report_model *model,
		       json_t *doc)
{
	struct md_arg md = { .dir = s->dir.path };
	char plot_err[300] = "";
	json_t *meta;
	bool partial = !s->final || s->res->interrupted;

	meta = meta_json(s->pr, s->mode, s->cfg->syscall_counts, false, &s->meta,
			 s->started, partial);
	md.model = model;
	md.meta = meta;
	if (!s->final)
		md.plots_missing = "the run had not finished when this was written";
	else if (!plots_available())
		md.plots_missing = "gnuplot is not installed";
	else if (plots_write(model, &s->dir, plot_err, sizeof(plot_err)))
		md.plots_missing = plot_err;
	if (results_dir_write(&s->dir, "meta.json", write_json, meta, s->err,
			      sizeof(s->err)) ||
	    results_dir_write(&s->dir, "results.json", write_json, doc, s->err,
			      sizeof(s->err)) ||
	    results_dir_write(&s->dir, "cells.csv", write_csv, (void *)model, s->err,
			      sizeof(s->err)) ||
	    results_dir_write(&s->dir, "report.md", write_md, &md, s->err,
			      sizeof(s->err))) {
		/* the error stays in s->err; the run goes on, the end reports it */
	}
	json_decref(meta);
}

/* runner_run's callback after each group: the results so far */
static void save_results(void *arg)
{
	struct save_ctx *s = arg;
	struct report_model model;
	json_t *doc;

	if (report_model_from_run(s->cfg, s->res, &s->meta, &model)) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return;
	}
	doc = report_json(&model, s->res);
	save_model(s, &model, doc);
	json_decref(doc);
	report_model_free(&model);
}

static void fill_meta(struct run_meta *m, const struct kernel_facts *kf,
		      const struct worker_identity *id, int argc, char **argv)
{
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	snprintf(m->kernel, sizeof(m->kernel), "%s", kf->release);
	snprintf(m->identity, sizeof(m->identity), "%s", id->desc);
	n = (size_t)snprintf(m->cmdline, sizeof(m->cmdline), "ipctrace run");
	for (int i = 1; i < argc && n < sizeof(m->cmdline); i++)
		n += (size_t)snprintf(m->cmdline + n, sizeof(m->cmdline) - n, " %s",
				      argv[i]);
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .common = COMMON_DEFAULTS };
	struct argp argp = { run_options, run_parse, NULL, run_doc, NULL, NULL, NULL };
	struct probe_report *pr = NULL;
	struct tracer *t = NULL;
	struct worker_identity id;
	struct run_results res = { 0 };
	struct report_model model = { 0 };
	struct save_ctx save = { 0 };
	struct tracer_opts topts = { 0 };
	json_t *doc = NULL;
	int cpus[256], ncpus, ret = EXIT_ENV;
	char err[512];
	enum attach_mode mode;

	run_config_defaults(&a.cfg);
	if (parse_subcommand_args(&argp, argc, argv, &a, a.why)) {
		run_config_free(&a.cfg);
		return EXIT_USAGE;
	}
	ncpus = proc_allowed_cpus(cpus, 256);
	if (a.duration_set && a.cfg.bytes) {
		pr_err("give --duration or --bytes, not both: --bytes fixes the data"
		       " moved, --duration calibrates it\n");
		goto usage;
	}
	if (a.cfg.csv && a.cfg.json) {
		pr_err("give --csv or --json, not both\n");
		goto usage;
	}
	if (run_config_validate(&a.cfg, ncpus, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto usage;
	}
	if (identity_from_env(&id, a.cfg.keep_root, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto usage;
	}
	pr = calloc(1, sizeof(*pr));
	if (!pr)
		goto out;
	kf_collect(&pr->kf);
	ret = preflight_privileges_and_btf(&pr->kf);
	if (ret)
		goto out;
	ret = EXIT_ENV;
	if (preflight_channels(&a.cfg, &id))
		goto out;
	probe_kernel(pr);
	mode = preflight_pick_mode(pr, a.common.attach);
	if (mode == MODE_AUTO)
		goto out;
	/* the directory now: an existing one is an error before anything runs */
	if (results_dir_create(&save.dir, a.cfg.outdir, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto out;
	}
	{
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(save.started, sizeof(save.started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	save.cfg = &a.cfg;
	save.res = &res;
	save.pr = pr;
	save.mode = mode;
	fill_meta(&save.meta, &pr->kf, &id, argc, argv);
	snprintf(save.meta.attach, sizeof(save.meta.attach), "%s", attach_mode_name(mode));
	snprintf(save.meta.attach_detail, sizeof(save.meta.attach_detail), "%s",
		 a.cfg.syscall_counts ? "with raw_syscalls:sys_exit call counts" :
		 mode == MODE_TRACEPOINT ? "scheduler tracepoints only; calls from task io accounting" :
		 "function entry/exit probes plus scheduler tracepoints");
	topts.mode = mode;
	topts.syscall_counts = a.cfg.syscall_counts;
	if (tracer_start(&t, &topts, pr, err, sizeof(err))) {
		pr_err("%s\n", err);
		goto out;
	}
	pr_debug("attached: %s\n", tracer_describe(t));
	stop_on_signals();
	/* orphaned workers of a killed leader become ours to reap (rep.c) */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (runner_plan(&a.cfg, &res)) {
		pr_err("out of memory\n");
		goto out;
	}
	runner_run(&a.cfg, &id, t, &stop_requested, &res, save_results, &save);
	/* detach before printing: nothing stays attached if printing fails */
	tracer_stop(t);
	t = NULL;
	/* the final save and the report print the same model and document */
	if (report_model_from_run(&a.cfg, &res, &save.meta, &model)) {
		pr_err("out of memory\n");
		goto out;
	}
	doc = report_json(&model, &res);
	save.final = true;
	save.err[0] = '\0';
	save_model(&save, &model, doc);

	if (a.cfg.json) {
		write_json(stdout, doc);
	} else if (a.cfg.csv) {
		report_csv(stdout, &model);
	} else {
		report_text(stdout, &model);
	}
	fflush(stdout);
	if (save.err[0])
		pr_err("results not saved completely: %s\n", save.err);
	else
		fprintf(stderr, "results: %s/ (report.md, results.json, cells.csv,"
			" meta.json%s)\n", save.dir.path,
			plots_available() ? ", plots" : "; install gnuplot for plots");
	if (res.interrupted) {
		pr_err("interrupted: %zu finished cell%s printed, workers stopped,"
		       " BPF programs detached\n", model.ncells,
		       model.ncells == 1 ? "" : "s");
		ret = 130;
	} else if (res.error[0]) {
		pr_err("%s\n", res.error);
		ret = EXIT_ENV;
	} else {
		ret = 0;
	}
out:
	tracer_stop(t);
	json_decref(doc);
	report_model_free(&model);
	runner_free(&res);
	run_config_free(&a.cfg);
	free(pr);
	return ret;
usage:
	run_config_free(&a.cfg);
	return EXIT_USAGE;
}
