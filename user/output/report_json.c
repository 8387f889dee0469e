// SPDX-License-Identifier: GPL-2.0
/*
 * report_json.c - the versioned results document: `run --json` prints it,
 * results.json stores it, `report` and `compare` read it back
 * (results_load.c). results_schema.c lays out every key a reader needs;
 * this adds what is written for people and scripts only: every
 * repetition's raw counts and checks, and the verdicts. Unmeasured
 * numbers are null, never 0.
 */
#include <math.h>
#include "observer_report.h"
#include "report_model.h"
#include "results_schema.h"

static json_t *checks_json(const struct rep_result *r)
{
	json_t *a = json_array();

	for (int k = 0; k < r->nchecks; k++) {
		const struct recon_check *c = &r->checks[k];

		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:b}",
			"what", c->what, "against", c->against,
			"bpf", (json_int_t)c->bpf, "other", (json_int_t)c->other,
			"ok", c->ok));
	}
	return a;
}

static json_t *rep_json(const struct rep_result *r)
{
	json_t *roles = json_array();

	for (int role = 0; role < 2; role++) {
		const struct role_totals *b = &r->bpf[role];

		json_array_append_new(roles, json_pack(
			"{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			"role", role == ROLE_WRITER ? "writer" : "reader",
			"uid", (json_int_t)r->uid[role],
			"write_calls", (json_int_t)r->wl_write_calls[role],
			"read_calls", (json_int_t)r->wl_read_calls[role],
			"bytes_written", (json_int_t)r->wl_bytes_written[role],
			"bytes_read", (json_int_t)r->wl_bytes_read[role],
			"epoll_waits", (json_int_t)r->wl_epoll_waits[role],
			"kernel_voluntary_switches", (json_int_t)r->k_vol[role],
			"kernel_involuntary_switches", (json_int_t)r->k_invol[role],
			"bpf_voluntary_switches", (json_int_t)b->vol,
			"bpf_involuntary_switches", (json_int_t)b->invol,
			"bpf_epoll_sleeps", (json_int_t)b->epoll_sleeps));
	}
	return json_pack("{s:f, s:I, s:f, s:f, s:o, s:o, s:I, s:I, s:o, s:o, s:o}",
		"mb_s", r->mb_s, "bytes", (json_int_t)r->bytes,
		"seconds", r->seconds, "cpu_s", r->cpu_s,
		/* the same repetition with ipctrace detached, run next to it */
		"untraced_mb_s", r->untraced_ok ? json_real(r->untraced_mb_s) : json_null(),
		"untraced_cpu_s", r->untraced_ok ? json_real(r->untraced_cpu_s) : json_null(),
		"wakeups_writer_to_reader", (json_int_t)r->wake_w2r,
		"wakeups_reader_to_writer", (json_int_t)r->wake_r2w,
		"roles", roles, "checks", checks_json(r),
		"observer", observer_json(&r->observer));
}

/* the raw run behind a model cell, when we have it */
static const struct cell_result *raw_cell(const struct run_results *res,
					  const struct cell *cl)
{
	for (size_t i = 0; res && i < res->ncells; i++)
		if (cell_equal(&res->cells[i].cell, cl))
			return &res->cells[i];
	return NULL;
}

static json_t *cell_json(const struct report_cell *rc, const struct run_results *res)
{
	const struct cell_result *raw = raw_cell(res, &rc->cell);
	json_t *o = results_schema_write_cell(rc);

	if (raw) {
		json_t *rr = json_array();

		for (unsigned int r = 0; r < raw->nreps; r++)
			json_array_append_new(rr, rep_json(&raw->reps[r]));
		json_object_set_new(o, "reps", rr);
	}
	return o;
}

/* the verdicts as judged once (report_model_judge); not read back */
static json_t *verdicts_json(const struct report_model *m)
{
	json_t *a = json_array();

	for (size_t i = 0; i < m->nverdicts; i++) {
		const struct report_verdict *rv = &m->verdicts[i];
		const struct report_cell *x = &m->cells[rv->a], *y = &m->cells[rv->b];
		const struct verdict *v = &rv->v;

		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:I, s:o, s:s, s:s, s:o, s:o, s:b, s:s, s:s, s:s?}",
			"a", transport_name(x->cell.transport),
			"b", transport_name(y->cell.transport),
			"msg_size", (json_int_t)x->cell.msg_size,
			"buffer_requested", x->cell.buffer ?
				json_integer((json_int_t)x->cell.buffer) : json_null(),
			"placement", placement_name(x->cell.placement),
			"pattern", pattern_name(x->cell.pattern),
			"winner", v->winner < 0 ? json_null() :
				json_string(transport_name(v->winner ? y->cell.transport :
								      x->cell.transport)),
			"ratio", isfinite(v->ratio) ? json_real(v->ratio) : json_null(),
			"significant", v->significant,
			"headline", v->headline, "mechanism", v->mechanism,
			"cost", rv->has_cost ? rv->cost : NULL));
	}
	return a;
}

json_t *report_json(const struct report_model *m, const struct run_results *res)
{
	json_t *doc = results_schema_write(m), *cells = json_array();

	/* the cells again, each with its raw repetitions when we have them */
	for (size_t i = 0; i < m->ncells; i++)
		json_array_append_new(cells, cell_json(&m->cells[i], res));
	json_object_set_new(doc, "cells", cells);
	json_object_set_new(doc, "verdicts", verdicts_json(m));
	return doc;
}
