// SPDX-License-Identifier: GPL-2.0
/*
 * serve_families.c - names, help, units and labels of every metric
 * `ipctrace serve` exports, and which series each one shows. A series
 * shows an op (or a histogram) once it has counted anything there; since
 * counts only grow, a label set once shown stays.
 */
#include <stdlib.h>
#include <string.h>
#include "serve_families.h"

static const char *const op_labels[] = { "op", "kind", "comm", "cgroup", "pid" };
static const char *const kind_labels[] = { "kind", "comm", "cgroup", "pid" };
static const char *const task_labels[] = { "comm", "cgroup", "pid" };
static const char *const switch_labels[] = { "type", "comm", "cgroup", "pid" };
static const char *const prog_labels[] = { "program" };
static const char *const reason_labels[] = { "reason" };
static const char *const build_labels[] = { "version", "kernel", "attach" };

const char *serve_drop_label(enum ipct_drop d)
{
	static const char *const names[IPCT_DROP_COUNT] = {
		[IPCT_DROP_THREAD_MAP_FULL] = "thread_map_full",
		[IPCT_DROP_TASK_MAP_FULL] = "task_map_full",
		[IPCT_DROP_HIST_MAP_FULL] = "hist_map_full",
		[IPCT_DROP_WAKE_MAP_FULL] = "wake_map_full",
		[IPCT_DROP_SLEEP_MAP_FULL] = "sleep_map_full",
		[IPCT_DROP_WATCH_MAP_FULL] = "watch_map_full",
		[IPCT_DROP_READ_FAULT] = "read_fault",
		[IPCT_DROP_MISSED_EXIT] = "missed_exit",
		[IPCT_DROP_CHAN_MAP_FULL] = "chan_map_full",
		[IPCT_DROP_STACK] = "stack",
		[IPCT_DROP_STACK_TIME_MAP_FULL] = "stack_time_map_full",
	};
	return d < IPCT_DROP_COUNT && names[d] ? names[d] : "unknown";
}

static int by_labels(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	int c = strncmp(x->comm, y->comm, IPCT_COMM_LEN);

	if (c)
		return c;
	c = strcmp(x->cgroup, y->cgroup);
	if (c)
		return c;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static uint64_t sum_bins(const uint64_t *b, size_t n)
{
	uint64_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += b[i];
	return t;
}

/* the label names of a per-series family: pid only with pid labels */
#define FAMILY(m, name, help, unit, type, labels, pid)			\
	metrics_add_family(m, name, help, unit, type, labels,		\
			   (int)(sizeof(labels) / sizeof(labels[0])) - !(pid))

struct series_families {
	struct metric_family *calls, *blocked, *bytes, *wait, *fill, *wakeups,
			     *wake_lat, *switches;
};

static int add_op_points(struct series_families *f, const struct series *x,
			 bool calls_counted)
{
	int ret = 0;

	for (int op = 0; op < IPCT_OP_COUNT; op++) {
		uint64_t waits = sum_bins(x->wait[op], SERIES_TIME_BOUNDS + 1);
		const char *v[] = { series_op_label(op), series_kind_label(op),
				    x->comm, x->cgroup, x->pid_label };

		if (!x->calls[op] && !x->blocked_calls[op] && !x->bytes[op] && !waits)
			continue;
		if (calls_counted) {
			ret |= metric_add_point(f->calls, v, (double)x->calls[op], NULL);
			ret |= metric_add_point(f->bytes, v, (double)x->bytes[op], NULL);
		}
		ret |= metric_add_point(f->blocked, v, (double)x->blocked_calls[op], NULL);
		if (waits)
			ret |= metric_add_point(f->wait, v, (double)x->wait_ns[op] / 1e9,
						x->wait[op]);
	}
	return ret;
}

static int add_task_points(struct series_families *f, const struct series *x)
{
	const char *tv[] = { x->comm, x->cgroup, x->pid_label };
	int ret = 0;

	for (int k = 0; k < SERIES_FILL_COUNT; k++) {
		const char *v[] = { k == SERIES_FILL_PIPE ? "pipe" : "unix_stream",
				    x->comm, x->cgroup, x->pid_label };

		if (sum_bins(x->fill[k], SERIES_FILL_BOUNDS + 1))
			ret |= metric_add_point(f->fill, v, (double)x->fill_frac_sum[k] /
						IPCT_FILL_SUM_ONE, x->fill[k]);
	}
	if (x->wakeups)
		ret |= metric_add_point(f->wakeups, tv, (double)x->wakeups, NULL);
	if (sum_bins(x->wakeup_lat, SERIES_TIME_BOUNDS + 1))
		ret |= metric_add_point(f->wake_lat, tv, (double)x->wakeup_lat_ns / 1e9,
					x->wakeup_lat);
	if (x->vol_switches || x->invol_switches) {
		const char *vv[] = { "voluntary", x->comm, x->cgroup, x->pid_label };
		const char *iv[] = { "involuntary", x->comm, x->cgroup, x->pid_label };

		ret |= metric_add_point(f->switches, vv, (double)x->vol_switches, NULL);
		ret |= metric_add_point(f->switches, iv, (double)x->invol_switches, NULL);
	}
	return ret;
}

static int add_series(struct metrics *m, const struct series_store *s,
		      const struct serve_self *self)
{
	size_t n = series_count(s);
	const struct series **sorted = calloc(n ? n : 1, sizeof(*sorted));
	bool pid = false;
	struct series_families f;
	int ret = 0;

	if (!sorted)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sorted[i] = series_at(s, i);
		pid |= sorted[i]->pid != 0;
	}
	qsort(sorted, n, sizeof(*sorted), by_labels);
	f.calls = FAMILY(m, "ipctrace_calls", "Calls that returned: writes and reads"
			 " on pipes and unix stream sockets", NULL, METRIC_COUNTER,
			 op_labels, pid);
	f.blocked = FAMILY(m, "ipctrace_blocked_calls", "Calls that waited at least"
			   " once for their channel: a write for room, a read for data",
			   NULL, METRIC_COUNTER, op_labels, pid);
	f.bytes = FAMILY(m, "ipctrace_bytes", "Bytes moved by the calls", "bytes",
			 METRIC_COUNTER, op_labels, pid);
	f.wait = FAMILY(m, "ipctrace_wait_seconds", "How long each wait for a"
			" channel lasted", "seconds", METRIC_HISTOGRAM, op_labels, pid);
	f.fill = FAMILY(m, "ipctrace_fill_at_block_ratio", "How full the channel"
			" was, as a fraction of its capacity, when a writer waited"
			" (pipe slots; unix: send buffer bytes)", "ratio",
			METRIC_HISTOGRAM, kind_labels, pid);
	f.wakeups = FAMILY(m, "ipctrace_wakeups", "Times a thread was woken",
			   NULL, METRIC_COUNTER, task_labels, pid);
	f.wake_lat = FAMILY(m, "ipctrace_wakeup_latency_seconds", "From a thread's"
			    " wakeup to it running", "seconds", METRIC_HISTOGRAM,
			    task_labels, pid);
	f.switches = FAMILY(m, "ipctrace_context_switches", "Context switches, as"
			    " the kernel counts nvcsw and nivcsw", NULL,
			    METRIC_COUNTER, switch_labels, pid);
	if (!f.calls || !f.blocked || !f.bytes || !f.wait || !f.fill || !f.wakeups ||
	    !f.wake_lat || !f.switches) {
		free(sorted);
		return -1;
	}
	f.wait->bounds = f.wake_lat->bounds = series_time_bounds_s;
	f.wait->nbounds = f.wake_lat->nbounds = SERIES_TIME_BOUNDS;
	f.fill->bounds = series_fill_bounds;
	f.fill->nbounds = SERIES_FILL_BOUNDS;
	for (size_t i = 0; i < n; i++) {
		ret |= add_op_points(&f, sorted[i], self->calls_counted);
		ret |= add_task_points(&f, sorted[i]);
	}
	free(sorted);
	return ret ? -1 : 0;
}

