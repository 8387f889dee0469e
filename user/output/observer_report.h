/* SPDX-License-Identifier: GPL-2.0 */
/*
 * observer_report.h - the observer cost (model/observer_cost.h) as every
 * report prints it: a line or two of text, and one JSON object.
 */
#ifndef IPCTRACE_OBSERVER_REPORT_H
#define IPCTRACE_OBSERVER_REPORT_H

#include <stdio.h>
#include <jansson.h>
#include "observer_cost.h"
#include "report_model.h"

/*
 * "observer cost: 0.9% of the traced threads' CPU time ..." and the
 * programs that ran, wrapped at 100 columns; whose: what the CPU time is
 * of ("the traced threads'", "the workers'").
 */
void observer_text(FILE *out, const struct observer_cost *c, const char *whose);
/* { measured, workload_cpu_s, run_ns, share_pct, programs[] }; shares are
 * null when unknown */
json_t *observer_json(const struct observer_cost *c);
/* the share, for a column: "1.2%", "-" when unknown */
const char *observer_pct_cell(const struct observer_cost *c, char *buf, size_t len);

/* run's table: per cell, what its traced repetitions cost, per program */
void observer_table(FILE *out, const struct report_model *m);

#endif
