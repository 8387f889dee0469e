// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gate.h"
#include "procfs.h"
#include "rep.h"
#include "runner.h"
#include "sizes.h"

/* one block of the matrix: a pattern over its own sizes and buffers */
struct plan_block {
	enum pattern pattern;
	const uint64_t *msgs, *bufs;
	size_t nmsg, nbuf;
};

/*
 * The patterns asked for, each over every size and buffer; without
 * --pattern also a small loop block: the smallest message size, the first
 * buffer (the default matrix: 1000 B, the kernel's buffer). Returns how
 * many blocks, at most PAT_COUNT + 1.
 */
static size_t plan_blocks(const struct run_config *c, uint64_t *smallest,
			  struct plan_block *b)
{
	size_t n = 0;
	bool has_loop = false;

	for (size_t pa = 0; pa < c->npatterns; pa++) {
		b[n++] = (struct plan_block){ c->patterns[pa], c->msg_sizes,
					      c->buffers, c->nmsg, c->nbuffers };
		has_loop |= c->patterns[pa] == PAT_LOOP;
	}
	if (c->loop_small && !has_loop && c->nmsg && c->nbuffers) {
		*smallest = c->msg_sizes[0];
		for (size_t m = 1; m < c->nmsg; m++)
			if (c->msg_sizes[m] < *smallest)
				*smallest = c->msg_sizes[m];
		b[n++] = (struct plan_block){ PAT_LOOP, smallest, c->buffers, 1, 1 };
	}
	return n;
}

int runner_plan(const struct run_config *c, struct run_results *out)
{
	struct plan_block blocks[PAT_COUNT + 1];
	uint64_t smallest = 0;
	size_t nb = plan_blocks(c, &smallest, blocks), n = 0, k = 0;
	int group = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nb; i++)
		n += blocks[i].nmsg * blocks[i].nbuf * c->nplacements * c->ntransports;
	out->cells = calloc(n ? n : 1, sizeof(*out->cells));
	if (!out->cells)
		return -1;
	for (size_t i = 0; i < nb; i++) {
		const struct plan_block *bl = &blocks[i];

		for (size_t pl = 0; pl < c->nplacements; pl++)
		for (size_t m = 0; m < bl->nmsg; m++)
		for (size_t b = 0; b < bl->nbuf; b++, group++)
		for (size_t t = 0; t < c->ntransports; t++) {
			struct cell_result *cr = &out->cells[k++];

			cr->cell = (struct cell){
				.transport = c->transports[t], .msg_size = bl->msgs[m],
				.buffer = bl->bufs[b], .placement = c->placements[pl],
				.pattern = bl->pattern, .group = group,
			};
			cr->reps = calloc(c->repeat, sizeof(*cr->reps));
			if (!cr->reps) {
				out->ncells = k;	/* runner_free frees these */
				return -1;
			}
		}
	}
	out->ncells = n;
	out->ngroups = (size_t)group;
	return 0;
}

/* a repetition's profile, moved into its cell's (or dropped: NULL cell) */
static void take_profile(struct rep_result *r, struct cell_result *cr)
{
	if (!r->prof)
		return;
	if (cr && prof_samples_merge(&cr->prof, r->prof, false) == 0)
		cr->profiled = true;
	prof_samples_free(r->prof);
	free(r->prof);
	r->prof = NULL;
}

void runner_free(struct run_results *res)
{
	for (size_t i = 0; i < res->ncells; i++) {
		free(res->cells[i].reps);
		prof_samples_free(&res->cells[i].prof);
	}
	free(res->cells);
	memset(res, 0, sizeof(*res));
}

struct progress {
	bool tty;
	unsigned long done, total;
	uint64_t t0;
};

