/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate.h - futex gates that hold a process or thread still without
 * touching any channel (so nothing ipctrace counts), and the clock the
 * workloads time themselves with.
 */
#ifndef IPCTRACE_GATE_H
#define IPCTRACE_GATE_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds */
uint64_t now_ns(void);
/* sleep while *addr == value (FUTEX_WAIT, retried) */
void futex_wait_while(int32_t *addr, int32_t value);
void futex_wake_all(int32_t *addr);

#endif
