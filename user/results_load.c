// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "results_load.h"

/* the first error while reading one document, with where it was */
struct reader {
	const char *file;
	char *why;
	size_t len;
	bool failed;
};

static void fail(struct reader *r, const char *path, const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	snprintf(r->why, r->len, "%s: malformed: %s %s", r->file, path, what);
}

/* path.key is what */
static void fail_key(struct reader *r, const char *path, const char *key,
		     const char *what)
{
	char p[160];

	snprintf(p, sizeof(p), "%s.%s", path, key);
	fail(r, p, what);
}

static json_t *need(struct reader *r, json_t *obj, const char *key,
		    const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		fail_key(r, path, key, "is missing");
	return v;
}

/* the member key of obj, which must be there, and its path in sub */
static json_t *child(struct reader *r, json_t *obj, const char *key,
		     const char *path, char *sub, size_t sublen)
{
	snprintf(sub, sublen, "%s.%s", path, key);
	return need(r, obj, key, path);
}

/* p50 and p99 of a {p50, p99} object; NAN when it is null */
static void p50_p99(json_t *o, double *p50, double *p99)
{
	bool is = o && json_is_object(o);

	*p50 = is ? json_number_value(json_object_get(o, "p50")) : NAN;
	*p99 = is ? json_number_value(json_object_get(o, "p99")) : NAN;
}

/* a number, or NAN for null when allowed */
static double num(struct reader *r, json_t *obj, const char *key,
		  const char *path, bool nullable)
{
	json_t *v = need(r, obj, key, path);

	if (!v)
		return NAN;
	if (json_is_number(v))
		return json_number_value(v);
	if (nullable && json_is_null(v))
		return NAN;
	fail_key(r, path, key, nullable ? "is not a number or null" : "is not a number");
	return NAN;
}

static const char *str(struct reader *r, json_t *obj, const char *key,
		       const char *path)
{
	json_t *v = need(r, obj, key, path);

	if (v && json_is_string(v))
		return json_string_value(v);
	if (v)
		fail_key(r, path, key, "is not a string");
	return "";
}

static bool boolean(struct reader *r, json_t *obj, const char *key, const char *path)
{
	json_t *v = need(r, obj, key, path);

	if (v && !json_is_boolean(v))
		fail_key(r, path, key, "is not true or false");
	return json_is_true(v);
}

/* a name among names[0..n) */
static int named(struct reader *r, json_t *obj, const char *key, const char *path,
		 const char *(*name_of)(int), int n)
{
	const char *s = str(r, obj, key, path);

	for (int i = 0; i < n; i++)
		if (!strcmp(s, name_of(i)))
			return i;
	fail_key(r, path, key, "names nothing ipctrace knows");
	return 0;
}

static const char *tname(int i) { return transport_name((enum transport)i); }
static const char *plname(int i) { return placement_name((enum placement)i); }
static const char *paname(int i) { return pattern_name((enum pattern)i); }

