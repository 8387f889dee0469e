/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plot_panels.h - small multiples for gnuplot: one panel per message size
 * (and pattern, placement), x = the buffer requested (the kernel's default
 * its own tick, first), one fixed colour per transport, so the transports
 * of a panel line up and every panel reads the same way.
 */
#ifndef IPCTRACE_PLOT_PANELS_H
#define IPCTRACE_PLOT_PANELS_H

#include <stdbool.h>
#include <stdio.h>
#include "report_model.h"
#include "time_split.h"

#define PANELS_MAX 32
#define BUFFER_CATEGORIES_MAX 16

struct panel {
	enum pattern pat;
	enum placement pl;
	uint64_t msg;
	char title[80];
};

struct panels {
	struct panel p[PANELS_MAX];
	int n;
	uint64_t bufs[BUFFER_CATEGORIES_MAX];	/* requested; 0 (default) first */
	int nbufs;
};

void panels_of(const struct report_model *m, struct panels *ps);

typedef double (*cell_metric)(const struct report_cell *rc);

/* one line per transport in each panel; lo/hi (may be NULL): error bars */
struct line_metric {
	cell_metric y, lo, hi;
	const char *name;	/* "" for the only one; else in the key */
	int dash;		/* gnuplot dashtype: 1 solid, 2 dashed, 3 dotted */
};

/* an SVG of small multiples, written to dir/.file.tmp by gnuplot */
void plot_lines(FILE *gp, const char *dir, const char *file, const char *title,
		const char *ylabel, const struct report_model *m,
		const struct panels *ps, const struct line_metric *lines, int nlines,
		bool logy);

/* the terms stacked in one cell's bar; n = 0: no bar */
typedef void (*cell_terms_fn)(const struct report_cell *rc, struct terms *out);

/*
 * Stacked bars of terms per cell: in each panel one bar per buffer and
 * transport, its segments the terms terms_of() gives, one colour per term
 * name across the plot. Whatever the terms are (the getrusage split today,
 * the profile's mechanisms when a cell has one) it draws them.
 * Returns false, and writes nothing, when no cell has terms.
 */
bool plot_stacked(FILE *gp, const char *dir, const char *file, const char *title,
		  const char *ylabel, const struct report_model *m,
		  const struct panels *ps, cell_terms_fn terms_of);

#endif
