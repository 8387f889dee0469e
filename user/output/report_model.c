// SPDX-License-Identifier: GPL-2.0
/* report_model.c - a finished (or interrupted) run, as the reports see it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_model.h"
#include "time_split.h"
#include "sizes.h"

void cell_buffer_name(const struct cell *cl, char *buf, size_t len)
{
	if (cl->buffer)
		format_size(cl->buffer, buf, len);
	else
		snprintf(buf, len, "default");
}

const char *placement_short_name(enum placement p)
{
	return p == PL_UNPINNED ? "unpinned" : p == PL_SAME_CPU ? "same" : "cross";
}

bool cell_equal(const struct cell *x, const struct cell *y)
{
	return x->transport == y->transport && x->msg_size == y->msg_size &&
	       x->buffer == y->buffer && x->placement == y->placement &&
	       x->pattern == y->pattern;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int cell_cmp(const struct cell *x, const struct cell *y)
{
	int c;

	if ((c = cmp_u64(x->pattern, y->pattern)) || (c = cmp_u64(x->placement, y->placement)) ||
	    (c = cmp_u64(x->msg_size, y->msg_size)) || (c = cmp_u64(x->buffer, y->buffer)))
		return c;
	return cmp_u64(x->transport, y->transport);
}

static int by_cell(const void *a, const void *b, void *arg)
{
	const struct report_cell *cells = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = cell_cmp(&cells[i].cell, &cells[j].cell);

	return c ? c : cmp_u64(i, j);
}

size_t *report_model_sorted(const struct report_model *m)
{
	size_t *idx = malloc((m->ncells ? m->ncells : 1) * sizeof(*idx));

	if (!idx)
		return NULL;
	for (size_t i = 0; i < m->ncells; i++)
		idx[i] = i;
	qsort_r(idx, m->ncells, sizeof(*idx), by_cell, m->cells);
	return idx;
}

static int by_group(const void *a, const void *b, void *arg)
{
	const struct report_cell *cells = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = cmp_u64((uint64_t)(int64_t)cells[i].cell.group,
			(uint64_t)(int64_t)cells[j].cell.group);

	return c ? c : cmp_u64(i, j);
}

size_t *report_model_by_group(const struct report_model *m)
{
	size_t *idx = malloc((m->ncells ? m->ncells : 1) * sizeof(*idx));

	if (!idx)
		return NULL;
	for (size_t i = 0; i < m->ncells; i++)
		idx[i] = i;
	qsort_r(idx, m->ncells, sizeof(*idx), by_group, m->cells);
	return idx;
}

void cell_label(const struct cell *c, char *buf, size_t len)
{
	char msg[32], b[32];

	format_size(c->msg_size, msg, sizeof(msg));
	cell_buffer_name(c, b, sizeof(b));
	snprintf(buf, len, "%s %s %s %s %s", transport_name(c->transport), msg, b,
		 placement_name(c->placement), pattern_name(c->pattern));
}

const struct report_cell *report_model_find(const struct report_model *m,
					    const size_t *sorted,
					    const struct cell *c)
{
	size_t lo = 0, hi = m->ncells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cell_cmp(&m->cells[sorted[mid]].cell, c);

		if (r == 0)
			return &m->cells[sorted[mid]];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int report_model_from_run(const struct run_config *c,
			  const struct run_results *res,
			  const struct run_meta *m, struct report_model *out)
{
	struct mech_classifier *mc;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->meta = *m;
	out->set = (struct report_settings){
		.io = c->io, .pairs = c->pairs, .threads = c->threads,
		.repeat = c->repeat, .duration = c->duration, .bytes = c->bytes,
		.warmup = c->warmup,
	};
	out->interrupted = res->interrupted;
	out->elapsed_s = res->elapsed_s;
	snprintf(out->error, sizeof(out->error), "%s", res->error);
	out->cells = calloc(res->ncells ? res->ncells : 1, sizeof(*out->cells));
	mc = mech_classifier_new();
	if (!out->cells || !mc)
		goto fail;
	for (size_t i = 0; i < res->ncells; i++) {
		const struct cell_result *cr = &res->cells[i];
		struct report_cell *rc;

		if (!cr->nreps)
			continue;	/* never ran: nothing true to say */
		rc = &out->cells[n++];
		rc->cell = cr->cell;
		rc->grant = cr->grant;
		rc->nreps = cr->nreps;
		rc->finished = cr->finished;
		rc->bytes_per_rep = cr->bytes_per_rep;
		cell_summarize(cr, &rc->s);
		cell_cpu_summarize(cr, mc, &rc->s.cpu);
		rc->rep_mb_s = calloc(cr->nreps, sizeof(double));
		if (!rc->rep_mb_s)
			goto fail;
		for (unsigned int r = 0; r < cr->nreps; r++) {
			/* the throughput the summary's median is of */
			rc->rep_mb_s[r] = rc->s.untraced ? cr->reps[r].untraced_mb_s :
				cr->reps[r].mb_s;
			rc->checks += (unsigned long)cr->reps[r].nchecks;
		}
	}
	mech_classifier_free(mc);
	out->ncells = n;
	if (report_model_judge(out)) {
		report_model_free(out);
		return -1;
	}
	return 0;
fail:
	/* nothing half built stays behind: the callers only say so */
	mech_classifier_free(mc);
	out->ncells = n;
	report_model_free(out);
	return -1;
}

void report_model_free(struct report_model *m)
{
	for (size_t i = 0; m->cells && i < m->ncells; i++)
		free(m->cells[i].rep_mb_s);
	free(m->cells);
	free(m->verdicts);
	memset(m, 0, sizeof(*m));
}

