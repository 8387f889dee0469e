// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "child.h"
#include "hist.h"
#include "log.h"
#include "procfs.h"
#include "rep.h"
#include "trace_snapshot.h"

static double tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* the leader exited already: reap it, say how */
static bool leader_gone(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid;
}

/*
 * Wait until *counter reaches target. Returns 0, or -1 when the leader
 * died, the run was stopped, or max_s passed (a hang, not a measurement).
 */
static int wait_count(int32_t *counter, int32_t target, pid_t leader,
		      bool *leader_reaped, double max_s,
		      volatile sig_atomic_t *stop)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	uint64_t deadline = now_ns() + (uint64_t)(max_s * 1e9);
	int status;

	for (;;) {
		int32_t cur = __atomic_load_n(counter, __ATOMIC_ACQUIRE);

		if (cur >= target)
			return 0;
		if ((stop && *stop) || now_ns() > deadline)
			return -1;
		if (leader_gone(leader, &status)) {
			*leader_reaped = true;
			return -1;
		}
		syscall(SYS_futex, counter, FUTEX_WAIT, cur, &tick, NULL, 0);
	}
}

/*
 * The leader leads its own process group: kill the group. ipctrace is a
 * child subreaper (cmd_run.c), so the orphaned workers become our children
 * and waiting on the group reaps every one: no process is left behind.
 */
static void kill_leader(pid_t pid, bool reaped)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	if (!reaped)
		waitpid(pid, NULL, 0);
	while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
		;
}

static int role_of(const struct rep_shared *s, __u32 tid)
{
	for (int i = 0; i < s->nworkers; i++)
		if ((__u32)s->w[i].tid == tid)
			return s->w[i].role;
	return -1;
}

static void collect_bpf(struct tracer *t, const struct rep_shared *s,
			struct rep_result *r)
{
	struct wake_edge *edges = NULL;
	struct sleep_entry *sl = NULL;
	size_t n;

	for (int i = 0; i < s->nworkers; i++) {
		const struct worker_report *w = &s->w[i];
		struct role_totals *rt = &r->bpf[w->role];
		struct ipct_thread th;
		struct ipct_hist h;

		if (tracer_read_thread(t, (__u32)w->tid, &th) == 0) {
			for (int op = 0; op < IPCT_OP_COUNT; op++)
				op_stats_add(&rt->op[op], &th.op[op]);
			rt->vol += th.vol_switches;
			rt->invol += th.invol_switches;
			rt->idle_sleeps += th.idle_sleeps;
			rt->idle_sleep_ns += th.idle_sleep_ns;
			rt->io_syscw += th.io_syscw;
			rt->io_syscr += th.io_syscr;
			rt->wakeup_lat_samples += th.wakeup_lat_samples;
			rt->untraced_switch_ins += th.untraced_switch_ins;
			rt->threads_seen++;
		}
		if (tracer_read_hist(t, (__u32)w->tid, IPCT_HIST_WAKEUP_LATENCY, &h) == 0)
			hist_merge(&r->wake_lat, &h);
	}
	if (tracer_read_wakes(t, &edges, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			int from = role_of(s, edges[i].key.waker_tid);
			int to = role_of(s, edges[i].key.wakee_tid);
			__u64 sum = 0;

			for (int v = 0; v <= IPCT_OP_COUNT; v++)
				sum += edges[i].val.via[v];
			if (from == ROLE_WRITER && to == ROLE_READER)
				r->wake_w2r += sum;
			else if (from == ROLE_READER && to == ROLE_WRITER)
				r->wake_r2w += sum;
		}
		free(edges);
	}
	if (tracer_read_sleeps(t, &sl, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			int role = role_of(s, sl[i].key.tid);
			long nr = sl[i].key.syscall_nr;

			if (role >= 0 && (nr == SYS_epoll_wait || nr == SYS_epoll_pwait
#ifdef SYS_epoll_pwait2
					  || nr == SYS_epoll_pwait2
#endif
					  ))
				r->bpf[role].epoll_sleeps += sl[i].val.count;
		}
		free(sl);
	}
	tracer_read_drops(t, r->drops);
}

static void check(struct rep_result *r, const char *what, const char *against,
		  long long bpf, long long other)
{
	struct recon_check *c;

	if (r->nchecks >= REP_MAX_CHECKS)
		return;
	c = &r->checks[r->nchecks++];
	snprintf(c->what, sizeof(c->what), "%s", what);
	snprintf(c->against, sizeof(c->against), "%s", against);
	c->bpf = bpf;
	c->other = other;
	c->ok = bpf == other;
	if (!c->ok)
		r->recon_ok = false;
}

