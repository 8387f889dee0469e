// SPDX-License-Identifier: GPL-2.0
/* serve_args.c - `ipctrace serve`'s options and their parsing. */
#include <argp.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "preflight.h"
#include "serve_args.h"
#include "sizes.h"

enum { OPT_LISTEN = 1000, OPT_CGROUP, OPT_COMM, OPT_MAX_SERIES, OPT_MAX_THREADS,
       OPT_TEXTFILE, OPT_PID_LABEL, OPT_SYSCALLS };

static const struct argp_option serve_options[] = {
	{ "listen", OPT_LISTEN, "ADDR:PORT", 0, "serve /metrics here (default "
	  SERVE_DEFAULT_LISTEN "; [::1]:PORT for IPv6; port 0 picks a free one;"
	  " \"none\" with --textfile); any other address than loopback is"
	  " served only when given here", 0 },
	{ "pid", 'p', "PID[,PID...]", 0, "only these processes (default: every"
	  " process but kernel threads)", 0 },
	{ "comm", OPT_COMM, "NAME", 0, "only processes named NAME, also those that"
	  " start or take the name later", 0 },
	{ "cgroup", OPT_CGROUP, "DIR", 0, "only tasks in this cgroup v2 directory"
	  " and below", 0 },
	{ "interval", 'i', "SEC", 0, "take a snapshot of the maps every SEC seconds"
	  " (default 5): what /metrics and --textfile show", 0 },
	{ "max-series", OPT_MAX_SERIES, "N", 0, "at most N label sets of comm and"
	  " cgroup (default 1000); more fold into comm=\"_overflow\", counted in"
	  " ipctrace_series_dropped_total", 0 },
	{ "max-threads", OPT_MAX_THREADS, "N", 0, "size the per-thread maps for N"
	  " live threads (default 8192); threads beyond are lost events", 0 },
	{ "textfile", OPT_TEXTFILE, "DIR", 0, "also write DIR/ipctrace.prom at every"
	  " snapshot (temporary file, then rename), for node_exporter's textfile"
	  " collector", 0 },
	{ "pid-label", OPT_PID_LABEL, NULL, 0, "add a pid label (one label set per"
	  " process: mind --max-series)", 0 },
	{ "syscall-counts", OPT_SYSCALLS, NULL, 0, "tracepoint mode: count calls and"
	  " bytes at raw_syscalls:sys_exit (every syscall on the system pays its"
	  " slow path); without it, that mode exports no call or byte counts", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char serve_doc[] =
	"Run until stopped (SIGTERM, SIGINT) and export what the probes count as"
	" OpenMetrics or Prometheus text on http://ADDR:PORT/metrics, for a"
	" Prometheus server to scrape. Labels: op, kind, comm, cgroup; no pid or"
	" tid unless --pid-label.\v"
	"Examples:\n"
	"  sudo ipctrace serve                       # every process, 127.0.0.1:9474\n"
	"  sudo ipctrace serve --comm nginx --listen 0.0.0.0:9474  # one service, for the fleet\n"
	"  sudo ipctrace serve --listen none --textfile /var/lib/prometheus/node-exporter"
	"  # node_exporter's textfile collector\n";

/* ADDR:PORT, [ADDR6]:PORT: numeric addresses only, nothing resolved */
static int parse_listen(struct serve_args *a, const char *arg)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&a->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->addr;
	char host[256], *colon;
	const char *port;
	long p;

	if (strlen(arg) >= sizeof(host))
		return -1;
	snprintf(host, sizeof(host), "%s", arg[0] == '[' ? arg + 1 : arg);
	colon = arg[0] == '[' ? strstr(host, "]:") : strrchr(host, ':');
	if (!colon || (arg[0] != '[' && strchr(host, ':') != colon))
		return -1;
	*colon = '\0';
	port = colon + (arg[0] == '[' ? 2 : 1);
	if (!*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    (p = atol(port)) > 65535)
		return -1;
	memset(&a->addr, 0, sizeof(a->addr));
	if (arg[0] != '[' && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		a->addrlen = sizeof(*v4);
		return 0;
	}
	if (arg[0] == '[' && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		a->addrlen = sizeof(*v6);
		return 0;
	}
	return -1;
}

static int parse_count(const char *arg, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	return errno || end == arg || *end || *out < min || *out > max ? -1 : 0;
}

static error_t serve_parse(int key, char *arg, struct argp_state *state)
{
	struct serve_args *a = state->input;
	unsigned long v;

	switch (key) {
	case OPT_LISTEN:
		a->listen = arg;
		if (!strcmp(arg, "none"))
			return 0;
		if (parse_listen(a, arg)) {
			snprintf(a->why, sizeof(a->why), "--listen '%s': give ADDR:PORT"
				 " with a numeric address, e.g. 127.0.0.1:9474 or"
				 " [::1]:9474", arg);
			return EINVAL;
		}
		return 0;
	case 'p':
		if (trace_args_add_pids(&a->targets, arg)) {
			snprintf(a->why, sizeof(a->why), "%s", a->targets.why);
			return EINVAL;
		}
		return 0;
	case OPT_COMM:
		if (!*arg || strlen(arg) >= IPCT_COMM_LEN) {
			snprintf(a->why, sizeof(a->why), "--comm '%s': a process name is 1"
				 " to 15 characters (the kernel keeps no more)", arg);
			return EINVAL;
		}
		a->targets.comm = arg;
		return 0;
	case OPT_CGROUP:
		a->targets.cgroup = arg;
		return 0;
	case 'i':
		if (parse_seconds(arg, &a->interval) || a->interval < 0.05 ||
		    a->interval > 3600) {
			snprintf(a->why, sizeof(a->why), "--interval '%s': give seconds,"
				 " from 0.05 to 3600", arg);
			return EINVAL;
		}
		return 0;
	case OPT_MAX_SERIES:
		if (parse_count(arg, 1, 1000000, &v)) {
			snprintf(a->why, sizeof(a->why), "--max-series '%s': give 1 to"
				 " 1000000", arg);
			return EINVAL;
		}
		a->max_series = v;
		return 0;
	case OPT_MAX_THREADS:
		if (parse_count(arg, 64, 1 << 22, &v)) {
			snprintf(a->why, sizeof(a->why), "--max-threads '%s': give 64 to"
				 " 4194304", arg);
			return EINVAL;
		}
		a->max_threads = (unsigned int)v;
		return 0;
	case OPT_TEXTFILE:
		a->textfile = arg;
		return 0;
	case OPT_PID_LABEL:
		a->pid_label = true;
		return 0;
	case OPT_SYSCALLS:
		a->syscall_counts = true;
		return 0;
	case ARGP_KEY_ARG:
		snprintf(a->why, sizeof(a->why), "unexpected argument '%s': serve"
			 " runs until stopped and takes no duration", arg);
		return EINVAL;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

int serve_args_parse(int argc, char **argv, struct serve_args *a)
{
	struct argp argp = { serve_options, serve_parse, "", serve_doc, NULL,
			     NULL, NULL };
	int kinds;

	a->interval = 5;
	a->max_series = 1000;
	a->max_threads = 8192;
	if (parse_subcommand_args(&argp, argc, argv, a, a->why))
		return EXIT_USAGE;
	if (!a->listen) {
		a->listen = SERVE_DEFAULT_LISTEN;
		parse_listen(a, a->listen);
	}
	kinds = (a->targets.npids > 0) + !!a->targets.comm + !!a->targets.cgroup;
	if (kinds > 1) {
		pr_err("one kind of target at a time: give -p PIDS, --comm NAME or"
		       " --cgroup DIR (or none: every process)\n");
		return EXIT_USAGE;
	}
	if (!serve_args_http(a) && !a->textfile) {
		pr_err("--listen none leaves nothing to export to: add --textfile DIR\n");
		return EXIT_USAGE;
	}
	return 0;
}

bool serve_args_has_target(const struct serve_args *a)
{
	return a->targets.npids || a->targets.comm || a->targets.cgroup;
}

bool serve_args_http(const struct serve_args *a)
{
	return strcmp(a->listen, "none") != 0;
}
