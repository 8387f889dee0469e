// SPDX-License-Identifier: GPL-2.0
/* report_model.c - a finished (or interrupted) run, as the reports see it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_model.h"
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

int report_model_from_run(const struct run_config *c,
			  const struct run_results *res,
			  const struct run_meta *m, struct report_model *out)
{
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
	if (!out->cells)
		return -1;
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
		rc->rep_mb_s = calloc(cr->nreps, sizeof(double));
		if (!rc->rep_mb_s)
			return -1;
		for (unsigned int r = 0; r < cr->nreps; r++) {
			/* the throughput the summary's median is of */
			rc->rep_mb_s[r] = rc->s.untraced ? cr->reps[r].untraced_mb_s :
				cr->reps[r].mb_s;
			rc->checks += (unsigned long)cr->reps[r].nchecks;
		}
	}
	out->ncells = n;
	return report_model_judge(out);
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

		rv->has_cost = cost_explain(cm, transport_name(slow->cell.transport),
					    &ps, &pf, rv->cost, sizeof(rv->cost));
	}
}

int report_model_judge(struct report_model *m)
{
	size_t n = 0;

	for (int pat = 0; pat < PAT_COUNT; pat++)
		for (int pl = 0; pl < PL_COUNT; pl++)
			fit_cost_model(m, pl, pat, &m->fits[pat][pl]);
	free(m->verdicts);
	m->nverdicts = 0;
	/* every pair of cells of one group (a group holds one cell per
	 * transport): count them, then judge each */
	for (size_t i = 0; i < m->ncells; i++)
		for (size_t j = i + 1; j < m->ncells; j++)
			n += m->cells[i].cell.group == m->cells[j].cell.group;
	m->verdicts = calloc(n + 1, sizeof(*m->verdicts));
	if (!m->verdicts)
		return -1;
	n = 0;
	for (size_t i = 0; i < m->ncells; i++)
		for (size_t j = i + 1; j < m->ncells; j++)
			if (m->cells[i].cell.group == m->cells[j].cell.group)
				judge(m, i, j, &m->verdicts[n++]);
	m->nverdicts = n;
	return 0;
}
