/* SPDX-License-Identifier: GPL-2.0 */
/* plots.h - SVG plots of a results directory, drawn by gnuplot. */
#ifndef IPCTRACE_PLOTS_H
#define IPCTRACE_PLOTS_H

#include <stdbool.h>
#include "report_model.h"
#include "results_dir.h"

/* the files plots_write() makes, and their titles; NULL-terminated */
struct plot_file {
	const char *file, *title;
};
#define PLOT_FILES 5
extern const struct plot_file plot_files[PLOT_FILES + 1];
/* the last, CPU per message split, is drawn only when some cell has a
 * split of its CPU (cells of an older results format have none) */
bool plots_cpu_split_available(const struct report_model *m);

/* gnuplot is on the PATH */
bool plots_available(void);
/* draw every plot of m into d, atomically; 0, or -1 with why */
int plots_write(const struct report_model *m, const struct results_dir *d,
		char *why, size_t len);

#endif
