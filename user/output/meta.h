/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.h - meta.json of a results directory: which ipctrace, which kernel
 * and machine, which sysctls bounded the buffers, how every probe was
 * attached, and the exact command line. Enough to know, months later,
 * whether two results directories can be compared.
 */
#ifndef IPCTRACE_META_H
#define IPCTRACE_META_H

#include <stdbool.h>
#include <jansson.h>
#include "report_model.h"

/* the sysctls recorded, also read by `compare` to flag differences */
extern const char *const meta_sysctls[];

json_t *meta_json(const struct run_meta *m, const char *started, bool partial);

/* "kvm", "none", ... from the CPUID hypervisor leaf */
void meta_virtualization(char *buf, size_t len);

#endif
