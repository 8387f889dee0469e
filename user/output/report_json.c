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
#include "mechanisms.h"
#include "observer_report.h"
#include "report_model.h"
#include "results_schema.h"

static json_t *checks_json(const struct rep_result *r)
{
	json_t *a = json_array();

	for (int k = 0; k < r->nchecks; k++) {
		const struct recon_check *c = &r->checks[k];

		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:b, s:b}",
			"what", c->what, "against", c->against,
			"bpf", (json_int_t)c->bpf, "other", (json_int_t)c->other,
			"ok", c->ok, "bounded_by_skipped_runs", c->bounded));
	}
	return a;
}

static json_t *rep_json(const struct rep_result *r)
{
	json_t *roles = json_array();

	for (int role = 0; role < 2; role++) {
		const struct role_totals *b = &r->bpf[role];
		__u64 bw = 0, lw = 0, sw = 0;
		json_t *o;

		for (int op = 0; op < IPCT_OP_COUNT; op++) {
			bw += b->op[op].waits;
			lw += b->op[op].other_sleeps;
			sw += b->op[op].rtlock_waits;
		}
		o = json_pack(
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
			"bpf_epoll_sleeps", (json_int_t)b->epoll_sleeps);
		/* waits by cause and where the role's time went (format 3) */
		json_object_set_new(o, "threads", json_integer(r->threads[role]));
		json_object_set_new(o, "bpf_buffer_waits", json_integer((json_int_t)bw));
		json_object_set_new(o, "bpf_lock_fault_waits", json_integer((json_int_t)lw));
		json_object_set_new(o, "bpf_spinlock_waits", json_integer((json_int_t)sw));
		json_object_set_new(o, "cpu_user_s", json_real(r->cpu_user_s[role]));
		json_object_set_new(o, "cpu_system_s", json_real(r->cpu_sys_s[role]));
		json_object_set_new(o, "busy_s", json_real(r->busy_s[role]));
		json_object_set_new(o, "bpf_untraced_switch_ins",
				    json_integer((json_int_t)b->untraced_switch_ins));
		json_array_append_new(roles, o);
	}
	return json_pack("{s:f, s:I, s:f, s:f, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o}",
		"mb_s", r->mb_s, "bytes", (json_int_t)r->bytes,
		"seconds", r->seconds, "cpu_s", r->cpu_s,
		/* the same repetition with ipctrace detached, run next to it */
		"untraced_mb_s", r->untraced_ok ? json_real(r->untraced_mb_s) : json_null(),
		"untraced_cpu_s", r->untraced_ok ? json_real(r->untraced_cpu_s) : json_null(),
		"untraced_switches", r->untraced_ok ? json_integer(r->untraced_switches) :
						      json_null(),
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

/* a verdict's per-call part: the text, the gap and every term */
static json_t *cpu_gap_json(const struct cpu_gap *g)
{
	json_t *terms;

	if (!g->said)
		return json_null();
	terms = json_array();
	for (unsigned int i = 0; i < g->nterms; i++)
		json_array_append_new(terms, json_pack("{s:s, s:f, s:f, s:b}",
			"name", mech_name(g->terms[i].mech), "us_per_write",
			g->terms[i].d_us, "se_us", g->terms[i].se_us,
			"claimed", g->terms[i].claimed));
	return json_pack("{s:s, s:b, s:f, s:f, s:f, s:f, s:o}", "text", g->text,
			 "significant", g->significant, "gap_us_per_write", g->gap_us,
			 "claimed_us", g->claimed_us, "within_error_us", g->uncertain_us,
			 "unnamed_us", g->other_us, "terms", terms);
}

/* the verdicts as judged once (report_model_judge); not read back */
static json_t *verdicts_json(const struct report_model *m)
{
	json_t *a = json_array();

	for (size_t i = 0; i < m->nverdicts; i++) {
		const struct report_verdict *rv = &m->verdicts[i];
		const struct report_cell *x = &m->cells[rv->a], *y = &m->cells[rv->b];
		const struct verdict *v = &rv->v;

		json_t *o = json_pack(
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
			"cost", rv->has_cost ? rv->cost : NULL);

		/* the measured split of the gap, its top term, the loop's relation */
		json_object_set_new(o, "time", rv->time[0] ? json_string(rv->time) :
				    json_null());
		json_object_set_new(o, "top_mechanism", rv->top[0] ?
				    json_string(rv->top) : json_null());
		json_object_set_new(o, "relation", rv->relation[0] ?
				    json_string(rv->relation) : json_null());
		json_object_set_new(o, "cpu", cpu_gap_json(&rv->cpu));
		json_array_append_new(a, o);
	}
	return a;
}

/* the headline as printed, one string a line */
static json_t *headline_json(const struct report_model *m)
{
	json_t *a = json_array();

	for (int i = 0; i < m->headline.n; i++)
		json_array_append_new(a, json_string(m->headline.line[i]));
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
	json_object_set_new(doc, "headline", headline_json(m));
	return doc;
}