/* c failed as exact but holds as a bound (the kernel skipped our runs) */
static void mark_bounded(struct rep_result *r, struct recon_check *c)
{
	c->ok = true;
	c->bounded = true;
	/* the others of this repetition may still have failed */
	r->recon_ok = true;
	for (int i = 0; i < r->nchecks; i++)
		r->recon_ok &= r->checks[i].ok;
}

/*
 * A count made by a call hook (fexit, kretprobe, sys_exit, the sock
 * tracepoints): exact, or, when the kernel skipped runs of our programs,
 * short by no more than that many calls (bytes: short, never over).
 */
static void check_hooked(struct rep_result *r, const char *what, long long bpf,
			 long long other, bool is_bytes)
{
	long long skipped = (long long)r->drops[IPCT_DROP_PROG_SKIPPED];
	struct recon_check *c;

	check(r, what, "workload", bpf, other);
	c = &r->checks[r->nchecks - 1];
	if (c->ok || !skipped || bpf > other || (!is_bytes && other - bpf > skipped))
		return;
	mark_bounded(r, c);
}

/* BPF against the workload, /proc and getrusage; exact where the kernel is */
static void reconcile(struct tracer *t, const struct rep_shared *s,
		      struct rep_result *r)
{
	const struct rep_plan *p = &s->plan;
	static const char *const role_names[2] = { "writer", "reader" };
	char what[72];
	long long ru_vol[2] = { 0, 0 };
	__u64 lost = 0;

	r->recon_ok = true;
	for (int i = 0; i < s->nworkers; i++)
		ru_vol[s->w[i].role] += s->w[i].ru_end.ru_nvcsw -
					s->w[i].ru_start.ru_nvcsw;
	for (int role = 0; role < 2; role++) {
		const struct role_totals *b = &r->bpf[role];
		const char *rn = role_names[role];

		/* the loop has no reader: nothing to check there */
		if (!r->threads[role])
			continue;
		snprintf(what, sizeof(what), "%s threads seen", rn);
		check(r, what, "workload", b->threads_seen, r->threads[role]);
		snprintf(what, sizeof(what), "%s voluntary switches", rn);
		check(r, what, "/proc status", (long long)b->vol, r->k_vol[role]);
		snprintf(what, sizeof(what), "%s involuntary switches", rn);
		check(r, what, "/proc status", (long long)b->invol, r->k_invol[role]);
		/* each worker parks after its getrusage: one more sleep */
		snprintf(what, sizeof(what), "%s voluntary switches", rn);
		check(r, what, "getrusage + park", (long long)b->vol,
		      ru_vol[role] + r->threads[role]);
		snprintf(what, sizeof(what), "%s write calls (task io)", rn);
		check(r, what, "workload", (long long)b->io_syscw,
		      (long long)r->wl_write_calls[role]);
		snprintf(what, sizeof(what), "%s read calls (task io)", rn);
		check(r, what, "workload", (long long)b->io_syscr,
		      (long long)r->wl_read_calls[role]);
		if (!transport_ops_traced(p->transport))
			continue;
		int wop = transport_op(p->transport, true);
		int rop = transport_op(p->transport, false);
		/* per op: unix calls may be counted where pipe calls are not */
		const char *wsrc = tracer_op_call_source_name(t, wop);
		const char *rsrc = tracer_op_call_source_name(t, rop);

		if (wsrc) {
			snprintf(what, sizeof(what), "%s write calls (%s)", rn, wsrc);
			check_hooked(r, what, (long long)b->op[wop].calls,
				     (long long)r->wl_write_calls[role], false);
			snprintf(what, sizeof(what), "%s bytes written (%s)", rn, wsrc);
			check_hooked(r, what, (long long)b->op[wop].bytes,
				     (long long)r->wl_bytes_written[role], true);
		}
		if (rsrc) {
			snprintf(what, sizeof(what), "%s read calls (%s)", rn, rsrc);
			check_hooked(r, what, (long long)b->op[rop].calls,
				     (long long)r->wl_read_calls[role], false);
			snprintf(what, sizeof(what), "%s bytes read (%s)", rn, rsrc);
			check_hooked(r, what, (long long)b->op[rop].bytes,
				     (long long)r->wl_bytes_read[role], true);
		}
	}
	/* skipped program runs bound the hooked counts above; anything else
	 * lost (a full map, a failed read) is a failed check */
	for (int d = 0; d < IPCT_DROP_COUNT; d++) {
		if (d == IPCT_DROP_PROG_SKIPPED || !r->drops[d])
			continue;
		/* one check per kind, so that a failure says which */
		lost += r->drops[d];
		snprintf(what, sizeof(what), "events lost: %s", drop_name(d));
		check(r, what, "none expected", (long long)r->drops[d], 0);
		/*
		 * A skipped run of an exit program leaves its call open, and the
		 * thread's next call finds it so: a missed exit that the skips
		 * account for is their consequence, not a loss of its own.
		 */
		if (!drop_is_loss(r->drops, d))
			mark_bounded(r, &r->checks[r->nchecks - 1]);
	}
	if (!lost)
		check(r, "events lost", "none expected", 0, 0);
}

