// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "meta.h"
#include "plots.h"
#include "run_save.h"
#include "stacks_files.h"

struct md_arg {
	const struct report_model *model;
	json_t *meta;
	const char *dir;
	const char *plots_missing;
};

int run_save_write_json(FILE *out, void *arg)
{
	if (!arg) {
		errno = EINVAL;	/* a document that could not be built */
		return -1;
	}
	if (json_dumpf(arg, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) {
		if (!ferror(out))
			errno = EINVAL;
		return -1;
	}
	return fputc('\n', out) == EOF ? -1 : 0;
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

/* keep the first failure */
static void failed(struct run_save *s, const char *why)
{
	if (!s->err[0])
		snprintf(s->err, sizeof(s->err), "%s", why);
}

/*
 * (Re)write the results directory from what has run so far. Each file is
 * replaced atomically, so a run killed at any point leaves finished cells
 * behind. meta.json goes last and says partial unless this is the final
 * save of a run that finished and every other file was written: it never
 * claims a complete directory whose results.json is an older one.
 */
static void save_model(struct run_save *s, const struct report_model *model,
		       json_t *doc)
{
	struct md_arg md = { .model = model };
	char plot_err[300] = "", why[sizeof(s->err)] = "";
	json_t *meta;

	if (!model->ncells)
		return;	/* nothing finished: no directory (results_dir.h) */
	if (results_dir_begin(&s->dir, why, sizeof(why))) {
		failed(s, why);
		return;
	}
	md.dir = s->dir.path;
	if (!s->final)
		md.plots_missing = "the run had not finished when this was written";
	else if (!plots_available())
		md.plots_missing = "gnuplot is not installed";
	else if (plots_write(model, &s->dir, plot_err, sizeof(plot_err))) {
		md.plots_missing = plot_err;
		failed(s, plot_err);
	}
	meta = meta_json(&s->meta, s->started, true);
	md.meta = meta;
	if (results_dir_write(&s->dir, "results.json", run_save_write_json, doc,
			      why, sizeof(why)) ||
	    results_dir_write(&s->dir, "cells.csv", write_csv, (void *)model, why,
			      sizeof(why)) ||
	    results_dir_write(&s->dir, "report.md", write_md, &md, why, sizeof(why)))
		failed(s, why);
	/* once, at the end (dozens of files, too many to rewrite per group),
	 * and before meta.json, which then says whether they were written */
	if (s->final && !s->err[0] &&
	    stacks_write(&s->dir, model, s->res, why, sizeof(why)))
		failed(s, why);
	json_object_set_new(meta, "partial", json_boolean(!s->final ||
			    s->res->interrupted || s->err[0]));
	if (results_dir_write(&s->dir, "meta.json", run_save_write_json, meta, why,
			      sizeof(why)))
		failed(s, why);
	json_decref(meta);
	if (results_dir_publish(&s->dir, why, sizeof(why)))
		failed(s, why);
}

/* runner_run's callback after each group: the results so far */
void run_save_group(void *arg)
{
	struct run_save *s = arg;
	struct report_model model;
	json_t *doc;

	if (s->prof)
		profiler_info(s->prof, &s->meta.profile);
	if (report_model_from_run(s->cfg, s->res, &s->meta, &model)) {
		failed(s, "out of memory");
		return;
	}
	doc = report_json(&model, s->res);
	save_model(s, &model, doc);
	json_decref(doc);
	report_model_free(&model);
}

void run_save_final(struct run_save *s, const struct report_model *model,
		    json_t *doc)
{
	s->final = true;
	s->err[0] = '\0';
	save_model(s, model, doc);
}
