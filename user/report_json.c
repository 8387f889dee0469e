// SPDX-License-Identifier: GPL-2.0
/*
 * report_json.c - the versioned results document: `run --json` prints it,
 * results.json stores it, `report` and `compare` read it back
 * (results_load.c). Unmeasured numbers are null, never 0.
 */
#include <math.h>
#include "report.h"
#include "verdict.h"

static json_t *real(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *per_mb(const struct cell_summary *s)
{
	double wakeups = isnan(s->wake_w2r) ? NAN : s->wake_w2r + s->wake_r2w;

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"write_calls", real(s->write_calls),
		"read_calls", real(s->read_calls),
		"blocking_writes", real(s->blocking_writes),
		"writer_epoll_waits", real(s->writer_epoll_waits),
		"writer_waits", real(s->writer_waits),
		"reader_sleeps", real(s->reader_sleeps),
		"wakeups", real(wakeups),
		"wakeups_writer_to_reader", real(s->wake_w2r),
		"wakeups_reader_to_writer", real(s->wake_r2w),
		"voluntary_switches", real(s->vol_switches),
		"involuntary_switches", real(s->invol_switches),
		"cpu_ms", real(s->cpu_ms));
}

static json_t *pair_or_null(const char *k1, double v1, const char *k2, double v2)
{
	if (isnan(v1))
		return json_null();
	return json_pack("{s:o, s:o}", k1, real(v1), k2, real(v2));
}

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
	return json_pack("{s:f, s:I, s:f, s:f, s:I, s:I, s:o, s:o}",
		"mb_s", r->mb_s, "bytes", (json_int_t)r->bytes,
		"seconds", r->seconds, "cpu_s", r->cpu_s,
		"wakeups_writer_to_reader", (json_int_t)r->wake_w2r,
		"wakeups_reader_to_writer", (json_int_t)r->wake_r2w,
		"roles", roles, "checks", checks_json(r));
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
	const struct cell *cl = &rc->cell;
	const struct cell_summary *s = &rc->s;
	const struct cell_result *raw = raw_cell(res, cl);
	json_t *reps = json_array(), *o, *fill = json_null();

	for (unsigned int r = 0; r < rc->nreps; r++)
		json_array_append_new(reps, json_real(rc->rep_mb_s[r]));
	if (s->have_fill)
		fill = json_pack("{s:s, s:f, s:f, s:f}",
				 "unit", s->fill_in_slots ? "slots" : "bytes",
				 "used_mean", s->fill_used_mean,
				 "capacity_mean", s->fill_cap_mean,
				 "bytes_mean", s->fill_bytes_mean);
	o = json_pack("{s:s, s:I, s:o, s:I, s:I, s:s?, s:b, s:s, s:s, s:i,"
		      " s:i, s:b, s:I}",
		"transport", transport_name(cl->transport),
		"msg_size", (json_int_t)cl->msg_size,
		"buffer_requested", cl->buffer ? json_integer((json_int_t)cl->buffer) :
						 json_null(),
		"buffer_granted", (json_int_t)rc->grant.granted,
		"buffer_slots", (json_int_t)rc->grant.capacity_slots,
		"buffer_note", rc->grant.note[0] ? rc->grant.note : NULL,
		"buffer_clamped", rc->grant.clamped,
		"placement", placement_name(cl->placement),
		"pattern", pattern_name(cl->pattern),
		"group", cl->group,
		"repetitions", (int)rc->nreps,
		"finished", rc->finished,
		"bytes_per_rep", (json_int_t)rc->bytes_per_rep);
	json_object_set_new(o, "throughput_mb_s", json_pack("{s:o, s:o, s:o, s:o}",
		"median", real(s->mb_s_med), "min", real(s->mb_s_min),
		"max", real(s->mb_s_max), "reps", reps));
	json_object_set_new(o, "per_mb", per_mb(s));
	json_object_set_new(o, "fill_at_block", fill);
	json_object_set_new(o, "writer_wait_us_mean", real(s->wait_us_mean));
	json_object_set_new(o, "wakeup_latency_us",
			    pair_or_null("p50", s->wake_p50_us, "p99", s->wake_p99_us));
	json_object_set_new(o, "rtt_us",
			    pair_or_null("p50", s->rtt_p50_us, "p99", s->rtt_p99_us));
	json_object_set_new(o, "total_mb", json_real(s->total_mb));
	json_object_set_new(o, "seconds", json_real(s->seconds));
	json_object_set_new(o, "traced", json_boolean(s->traced));
	json_object_set_new(o, "ops_traced", json_boolean(s->ops_traced));
	json_object_set_new(o, "reconciliation", json_pack(
		"{s:o, s:I, s:I, s:s?, s:I}",
		"ok", s->traced ? json_boolean(s->recon_ok) : json_null(),
		"checks", (json_int_t)rc->checks,
		"failed", (json_int_t)rc->s.recon_failed,
		"first_failure", s->recon_ok ? NULL : s->recon_first,
		"lost_events", (json_int_t)s->lost_events));
	if (raw) {
		json_t *rr = json_array();

		for (unsigned int r = 0; r < raw->nreps; r++)
			json_array_append_new(rr, rep_json(&raw->reps[r]));
		json_object_set_new(o, "reps", rr);
	}
	return o;
}