/* the workload's account: bytes, time, CPU, calls, per role */
static void summarize(const struct rep_shared *s, uint64_t t_go,
		      struct rep_result *r)
{
	const struct rep_plan *p = &s->plan;
	uint64_t t_end = t_go;

	for (int i = 0; i < s->nworkers; i++) {
		const struct worker_report *w = &s->w[i];
		int role = w->role;

		r->wl_write_calls[role] += w->write_calls;
		r->wl_read_calls[role] += w->read_calls;
		r->wl_bytes_written[role] += w->bytes_written;
		r->wl_bytes_read[role] += w->bytes_read;
		r->wl_epoll_waits[role] += w->epoll_waits;
		r->wl_eagain[role] += w->eagain;
		r->uid[role] = w->uid;
		r->threads[role]++;
		r->cpu_user_s[role] += tv_s(&w->ru_end.ru_utime) -
				       tv_s(&w->ru_start.ru_utime);
		r->cpu_sys_s[role] += tv_s(&w->ru_end.ru_stime) -
				      tv_s(&w->ru_start.ru_stime);
		r->busy_s[role] += (double)(w->t_end_ns - w->t_start_ns) / 1e9;
		if (p->pattern == PAT_STREAM && role == ROLE_READER) {
			r->bytes += w->bytes_read;
			if (w->t_end_ns > t_end)
				t_end = w->t_end_ns;
		}
		/* the loop delivers what it reads back, as a stream's reader */
		if (p->pattern == PAT_LOOP) {
			r->bytes += w->bytes_read;
			r->rounds += w->rounds;
			if (w->t_end_ns > t_end)
				t_end = w->t_end_ns;
		}
		if (p->pattern == PAT_PINGPONG && role == ROLE_WRITER) {
			r->bytes += w->rounds * p->msg_size;
			r->rounds += w->rounds;
			hist_merge(&r->rtt, &w->rtt);
			if (w->t_end_ns > t_end)
				t_end = w->t_end_ns;
		}
		if (w->error && r->ok) {
			r->ok = false;
			snprintf(r->error, sizeof(r->error), "%s %d: %s",
				 role == ROLE_WRITER ? "writer" : "reader", w->pair,
				 w->error_what);
		}
	}
	r->cpu_s = r->cpu_user_s[0] + r->cpu_sys_s[0] + r->cpu_user_s[1] +
		   r->cpu_sys_s[1];
	r->seconds = (double)(t_end - t_go) / 1e9;
	r->mb_s = r->seconds > 0 ? (double)r->bytes / 1e6 / r->seconds : 0;
}

static double hang_guard_s(const struct rep_plan *p)
{
	/* generous: a wedged workload, not a slow one, should trip it */
	return p->bytes ? 900.0 : p->seconds * 20 + 60;
}

/* profiler_read's filter: a worker's role, or leave the thread out */
static int worker_role(__u32 tid, void *arg)
{
	int role = role_of(arg, tid);

	return role >= 0 ? role : -2;
}

/* the workers' samples of this repetition, by role (not by thread: each
 * repetition's workers are new processes) */
static void collect_profile(struct profiler *prof, const struct rep_shared *s,
			    struct rep_result *r)
{
	r->prof = calloc(1, sizeof(*r->prof));
	if (r->prof && profiler_read(prof, worker_role, (void *)s, false, r->prof)) {
		prof_samples_free(r->prof);
		free(r->prof);
		r->prof = NULL;
	}
}

void rep_run(struct tracer *t, const struct rep_plan *plan,
	     volatile sig_atomic_t *stop, struct rep_result *r)
{
	rep_run_profiled(t, NULL, plan, stop, r);
}

void rep_run_profiled(struct tracer *t, struct profiler *prof,
		      const struct rep_plan *plan, volatile sig_atomic_t *stop,
		      struct rep_result *r)
{
	struct rep_shared *s = rep_shared_create(plan);
	struct kcounters base[256], fin;
	pid_t self = getpid();
	struct observer_cost obs0 = { 0 }, obs1;
	bool reaped = false;
	uint64_t t_go;
	pid_t pid;
	int n;

