/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog_stats.h - the kernel's own timing of BPF programs (BPF_ENABLE_STATS,
 * v5.8, d46edd671a14): switch it on for as long as an fd is held, and read
 * each program's run_time_ns and run_cnt into an observer_cost. One place
 * for the tracer, the CPU profile and bench's floor programs.
 */
#ifndef IPCTRACE_PROG_STATS_H
#define IPCTRACE_PROG_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include "observer_cost.h"

/* the stats fd (-1: refused), and in *on whether run times are kept:
 * the fd, or kernel.bpf_stats_enabled already 1 */
int prog_stats_enable(bool *on);
/* prog's run time and runs so far, appended to out under name */
void prog_stats_append(const struct bpf_program *prog, const char *name,
		       struct observer_cost *out);
/* every loaded program of obj, named without its first strip characters */
void prog_stats_of_object(const struct bpf_object *obj, size_t strip,
			  struct observer_cost *out);

#endif
