// SPDX-License-Identifier: GPL-2.0
/*
 * results_schema.c - the tables that lay out results.json, and the one
 * writer and one reader that walk them (see results_schema.h).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results_schema.h"

/* ---- the field kinds a table can hold ---- */

enum field_kind {
	FK_REAL,	/* double; NAN is written as null */
	FK_REAL_REQ,	/* double that is always a number */
	FK_U64,		/* uint64_t, a whole number */
	FK_U64_0NULL,	/* uint64_t; 0 is written as null ("default") */
	FK_UINT,	/* unsigned int */
	FK_INT,		/* int */
	FK_BOOL,
	FK_FLAG_NAMED,	/* bool written as names[1] (true) or names[0] */
	FK_STR,		/* char[size] */
	FK_STR_NULL,	/* char[size]; "" is written as null */
	FK_ENUM,	/* an enum written by name */
	FK_OBJ,		/* a nested object laid out by sub */
	FK_OBJ_IF,	/* the same, or null when the bool at `cond` is false */
	FK_OBJ_IF_NUM,	/* the same, or null when its first (real) field is NAN */
	FK_REALS,	/* double *, as many as the unsigned int at `cond` */
	FK_LIST,	/* structs of `size` bytes laid out by sub, from off; as
			 * many as the unsigned int at `cond`, at most max */
	FK_DERIVED,	/* written by derive() from the model, never read */
};

struct field {
	const char *key;
	enum field_kind kind;
	size_t off;			/* into the struct the table describes */
	size_t size;			/* FK_STR*: the buffer's size */
	const struct field *sub;	/* FK_OBJ*: its table */
	const char *(*name_of)(int);	/* FK_ENUM */
	int names;			/* FK_ENUM: how many values */
	const char *const *flag_names;	/* FK_FLAG_NAMED: { false, true } */
	size_t cond;			/* FK_OBJ_IF: bool; FK_REALS: count */
	double min, max;		/* numbers a reader accepts (both 0: any) */
	const char *v1_key;		/* what format 1 called it; "" absent */
	bool optional;			/* added within format 2: a file written
					 * before has none, which reads as
					 * unmeasured */
	json_t *(*derive)(const void *base);	/* FK_DERIVED */
};

#define END { .key = NULL }
#define AT(type, member) offsetof(type, member)
#define STR(type, member) .off = AT(type, member), .size = sizeof(((type *)0)->member)

/* ---- the tables ---- */

static const char *tname(int i) { return transport_name((enum transport)i); }
static const char *plname(int i) { return placement_name((enum placement)i); }
static const char *paname(int i) { return pattern_name((enum pattern)i); }
static const char *ioname(int i) { return io_mode_name((enum io_mode)i); }
static const char *const fill_units[] = { "bytes", "slots" };

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *all_wakeups(const void *base)
{
	const struct report_cell *rc = base;

	return real_or_null(rc->s.wake_w2r + rc->s.wake_r2w);
}

#define RC struct report_cell
static const struct field throughput_fields[] = {
	{ .key = "median", .kind = FK_REAL, .off = AT(RC, s.mb_s_med) },
	{ .key = "min", .kind = FK_REAL, .off = AT(RC, s.mb_s_min) },
	{ .key = "max", .kind = FK_REAL, .off = AT(RC, s.mb_s_max) },
	{ .key = "reps", .kind = FK_REALS, .off = AT(RC, rep_mb_s), .cond = AT(RC, nreps) },
	END,
};

/* per MB moved; the glossary in bpf/ipctrace.h says what each counts */
static const struct field per_mb_fields[] = {
	{ .key = "write_calls", .kind = FK_REAL, .off = AT(RC, s.write_calls) },
	{ .key = "read_calls", .kind = FK_REAL, .off = AT(RC, s.read_calls) },
	{ .key = "blocked_writes", .kind = FK_REAL, .off = AT(RC, s.blocked_writes),
	  .v1_key = "blocking_writes" },
	{ .key = "blocked_reads", .kind = FK_REAL, .off = AT(RC, s.blocked_reads), .v1_key = "" },
	{ .key = "writer_epoll_waits", .kind = FK_REAL, .off = AT(RC, s.writer_epoll_waits) },
	{ .key = "reader_epoll_waits", .kind = FK_REAL, .off = AT(RC, s.reader_epoll_waits), .v1_key = "" },
	{ .key = "writer_waits", .kind = FK_REAL, .off = AT(RC, s.writer_waits) },
	{ .key = "reader_waits", .kind = FK_REAL, .off = AT(RC, s.reader_waits), .v1_key = "reader_sleeps" },
	{ .key = "wakeups", .kind = FK_DERIVED, .derive = all_wakeups },
	{ .key = "wakeups_writer_to_reader", .kind = FK_REAL, .off = AT(RC, s.wake_w2r) },
	{ .key = "wakeups_reader_to_writer", .kind = FK_REAL, .off = AT(RC, s.wake_r2w) },
	{ .key = "voluntary_switches", .kind = FK_REAL, .off = AT(RC, s.vol_switches) },
	{ .key = "involuntary_switches", .kind = FK_REAL, .off = AT(RC, s.invol_switches) },
	{ .key = "cpu_ms", .kind = FK_REAL, .off = AT(RC, s.cpu_ms) },
	END,
};

