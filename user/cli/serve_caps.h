/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve_caps.h - `ipctrace serve` keeps only what it needs to run: once
 * loaded, attached, bound and holding the BPF stats fd, it drops every
 * capability but CAP_BPF (map reads: bpf(2) on a kernel with
 * unprivileged BPF disabled) and CAP_PERFMON.
 */
#ifndef IPCTRACE_SERVE_CAPS_H
#define IPCTRACE_SERVE_CAPS_H

/* 0, or -1 with errno */
int serve_drop_capabilities(void);

#endif
