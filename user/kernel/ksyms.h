/* SPDX-License-Identifier: GPL-2.0 */
/* ksyms.h - kernel addresses to function names, from /proc/kallsyms. */
#ifndef IPCTRACE_KSYMS_H
#define IPCTRACE_KSYMS_H

#include <stdint.h>

struct ksyms;

/* NULL when /proc/kallsyms is unreadable or shows no addresses */
struct ksyms *ksyms_load(void);
/* the function containing addr, or NULL */
const char *ksyms_name(const struct ksyms *k, uint64_t addr);
void ksyms_free(struct ksyms *k);

#endif