static const struct field fill_fields[] = {
	{ .key = "unit", .kind = FK_FLAG_NAMED, .off = AT(RC, s.fill_in_slots), .flag_names = fill_units },
	{ .key = "used_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_used_mean) },
	{ .key = "capacity_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_cap_mean) },
	{ .key = "bytes_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_bytes_mean) },
	END,
};

static const struct field wake_fields[] = {
	{ .key = "p50", .kind = FK_REAL_REQ, .off = AT(RC, s.wake_p50_us) },
	{ .key = "p99", .kind = FK_REAL_REQ, .off = AT(RC, s.wake_p99_us) },
	END,
};

static const struct field rtt_fields[] = {
	{ .key = "p50", .kind = FK_REAL_REQ, .off = AT(RC, s.rtt_p50_us) },
	{ .key = "p99", .kind = FK_REAL_REQ, .off = AT(RC, s.rtt_p99_us) },
	END,
};

static json_t *recon_ok(const void *base)
{
	const struct report_cell *rc = base;

	return rc->s.traced ? json_boolean(rc->s.recon_ok) : json_null();
}

static const struct field recon_fields[] = {
	/* ok: null for an untraced cell; read back below (read_cell_extra) */
	{ .key = "ok", .kind = FK_DERIVED, .derive = recon_ok },
	{ .key = "checks", .kind = FK_U64, .off = AT(RC, checks) },
	{ .key = "failed", .kind = FK_UINT, .off = AT(RC, s.recon_failed) },
	{ .key = "first_failure", .kind = FK_STR_NULL, STR(RC, s.recon_first) },
	{ .key = "lost_events", .kind = FK_U64, .off = AT(RC, s.lost_events) },
	END,
};

/* what watching cost: our programs against the workers' CPU */
static json_t *prog_ns_per_run(const void *base)
{
	return real_or_null(prog_cost_ns_per_run(base));
}

static const struct field prog_fields[] = {
	{ .key = "program", .kind = FK_STR, STR(struct prog_cost, name) },
	{ .key = "runs", .kind = FK_U64, .off = AT(struct prog_cost, run_cnt) },
	{ .key = "run_ns", .kind = FK_U64, .off = AT(struct prog_cost, run_ns) },
	{ .key = "ns_per_run", .kind = FK_DERIVED, .derive = prog_ns_per_run },
	END,
};

static json_t *observer_share(const void *base)
{
	const struct report_cell *rc = base;

	return real_or_null(observer_cost_pct(&rc->s.observer));
}

static const struct field observer_fields[] = {
	{ .key = "measured", .kind = FK_BOOL, .off = AT(RC, s.observer.measured) },
	{ .key = "workload_cpu_s", .kind = FK_REAL_REQ, .off = AT(RC, s.observer.workload_cpu_s),
	  .max = 1e9 },
	{ .key = "share_pct", .kind = FK_DERIVED, .derive = observer_share },
	{ .key = "programs", .kind = FK_LIST, .off = AT(RC, s.observer.prog),
	  .size = sizeof(struct prog_cost), .cond = AT(RC, s.observer.nprogs),
	  .max = OBS_MAX_PROGS, .sub = prog_fields },
	END,
};

static const struct field traced_throughput_fields[] = {
	{ .key = "median", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_med) },
	{ .key = "min", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_min) },
	{ .key = "max", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_max) },
	END,
};

