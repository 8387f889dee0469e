/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_model.h - what `ipctrace run` prints, built from one model of the
 * run (settings, per cell its summary, the verdicts) so that a run and a
 * results directory read back render the same: a terminal report
 * (report_text.c), CSV (report_csv.c), a versioned JSON document
 * (report_json.c, laid out by results_schema.c) and report.md.
 */
#ifndef IPCTRACE_REPORT_MODEL_H
#define IPCTRACE_REPORT_MODEL_H

#include <stdio.h>
#include <jansson.h>
#include "attach_report.h"
#include "cell_stats.h"
#include "cost_model.h"
#include "cpu_verdict.h"
#include "run_config.h"
#include "run_result.h"
#include "verdict.h"

struct run_meta {
	char kernel[128];
	struct attach_report attach;	/* mode "none": untraced */
	char attach_detail[400];	/* attach_report_describe(); as stored
					 * when read from a format 1 file */
	char identity[64];		/* who the workers ran as */
	char cmdline[512];
	bool preempt_rt;		/* the kernel is PREEMPT_RT */
	struct profile_info profile;	/* the CPU profile, as it went */
};

struct report_settings {
	enum io_mode io;
	unsigned int pairs;
	bool threads;
	unsigned int repeat;
	double duration;
	uint64_t bytes;
	double warmup;
};

struct report_cell {
	struct cell cell;
	struct buffer_grant grant;
	unsigned int nreps;
	bool finished;
	uint64_t bytes_per_rep;
	struct cell_summary s;
	double *rep_mb_s;	/* nreps throughputs */
	uint64_t checks;	/* failed ones: s.recon_failed */
};

/* two cells of one comparison group, judged once for every output */
struct report_verdict {
	size_t a, b;			/* indexes into cells */
	struct verdict v;
	bool has_cost;			/* the cost model had something to say */
	char cost[400];
	/* the measured split of the gap (time_split.h) and the one
	 * mechanism behind it in numbers; "" when unmeasured */
	char time[400];
	char top[300];
	/* loop verdicts: how the stream cells of the same size compare */
	char relation[600];
	struct cpu_gap cpu;		/* the per-call part, from the profiles */
};

/* the answer first: at most HEADLINE_LINES lines of at most
 * HEADLINE_WIDTH columns (report_headline.c) */
#define HEADLINE_LINES 6
#define HEADLINE_WIDTH 100
struct headline {
	int n;
	char line[HEADLINE_LINES][HEADLINE_WIDTH + 1];
};

struct report_model {
	struct run_meta meta;
	struct report_settings set;
	struct report_cell *cells;
	size_t ncells;
	bool interrupted;
	double elapsed_s;
	char error[512];
	/* derived from the cells by report_model_judge() */
	struct cost_model fits[PAT_COUNT][PL_COUNT];
	struct report_verdict *verdicts;
	size_t nverdicts;
	struct headline headline;
};

/* 0, or -1 when out of memory (out is then empty: nothing to free) */
int report_model_from_run(const struct run_config *c,
			  const struct run_results *res,
			  const struct run_meta *m, struct report_model *out);
/* fit the cost models and judge every pair: after the cells are set
 * (report_model_from_run and results_load call it) */
int report_model_judge(struct report_model *m);
void report_model_free(struct report_model *m);

void report_text(FILE *out, const struct report_model *m);
void report_csv(FILE *out, const struct report_model *m);
/* the document --json prints; res (may be NULL) adds every repetition's
 * raw counters and checks. Caller json_decref()s. */
json_t *report_json(const struct report_model *m, const struct run_results *res);

/* report.md: the terminal report, the plots (or, when plots_missing says
 * why, how to get them) and how to read it; meta is meta.json */
int report_md(FILE *out, const struct report_model *m, json_t *meta,
	      const char *dir, const char *plots_missing);

/* "pipe 64K default cross stream": a cell in a message */
void cell_label(const struct cell *c, char *buf, size_t len);
/* "64K", "default" */
void cell_buffer_name(const struct cell *cl, char *buf, size_t len);
/* "unpinned", "same", "cross": the placement in a table column */
const char *placement_short_name(enum placement p);
/* the same cell of the matrix (transport, sizes, placement, pattern) */
bool cell_equal(const struct cell *x, const struct cell *y);
/* an order of cells (by pattern, placement, sizes, transport): 0 when equal */
int cell_cmp(const struct cell *x, const struct cell *y);
/*
 * The cells of m in cell_cmp order, as indexes (malloc'ed; NULL when out
 * of memory), and the cell equal to c found in them (NULL: none): lookups
 * in O(log n), for files of any size.
 */
size_t *report_model_sorted(const struct report_model *m);
/* the cells of m by group, in their order within a group (malloc'ed) */
size_t *report_model_by_group(const struct report_model *m);
const struct report_cell *report_model_find(const struct report_model *m,
					    const size_t *sorted,
					    const struct cell *c);

/* a loop verdict's relation to the stream cells of its size (fills
 * rv->relation; nothing for other verdicts) */
void report_relate_loop(const struct report_model *m, struct report_verdict *rv);
/* the headline of a judged model (report_model_judge calls it) */
void report_headline(const struct report_model *m, struct headline *h);
/* the verdict of the cells at i and j, or NULL */
const struct report_verdict *report_verdict_of(const struct report_model *m,
					       size_t i, size_t j);

/* a cell as the cost model sees it (analysis/cost_model.h) */
struct cost_point report_cost_point(const struct report_cell *rc);

#endif
