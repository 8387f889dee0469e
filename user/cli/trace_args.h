/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_args.h - the command line of `ipctrace trace`, and its targets:
 * checked before anything attaches, watched once the tracer runs.
 */
#ifndef IPCTRACE_TRACE_ARGS_H
#define IPCTRACE_TRACE_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "commands.h"
#include "tracer.h"

#define MAX_PIDS 64
/* a DURATION or -i longer than this (11.6 days) means none: no end */
#define TRACE_MAX_SECONDS 1000000

struct trace_args {
	struct common_args common;
	pid_t pids[MAX_PIDS];
	int npids;
	pid_t tid;
	const char *command;
	const char *cgroup;
	const char *comm;
	double duration;	/* 0: until the targets exit or Ctrl-C */
	double interval;
	const char *folded;
	const char *cpu_folded;	/* on-CPU stacks, weighted by samples */
	int folded_by;		/* enum folded_key (trace_report.h) */
	bool no_profile;
	const char *output;
	bool json;
	bool syscall_counts;	/* tracepoint mode: raw_syscalls:sys_exit too */
	char why[400];
};

/* 0, EXIT_USAGE after argp or the parser said why, or PARSE_HELP_SHOWN */
int trace_args_parse(int argc, char **argv, struct trace_args *a);
/* -p PID[,PID...] into a->pids: 0, or EINVAL with a->why filled */
int trace_args_add_pids(struct trace_args *a, const char *list);

/* validate the targets before anything attaches: 0 or an exit status;
 * the kernfs id of --cgroup goes to *cgroup_id */
int trace_check_targets(struct trace_args *a, __u64 *cgroup_id);
/* watch -p, -t and --comm targets that run now */
void trace_watch_targets(struct tracer *t, const struct trace_args *a);
/* "process 1234", "command \"make\"": for the report */
void trace_describe_targets(const struct trace_args *a, char *buf, size_t len);
/* some -p/-t target is still alive (false for other kinds) */
bool trace_targets_alive(const struct trace_args *a);

#endif
