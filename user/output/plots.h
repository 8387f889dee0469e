/* SPDX-License-Identifier: GPL-2.0 */
/* plots.h - SVG plots of a results directory, drawn by gnuplot. */
#ifndef IPCTRACE_PLOTS_H
#define IPCTRACE_PLOTS_H

#include <stdbool.h>
#include "report_model.h"
#include "results_dir.h"

/* the files plots_write() makes, NULL-terminated */
extern const char *const plot_files[];

/* gnuplot is on the PATH */
bool plots_available(void);
/* draw every plot of m into d, atomically; 0, or -1 with why */
int plots_write(const struct report_model *m, const struct results_dir *d,
		char *why, size_t len);

#endif
