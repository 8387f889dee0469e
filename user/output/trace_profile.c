// SPDX-License-Identifier: GPL-2.0
/*
 * trace_profile.c - the CPU profile in `ipctrace trace`'s report: per
 * thread, the CPU it used, per IPC call, and where (by mechanism); the
 * on-CPU stacks in folded format; the roots of every folded stack.
 *
 * A traced program has no getrusage of ours, so a thread's CPU is
 * estimated from its samples: each stands for 1 / (the rate the event
 * really fired at, ticks per second and CPU), within the Poisson error
 * sqrt(samples) of the count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mechanisms.h"
#include "trace_report.h"

int folded_key_parse(const char *s)
{
	static const char *const names[] = { "comm", "process", "thread" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* a frame name may hold neither ';' nor ' ' */
static void safe_name(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = in[i] == ';' || in[i] == ' ' ? '_' : in[i];
	out[i] = '\0';
}

void folded_root(const struct trace_snapshot *s, __u32 tgid, __u32 tid,
		 enum folded_key key, char *buf, size_t len)
{
	const struct ipct_thread *th = trace_snapshot_thread(s, tid),
				  *leader = trace_snapshot_thread(s, tgid);
	char comm[IPCT_COMM_LEN * 2], pcomm[IPCT_COMM_LEN * 2];

	safe_name(th ? th->comm : "?", comm, sizeof(comm));
	safe_name(leader ? leader->comm : th ? th->comm : "?", pcomm, sizeof(pcomm));
	if (key == FOLDED_BY_PROCESS)
		snprintf(buf, len, "%s-%u", pcomm, tgid);
	else if (key == FOLDED_BY_THREAD)
		snprintf(buf, len, "%s-%u;%s-%u", pcomm, tgid, comm, tid);
	else
		snprintf(buf, len, "%s", comm);
}

int trace_write_cpu_folded(FILE *out, const struct trace_snapshot *s,
			   enum folded_key key)
{
	for (size_t i = 0; i < s->prof.n; i++) {
		const struct prof_stack *st = &s->prof.v[i];
		char root[96];

		folded_root(s, st->tgid, st->tid, key, root, sizeof(root));
		fprintf(out, "%s", root);
		if (st->uframes[0])
			fprintf(out, ";%s", st->uframes);
		if (st->kframes[0])
			fprintf(out, ";%s", st->kframes);
		fprintf(out, " %llu\n", (unsigned long long)st->samples);
	}
	return ferror(out) ? -1 : 0;
}

uint64_t *trace_profile_counts(const struct trace_snapshot *s)
{
	struct mech_classifier *mc;
	uint64_t *counts;

	if (!s->prof_info.available || !s->nthreads)
		return NULL;
	counts = calloc(s->nthreads * MECH_COUNT, sizeof(*counts));
	mc = mech_classifier_new();
	if (!counts || !mc) {
		free(counts);
		mech_classifier_free(mc);
		return NULL;
	}
	for (size_t i = 0; i < s->prof.n; i++) {
		const struct prof_stack *st = &s->prof.v[i];
		const struct ipct_thread *th = trace_snapshot_thread(s, st->tid);
		size_t k;

		if (!th)
			continue;	/* a thread the tracer has no record of */
		k = (size_t)(th - s->threads);
		counts[k * MECH_COUNT + mech_classify(mc, st->kframes, st->user_mode,
						      NULL)] += st->samples;
	}
	mech_classifier_free(mc);
	return counts;
}

static uint64_t total_of(const uint64_t *counts)
{
	uint64_t n = 0;

	for (int m = 0; m < MECH_COUNT; m++)
		n += counts[m];
	return n;
}

