/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_schema.h - the layout of results.json (`run --json`), in one
 * place. One table per JSON object says, for each key, which field of the
 * report model it holds, its type, the range a reader accepts and what
 * format 1 called it; the same table writes the document and reads it
 * back, so the writer and the reader cannot drift apart.
 *
 * Format 2 (this version) renamed, against format 1:
 *   per_mb.blocking_writes -> per_mb.blocked_writes
 *   per_mb.reader_sleeps   -> per_mb.reader_waits
 * and added per_mb.blocked_reads, per_mb.reader_epoll_waits and the attach
 * report (attach.links, attach.calls, attach.functions). Format 1 files
 * still load.
 *
 * Format 3 added the pattern "loop", kernel_preempt_rt, and per cell
 * waits_by_cause and time_us_per_message. A format 2 file loads with
 * those unmeasured (null in what it prints).
 *
 * Added within format 2, and optional when reading: cells[].cpu and
 * profile (results_schema_cpu.c).
 *
 * Format 4 added per cell throughput_untraced (the throughput is of
 * untraced repetitions run next to the traced ones),
 * throughput_traced_mb_s and observer (what our programs cost). An older
 * file loads with those unmeasured.
 *
 * Format 5 added per cell switches_traced_vs_untraced: the traced
 * repetitions' context switches against the untraced ones'.
 */
#ifndef IPCTRACE_RESULTS_SCHEMA_H
#define IPCTRACE_RESULTS_SCHEMA_H

#include <jansson.h>
#include "attach_report.h"
#include "report_model.h"

#define RESULTS_FORMAT_VERSION 5
#define RESULTS_FORMAT_OLDEST 1

/*
 * The whole document but the raw repetitions and the verdicts, which
 * report_json() adds: every key a reader needs to rebuild the model.
 */
json_t *results_schema_write(const struct report_model *m);
/* one cell as the table lays it out */
json_t *results_schema_write_cell(const struct report_cell *rc);

/*
 * Rebuild the model from a document (any format from
 * RESULTS_FORMAT_OLDEST on). 0, or -1 with why naming file, the key's
 * path and what is wrong: "FILE: malformed: cells[0].per_mb is missing".
 */
int results_schema_read(json_t *doc, const char *file, struct report_model *m,
			char *why, size_t len);

/* the attach report as meta.json and results.json hold it */
json_t *attach_report_json(const struct attach_report *r);

#endif