static const struct field cell_fields[] = {
	{ .key = "transport", .kind = FK_ENUM, .off = AT(RC, cell.transport), .name_of = tname,
	  .names = TR_COUNT },
	{ .key = "msg_size", .kind = FK_U64, .off = AT(RC, cell.msg_size), .min = 1, .max = MAX_MSG_SIZE },
	{ .key = "buffer_requested", .kind = FK_U64_0NULL, .off = AT(RC, cell.buffer), .max = 1ULL << 40 },
	{ .key = "buffer_granted", .kind = FK_U64, .off = AT(RC, grant.granted), .max = 1ULL << 40 },
	{ .key = "buffer_slots", .kind = FK_U64, .off = AT(RC, grant.capacity_slots), .max = 1ULL << 28 },
	{ .key = "buffer_note", .kind = FK_STR_NULL, STR(RC, grant.note) },
	{ .key = "buffer_clamped", .kind = FK_BOOL, .off = AT(RC, grant.clamped) },
	{ .key = "placement", .kind = FK_ENUM, .off = AT(RC, cell.placement), .name_of = plname,
	  .names = PL_COUNT },
	{ .key = "pattern", .kind = FK_ENUM, .off = AT(RC, cell.pattern), .name_of = paname,
	  .names = PAT_COUNT },
	{ .key = "group", .kind = FK_INT, .off = AT(RC, cell.group), .max = 1e6 },
	{ .key = "repetitions", .kind = FK_UINT, .off = AT(RC, nreps), .max = 1000 },
	{ .key = "finished", .kind = FK_BOOL, .off = AT(RC, finished) },
	{ .key = "bytes_per_rep", .kind = FK_U64, .off = AT(RC, bytes_per_rep), .max = 1e18 },
	{ .key = "throughput_mb_s", .kind = FK_OBJ, .sub = throughput_fields },
	/* the throughput above is of untraced repetitions run next to the
	 * traced ones; this is what the traced ones moved (optional keys:
	 * results.json written before them has none) */
	{ .key = "throughput_untraced", .kind = FK_BOOL, .off = AT(RC, s.untraced), .optional = true },
	{ .key = "throughput_traced_mb_s", .kind = FK_OBJ_IF_NUM,
	  .sub = traced_throughput_fields, .optional = true },
	{ .key = "observer", .kind = FK_OBJ, .sub = observer_fields, .optional = true },
	{ .key = "per_mb", .kind = FK_OBJ, .sub = per_mb_fields },
	{ .key = "fill_at_block", .kind = FK_OBJ_IF, .sub = fill_fields, .cond = AT(RC, s.have_fill) },
	{ .key = "writer_wait_us_mean", .kind = FK_REAL, .off = AT(RC, s.wait_us_mean) },
	{ .key = "wakeup_latency_us", .kind = FK_OBJ_IF_NUM, .sub = wake_fields },
	{ .key = "rtt_us", .kind = FK_OBJ_IF_NUM, .sub = rtt_fields },
	{ .key = "total_mb", .kind = FK_REAL_REQ, .off = AT(RC, s.total_mb) },
	{ .key = "seconds", .kind = FK_REAL_REQ, .off = AT(RC, s.seconds) },
	{ .key = "traced", .kind = FK_BOOL, .off = AT(RC, s.traced) },
	{ .key = "ops_traced", .kind = FK_BOOL, .off = AT(RC, s.ops_traced) },
	{ .key = "reconciliation", .kind = FK_OBJ, .sub = recon_fields },
	END,
};
#undef RC

#define RM struct report_model
static const struct field settings_fields[] = {
	{ .key = "io", .kind = FK_ENUM, .off = AT(RM, set.io), .name_of = ioname, .names = 2 },
	{ .key = "pairs", .kind = FK_UINT, .off = AT(RM, set.pairs), .min = 1, .max = 4096 },
	{ .key = "threads", .kind = FK_BOOL, .off = AT(RM, set.threads) },
	{ .key = "repeat", .kind = FK_UINT, .off = AT(RM, set.repeat), .min = 1, .max = 1000 },
	{ .key = "duration_s", .kind = FK_REAL_REQ, .off = AT(RM, set.duration), .max = 1e6 },
	{ .key = "bytes", .kind = FK_U64_0NULL, .off = AT(RM, set.bytes), .max = 1e18 },
	{ .key = "warmup_s", .kind = FK_REAL_REQ, .off = AT(RM, set.warmup), .max = 1e6 },
	END,
};

