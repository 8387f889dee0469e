/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profiler.h - the CPU profile's life (bpf/profile.bpf.c): open -> share
 * the tracer's watched array -> load -> one cpu-clock perf event per
 * online CPU, the program attached to each -> reset / read -> stop.
 *
 * A kernel that cannot give it (no perf events, perf_event programs
 * refused) is not an error of the run or the trace: profiler_start says
 * why in one line, which the caller prints after "profile unavailable: "
 * and keeps as the profile's unavailable reason, and goes on.
 */
#ifndef IPCTRACE_PROFILER_H
#define IPCTRACE_PROFILER_H

#include <stddef.h>
#include <sys/types.h>
#include "cpu_profile.h"
#include "tracer.h"

struct profiler_opts {
	unsigned int hz;	/* 0: IPCT_PROF_HZ */
	__u32 filter_tid;	/* as tracer_opts: only this thread */
	__u64 filter_cgroup;	/* as tracer_opts: this cgroup v2 subtree */
};

struct profiler;

/*
 * Sample what t watches. 0, or a negative errno with why: the reason
 * and what to do ("perf_event_open of ... failed: ... (needs ...)").
 */
int profiler_start(struct profiler **out, struct tracer *t,
		   const struct profiler_opts *o, char *why, size_t len);
void profiler_stop(struct profiler *p);
/* stop sampling for good, so that what is read next is final and exact */
void profiler_pause(struct profiler *p);

/* forget the samples so far (between repetitions); the tick and
 * sample totals of profiler_info keep counting */
void profiler_reset(struct profiler *p);

/*
 * The samples so far, stacks symbolized (kernel frames with
 * /proc/kallsyms, user frames as module+offset from /proc/PID/maps while
 * the process lives). keep(tid, arg) chooses threads and gives each its
 * role (< -1: leave it out; NULL keeps all, role -1). by_thread as in
 * prof_samples_add. 0, or -1 with errno.
 */
int profiler_read(struct profiler *p, int (*keep)(__u32 tid, void *arg),
		  void *arg, bool by_thread, struct prof_samples *out);

/* ticks, samples, losses, the program's own cost so far */
void profiler_info(struct profiler *p, struct profile_info *out);
/*
 * The profile's program is an observer too: its kernel-measured run time
 * and count so far, appended to out as one more program (after
 * tracer_observer_cost, so that a delta of two covers both objects).
 */
void profiler_observer_cost(struct profiler *p, struct observer_cost *out);

#endif
