/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umaps.h - user-space addresses to "module+0xoffset", from the
 * executable mappings in /proc/PID/maps (read once per process, while it
 * lives). Enough to tell libc from the program and to feed addr2line;
 * no symbol tables are read.
 */
#ifndef IPCTRACE_UMAPS_H
#define IPCTRACE_UMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct umaps;

struct umaps *umaps_new(void);
void umaps_free(struct umaps *u);
/*
 * "libc.so.6+0x11b2a3" for addr in process tgid; false (buf holds
 * "0x7f...") when no executable mapping of a live process holds it.
 */
bool umaps_name(struct umaps *u, pid_t tgid, uint64_t addr, char *buf,
		size_t len);

#endif
