/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_check.h - what a results file must hold beyond well-formed
 * fields: each cell once (a repeated cell would be compared with itself,
 * and its verdicts multiply), and comparison groups whose cells differ
 * only in transport, one per transport. n log n, for files of any size.
 */
#ifndef IPCTRACE_RESULTS_CHECK_H
#define IPCTRACE_RESULTS_CHECK_H

#include <stddef.h>
#include "report_model.h"

/* 0, or -1 with why: "results.json: malformed: cells[5] repeats cells[2]
 * (pipe 4K default unpinned stream)" */
int results_check_cells(const struct report_model *m, const char *file,
			char *why, size_t len);

#endif