static void load_cell(struct reader *r, json_t *c, size_t idx, struct report_cell *rc)
{
	char path[64], sub[80];
	json_t *t, *pm, *fill, *rec, *reps;
	struct cell_summary *s = &rc->s;
	const char *note;
	double v;

	snprintf(path, sizeof(path), "cells[%zu]", idx);
	if (!json_is_object(c)) {
		fail(r, path, "is not an object");
		return;
	}
	rc->cell.transport = named(r, c, "transport", path, tname, TR_COUNT);
	rc->cell.msg_size = (uint64_t)num(r, c, "msg_size", path, false);
	v = num(r, c, "buffer_requested", path, true);
	rc->cell.buffer = isnan(v) ? 0 : (uint64_t)v;
	rc->grant.requested = rc->cell.buffer;
	rc->grant.granted = (uint64_t)num(r, c, "buffer_granted", path, false);
	rc->grant.capacity_slots = (uint64_t)num(r, c, "buffer_slots", path, false);
	rc->grant.clamped = boolean(r, c, "buffer_clamped", path);
	note = json_string_value(json_object_get(c, "buffer_note"));
	snprintf(rc->grant.note, sizeof(rc->grant.note), "%s", note ? note : "");
	rc->cell.placement = named(r, c, "placement", path, plname, PL_COUNT);
	rc->cell.pattern = named(r, c, "pattern", path, paname, PAT_COUNT);
	rc->cell.group = (int)num(r, c, "group", path, false);
	rc->nreps = (unsigned int)num(r, c, "repetitions", path, false);
	rc->finished = boolean(r, c, "finished", path);
	rc->bytes_per_rep = (uint64_t)num(r, c, "bytes_per_rep", path, false);
	s->nreps = rc->nreps;

	t = child(r, c, "throughput_mb_s", path, sub, sizeof(sub));
	if (t) {
		s->mb_s_med = num(r, t, "median", sub, true);
		s->mb_s_min = num(r, t, "min", sub, true);
		s->mb_s_max = num(r, t, "max", sub, true);
		reps = need(r, t, "reps", sub);
		if (reps && json_array_size(reps) == rc->nreps) {
			rc->rep_mb_s = calloc(rc->nreps ? rc->nreps : 1, sizeof(double));
			for (size_t k = 0; rc->rep_mb_s && k < rc->nreps; k++)
				rc->rep_mb_s[k] = json_number_value(json_array_get(reps, k));
		} else if (reps) {
			fail_key(r, sub, "reps", "does not hold one number per repetition");
		}
	}
	pm = child(r, c, "per_mb", path, sub, sizeof(sub));
	if (pm) {
		s->write_calls = num(r, pm, "write_calls", sub, true);
		s->read_calls = num(r, pm, "read_calls", sub, true);
		s->blocking_writes = num(r, pm, "blocking_writes", sub, true);
		s->writer_epoll_waits = num(r, pm, "writer_epoll_waits", sub, true);
		s->writer_waits = num(r, pm, "writer_waits", sub, true);
		s->reader_sleeps = num(r, pm, "reader_sleeps", sub, true);
		s->wake_w2r = num(r, pm, "wakeups_writer_to_reader", sub, true);
		s->wake_r2w = num(r, pm, "wakeups_reader_to_writer", sub, true);
		s->vol_switches = num(r, pm, "voluntary_switches", sub, true);
		s->invol_switches = num(r, pm, "involuntary_switches", sub, true);
		s->cpu_ms = num(r, pm, "cpu_ms", sub, true);
	}
	fill = child(r, c, "fill_at_block", path, sub, sizeof(sub));
	s->have_fill = fill && json_is_object(fill);
	if (s->have_fill) {
		s->fill_in_slots = !strcmp(str(r, fill, "unit", sub), "slots");
		s->fill_used_mean = num(r, fill, "used_mean", sub, false);
		s->fill_cap_mean = num(r, fill, "capacity_mean", sub, false);
		s->fill_bytes_mean = num(r, fill, "bytes_mean", sub, false);
	}
	s->wait_us_mean = num(r, c, "writer_wait_us_mean", path, true);
	p50_p99(need(r, c, "wakeup_latency_us", path), &s->wake_p50_us, &s->wake_p99_us);
	p50_p99(need(r, c, "rtt_us", path), &s->rtt_p50_us, &s->rtt_p99_us);
	s->total_mb = num(r, c, "total_mb", path, false);
	s->seconds = num(r, c, "seconds", path, false);
	s->traced = boolean(r, c, "traced", path);
	s->ops_traced = boolean(r, c, "ops_traced", path);
	rec = child(r, c, "reconciliation", path, sub, sizeof(sub));
	if (rec) {
		const char *first = json_string_value(json_object_get(rec, "first_failure"));

		s->recon_ok = !json_is_false(need(r, rec, "ok", sub));
		rc->checks = (unsigned long)num(r, rec, "checks", sub, false);
		s->recon_failed = (unsigned int)num(r, rec, "failed", sub, false);
		s->lost_events = (unsigned long long)num(r, rec, "lost_events", sub, false);
		snprintf(s->recon_first, sizeof(s->recon_first), "%s", first ? first : "");
	}
}

