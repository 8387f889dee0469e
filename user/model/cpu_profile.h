/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpu_profile.h - the on-CPU samples of watched threads as plain data:
 * kernel/profile.c reads them (stacks symbolized), workload/ gathers a
 * cell's, analysis/ splits them by mechanism, output/ writes them as
 * folded stacks. The glossary of sample, tick and mechanism is in
 * bpf/profile.h.
 */
#ifndef IPCTRACE_CPU_PROFILE_H
#define IPCTRACE_CPU_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* one distinct on-CPU stack and the samples that landed on it */
struct prof_stack {
	uint32_t tgid, tid;	/* 0 in a cell's samples, merged over reps */
	int32_t role;		/* run: the worker's enum role; -1 in trace */
	bool user_mode;		/* the sample interrupted user space */
	uint64_t samples;
	char *kframes;		/* kernel frames, root first, ';'-joined; "" none */
	char *uframes;		/* user frames, root first ("libc.so.6+0x1234") */
};

/* a set of distinct stacks; equal stacks are merged as they are added */
struct prof_samples {
	struct prof_stack *v;
	size_t n, cap;
	uint64_t total;		/* samples: the sum over v */
	size_t *index;		/* open addressing into v (private) */
	size_t nindex;
};

/*
 * Add samples of one stack (strings copied). by_thread keeps threads
 * apart (trace); otherwise stacks merge by role and frames (a cell, whose
 * workers are new processes every repetition). 0, or -1 out of memory.
 */
int prof_samples_add(struct prof_samples *s, const struct prof_stack *st,
		     bool by_thread);
int prof_samples_merge(struct prof_samples *dst, const struct prof_samples *src,
		       bool by_thread);
void prof_samples_free(struct prof_samples *s);

/* how the profile of a run or a trace went, for every report */
struct profile_info {
	bool requested;		/* false: --no-profile */
	bool available;		/* the program attached on every CPU */
	char reason[280];	/* why not, when requested but unavailable */
	unsigned int hz;	/* asked of cpu-clock */
	unsigned int ncpus;	/* events opened */
	uint64_t ticks;		/* firings, any task */
	uint64_t samples;	/* firings on watched threads */
	uint64_t lost;		/* samples whose stack or count was lost */
	double seconds;		/* attached */
	uint64_t sample_ns;	/* the program's time taking the samples
				 * (stacks, maps), measured by itself */
	bool frames_unnamed;	/* /proc/kallsyms hid the kernel's addresses:
				 * frames are hex, mechanisms unknown */
	/* the program's own cost, kernel-measured (BPF_ENABLE_STATS): 0
	 * runs when stats were off */
	uint64_t run_ns, run_cnt;
};

/* ticks per second and CPU: the rate the event really fired at */
double profile_tick_rate(const struct profile_info *p);

#endif
