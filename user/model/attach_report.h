/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attach_report.h - what ipctrace really attached, as the loader
 * (kernel/tracer.c) made it: one entry per BPF link, and the kernel names
 * of the channel functions. meta.json, the report headers and every
 * --json document print this one record; nobody describes the probes by
 * hand.
 */
#ifndef IPCTRACE_ATTACH_REPORT_H
#define IPCTRACE_ATTACH_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define ATTACH_MAX_LINKS 40
#define ATTACH_MAX_FUNCTIONS 4

struct attach_link {
	char program[48];	/* the BPF program: "tp_btf_sched_switch" */
	char kind[16];		/* tp_btf, raw_tp, fentry, fexit, kprobe, kretprobe */
	char target[48];	/* what it hooks: "sched_switch", "anon_pipe_write" */
};

struct attach_function {
	char logical[32];	/* ipctrace's name: "pipe_write" */
	char resolved[48];	/* this kernel's: "anon_pipe_write"; "" if absent */
};

struct attach_report {
	char mode[16];		/* fentry, kprobe, tracepoint */
	char calls[48];		/* where calls are counted ("fexit",
				 * "kretprobe", "raw_syscalls:sys_exit"), or
				 * "" when task io accounting stands in */
	struct attach_link links[ATTACH_MAX_LINKS];
	int nlinks;
	struct attach_function functions[ATTACH_MAX_FUNCTIONS];
	int nfunctions;
};

/* the links of one kind, e.g. "tp_btf sched_switch, sched_waking" */
void attach_report_describe(const struct attach_report *r, char *buf,
			    size_t len);
/* was anything of this kind attached to target? */
bool attach_report_has(const struct attach_report *r, const char *kind,
		       const char *target);

#endif