static void progress_show(struct progress *pg, const struct cell *cl,
			  const char *what)
{
	char msg[32], buf[32], eta[32] = "--:--";
	double elapsed;

	if (!pg->tty)
		return;
	elapsed = (double)(now_ns() - pg->t0) / 1e9;
	if (pg->done) {
		double left = elapsed / (double)pg->done * (double)(pg->total - pg->done);

		snprintf(eta, sizeof(eta), "%d:%02d", (int)left / 60, (int)left % 60);
	}
	format_size(cl->msg_size, msg, sizeof(msg));
	if (cl->buffer)
		format_size(cl->buffer, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "default");
	fprintf(stderr, "\r\033[K[%3lu/%lu] %s %s %s %s %s %s  ETA %s",
		pg->done + 1, pg->total, pattern_name(cl->pattern),
		placement_name(cl->placement), msg, buf,
		transport_name(cl->transport), what, eta);
	fflush(stderr);
}

static void plan_for(const struct run_config *c, const struct worker_identity *id,
		     const struct cell *cl, const int *cpus, int ncpus,
		     uint64_t bytes, double seconds, struct rep_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->transport = cl->transport;
	p->pattern = cl->pattern;
	p->io = c->io;
	p->placement = cl->placement;
	p->msg_size = cl->msg_size;
	p->buffer = cl->buffer;
	p->pairs = c->pairs;
	p->threads = c->threads;
	p->bytes = bytes;
	p->seconds = seconds;
	p->cpu_a = ncpus > 0 ? cpus[0] : 0;
	p->cpu_b = ncpus > 1 ? cpus[1] : p->cpu_a;
	p->id = *id;
}

/* bytes per pair so that the slowest transport takes about `duration` */
static uint64_t calibrated_bytes(double slowest_mb_s, double duration,
				 uint64_t msg)
{
	double want = slowest_mb_s * 1e6 * duration;
	uint64_t msgs = (uint64_t)(want / (double)msg);

	return (msgs ? msgs : 1) * msg;
}

static bool failed(struct run_results *res, const struct rep_result *r,
		   const struct cell *cl, volatile sig_atomic_t *stop)
{
	if (r->ok)
		return false;
	if (r->interrupted || (stop && *stop)) {
		res->interrupted = true;
		return true;
	}
	snprintf(res->error, sizeof(res->error), "%s, %llu-byte messages: %s",
		 transport_name(cl->transport), (unsigned long long)cl->msg_size,
		 r->error);
	return true;
}

/* what an untraced repetition moved and used */
struct twin {
	bool ok;
	double mb_s, seconds, cpu_s;
	long long switches;
};

/*
 * The repetition again with ipctrace detached (tracer_pause): the
 * throughput a verdict compares carries none of the observer's cost.
 * scratch holds the run. -1: stopped (Ctrl-C, or the programs would not
 * attach again).
 */
static int untraced_twin(struct tracer *t, const struct rep_plan *p,
			 volatile sig_atomic_t *stop, struct rep_result *scratch,
			 struct twin *out)
{
	char err[400];

	tracer_pause(t);
	rep_run(NULL, p, stop, scratch);
	if (tracer_resume(t, err, sizeof(err))) {
		fprintf(stderr, "ipctrace: %s\n", err);
		return -1;
	}
	*out = (struct twin){ .ok = scratch->ok, .mb_s = scratch->mb_s,
			      .seconds = scratch->seconds, .cpu_s = scratch->cpu_s,
			      .switches = rep_switches(scratch) };
	return !scratch->ok && (scratch->interrupted || (stop && *stop)) ? -1 : 0;
}