static json_t *verdicts_json(const struct report_model *m)
{
	json_t *a = json_array();

	for (size_t i = 0; i < m->ncells; i++) {
		for (size_t j = i + 1; j < m->ncells; j++) {
			const struct report_cell *x = &m->cells[i], *y = &m->cells[j];
			struct verdict v;

			if (x->cell.group != y->cell.group)
				continue;
			verdict_compare(transport_name(x->cell.transport), &x->s,
					transport_name(y->cell.transport), &y->s, &v);
			json_array_append_new(a, json_pack(
				"{s:s, s:s, s:I, s:o, s:s, s:s, s:o, s:o, s:b, s:s, s:s}",
				"a", transport_name(x->cell.transport),
				"b", transport_name(y->cell.transport),
				"msg_size", (json_int_t)x->cell.msg_size,
				"buffer_requested", x->cell.buffer ?
					json_integer((json_int_t)x->cell.buffer) : json_null(),
				"placement", placement_name(x->cell.placement),
				"pattern", pattern_name(x->cell.pattern),
				"winner", v.winner < 0 ? json_null() :
					json_string(transport_name(v.winner ? y->cell.transport :
									      x->cell.transport)),
				"ratio", real(v.ratio),
				"significant", v.significant,
				"headline", v.headline, "mechanism", v.mechanism));
		}
	}
	return a;
}

json_t *report_json(const struct report_model *m, const struct run_results *res)
{
	const struct report_settings *st = &m->set;
	json_t *doc, *cells = json_array();

	for (size_t i = 0; i < m->ncells; i++)
		json_array_append_new(cells, cell_json(&m->cells[i], res));
	doc = json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:s}, s:s, s:s,"
			" s:{s:s, s:i, s:b, s:i, s:f, s:o, s:f},"
			" s:b, s:s?, s:f}",
		"format", "ipctrace-results",
		"format_version", RESULTS_FORMAT_VERSION,
		"ipctrace_version", IPCTRACE_VERSION,
		"kernel", m->meta.kernel,
		"attach", "mode", m->meta.attach, "detail", m->meta.attach_detail,
		"workers", m->meta.identity,
		"command", m->meta.cmdline,
		"settings", "io", io_mode_name(st->io), "pairs", (int)st->pairs,
		"threads", st->threads, "repeat", (int)st->repeat,
		"duration_s", st->duration,
		"bytes", st->bytes ? json_integer((json_int_t)st->bytes) : json_null(),
		"warmup_s", st->warmup,
		"interrupted", m->interrupted,
		"error", m->error[0] ? m->error : NULL,
		"elapsed_s", m->elapsed_s);
	json_object_set_new(doc, "cells", cells);
	json_object_set_new(doc, "verdicts", verdicts_json(m));
	return doc;
}
