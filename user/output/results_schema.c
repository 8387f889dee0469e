// SPDX-License-Identifier: GPL-2.0
/*
 * results_schema.c - the one writer and one reader that walk the tables
 * of results.json (results_schema_tables.c and the files of one concern
 * it names; see results_schema.h).
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_text.h"
#include "results_schema_fields.h"
#include "results_schema.h"

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
		return json_text(CFIELD(base, f, char));
	case FK_STR_NULL: {
		const char *s = CFIELD(base, f, char);

		return s[0] ? json_text(s) : json_null();
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

		for (unsigned int i = 0; i < n && i < (unsigned int)f->names; i++)
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
	json_object_set_new(att, "detail", json_text(m->meta.attach_detail));
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
	if (f->since && r->version < f->since)
		return NULL;
	if (r->version == 1 && f->v1_key)
		return f->v1_key[0] ? f->v1_key : NULL;
	return f->key;
}

/* numbers a real field accepts: its range, or any finite number >= 0
 * (every real of the document is a count, a rate or a time) */
static bool in_range(const struct field *f, double v)
{
	if (f->min == 0 && f->max == 0)
		return v >= 0;
	return v >= f->min && v <= f->max;
}

/* the largest value the C type of an integer field holds */
static json_int_t type_max(const struct field *f)
{
	switch (f->kind) {
	case FK_UINT:
		return UINT_MAX;
	case FK_INT:
		return INT_MAX;
	default:
		return LLONG_MAX;	/* uint64_t fields: what a json_int_t holds */
	}
}

/*
 * A whole number within the field's range and its C type's, kept as an
 * integer: never through a double, whose cast is undefined out of range.
 */
static bool whole(struct reader *r, json_t *v, const struct field *f,
		  const char *path, const char *key, json_int_t *out)
{
	json_int_t i, lo = (json_int_t)f->min, hi = type_max(f);
	char what[96];

	if (!json_is_integer(v)) {
		fail(r, path, key, "is not a whole number");
		return false;
	}
	i = json_integer_value(v);
	if (f->max > 0 && f->max < (double)hi)
		hi = (json_int_t)f->max;
	if (i < 0 && lo >= 0) {
		fail(r, path, key, "is negative");
		return false;
	}
	if (i < lo || i > hi) {
		snprintf(what, sizeof(what), "is out of range (%lld to %lld)",
			 (long long)lo, (long long)hi);
		fail(r, path, key, what);
		return false;
	}
	*out = i;
	return true;
}

static void read_fields(struct reader *r, const struct field *fs, json_t *o,
			void *base, const char *path);

/* a field an older format lacks: its numbers unmeasured, the rest zero */
static void absent(const struct field *f, void *base)
{
	if (f->kind == FK_REAL || f->kind == FK_REAL_REQ)
		*FIELD(base, f, double) = NAN;
	if (f->kind == FK_OBJ || f->kind == FK_OBJ_IF_NUM)
		for (const struct field *s = f->sub; s->key; s++)
			absent(s, base);
}

static void read_field(struct reader *r, const struct field *f, json_t *o,
		       void *base, const char *path)
{
	const char *key = key_in(r, f);
	json_t *v;
	json_error_t e;
	char sub[160];
	json_int_t i;
	double d;

	if (f->kind == FK_DERIVED)
		return;
	if (!key) {
		/* a key the older format did not have: unmeasured */
		absent(f, base);
		return;
	}
	v = json_object_get(o, key);
	if (!v && f->optional) {
		/* written by an ipctrace from before the key: absent */
		if (f->kind == FK_OBJ_IF)
			*(bool *)((char *)base + f->cond) = false;
		else
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
			fail(r, path, key, d < 0 && !f->min ? "is negative (a count, rate"
			     " or time is 0 or more)" : "is out of range");
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
		if (whole(r, v, f, path, key, &i))
			*FIELD(base, f, uint64_t) = (uint64_t)i;
		return;
	case FK_UINT:
		if (whole(r, v, f, path, key, &i))
			*FIELD(base, f, unsigned int) = (unsigned int)i;
		return;
	case FK_INT:
		if (whole(r, v, f, path, key, &i))
			*FIELD(base, f, int) = (int)i;
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
		json_t *e;
		size_t i;

		if (!json_is_array(v) || json_array_size(v) > (size_t)f->names) {
			fail(r, path, key, "is not a list of at most one entry per kind");
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
