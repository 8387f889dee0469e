/* SPDX-License-Identifier: GPL-2.0 */
/* serve_args.h - the command line of `ipctrace serve`. */
#ifndef IPCTRACE_SERVE_ARGS_H
#define IPCTRACE_SERVE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include "commands.h"
#include "trace_args.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:9474"

struct serve_args {
	struct common_args common;
	/* -p, --comm, --cgroup: trace's targets, checked and watched by
	 * trace_targets.c; none of them: every process */
	struct trace_args targets;
	const char *listen;		/* "none": no HTTP (--textfile only) */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	double interval;		/* seconds between snapshots */
	size_t max_series;
	unsigned int max_threads;
	const char *textfile;		/* directory, or NULL */
	bool pid_label;
	bool syscall_counts;
	char why[400];
};

/* 0, or EXIT_USAGE after saying why */
int serve_args_parse(int argc, char **argv, struct serve_args *a);
bool serve_args_has_target(const struct serve_args *a);
bool serve_args_http(const struct serve_args *a);

#endif
