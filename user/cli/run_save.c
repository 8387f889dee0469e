// SPDX-License-Identifier: GPL-2.0
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
static void save_model(struct run_save *s, const struct report_model *model,
		       json_t *doc)
{
	struct md_arg md = { .dir = s->dir.path };
	char plot_err[300] = "";
	json_t *meta;
	bool partial = !s->final || s->res->interrupted;

	meta = meta_json(&s->meta, s->started, partial);
	md.model = model;
	md.meta = meta;
	if (!s->final)
		md.plots_missing = "the run had not finished when this was written";
	else if (!plots_available())
		md.plots_missing = "gnuplot is not installed";
	else if (plots_write(model, &s->dir, plot_err, sizeof(plot_err)))
		md.plots_missing = plot_err;
	if (results_dir_write(&s->dir, "meta.json", run_save_write_json, meta, s->err,
			      sizeof(s->err)) ||
	    results_dir_write(&s->dir, "results.json", run_save_write_json, doc, s->err,
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
void run_save_group(void *arg)
{
	struct run_save *s = arg;
	struct report_model model;
	json_t *doc;

	if (s->prof)
		profiler_info(s->prof, &s->meta.profile);
	if (report_model_from_run(s->cfg, s->res, &s->meta, &model)) {
		snprintf(s->err, sizeof(s->err), "out of memory");
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
	/* once, at the end: dozens of files, too many to rewrite per group */
	if (!s->err[0])
		stacks_write(&s->dir, model, s->res, s->err, sizeof(s->err));
}
