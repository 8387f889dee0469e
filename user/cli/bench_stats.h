/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_stats.h - what every section of `ipctrace bench` collects per
 * round and prints: a figure's median with its min..max, and the kernel's
 * own per-program cost (ns per run) of the traced runs.
 */
#ifndef IPCTRACE_BENCH_STATS_H
#define IPCTRACE_BENCH_STATS_H

#include <stdio.h>
#include "observer_cost.h"

#define BENCH_MAX_ROUNDS 100

/* one figure over the rounds */
struct series {
	double v[BENCH_MAX_ROUNDS];
	unsigned int n;
};

void series_add(struct series *s, double v);
/* "12.3% (-1.0..20.5)"; "-" when empty */
const char *series_pct(const struct series *s, char *buf, size_t len);
double series_median(const struct series *s);

/* per-program ns per run, over the rounds, by program name */
struct prog_series {
	char name[48];
	struct series ns;	/* per round: run_ns / run_cnt */
	struct series pct;	/* per round: % of the workload's CPU */
};

struct prog_table {
	struct prog_series p[OBS_MAX_PROGS];
	unsigned int n;
	struct series total_pct;	/* all programs, % of workload CPU */
};

void prog_table_add(struct prog_table *t, const struct observer_cost *c);
/* ns per run of one program (by short name: "sched_switch"), median; NAN */
double prog_table_ns(const struct prog_table *t, const char *short_name);
/* one line per program: "    sched_switch  112 ns/run (98..140), 0.9% of CPU" */
void prog_table_print(FILE *out, const struct prog_table *t, const char *indent);

#endif
