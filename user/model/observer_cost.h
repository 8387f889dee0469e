/* SPDX-License-Identifier: GPL-2.0 */
/*
 * observer_cost.h - what watching cost: the time the kernel measured
 * inside each of ipctrace's BPF programs (bpf_prog_info run_time_ns and
 * run_cnt, counted while BPF_ENABLE_STATS is on), over a window, and the
 * CPU time the traced workload used in the same window. The share of one
 * in the other is the observer cost every report states.
 */
#ifndef IPCTRACE_OBSERVER_COST_H
#define IPCTRACE_OBSERVER_COST_H

#include <stdbool.h>
#include <stdint.h>

#define OBS_MAX_PROGS 24
/* above this share of the workload's CPU, a report warns next to the cell */
#define OBS_WARN_PCT 3.0

struct prog_cost {
	char name[48];		/* the BPF program: "tp_btf_sched_switch" */
	uint64_t run_ns;	/* kernel-measured time inside it */
	uint64_t run_cnt;	/* times it ran */
};

struct observer_cost {
	bool measured;		/* the kernel timed our programs (BPF stats on) */
	unsigned int nprogs;
	struct prog_cost prog[OBS_MAX_PROGS];
	double workload_cpu_s;	/* the traced workload's CPU over the window;
				 * 0 when unknown */
};

/* after - before, program by program (matched by name) */
void observer_cost_delta(const struct observer_cost *after,
			 const struct observer_cost *before,
			 struct observer_cost *out);
/* add src's programs and CPU time into dst (summing repetitions) */
void observer_cost_add(struct observer_cost *dst, const struct observer_cost *src);
uint64_t observer_cost_total_ns(const struct observer_cost *c);
/* time in our programs as % of the workload's CPU; NAN when unknown */
double observer_cost_pct(const struct observer_cost *c);
double prog_cost_pct(const struct observer_cost *c, const struct prog_cost *p);
/* mean ns per run of one program; NAN when it never ran */
double prog_cost_ns_per_run(const struct prog_cost *p);
/* "sched_switch" for "tp_btf_sched_switch" and "raw_tp_sched_switch" */
const char *prog_cost_short_name(const char *prog);

#endif
