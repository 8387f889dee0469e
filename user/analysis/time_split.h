/* SPDX-License-Identifier: GPL-2.0 */
/*
 * time_split.h - where a cell's time goes, measured, as named terms in
 * microseconds per message (a stream's write, a loop's iteration, a
 * ping-pong round): the direct decomposition the verdicts, the headline
 * and the CPU plot use.
 *
 *   writer's time = CPU in user space + CPU in the kernel + buffer waits
 *                   + lock or fault waits + other sleeps + preempted
 *
 * The terms add up to the writer's time at work by construction (the
 * last is what is left: runnable but not running). getrusage gives the
 * CPU, BPF the sleeps, each by its cause.
 *
 * These CPU terms are getrusage's, by role and by user/kernel. The CPU
 * profile's split of a cell's CPU by mechanism is not a term here: it is
 * analysis/cpu_split.h (per write, with its sampling error), and
 * analysis/cpu_verdict.h explains a gap in CPU with it.
 */
#ifndef IPCTRACE_TIME_SPLIT_H
#define IPCTRACE_TIME_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include "cell_stats.h"

#define TERMS_MAX 16

enum term_kind {
	TERM_CPU,		/* time on a CPU (any split of it) */
	TERM_BUFFER_WAIT,	/* the channel full or empty */
	TERM_LOCK_WAIT,		/* a lock or a fault inside the call */
	TERM_OTHER_SLEEP,	/* asleep outside the channel calls */
	TERM_PREEMPTED,		/* runnable, not running */
};

struct term {
	char name[40];		/* "CPU in the kernel", "buffer waits" */
	enum term_kind kind;
	double us;		/* per message */
	double err_us;		/* its uncertainty; 0 when counted exactly */
};

struct terms {
	size_t n;
	struct term t[TERMS_MAX];
	char source[48];	/* "getrusage and BPF", "getrusage" */
};

/*
 * The side that sets the pace: of the roles a cell has, the one that
 * sleeps least per message in buffer waits and outside its calls (a
 * stream's reader when its writer keeps waiting for room, and the other
 * way round; the loop's one thread). ROLE_WRITER when unmeasured.
 */
enum role cell_busier_role(const struct cell_summary *s);

/*
 * The time per message of one role, split (its threads' time at work).
 * n is 0 when the cell's times are unmeasured (a results file of an
 * older format) or the cell has no such role (the loop's reader).
 */
void cell_time_terms(const struct cell_summary *s, enum role r, struct terms *out);

/*
 * Every worker's CPU per message, split: writer and reader, each in user
 * space and in the kernel (getrusage). n is 0 when unmeasured.
 */
void cell_cpu_terms(const struct cell_summary *s, struct terms *out);

/* the sum of the terms of one kind (all: kind < 0) */
double terms_sum(const struct terms *t, int kind);

/*
 * The measured gap between two cells, term by term, of the role r that
 * sets slow's pace: "of the 0.72 us more per write socketpair's reader
 * takes: CPU in the kernel +0.58 us, buffer waits +0.09 us, ..." (terms
 * under 5% of the gap left out). Returns false when either side is
 * unmeasured or slow's role is not slower. top: the kind of the largest
 * term of the gap (may be NULL).
 */
bool terms_gap_text(const char *slow_name, const char *role_name,
		    const struct terms *slow, const struct terms *fast,
		    const char *unit, char *text, size_t len, enum term_kind *top);

/*
 * The kind of term that grew most from fast to slow: summed by kind, the
 * largest increase. With allow_preempted false, time runnable but not
 * running is passed over (when the slower side was not preempted more
 * often, that time is the machine's other load, not the transport).
 * -1 when nothing grew.
 */
int terms_top_kind(const struct terms *slow, const struct terms *fast,
		   bool allow_preempted);

/* "writer" / "reader" */
const char *role_name(enum role r);

#endif
