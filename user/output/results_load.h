/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_load.h - a results directory read back (for `report` and
 * `compare`): results.json into the same model a run renders from, and
 * meta.json. Every problem names the file and what is wrong in it.
 */
#ifndef IPCTRACE_RESULTS_LOAD_H
#define IPCTRACE_RESULTS_LOAD_H

#include <jansson.h>
#include "report_model.h"

/*
 * 0, or -1 with why: "results/x/results.json: not JSON (line 3, column 1:
 * unexpected end of input) - truncated?". *meta (may be NULL) gets
 * meta.json, to json_decref().
 */
int results_load(const char *dir, struct report_model *m, json_t **meta,
		 char *why, size_t len);

#endif
