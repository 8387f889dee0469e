// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "gate.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void futex_wait_while(int32_t *addr, int32_t value)
{
	while (__atomic_load_n(addr, __ATOMIC_ACQUIRE) == value)
		syscall(SYS_futex, addr, FUTEX_WAIT, value, NULL, NULL, 0);
}

void futex_wake_all(int32_t *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}
