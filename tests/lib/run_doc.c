// SPDX-License-Identifier: GPL-2.0
/* run_doc.c - reading `ipctrace run --json` in tests (see run_doc.h). */
#include <check.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include "run_doc.h"
#include "trace_snapshot.h"

json_t *run_json_as(const char *args, int (*before_exec)(void),
		    struct cmd_result *keep)
{
	struct cmd_result r = run_ipctrace(args, before_exec);
	json_error_t jerr;
	json_t *doc;

	ck_assert_msg(r.status == 0, "ipctrace %s: exit %d: %s", args, r.status, r.err);
	doc = json_loads(r.out, 0, &jerr);
	ck_assert_msg(doc != NULL, "not JSON (%s): %.300s", jerr.text, r.out);
	if (keep)
		*keep = r;
	else
		cmd_result_free(&r);
	return doc;
}

json_t *run_json(const char *args, struct cmd_result *keep)
{
	return run_json_as(args, NULL, keep);
}

json_t *cell_in(json_t *doc, const char *pattern, const char *transport,
		long long msg, long long buffer)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_t *b = json_object_get(c, "buffer_requested");

		if (!strcmp(json_string_value(json_object_get(c, "transport")), transport) &&
		    (!pattern || !strcmp(json_string_value(json_object_get(c, "pattern")),
					 pattern)) &&
		    json_integer_value(json_object_get(c, "msg_size")) == msg &&
		    (buffer ? json_integer_value(b) == buffer : json_is_null(b)))
			return c;
	}
	ck_abort_msg("no cell %s %s %lld %lld", pattern ? pattern : "", transport, msg,
		     buffer);
	return NULL;
}

json_t *cell(json_t *doc, const char *transport, long long msg, long long buffer)
{
	return cell_in(doc, NULL, transport, msg, buffer);
}

double per_mb(json_t *c, const char *key)
{
	json_t *v = json_object_get(json_object_get(c, "per_mb"), key);

	ck_assert_msg(json_is_number(v), "per_mb.%s is not a number", key);
	return json_number_value(v);
}

void assert_reconciled_min(json_t *c, long long min_checks)
{
	json_t *rec = json_object_get(c, "reconciliation"), *rep, *chk;
	size_t i, j;

	ck_assert_msg(json_is_true(json_object_get(rec, "ok")), "%s %lld: %s",
		      json_string_value(json_object_get(c, "transport")),
		      json_integer_value(json_object_get(c, "msg_size")),
		      json_string_value(json_object_get(rec, "first_failure")));
	ck_assert_int_ge(json_integer_value(json_object_get(rec, "checks")), min_checks);
	ck_assert_int_eq(json_integer_value(json_object_get(rec, "failed")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(rec, "lost_events")), 0);
	json_array_foreach(json_object_get(c, "reps"), i, rep)
		json_array_foreach(json_object_get(rep, "checks"), j, chk)
			ck_assert_msg(json_is_true(json_object_get(chk, "ok")), "%s",
				      json_string_value(json_object_get(chk, "what")));
}

void assert_reconciled(json_t *c)
{
	assert_reconciled_min(c, 10);
}

long long writer_calls(json_t *rep)
{
	json_t *role = json_array_get(json_object_get(rep, "roles"), 0);

	ck_assert_str_eq(json_string_value(json_object_get(role, "role")), "writer");
	return json_integer_value(json_object_get(role, "write_calls"));
}

void assert_throughput_min_is(json_t *c, const char *key)
{
	double lo = INFINITY, got;
	json_t *rep;
	size_t k;

	json_array_foreach(json_object_get(c, "reps"), k, rep) {
		ck_assert_msg(json_is_number(json_object_get(rep, key)), "rep %zu: %s", k, key);
		lo = fmin(lo, json_number_value(json_object_get(rep, key)));
	}
	got = json_number_value(json_object_get(json_object_get(c, "throughput_mb_s"), "min"));
	ck_assert_msg(fabs(got - lo) <= 1e-9 * lo, "min %g, the reps' least %s %g", got,
		      key, lo);
}

long long trace_skipped_runs(json_t *doc)
{
	json_t *v = json_object_get(json_object_get(doc, "lost_events"),
				    drop_name(IPCT_DROP_PROG_SKIPPED));

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

void assert_trace_lost_only_skipped(json_t *doc)
{
	json_t *lost = json_object_get(doc, "lost_events");
	size_t n = json_object_size(lost) - (trace_skipped_runs(doc) > 0);
	char *text = json_dumps(lost, JSON_COMPACT);

	ck_assert_msg(n == 0, "lost events: %s", text);
	free(text);
}