static json_t *load_json(const char *dir, const char *name, char *file,
			 size_t flen, char *why, size_t len)
{
	json_error_t jerr;
	json_t *doc;

	snprintf(file, flen, "%s/%s", dir, name);
	if (access(file, R_OK)) {
		snprintf(why, len, "%s: %s%s", file, strerror(errno),
			 errno == ENOENT ? " (not an ipctrace results directory,"
			 " or an incomplete one)" : "");
		return NULL;
	}
	doc = json_load_file(file, 0, &jerr);
	if (!doc)
		snprintf(why, len, "%s: not valid JSON (line %d, column %d: %s)%s",
			 file, jerr.line, jerr.column, jerr.text,
			 strstr(jerr.text, "end of") ? " - the file looks truncated" : "");
	return doc;
}

int results_load(const char *dir, struct report_model *m, json_t **meta,
		 char *why, size_t len)
{
	char file[4096];
	struct reader r = { .why = why, .len = len };
	struct stat st;
	json_t *doc, *md, *set, *cells, *c, *att;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (meta)
		*meta = NULL;
	if (stat(dir, &st)) {
		snprintf(why, len, "%s: %s", dir, errno == ENOENT ?
			 "no such results directory" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "%s: not a directory (give the results directory"
			 " that holds meta.json and results.json)", dir);
		return -1;
	}
	md = load_json(dir, "meta.json", file, sizeof(file), why, len);
	if (!md)
		return -1;
	r.file = file;
	if (strcmp(str(&r, md, "format", "meta"), "ipctrace-meta"))
		fail(&r, "format", "is not ipctrace-meta");
	if (r.failed) {
		json_decref(md);
		return -1;
	}
	doc = load_json(dir, "results.json", file, sizeof(file), why, len);
	if (!doc) {
		json_decref(md);
		return -1;
	}
	if (strcmp(str(&r, doc, "format", "results"), "ipctrace-results"))
		fail(&r, "format", "is not ipctrace-results");
	if (num(&r, doc, "format_version", "results", false) != RESULTS_FORMAT_VERSION)
		fail(&r, "format_version", "is not 1, the version this ipctrace reads");
	snprintf(m->meta.kernel, sizeof(m->meta.kernel), "%s",
		 str(&r, doc, "kernel", "results"));
	att = need(&r, doc, "attach", "results");
	if (att) {
		snprintf(m->meta.attach, sizeof(m->meta.attach), "%s",
			 str(&r, att, "mode", "attach"));
		snprintf(m->meta.attach_detail, sizeof(m->meta.attach_detail), "%s",
			 str(&r, att, "detail", "attach"));
	}
	snprintf(m->meta.identity, sizeof(m->meta.identity), "%s",
		 str(&r, doc, "workers", "results"));
	snprintf(m->meta.cmdline, sizeof(m->meta.cmdline), "%s",
		 str(&r, doc, "command", "results"));
	set = need(&r, doc, "settings", "results");
	if (set) {
		double b;

		m->set.io = !strcmp(str(&r, set, "io", "settings"), "epoll") ?
			    IO_EPOLL : IO_BLOCKING;
		m->set.pairs = (unsigned int)num(&r, set, "pairs", "settings", false);
		m->set.threads = boolean(&r, set, "threads", "settings");
		m->set.repeat = (unsigned int)num(&r, set, "repeat", "settings", false);
		m->set.duration = num(&r, set, "duration_s", "settings", false);
		b = num(&r, set, "bytes", "settings", true);
		m->set.bytes = isnan(b) ? 0 : (uint64_t)b;
		m->set.warmup = num(&r, set, "warmup_s", "settings", false);
	}
	m->interrupted = boolean(&r, doc, "interrupted", "results");
	m->elapsed_s = num(&r, doc, "elapsed_s", "results", false);
	if (json_is_string(json_object_get(doc, "error")))
		snprintf(m->error, sizeof(m->error), "%s",
			 json_string_value(json_object_get(doc, "error")));
	cells = need(&r, doc, "cells", "results");
	if (cells && !json_is_array(cells))
		fail(&r, "cells", "is not a list");
	if (!r.failed) {
		m->cells = calloc(json_array_size(cells) + 1, sizeof(*m->cells));
		json_array_foreach(cells, i, c) {
			if (r.failed || !m->cells)
				break;
			load_cell(&r, c, i, &m->cells[i]);
			m->ncells = i + 1;
		}
	}
	json_decref(doc);
	if (r.failed) {
		json_decref(md);
		report_model_free(m);
		return -1;
	}
	if (meta)
		*meta = md;
	else
		json_decref(md);
	return 0;
}