	memset(r, 0, sizeof(*r));
	r->traced = t != NULL;
	r->calls = t ? tracer_call_source(t) : IPCT_CALLS_NONE;
	if (!s || s->nworkers > 256) {
		snprintf(r->error, sizeof(r->error), "cannot set up shared memory");
		rep_shared_destroy(s);
		return;
	}
	n = s->nworkers;
	pid = fork();
	if (pid < 0) {
		snprintf(r->error, sizeof(r->error), "fork: %s", strerror(errno));
		rep_shared_destroy(s);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		/* hold none of our BPF fds, and die with us (child.h) */
		child_close_ipctrace_fds();
		child_die_with(self);
		leader_main(s, self);
	}
	setpgid(pid, pid);	/* both sides: whoever runs first */
	if (t && tracer_watch(t, pid, true)) {
		snprintf(r->error, sizeof(r->error), "cannot watch the workload: %s",
			 strerror(errno));
		goto kill;
	}
	__atomic_store_n(&s->go_setup, 1, __ATOMIC_RELEASE);
	futex_wake_all(&s->go_setup);

	if (wait_count(&s->nready, n, pid, &reaped, 60, stop) ||
	    __atomic_load_n(&s->leader_failed, __ATOMIC_ACQUIRE)) {
		if (s->leader_failed)
			snprintf(r->error, sizeof(r->error), "%s", s->leader_error);
		else if (stop && *stop)
			r->interrupted = true;
		else
			snprintf(r->error, sizeof(r->error), "the workers did not start");
		goto kill;
	}
	/* every worker asleep at the barrier: take the kernel's baseline */
	for (int i = 0; i < n; i++) {
		if (proc_wait_blocked_in(s->w[i].pid, s->w[i].tid, SYS_futex, 60, stop) ||
		    proc_read_kcounters(s->w[i].pid, s->w[i].tid, &base[i])) {
			r->interrupted = stop && *stop;
			snprintf(r->error, sizeof(r->error), "worker %d never reached"
				 " the start barrier", s->w[i].tid);
			goto kill;
		}
	}
	if (t) {
		tracer_reset_counters(t);
		tracer_observer_cost(t, &obs0);
	}
	if (prof) {
		profiler_reset(prof);
		profiler_observer_cost(prof, &obs0);
	}

	t_go = now_ns();
	__atomic_store_n(&s->go, 1, __ATOMIC_RELEASE);
	futex_wake_all(&s->go);

	if (wait_count(&s->ndone, n, pid, &reaped, hang_guard_s(plan), stop)) {
		r->interrupted = stop && *stop;
		snprintf(r->error, sizeof(r->error), r->interrupted ? "interrupted" :
			 "the workload stopped making progress (hang guard)");
		goto kill;
	}
	/* every worker parked: the kernel's and BPF's counts are final */
	for (int i = 0; i < n; i++) {
		int role = s->w[i].role;

		if (proc_wait_blocked_in(s->w[i].pid, s->w[i].tid, SYS_futex, 60, stop) ||
		    proc_read_kcounters(s->w[i].pid, s->w[i].tid, &fin)) {
			r->interrupted = stop && *stop;
			snprintf(r->error, sizeof(r->error), "worker %d never parked",
				 s->w[i].tid);
			goto kill;
		}
		r->k_vol[role] += fin.vol - base[i].vol;
		r->k_invol[role] += fin.invol - base[i].invol;
	}
	r->grant = s->grant;
	r->ok = true;
	summarize(s, t_go, r);
	if (t) {
		tracer_observer_cost(t, &obs1);
		if (prof)
			profiler_observer_cost(prof, &obs1);
		observer_cost_delta(&obs1, &obs0, &r->observer);
		r->observer.workload_cpu_s = r->cpu_s;
		for (unsigned int i = 0; i < r->observer.nprogs; i++)
			pr_debug("observer: %s %.0f ns x %llu runs\n",
				 r->observer.prog[i].name,
				 prog_cost_ns_per_run(&r->observer.prog[i]),
				 (unsigned long long)r->observer.prog[i].run_cnt);
		collect_bpf(t, s, r);
		reconcile(t, s, r);
	}
	if (prof)
		collect_profile(prof, s, r);
	__atomic_store_n(&s->release, 1, __ATOMIC_RELEASE);
	futex_wake_all(&s->release);
	waitpid(pid, NULL, 0);
	reaped = true;
	goto done;
kill:
	kill_leader(pid, reaped);
done:
	if (t) {
		tracer_unwatch(t, pid);
		for (int i = 0; i < n; i++)
			if (s->w[i].pid > 0)
				tracer_unwatch(t, s->w[i].pid);
	}
	rep_shared_destroy(s);
}