/* the top level; format, attach, cells and verdicts are handled apart */
static const struct field doc_fields[] = {
	{ .key = "kernel", .kind = FK_STR, STR(RM, meta.kernel) },
	{ .key = "workers", .kind = FK_STR, STR(RM, meta.identity) },
	{ .key = "command", .kind = FK_STR, STR(RM, meta.cmdline) },
	{ .key = "settings", .kind = FK_OBJ, .sub = settings_fields },
	{ .key = "interrupted", .kind = FK_BOOL, .off = AT(RM, interrupted) },
	{ .key = "error", .kind = FK_STR_NULL, STR(RM, error) },
	{ .key = "elapsed_s", .kind = FK_REAL_REQ, .off = AT(RM, elapsed_s), .max = 1e9 },
	END,
};
#undef RM

/* ---- writing ---- */

#define FIELD(base, f, type) ((type *)((char *)(base) + (f)->off))
#define CFIELD(base, f, type) ((const type *)((const char *)(base) + (f)->off))

static json_t *write_fields(const struct field *fs, const void *base);

static json_t *write_field(const struct field *f, const void *base)
{
	switch (f->kind) {
	case FK_REAL:
	case FK_REAL_REQ:
		return real_or_null(*CFIELD(base, f, double));
	case FK_U64:
		return json_integer((json_int_t)*CFIELD(base, f, uint64_t));
	case FK_U64_0NULL: {
		uint64_t v = *CFIELD(base, f, uint64_t);

		return v ? json_integer((json_int_t)v) : json_null();
	}
	case FK_UINT:
		return json_integer(*CFIELD(base, f, unsigned int));
	case FK_INT:
		return json_integer(*CFIELD(base, f, int));
	case FK_BOOL:
		return json_boolean(*CFIELD(base, f, bool));
	case FK_FLAG_NAMED:
		return json_string(f->flag_names[*CFIELD(base, f, bool) ? 1 : 0]);
	case FK_STR:
		return json_string(CFIELD(base, f, char));
	case FK_STR_NULL: {
		const char *s = CFIELD(base, f, char);

		return s[0] ? json_string(s) : json_null();
	}
	case FK_ENUM:
		return json_string(f->name_of(*CFIELD(base, f, int)));
	case FK_OBJ:
		return write_fields(f->sub, base);
	case FK_OBJ_IF:
		return *(const bool *)((const char *)base + f->cond) ?
		       write_fields(f->sub, base) : json_null();
	case FK_OBJ_IF_NUM:
		return isnan(*CFIELD(base, &f->sub[0], double)) ? json_null() :
		       write_fields(f->sub, base);
	case FK_REALS: {
		const double *v = *CFIELD(base, f, double *);
		unsigned int n = *(const unsigned int *)((const char *)base + f->cond);
		json_t *a = json_array();

		for (unsigned int i = 0; v && i < n; i++)
			json_array_append_new(a, real_or_null(v[i]));
		return a;
	}
	case FK_LIST: {
		unsigned int n = *(const unsigned int *)((const char *)base + f->cond);
		json_t *a = json_array();

		for (unsigned int i = 0; i < n && i < f->max; i++)
			json_array_append_new(a, write_fields(f->sub, (const char *)base +
							      f->off + i * f->size));
		return a;
	}
	case FK_DERIVED:
		return f->derive(base);
	}
	return json_null();
}

static json_t *write_fields(const struct field *fs, const void *base)
{
	json_t *o = json_object();

	for (const struct field *f = fs; f->key; f++)
		json_object_set_new(o, f->key, write_field(f, base));
	return o;
}

json_t *attach_report_json(const struct attach_report *r)
{
	json_t *links = json_array(), *fns = json_object();
	char detail[400];

	for (int i = 0; i < r->nlinks; i++)
		json_array_append_new(links, json_pack("{s:s, s:s, s:s}",
			"program", r->links[i].program, "kind", r->links[i].kind,
			"target", r->links[i].target));
	for (int i = 0; i < r->nfunctions; i++)
		json_object_set_new(fns, r->functions[i].logical,
				    r->functions[i].resolved[0] ?
				    json_string(r->functions[i].resolved) : json_null());
	attach_report_describe(r, detail, sizeof(detail));
	return json_pack("{s:s, s:o, s:s, s:o, s:o}", "mode", r->mode,
			 "calls", r->calls[0] ? json_string(r->calls) : json_null(),
			 "detail", detail, "links", links, "functions", fns);
}

json_t *results_schema_write_cell(const struct report_cell *rc)
{
	return write_fields(cell_fields, rc);
}