static int add_self(struct metrics *m, const struct series_store *s,
		    const struct serve_self *self)
{
	struct metric_family *run, *runs, *lost, *dropped, *threads, *reclaimed,
			     *snap, *build;
	const char *bv[] = { self->version, self->kernel, self->attach };
	int ret = 0;

	run = metrics_add_family(m, "ipctrace_bpf_run_seconds", "Time the kernel"
				 " measured inside each of ipctrace's BPF programs"
				 " (while BPF stats are enabled)", "seconds",
				 METRIC_COUNTER, prog_labels, 1);
	runs = metrics_add_family(m, "ipctrace_bpf_runs", "Runs of each of"
				  " ipctrace's BPF programs (while BPF stats are"
				  " enabled)", NULL, METRIC_COUNTER, prog_labels, 1);
	lost = metrics_add_family(m, "ipctrace_lost_events", "Events the BPF side"
				  " could not record, by reason", NULL,
				  METRIC_COUNTER, reason_labels, 1);
	dropped = metrics_add_family(m, "ipctrace_series_dropped", "Label sets"
				     " over --max-series, counted into the"
				     " _overflow series", NULL, METRIC_COUNTER, NULL, 0);
	threads = metrics_add_family(m, "ipctrace_threads_tracked", "Threads with"
				     " a record in the BPF maps", NULL,
				     METRIC_GAUGE, NULL, 0);
	reclaimed = metrics_add_family(m, "ipctrace_threads_reclaimed", "Exited"
				       " threads folded into their series and"
				       " deleted from the BPF maps", NULL,
				       METRIC_COUNTER, NULL, 0);
	snap = metrics_add_family(m, "ipctrace_snapshot_seconds", "What the previous"
				  " snapshot took: reading the maps, folding,"
				  " rendering", "seconds", METRIC_GAUGE, NULL, 0);
	build = metrics_add_family(m, "ipctrace_build", "The ipctrace version, the"
				   " kernel release and the attach mode", NULL,
				   METRIC_INFO, build_labels, 3);
	if (!run || !runs || !lost || !dropped || !threads || !reclaimed || !snap ||
	    !build)
		return -1;
	for (size_t i = 0; self->stats_enabled && i < self->nprogs; i++) {
		const char *v[] = { self->progs[i].name };

		ret |= metric_add_point(run, v, (double)self->progs[i].run_ns / 1e9, NULL);
		ret |= metric_add_point(runs, v, (double)self->progs[i].run_cnt, NULL);
	}
	for (int d = 0; d < IPCT_DROP_COUNT; d++) {
		const char *v[] = { serve_drop_label(d) };

		ret |= metric_add_point(lost, v, (double)self->drops[d], NULL);
	}
	ret |= metric_add_point(dropped, NULL, (double)series_dropped(s), NULL);
	ret |= metric_add_point(threads, NULL, (double)series_threads(s), NULL);
	ret |= metric_add_point(reclaimed, NULL, (double)self->threads_reclaimed, NULL);
	ret |= metric_add_point(snap, NULL, self->snapshot_seconds, NULL);
	ret |= metric_add_point(build, bv, 1, NULL);
	return ret ? -1 : 0;
}

int serve_families_build(struct metrics *m, const struct series_store *s,
			 const struct serve_self *self)
{
	if (add_series(m, s, self) || add_self(m, s, self))
		return -1;
	return 0;
}
