/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_pipeline.h - `ipctrace bench` (d): what `ipctrace trace -c` costs
 * a real pipeline, `dd bs=1000 | cat`, against the same pipeline untraced
 * and under bpftrace, in the same rounds.
 */
#ifndef IPCTRACE_BENCH_PIPELINE_H
#define IPCTRACE_BENCH_PIPELINE_H

#include <stdbool.h>
#include "attach_mode.h"

/* with_peer: bpftrace is usable (bench_peer.h); cpus: two CPUs we may use */
void bench_pipeline(enum attach_mode mode, bool with_peer, unsigned int rounds,
		    const int *cpus);

#endif