/* mechanisms by samples, largest first */
static void order(const uint64_t counts[MECH_COUNT], int idx[MECH_COUNT])
{
	for (int m = 0; m < MECH_COUNT; m++)
		idx[m] = m;
	for (int i = 1; i < MECH_COUNT; i++)
		for (int j = i; j > 0 && counts[idx[j]] > counts[idx[j - 1]]; j--) {
			int t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

void trace_profile_text(FILE *out, const struct trace_snapshot *s,
			const struct trace_info *info)
{
	const struct profile_info *p = &s->prof_info;
	double rate = profile_tick_rate(p);
	uint64_t *all;

	if (!p->requested)
		return;
	if (!p->available) {
		fprintf(out, "\ncpu: profile unavailable: %s\n", p->reason);
		return;
	}
	fprintf(out, "\ncpu: where threads ran (cpu-clock at %u Hz on %u CPUs, %llu"
		" samples%s);\n  a sample stands for %.2f ms of CPU; us/call is CPU per"
		" write or read\n", p->hz, p->ncpus, (unsigned long long)s->prof.total,
		p->lost ? ", some stacks lost" : "", isfinite(rate) ? 1e3 / rate : NAN);
	if (p->frames_unnamed)
		fprintf(out, "  kernel frames unnamed (/proc/kallsyms shows no"
			" addresses): mechanisms unknown\n");
	all = trace_profile_counts(s);
	fprintf(out, "  %7s %-15s %8s %8s %8s  %s\n", "tid", "comm", "cpu ms",
		"calls", "us/call", "by mechanism (share of its samples)");
	for (size_t i = 0; all && i < s->nthreads; i++) {
		const struct ipct_thread *th = &s->threads[i];
		const uint64_t *counts = all + i * MECH_COUNT;
		uint64_t n = total_of(counts);
		unsigned long long calls = trace_thread_calls(th, info);
		double ms = (double)n / rate * 1e3;
		char percall[24] = "-", split[160] = "";
		int idx[MECH_COUNT];
		size_t len = 0;

		if (!n)
			continue;
		if (calls)
			snprintf(percall, sizeof(percall), "%.2f", ms * 1e3 / (double)calls);
		order(counts, idx);
		for (int k = 0; k < MECH_COUNT && counts[idx[k]]; k++) {
			if (len > 40 && k + 1 < MECH_COUNT && counts[idx[k + 1]]) {
				snprintf(split + len, sizeof(split) - len, ", ...");
				break;
			}
			len += (size_t)snprintf(split + len, sizeof(split) - len, "%s%s %.0f%%",
						k ? ", " : "", mech_label(idx[k]),
						100.0 * (double)counts[idx[k]] / (double)n);
		}
		fprintf(out, "  %7u %-15.15s %8.1f %8llu %8s  %s\n", th->tid, th->comm,
			ms, calls, percall, split);
	}
	free(all);
}

json_t *trace_thread_cpu_json(const struct trace_snapshot *s, size_t i,
			      const uint64_t *all, const struct trace_info *info)
{
	double rate = profile_tick_rate(&s->prof_info);
	const uint64_t *counts = all ? all + i * MECH_COUNT : NULL;
	uint64_t n = counts ? total_of(counts) : 0;
	unsigned long long calls = trace_thread_calls(&s->threads[i], info);
	json_t *by, *o;
	int idx[MECH_COUNT];
	double ms;

	if (!n || !isfinite(rate))
		return json_null();
	ms = (double)n / rate * 1e3;
	by = json_array();
	order(counts, idx);
	for (int k = 0; k < MECH_COUNT && counts[idx[k]]; k++) {
		double share = (double)counts[idx[k]] / (double)n;

		json_array_append_new(by, json_pack("{s:s, s:I, s:f, s:o}",
			"name", mech_name(idx[k]), "samples", (json_int_t)counts[idx[k]],
			"share", share, "us_per_call", calls ?
			json_real(share * ms * 1e3 / (double)calls) : json_null()));
	}
	o = json_pack("{s:I, s:f, s:f, s:o, s:o}", "samples", (json_int_t)n,
		      "ms", ms, "ms_se", sqrt((double)n) / rate * 1e3,
		      "us_per_call", calls ? json_real(ms * 1e3 / (double)calls) :
		      json_null(), "by_mechanism", by);
	return o;
}

json_t *trace_profile_json(const struct trace_snapshot *s)
{
	const struct profile_info *p = &s->prof_info;
	double rate = profile_tick_rate(p);

	/* samples: read back with their stacks; samples_counted: counted by
	 * the program as they fired (equal unless some were lost) */
	return json_pack("{s:b, s:b, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:o, s:I,"
		" s:I, s:I}", "requested", p->requested, "available", p->available,
		"unavailable_reason", p->reason[0] ? json_string(p->reason) : json_null(),
		"hz", (json_int_t)p->hz, "cpus", (json_int_t)p->ncpus,
		"ticks", (json_int_t)p->ticks, "samples", (json_int_t)s->prof.total,
		"samples_counted", (json_int_t)p->samples,
		"lost", (json_int_t)p->lost, "seconds", p->seconds,
		"ticks_per_s_per_cpu", isfinite(rate) ? json_real(rate) : json_null(),
		"sample_ns", (json_int_t)p->sample_ns,
		"program_run_ns", (json_int_t)p->run_ns,
		"program_runs", (json_int_t)p->run_cnt);
}