json_t *results_schema_write(const struct report_model *m)
{
	json_t *doc = json_pack("{s:s, s:i, s:s}", "format", "ipctrace-results",
				"format_version", RESULTS_FORMAT_VERSION,
				"ipctrace_version", IPCTRACE_VERSION);
	json_t *rest = write_fields(doc_fields, m), *cells = json_array();
	json_t *att = attach_report_json(&m->meta.attach);

	/* the attach report keeps the detail the run printed */
	json_object_set_new(att, "detail", json_string(m->meta.attach_detail));
	json_object_set_new(doc, "kernel", json_incref(json_object_get(rest, "kernel")));
	json_object_set_new(doc, "attach", att);
	json_object_update(doc, rest);
	json_decref(rest);
	for (size_t i = 0; i < m->ncells; i++)
		json_array_append_new(cells, results_schema_write_cell(&m->cells[i]));
	json_object_set_new(doc, "cells", cells);
	return doc;
}

/* ---- reading ---- */

/* the first error while reading one document, with where it was */
struct reader {
	const char *file;
	char *why;
	size_t len;
	int version;
	bool failed;
};

static void fail(struct reader *r, const char *path, const char *key,
		 const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	snprintf(r->why, r->len, "%s: malformed: %s%s%s %s", r->file, path,
		 key ? "." : "", key ? key : "", what);
}

/* the key a field has in the document being read; NULL: not in it */
static const char *key_in(const struct reader *r, const struct field *f)
{
	if (r->version == 1 && f->v1_key)
		return f->v1_key[0] ? f->v1_key : NULL;
	return f->key;
}

/* a key the older format did not have: its numbers unmeasured */
static void absent(const struct field *f, void *base)
{
	if (f->kind == FK_REAL || f->kind == FK_REAL_REQ)
		*(double *)((char *)base + f->off) = NAN;
	if (f->kind == FK_OBJ || f->kind == FK_OBJ_IF_NUM)
		for (const struct field *s = f->sub; s->key; s++)
			absent(s, base);
}

static bool in_range(const struct field *f, double v)
{
	if (f->min == 0 && f->max == 0)
		return v >= 0 || f->kind == FK_REAL || f->kind == FK_REAL_REQ ||
		       f->kind == FK_INT;
	return v >= f->min && v <= f->max;
}

/* a whole number within the field's range (and what an integer holds) */
static bool whole(struct reader *r, json_t *v, const struct field *f,
		  const char *path, const char *key, double *out)
{
	json_int_t i;
	json_error_t e;
	char what[96];

	if (json_unpack_ex(v, &e, 0, "I", &i)) {
		fail(r, path, key, "is not a whole number");
		return false;
	}
	if (f->kind != FK_INT && i < 0) {
		fail(r, path, key, "is negative");
		return false;
	}
	if (!in_range(f, (double)i)) {
		snprintf(what, sizeof(what), "is out of range (%.0f to %.0f)", f->min,
			 f->max);
		fail(r, path, key, what);
		return false;
	}
	*out = (double)i;
	return true;
}

static void read_fields(struct reader *r, const struct field *fs, json_t *o,
			void *base, const char *path);

