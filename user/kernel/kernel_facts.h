/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel_facts.h - what the running kernel is and allows, read from the
 * kernel's own files: uname, /sys/kernel/btf/vmlinux, securityfs lockdown,
 * /proc/self/status capabilities, /proc/config.gz (or /boot/config-*),
 * /proc/kallsyms.
 */
#ifndef IPCTRACE_KERNEL_FACTS_H
#define IPCTRACE_KERNEL_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

/* capability numbers, for kernels whose headers predate CAP_BPF */
#define KF_CAP_NET_ADMIN 12
#define KF_CAP_SYS_ADMIN 21
#define KF_CAP_SYS_RESOURCE 24
#define KF_CAP_PERFMON 38
#define KF_CAP_BPF 39

struct kernel_facts {
	char release[128];
	char machine[65];
	bool btf_present;
	char lockdown[32];	/* none/integrity/confidentiality/unknown */
	char lockdown_how[160];	/* where it was read, or why it is unknown */
	uint64_t cap_eff;
	unsigned int euid;
	char kconfig_path[192];	/* "" when no kernel config could be found */
	bool preempt_rt;	/* CONFIG_PREEMPT_RT: spinlocks sleep */
	char preempt_rt_how[64];	/* what said so: "/sys/kernel/realtime" */
};

void kf_collect(struct kernel_facts *kf);
/* securityfs's "none [integrity] confidentiality" -> "integrity" */
void kf_lockdown_parse(const char *text, char *out, size_t len);

/* does a uname version string ("#1 SMP PREEMPT_RT Debian ...") name an
 * RT kernel? PREEMPT_RT (or the older "PREEMPT RT") as whole words */
bool kf_version_says_rt(const char *version);

bool kf_has_cap(const struct kernel_facts *kf, int cap);
/* CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN (kernels before 5.8) */
bool kf_can_trace(const struct kernel_facts *kf);

/*
 * A kernel config option: 'y', 'm', 'n' (present as "is not set" or
 * absent from a readable config), or 0 when no config is readable.
 */
char kf_kconfig(const struct kernel_facts *kf, const char *option);
/* parse one config line; returns 'y'/'m'/'n' when it is about option */
char kf_kconfig_parse_line(const char *line, const char *option);

/*
 * Count exact name matches among text symbols (t/T) in /proc/kallsyms for
 * each of names[0..n); counts[i] = -1 when kallsyms cannot be read.
 */
void kf_kallsyms_count(const char *const *names, int *counts, size_t n);
/* parse one kallsyms line: symbol type and name; 0 on success */
int kf_kallsyms_parse_line(const char *line, char *type, char *name,
			   size_t name_len);

/* vmlinux BTF queries (NULL-safe when the kernel has no BTF) */
bool kf_btf_has_func(const char *name);
/* arguments of a tracepoint per its btf_trace_<name> typedef, -1 if none */
int kf_tracepoint_nargs(const char *tp);
void kf_btf_release(void);

#endif
