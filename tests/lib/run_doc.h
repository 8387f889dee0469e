/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run_doc.h - `ipctrace run --json` as the integration tests read it: run
 * it, find a cell, read a count, check that every repetition reconciled.
 */
#ifndef IPCTRACE_RUN_DOC_H
#define IPCTRACE_RUN_DOC_H

#include <jansson.h>
#include "runcmd.h"

/* run ipctrace with args (before_exec as run_cmd's); JSON on stdout parsed */
json_t *run_json_as(const char *args, int (*before_exec)(void),
		    struct cmd_result *keep);
json_t *run_json(const char *args, struct cmd_result *keep);
/* the first cell of transport, msg size and buffer (0: default), any
 * pattern; cell_in: of that pattern. The test fails when there is none. */
json_t *cell(json_t *doc, const char *transport, long long msg, long long buffer);
json_t *cell_in(json_t *doc, const char *pattern, const char *transport,
		long long msg, long long buffer);
double per_mb(json_t *c, const char *key);
/* every repetition's every check held, and there were at least min_checks */
void assert_reconciled_min(json_t *c, long long min_checks);
/* the same with the ten a writer and a reader give at least */
void assert_reconciled(json_t *c);
/* throughput_mb_s.min is the least of the cell's reps' key ("mb_s": traced,
 * "untraced_mb_s": their twins'), and every rep has it */
void assert_throughput_min_is(json_t *c, const char *key);
/* the writers' write() calls, as the workload counted them */
long long writer_calls(json_t *rep);

/*
 * `trace --json`: the runs of our programs the kernel skipped, as trace
 * reports them in lost_events (0: none). On 7.3.4 (CONFIG_PREEMPT_LAZY)
 * the kernel skips runs of raw_tp_sys_exit (recursion_misses), so a count
 * --syscall-counts makes is exact or short by no more than that.
 */
long long trace_skipped_runs(json_t *doc);
/* got == want, or skipped > 0 and want - skipped * per_run <= got < want */
#define ASSERT_COUNT_BOUND(got, want, skipped, per_run) do {			\
	long long g_ = (got), w_ = (want), s_ = (skipped), p_ = (per_run);	\
	ck_assert_msg(g_ == w_ || (s_ > 0 && g_ < w_ && w_ - g_ <= s_ * p_),	\
		      "%s == %lld, want %lld (%lld runs skipped)", #got, g_,	\
		      w_, s_);							\
} while (0)
/* lost_events holds nothing, or only the skipped runs */
void assert_trace_lost_only_skipped(json_t *doc);

#endif
