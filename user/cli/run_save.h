/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run_save.h - the results directory of a run, rewritten after every
 * comparison group and once at the end from the same model the terminal
 * report prints.
 */
#ifndef IPCTRACE_RUN_SAVE_H
#define IPCTRACE_RUN_SAVE_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "profiler.h"
#include "report_model.h"
#include "results_dir.h"

struct run_save {
	const struct run_config *cfg;
	struct run_results *res;
	struct run_meta meta;
	struct profiler *prof;	/* its counts go into meta.profile at each save */
	struct results_dir dir;
	char started[40];
	bool final;
	char err[512];		/* the first file that failed, and why */
};

/* runner_run's callback after each group: the results so far */
void run_save_group(void *arg);
/* the final save, of the model and document the report prints */
void run_save_final(struct run_save *s, const struct report_model *model,
		    json_t *doc);
/* print doc as indented JSON, as results.json holds it */
int run_save_write_json(FILE *out, void *doc);

#endif
