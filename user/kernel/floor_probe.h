/* SPDX-License-Identifier: GPL-2.0 */
/*
 * floor_probe.h - empty programs on sched_switch and sched_waking
 * (bpf/floor.bpf.c), timed by the kernel like ipctrace's own: the cost of
 * any program on those hooks here, for `ipctrace bench`.
 */
#ifndef IPCTRACE_FLOOR_PROBE_H
#define IPCTRACE_FLOOR_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include "observer_cost.h"

struct floor_probe;

/* load and attach them, tp_btf or raw_tp as ipctrace would; 0 or -errno */
int floor_start(struct floor_probe **out, bool tp_btf, char *err, size_t errlen);
/* their run time and runs so far, as tracer_observer_cost() gives ours */
void floor_cost(struct floor_probe *f, struct observer_cost *out);
void floor_stop(struct floor_probe *f);

#endif