static void read_field(struct reader *r, const struct field *f, json_t *o,
		       void *base, const char *path)
{
	const char *key = key_in(r, f);
	json_t *v;
	json_error_t e;
	char sub[160];
	double d;

	if (f->kind == FK_DERIVED)
		return;
	if (!key) {
		absent(f, base);
		return;
	}
	v = json_object_get(o, key);
	if (!v && f->optional) {
		absent(f, base);
		return;
	}
	if (!v) {
		fail(r, path, key, "is missing");
		return;
	}
	snprintf(sub, sizeof(sub), "%s.%s", path, key);
	switch (f->kind) {
	case FK_REAL:
		if (json_is_null(v)) {
			*FIELD(base, f, double) = NAN;
			return;
		}
		/* fall through */
	case FK_REAL_REQ:
		if (json_unpack_ex(v, &e, 0, "F", &d)) {
			fail(r, path, key, f->kind == FK_REAL ?
			     "is not a number or null" : "is not a number");
			return;
		}
		if (!isfinite(d) || !in_range(f, d)) {
			fail(r, path, key, "is out of range");
			return;
		}
		*FIELD(base, f, double) = d;
		return;
	case FK_U64_0NULL:
		if (json_is_null(v)) {
			*FIELD(base, f, uint64_t) = 0;
			return;
		}
		/* fall through */
	case FK_U64:
		if (whole(r, v, f, path, key, &d))
			*FIELD(base, f, uint64_t) = (uint64_t)d;
		return;
	case FK_UINT:
		if (whole(r, v, f, path, key, &d))
			*FIELD(base, f, unsigned int) = (unsigned int)d;
		return;
	case FK_INT:
		if (whole(r, v, f, path, key, &d))
			*FIELD(base, f, int) = (int)d;
		return;
	case FK_BOOL:
		if (!json_is_boolean(v))
			fail(r, path, key, "is not true or false");
		*FIELD(base, f, bool) = json_is_true(v);
		return;
	case FK_FLAG_NAMED:
	case FK_ENUM: {
		const char *s = json_string_value(v);
		int n = f->kind == FK_ENUM ? f->names : 2;

		for (int i = 0; s && i < n; i++) {
			const char *name = f->kind == FK_ENUM ? f->name_of(i) :
					   f->flag_names[i];

			if (strcmp(s, name))
				continue;
			if (f->kind == FK_ENUM)
				*FIELD(base, f, int) = i;
			else
				*FIELD(base, f, bool) = i == 1;
			return;
		}
		fail(r, path, key, s ? "names nothing ipctrace knows" : "is not a string");
		return;
	}
	case FK_STR:
	case FK_STR_NULL:
		if (json_is_null(v) && f->kind == FK_STR_NULL) {
			FIELD(base, f, char)[0] = '\0';
			return;
		}
		if (!json_is_string(v)) {
			fail(r, path, key, f->kind == FK_STR ? "is not a string" :
			     "is not a string or null");
			return;
		}
		snprintf(FIELD(base, f, char), f->size, "%s", json_string_value(v));
		return;
	case FK_OBJ_IF:
		*(bool *)((char *)base + f->cond) = !json_is_null(v);
		if (json_is_null(v))
			return;
		/* fall through */
	case FK_OBJ_IF_NUM:
		if (json_is_null(v)) {
			for (const struct field *s = f->sub; s->key; s++)
				*FIELD(base, s, double) = NAN;
			return;
		}
		/* fall through */
	case FK_OBJ:
		if (!json_is_object(v)) {
			fail(r, path, key, "is not an object");
			return;
		}
		read_fields(r, f->sub, v, base, sub);
		return;
	case FK_REALS: {
		unsigned int n = *(unsigned int *)((char *)base + f->cond);
		double *vals;

		if (!json_is_array(v) || json_array_size(v) != n) {
			fail(r, path, key, "does not hold one number per repetition");
			return;
		}
		vals = calloc(n ? n : 1, sizeof(*vals));
		*FIELD(base, f, double *) = vals;
		for (unsigned int i = 0; vals && i < n; i++) {
			if (json_unpack_ex(json_array_get(v, i), &e, 0, "F", &vals[i]) ||
			    !isfinite(vals[i]) || vals[i] < 0) {
				fail(r, path, key, "holds something not a throughput");
				return;
			}
		}
		return;
	}
	case FK_LIST: {
		unsigned int *n = (unsigned int *)((char *)base + f->cond);
		size_t i;
		json_t *e;

		if (!json_is_array(v) || json_array_size(v) > f->max) {
			fail(r, path, key, "is not a list that fits");
			return;
		}
		*n = 0;
		json_array_foreach(v, i, e) {
			char at[200];

			snprintf(at, sizeof(at), "%s[%zu]", sub, i);
			if (!json_is_object(e)) {
				fail(r, sub, NULL, "holds something not an object");
				return;
			}
			read_fields(r, f->sub, e, (char *)base + f->off + i * f->size, at);
			(*n)++;
		}
		return;
	}
	case FK_DERIVED:
		return;
	}
}

static void read_fields(struct reader *r, const struct field *fs, json_t *o,
			void *base, const char *path)
{
	for (const struct field *f = fs; f->key && !r->failed; f++)
		read_field(r, f, o, base, path);
}

