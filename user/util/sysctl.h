/* SPDX-License-Identifier: GPL-2.0 */
/* sysctl.h - integer sysctls from /proc/sys, for limits and explanations. */
#ifndef IPCTRACE_SYSCTL_H
#define IPCTRACE_SYSCTL_H

/* read an integer sysctl from its /proc/sys path; -1 when unreadable */
long long read_sysctl(const char *path);

#endif