struct cost_point report_cost_point(const struct report_cell *rc)
{
	return (struct cost_point){
		.s_per_mb = rc->s.mb_s_med > 0 ? 1.0 / rc->s.mb_s_med : NAN,
		.switches = rc->s.vol_switches + rc->s.invol_switches,
		.syscalls = rc->s.write_calls + rc->s.read_calls,
	};
}

/* the model fitted over the cells sharing a placement and a pattern */
static void fit_cost_model(const struct report_model *m, enum placement pl,
			   enum pattern pat, struct cost_model *out)
{
	struct cost_point *pts = calloc(m->ncells ? m->ncells : 1, sizeof(*pts));
	size_t n = 0;

	for (size_t i = 0; pts && i < m->ncells; i++)
		if (m->cells[i].cell.placement == pl && m->cells[i].cell.pattern == pat)
			pts[n++] = report_cost_point(&m->cells[i]);
	cost_fit(pts ? pts : (struct cost_point[1]){ { 0 } }, n, out);
	free(pts);
}

static void measured_split(const struct report_cell *slow,
			   const struct report_cell *fast,
			   struct report_verdict *rv);

static void judge(const struct report_model *m, size_t i, size_t j,
		  struct report_verdict *rv)
{
	const struct report_cell *a = &m->cells[i], *b = &m->cells[j];

	memset(rv, 0, sizeof(*rv));
	rv->a = i;
	rv->b = j;
	verdict_compare(transport_name(a->cell.transport), &a->s,
			transport_name(b->cell.transport), &b->s, &rv->v);
	if (rv->v.significant) {
		const struct cost_model *cm = &m->fits[a->cell.pattern][a->cell.placement];
		const struct report_cell *slow = rv->v.winner ? a : b;
		const struct report_cell *fast = rv->v.winner ? b : a;
		struct cost_point ps = report_cost_point(slow);
		struct cost_point pf = report_cost_point(fast);

		/* the per-call part first: the cost model points to it */
		cpu_gap_explain(transport_name(slow->cell.transport), &slow->s.cpu,
				transport_name(fast->cell.transport), &fast->s.cpu,
				&rv->cpu);
		rv->has_cost = cost_explain(cm, transport_name(slow->cell.transport),
					    &ps, &pf, rv->cpu.said && rv->cpu.significant &&
					    rv->cpu.gap_us > 0, rv->cost, sizeof(rv->cost));
		measured_split(slow, fast, rv);
	}
}

/* the verdict's measured lines: the gap term by term, and its top term */
static void measured_split(const struct report_cell *slow,
			   const struct report_cell *fast, struct report_verdict *rv)
{
	const char *sn = transport_name(slow->cell.transport);
	const char *unit = pattern_unit_name(slow->cell.pattern);
	struct terms ts, tf;

	enum role r = cell_busier_role(&slow->s);

	cell_time_terms(&slow->s, r, &ts);
	cell_time_terms(&fast->s, r, &tf);
	terms_gap_text(sn, role_name(r), &ts, &tf, unit, rv->time, sizeof(rv->time),
		       NULL);
	verdict_top_mechanism(sn, &slow->s, transport_name(fast->cell.transport),
			      &fast->s, unit, rv->top, sizeof(rv->top));
}

static int by_pair(const void *a, const void *b)
{
	const struct report_verdict *x = a, *y = b;

	return x->a != y->a ? cmp_u64(x->a, y->a) : cmp_u64(x->b, y->b);
}

int report_model_judge(struct report_model *m)
{
	size_t n = 0, *idx;

	for (int pat = 0; pat < PAT_COUNT; pat++)
		for (int pl = 0; pl < PL_COUNT; pl++)
			fit_cost_model(m, pl, pat, &m->fits[pat][pl]);
	free(m->verdicts);
	m->verdicts = NULL;
	m->nverdicts = 0;
	/*
	 * Every pair of cells of one group (a group holds one cell per
	 * transport), in the order of the cells: by group first, so that the
	 * work is n log n for a file of any size, never n squared.
	 */
	idx = report_model_by_group(m);
	if (!idx)
		return -1;
	for (size_t lo = 0, hi; lo < m->ncells; lo = hi) {
		for (hi = lo + 1; hi < m->ncells &&
		     m->cells[idx[hi]].cell.group == m->cells[idx[lo]].cell.group; hi++)
			;
		n += (hi - lo) * (hi - lo - 1) / 2;
	}
	m->verdicts = calloc(n + 1, sizeof(*m->verdicts));
	if (!m->verdicts) {
		free(idx);
		return -1;
	}
	n = 0;
	for (size_t lo = 0, hi; lo < m->ncells; lo = hi) {
		for (hi = lo + 1; hi < m->ncells &&
		     m->cells[idx[hi]].cell.group == m->cells[idx[lo]].cell.group; hi++)
			;
		for (size_t i = lo; i < hi; i++)
			for (size_t j = i + 1; j < hi; j++)
				judge(m, idx[i], idx[j], &m->verdicts[n++]);
	}
	free(idx);
	qsort(m->verdicts, n, sizeof(*m->verdicts), by_pair);
	m->nverdicts = n;
	for (size_t k = 0; k < n; k++)
		report_relate_loop(m, &m->verdicts[k]);
	report_headline(m, &m->headline);
	return 0;
}

const struct report_verdict *report_verdict_of(const struct report_model *m,
					       size_t i, size_t j)
{
	for (size_t k = 0; k < m->nverdicts; k++)
		if ((m->verdicts[k].a == i && m->verdicts[k].b == j) ||
		    (m->verdicts[k].a == j && m->verdicts[k].b == i))
			return &m->verdicts[k];
	return NULL;
}