void runner_run(const struct run_config *c, const struct worker_identity *id,
		struct tracer *t, struct profiler *prof, volatile sig_atomic_t *stop,
		struct run_results *res,
		void (*after_group)(void *arg), void *arg)
{
	int cpus[2];
	int ncpus = proc_allowed_cpus(cpus, 2);
	size_t per_group = c->ntransports;
	struct progress pg = { .tty = isatty(2), .t0 = now_ns() };
	struct rep_result *warm = calloc(1, sizeof(*warm));
	/* untraced twins: only with a tracer, and not with --no-untraced */
	bool twins = t && !c->no_untraced;

	if (!warm) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return;
	}
	pg.total = res->ngroups * per_group * (1 + c->repeat * (twins ? 2 : 1));
	for (size_t g = 0; g < res->ngroups; g++) {
		struct cell_result *grp = &res->cells[g * per_group];
		double slowest = 0;
		uint64_t bytes;

		/*
		 * Per transport: a discarded warm-up, then (unless --bytes fixes
		 * the amount) a time-bound calibration run. A cold first run is
		 * slow, so warm-up and calibration are separate.
		 */
		for (size_t i = 0; i < per_group; i++) {
			struct rep_plan p;
			double cal = c->duration / 2 < 0.2 ? c->duration / 2 : 0.2;

			progress_show(&pg, &grp[i].cell, "warmup");
			if (c->warmup > 0) {
				plan_for(c, id, &grp[i].cell, cpus, ncpus, 0, c->warmup, &p);
				/* discarded: no profile to read and symbolize */
				rep_run(t, &p, stop, warm);
				if (failed(res, warm, &grp[i].cell, stop))
					goto out;
			}
			if (!c->bytes) {
				plan_for(c, id, &grp[i].cell, cpus, ncpus, 0, cal, &p);
				rep_run(t, &p, stop, warm);
				if (failed(res, warm, &grp[i].cell, stop))
					goto out;
				if (slowest == 0 || warm->mb_s < slowest)
					slowest = warm->mb_s;
			}
			pg.done++;
		}
		bytes = c->bytes ? (c->bytes + grp[0].cell.msg_size - 1) /
				   grp[0].cell.msg_size * grp[0].cell.msg_size :
			calibrated_bytes(slowest, c->duration, grp[0].cell.msg_size);
		/*
		 * Repetitions, side by side; the order rotates each round. With
		 * a tracer (and without --no-untraced), each round also runs
		 * every cell once untraced, all traced ones first in even rounds
		 * and last in odd ones.
		 */
		for (unsigned int r = 0; r < c->repeat; r++) {
			struct twin tw[TR_COUNT] = { 0 };

			for (int phase = 0; phase < (twins ? 2 : 1); phase++) {
				bool traced = !twins || (phase == 0) == (r % 2 == 0);

				for (size_t k = 0; k < per_group && k < TR_COUNT; k++) {
					size_t at = (k + r) % per_group;
					struct cell_result *cr = &grp[at];
					struct rep_plan p;
					char what[40];

					snprintf(what, sizeof(what), "rep %u/%u%s", r + 1, c->repeat,
						 traced ? "" : " untraced");
					progress_show(&pg, &cr->cell, what);
					plan_for(c, id, &cr->cell, cpus, ncpus, bytes, 0, &p);
					if (!traced) {
						if (untraced_twin(t, &p, stop, warm, &tw[at]))
							goto stopped;
						pg.done++;
						continue;
					}
					rep_run_profiled(t, prof, &p, stop, &cr->reps[r]);
					/* only a completed repetition's samples count */
					take_profile(&cr->reps[r], cr->reps[r].ok ? cr : NULL);
					if (failed(res, &cr->reps[r], &cr->cell, stop))
						goto out;
					cr->bytes_per_rep = bytes;
					cr->grant = cr->reps[r].grant;
					cr->nreps = r + 1;
					cr->finished = cr->nreps == c->repeat;
					pg.done++;
				}
			}
			for (size_t k = 0; twins && k < per_group && k < TR_COUNT; k++) {
				struct rep_result *rr = &grp[k].reps[r];

				rr->untraced_ok = tw[k].ok;
				rr->untraced_mb_s = tw[k].mb_s;
				rr->untraced_seconds = tw[k].seconds;
				rr->untraced_cpu_s = tw[k].cpu_s;
				rr->untraced_switches = tw[k].switches;
			}
		}
		res->elapsed_s = (double)(now_ns() - pg.t0) / 1e9;
		if (after_group)
			after_group(arg);
	}
	goto out;
stopped:
	res->interrupted = true;
out:
	if (pg.tty)
		fprintf(stderr, "\r\033[K");
	res->elapsed_s = (double)(now_ns() - pg.t0) / 1e9;
	free(warm);
}
