/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attach_modes.h - which kernel functions ipctrace probes, what they are
 * called on the running kernel, and which attach mode works here, proven
 * by loading and attaching a tiny program and watching it fire.
 */
#ifndef IPCTRACE_ATTACH_MODES_H
#define IPCTRACE_ATTACH_MODES_H

#include <stdbool.h>
#include "attach_mode.h"
#include "kernel_facts.h"


enum target_fn {
	FN_PIPE_WRITE = 0,
	FN_PIPE_READ,
	FN_UNIX_SENDMSG,
	FN_UNIX_RECVMSG,
	FN_COUNT,
};

struct fn_resolution {
	const char *logical;	/* the name ipctrace uses: "pipe_write" */
	const char *resolved;	/* what this kernel calls it, NULL if absent */
	bool in_btf;		/* resolved is a BTF FUNC (fentry can target it) */
	int kallsyms;		/* text symbols with that exact name, -1 unknown */
};

struct mode_status {
	bool available;
	char reason[256];	/* why not, or what proved it */
};

/* How the scheduler tracepoints can be attached (used by every mode). */
enum sched_flavour { SCHED_NONE = 0, SCHED_TP_BTF, SCHED_RAW_TP };

struct probe_report {
	struct kernel_facts kf;
	struct fn_resolution fn[FN_COUNT];
	struct mode_status mode[MODE_COUNT];	/* [MODE_AUTO] unused */
	enum attach_mode selected;		/* MODE_AUTO when none works */
	enum sched_flavour sched;
	char sched_reason[256];
	int switch_nargs;			/* sched_switch's arguments */
	bool sys_exit_ok;			/* raw_syscalls:sys_exit usable */
	char sys_exit_reason[256];
};

/*
 * Resolve the functions and prove every mode; never fails as a whole.
 * r->kf must be filled (kf_collect) first: callers need it earlier, for
 * preflight_privileges_and_btf().
 */
void probe_kernel(struct probe_report *r);
/* Resolve the functions only (cheap; no BPF). */
void resolve_functions(struct probe_report *r);

#endif