/* what the table cannot say: reconciliation.ok, and buffer_requested twice */
static void read_cell_extra(struct reader *r, json_t *c, struct report_cell *rc,
			    const char *path)
{
	json_t *ok = json_object_get(json_object_get(c, "reconciliation"), "ok");
	char sub[80];

	snprintf(sub, sizeof(sub), "%s.reconciliation", path);
	if (!ok)
		fail(r, sub, "ok", "is missing");
	else if (!json_is_null(ok) && !json_is_boolean(ok))
		fail(r, sub, "ok", "is not true, false or null");
	rc->s.recon_ok = !json_is_false(ok);
	rc->s.nreps = rc->nreps;
	rc->grant.requested = rc->cell.buffer;
}

static void read_attach(struct reader *r, json_t *doc, struct run_meta *m)
{
	json_t *a = json_object_get(doc, "attach"), *links, *l;
	const char *mode, *detail, *calls;
	size_t i;

	if (!json_is_object(a)) {
		fail(r, "results", "attach", a ? "is not an object" : "is missing");
		return;
	}
	mode = json_string_value(json_object_get(a, "mode"));
	detail = json_string_value(json_object_get(a, "detail"));
	if (!mode || !detail) {
		fail(r, "attach", mode ? "detail" : "mode", "is missing or not a string");
		return;
	}
	snprintf(m->attach.mode, sizeof(m->attach.mode), "%s", mode);
	snprintf(m->attach_detail, sizeof(m->attach_detail), "%s", detail);
	if (r->version == 1)
		return;
	calls = json_string_value(json_object_get(a, "calls"));
	snprintf(m->attach.calls, sizeof(m->attach.calls), "%s", calls ? calls : "");
	links = json_object_get(a, "links");
	if (!json_is_array(links)) {
		fail(r, "attach", "links", "is not a list");
		return;
	}
	json_array_foreach(links, i, l) {
		struct attach_link *al;
		const char *p, *k, *t;

		if (m->attach.nlinks == ATTACH_MAX_LINKS)
			break;
		if (json_unpack(l, "{s:s, s:s, s:s}", "program", &p, "kind", &k,
				"target", &t)) {
			fail(r, "attach", "links", "holds a link without program, kind"
			     " and target");
			return;
		}
		al = &m->attach.links[m->attach.nlinks++];
		snprintf(al->program, sizeof(al->program), "%s", p);
		snprintf(al->kind, sizeof(al->kind), "%s", k);
		snprintf(al->target, sizeof(al->target), "%s", t);
	}
}

int results_schema_read(json_t *doc, const char *file, struct report_model *m,
			char *why, size_t len)
{
	struct reader r = { .file = file, .why = why, .len = len };
	json_t *cells, *c, *ver;
	json_int_t version;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(doc)) {
		snprintf(why, len, "%s: malformed: the document is not an object", file);
		return -1;
	}
	if (strcmp(json_string_value(json_object_get(doc, "format")) ?: "",
		   "ipctrace-results")) {
		snprintf(why, len, "%s: malformed: format is not ipctrace-results", file);
		return -1;
	}
	ver = json_object_get(doc, "format_version");
	if (json_unpack(ver, "I", &version) || version < RESULTS_FORMAT_OLDEST ||
	    version > RESULTS_FORMAT_VERSION) {
		snprintf(why, len, "%s: format_version is not one this ipctrace reads"
			 " (%d to %d): written by a%s ipctrace?", file,
			 RESULTS_FORMAT_OLDEST, RESULTS_FORMAT_VERSION,
			 json_is_integer(ver) && version > RESULTS_FORMAT_VERSION ?
			 " newer" : "nother");
		return -1;
	}
	r.version = (int)version;
	read_fields(&r, doc_fields, doc, m, "results");
	read_attach(&r, doc, &m->meta);
	cells = json_object_get(doc, "cells");
	if (!r.failed && !json_is_array(cells))
		fail(&r, "results", "cells", cells ? "is not a list" : "is missing");
	if (!r.failed) {
		m->cells = calloc(json_array_size(cells) + 1, sizeof(*m->cells));
		if (!m->cells)
			fail(&r, "results", "cells", "do not fit in memory");
	}
	json_array_foreach(r.failed ? NULL : cells, i, c) {
		char path[64];

		snprintf(path, sizeof(path), "cells[%zu]", i);
		m->ncells = i + 1;
		if (!json_is_object(c)) {
			fail(&r, path, NULL, "is not an object");
			break;
		}
		read_fields(&r, cell_fields, c, &m->cells[i], path);
		if (!r.failed)
			read_cell_extra(&r, c, &m->cells[i], path);
		if (r.failed)
			break;
	}
	if (r.failed) {
		report_model_free(m);
		return -1;
	}
	return 0;
}
