/* SPDX-License-Identifier: GPL-2.0 */
/* bench_minimal.h - a bare write()/read() loop, the yardstick for the harness. */
#ifndef IPCTRACE_BENCH_MINIMAL_H
#define IPCTRACE_BENCH_MINIMAL_H

#include <stdint.h>
#include "run_config.h"

/* MB/s of `bytes` in `msg`-byte writes over t, default buffer; writer and
 * reader pinned to CPUs wcpu/rcpu (-1: unpinned) */
double minimal_stream_mb_s(enum transport t, uint64_t msg, uint64_t bytes,
			   int wcpu, int rcpu);

#endif
