// SPDX-License-Identifier: GPL-2.0
/*
 * test_schema.c - results.json written from a model and read back is the
 * same model: every field the reports use, and the reports themselves
 * byte for byte. No privileges, no BPF, no binary: the writer and the
 * reader are called directly (output/results_schema.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tap_suite.h"
#include "report_model.h"
#include "results_schema.h"

/* the pipe's and the socketpair's CPU per write and its split */
static void synthetic_cpu(struct cell_summary *s, int i)
{
	uint64_t c[MECH_COUNT] = { 0 };

	c[MECH_COPY] = 300, c[MECH_SYSCALL] = 250, c[MECH_USER] = 99;
	if (i)
		c[MECH_SLAB] = 500, c[MECH_MEMCG] = 200, c[MECH_OTHER] = 3;
	cpu_split_from_counts(c, i ? 41 : 17, i ? 2.19 : 0.83, i ? 2.1 : 0.8,
			      i ? 2.3 : 0.875, &s->cpu);
	s->cpu.writer_us = i ? 1.25 : 0.5;
	s->cpu.reader_us = i ? 0.94 : NAN;
}

/* a model with a bit of everything: NANs, fills, a failed check, epoll */
static void synthetic_model(struct report_model *m)
{
	static const double reps[2][3] = { { 990, 1000, 1010 }, { 2900, 3000, 3100 } };

	memset(m, 0, sizeof(*m));
	snprintf(m->meta.kernel, sizeof(m->meta.kernel), "6.18.0-test");
	snprintf(m->meta.identity, sizeof(m->meta.identity), "uid 1000 gid 1000 (from sudo)");
	snprintf(m->meta.cmdline, sizeof(m->meta.cmdline), "ipctrace run -m 64K");
	m->meta.preempt_rt = true;
	snprintf(m->meta.attach.mode, sizeof(m->meta.attach.mode), "fentry");
	snprintf(m->meta.attach.calls, sizeof(m->meta.attach.calls), "fexit");
	m->meta.attach.nlinks = 2;
	snprintf(m->meta.attach.links[0].program, 48, "tp_btf_sched_switch");
	snprintf(m->meta.attach.links[0].kind, 16, "tp_btf");
	snprintf(m->meta.attach.links[0].target, 48, "sched_switch");
	snprintf(m->meta.attach.links[1].program, 48, "fentry_pipe_write");
	snprintf(m->meta.attach.links[1].kind, 16, "fentry");
	snprintf(m->meta.attach.links[1].target, 48, "anon_pipe_write");
	attach_report_describe(&m->meta.attach, m->meta.attach_detail,
			       sizeof(m->meta.attach_detail));
	m->set = (struct report_settings){ .io = IO_EPOLL, .pairs = 2, .threads = true,
					   .repeat = 3, .duration = 0.4, .bytes = 0,
					   .warmup = 0.15 };
	m->elapsed_s = 12.5;
	snprintf(m->error, sizeof(m->error), "socketpair, 65536-byte messages: a test");
	m->ncells = 2;
	m->cells = calloc(2, sizeof(*m->cells));
	for (int i = 0; i < 2; i++) {
		struct report_cell *rc = &m->cells[i];
		struct cell_summary *s = &rc->s;

		rc->cell = (struct cell){ .transport = i ? TR_SOCKETPAIR : TR_PIPE,
					  .msg_size = 65536, .buffer = i ? 16384 : 0,
					  .placement = PL_CROSS_CPU, .pattern = PAT_STREAM,
					  .group = 0 };
		rc->grant = (struct buffer_grant){ .requested = rc->cell.buffer,
						   .granted = i ? 32768 : 65536,
						   .capacity_slots = i ? 0 : 16,
						   .clamped = i == 1 };
		if (i)
			snprintf(rc->grant.note, sizeof(rc->grant.note), "SO_SNDBUF doubled");
		rc->nreps = 3;
		rc->finished = i == 0;
		rc->bytes_per_rep = 419430400;
		rc->checks = 39;
		rc->rep_mb_s = malloc(3 * sizeof(double));
		memcpy(rc->rep_mb_s, reps[i], sizeof(reps[i]));
		s->nreps = 3;
		s->mb_s_med = reps[i][1];
		s->mb_s_min = reps[i][0];
		s->mb_s_max = reps[i][2];
		s->total_mb = 1258.3;
		s->seconds = 1.25;
		s->traced = true;
		s->ops_traced = true;
		s->write_calls = 15.2587890625;
		s->read_calls = 16.5;
		s->blocked_writes = i ? 0.5 : 9.8;
		s->blocked_reads = i ? NAN : 3.25;
		s->writer_epoll_waits = 0.125;
		s->reader_epoll_waits = 2.5;
		s->writer_waits = s->blocked_writes + 0.125;
		s->reader_waits = i ? NAN : 5.75;
		s->wake_w2r = 9.8;
		s->wake_r2w = 4.2;
		s->vol_switches = 19.6;
		s->invol_switches = 0.5;
		s->cpu_ms = 1.0 / 3;
		s->have_fill = i == 0;
		s->fill_in_slots = i == 0;
		s->fill_used_mean = i ? 0 : 15.75;
		s->fill_cap_mean = i ? 0 : 16;
		s->fill_bytes_mean = i ? 0 : 64000;
		s->wait_us_mean = i ? NAN : 40.5;
		s->wake_p50_us = 20;
		s->wake_p99_us = 61.25;
		s->rtt_p50_us = i ? 7.5 : NAN;
		s->rtt_p99_us = i ? 9.0 : NAN;
		s->recon_ok = i == 0;
		s->recon_failed = i ? 2 : 0;
		if (i)
			snprintf(s->recon_first, sizeof(s->recon_first),
				 "rep 2: writer voluntary switches: BPF 10, /proc status 11");
		s->lost_events = i ? 7 : 0;
		/* waits by cause and where the time went (format 3) */
		s->write_buffer_waits = i ? 0.5 : 9.75;
		s->write_lock_waits = i ? 0.25 : 0.125;
		s->write_rtlock_waits = i ? 0.125 : 0;
		s->read_buffer_waits = 3.25;
		s->read_lock_waits = i ? NAN : 0.0625;
		s->read_rtlock_waits = i ? NAN : 0;
		s->write_buffer_wait_us = 40.5;
		s->write_lock_wait_us = i ? 12.25 : NAN;
		s->read_buffer_wait_us = 11.5;
		s->read_lock_wait_us = i ? NAN : 3.5;
		s->messages = 15.2587890625;
		s->cpu_us_per_msg = 21.25;
		s->time[ROLE_WRITER] = (struct role_time){ 40.5, 0.5, 10.25, 25.5,
							   0.75, 0.125 };
		s->time[ROLE_READER] = i ? (struct role_time){ NAN, NAN, NAN, NAN,
							       NAN, NAN } :
				       (struct role_time){ 41.5, 0.25, 11.5, 27.0,
							   0.0625, 0.5 };
		synthetic_cpu(s, i);
		/* cell 0: throughput of untraced repetitions, the observer's
		 * cost measured; cell 1: neither (an older file's reading) */
		s->untraced = i == 0;
		s->traced_mb_s_med = i ? NAN : 900.5;
		s->traced_mb_s_min = i ? NAN : 880.25;
		s->traced_mb_s_max = i ? NAN : 910;
		s->switch_ratio = i ? NAN : 2.75;
		s->observer.measured = i == 0;
		s->observer.workload_cpu_s = i ? 0 : 0.75;
		s->observer.nprogs = i ? 0 : 2;
		snprintf(s->observer.prog[0].name, sizeof(s->observer.prog[0].name),
			 "tp_btf_sched_switch");
		s->observer.prog[0].run_ns = i ? 0 : 12345678;
		s->observer.prog[0].run_cnt = i ? 0 : 98765;
		snprintf(s->observer.prog[1].name, sizeof(s->observer.prog[1].name),
			 "tp_btf_sched_waking");
		s->observer.prog[1].run_ns = i ? 0 : 4567890;
		s->observer.prog[1].run_cnt = i ? 0 : 54321;
	}
	/* format 3 knows the loop */
	m->cells[0].cell.pattern = m->cells[1].cell.pattern = PAT_LOOP;
	m->meta.profile = (struct profile_info){
		.requested = true, .available = true, .hz = 999, .ncpus = 2,
		.ticks = 4213, .samples = 2551, .lost = 3, .seconds = 2.125,
		.run_ns = 11887225, .run_cnt = 4213,
	};
	ck_assert_int_eq(report_model_judge(m), 0);
}

/* through text, as a results directory holds it */
static int round_trip(const struct report_model *m, struct report_model *back,
		      char *why, size_t len)
{
	json_t *doc = report_json(m, NULL), *reread;
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int ret;

	json_decref(doc);
	ck_assert_ptr_nonnull(text);
	reread = json_loads(text, 0, NULL);
	free(text);
	ck_assert_ptr_nonnull(reread);
	ret = results_schema_read(reread, "results.json", back, why, len);
	if (!ret)
		ret = report_model_judge(back);
	json_decref(reread);
	return ret;
}

static void same_cpu(const struct cpu_split *x, const struct cpu_split *y)
{
	const struct cpu_split *a = x, *b = y;

	ck_assert_int_eq(x->have, y->have);
	if (!x->have)
		return;
	ck_assert_double_eq_tol(x->us_per_write, y->us_per_write, 1e-12);
	ck_assert_double_eq_tol(x->us_min, y->us_min, 1e-12);
	ck_assert_double_eq_tol(x->us_max, y->us_max, 1e-12);
	if (isnan(a->reader_us))
		ck_assert(isnan(b->reader_us));
	else
		ck_assert_double_eq_tol(x->reader_us, y->reader_us, 1e-12);
	ck_assert_double_eq_tol(x->writer_us, y->writer_us, 1e-12);
	ck_assert_int_eq(x->samples, y->samples);
	ck_assert_int_eq(x->artefact_samples, y->artefact_samples);
	ck_assert_int_eq(x->nmech, y->nmech);
	for (unsigned int k = 0; k < x->nmech; k++) {
		ck_assert_int_eq(x->by[k].mech, y->by[k].mech);
		ck_assert_int_eq(x->by[k].samples, y->by[k].samples);
		ck_assert_double_eq_tol(x->by[k].share, y->by[k].share, 1e-15);
		ck_assert_double_eq_tol(x->by[k].us_per_write, y->by[k].us_per_write, 1e-15);
		ck_assert_double_eq_tol(x->by[k].se_us, y->by[k].se_us, 1e-15);
	}
}

#define SAME(field) do {						\
	if (isnan(a->field))						\
		ck_assert_msg(isnan(b->field), #field " lost its NAN");	\
	else								\
		ck_assert_double_eq_tol(a->field, b->field, 1e-9);	\
} while (0)

START_TEST(model_survives_write_and_read)
{
	struct report_model m, back;
	char why[300] = "";

	synthetic_model(&m);
	ck_assert_msg(round_trip(&m, &back, why, sizeof(why)) == 0, "%s", why);
	ck_assert_str_eq(back.meta.kernel, m.meta.kernel);
	ck_assert_str_eq(back.meta.identity, m.meta.identity);
	ck_assert_str_eq(back.meta.cmdline, m.meta.cmdline);
	ck_assert_str_eq(back.meta.attach.mode, "fentry");
	ck_assert_str_eq(back.meta.attach.calls, "fexit");
	ck_assert_str_eq(back.meta.attach_detail, m.meta.attach_detail);
	ck_assert_int_eq(back.meta.attach.nlinks, 2);
	ck_assert_str_eq(back.meta.attach.links[1].target, "anon_pipe_write");
	ck_assert(back.set.io == IO_EPOLL && back.set.pairs == 2 && back.set.threads);
	ck_assert_double_eq_tol(back.set.duration, 0.4, 1e-12);
	ck_assert_str_eq(back.error, m.error);
	ck_assert_int_eq(back.ncells, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct report_cell *x = &m.cells[i], *y = &back.cells[i];
		const struct cell_summary *a = &x->s, *b = &y->s;

		ck_assert(cell_equal(&x->cell, &y->cell));
		ck_assert_int_eq(x->cell.group, y->cell.group);
		ck_assert_int_eq(x->grant.granted, y->grant.granted);
		ck_assert_int_eq(x->grant.requested, y->grant.requested);
		ck_assert_int_eq(x->grant.capacity_slots, y->grant.capacity_slots);
		ck_assert_int_eq(x->grant.clamped, y->grant.clamped);
		ck_assert_str_eq(x->grant.note, y->grant.note);
		ck_assert_int_eq(x->nreps, y->nreps);
		ck_assert_int_eq(x->finished, y->finished);
		ck_assert_int_eq(x->bytes_per_rep, y->bytes_per_rep);
		ck_assert_int_eq(x->checks, y->checks);
		for (unsigned int r = 0; r < x->nreps; r++)
			ck_assert_double_eq_tol(x->rep_mb_s[r], y->rep_mb_s[r], 1e-9);
		SAME(mb_s_med); SAME(mb_s_min); SAME(mb_s_max); SAME(total_mb);
		SAME(seconds); SAME(write_calls); SAME(read_calls);
		SAME(blocked_writes); SAME(blocked_reads); SAME(writer_epoll_waits);
		SAME(reader_epoll_waits); SAME(writer_waits); SAME(reader_waits);
		SAME(wake_w2r); SAME(wake_r2w); SAME(vol_switches);
		SAME(invol_switches); SAME(cpu_ms); SAME(wait_us_mean);
		SAME(wake_p50_us); SAME(wake_p99_us); SAME(rtt_p50_us); SAME(rtt_p99_us);
		ck_assert_int_eq(a->have_fill, b->have_fill);
		if (a->have_fill) {
			ck_assert_int_eq(a->fill_in_slots, b->fill_in_slots);
			SAME(fill_used_mean); SAME(fill_cap_mean); SAME(fill_bytes_mean);
		}
		ck_assert_int_eq(a->traced, b->traced);
		ck_assert_int_eq(a->ops_traced, b->ops_traced);
		ck_assert_int_eq(a->recon_ok, b->recon_ok);
		ck_assert_int_eq(a->recon_failed, b->recon_failed);
		ck_assert_str_eq(a->recon_first, b->recon_first);
		ck_assert_int_eq(a->lost_events, b->lost_events);
		SAME(write_buffer_waits); SAME(write_lock_waits);
		SAME(write_rtlock_waits); SAME(read_buffer_waits);
		SAME(read_lock_waits); SAME(read_rtlock_waits);
		SAME(write_buffer_wait_us); SAME(write_lock_wait_us);
		SAME(read_buffer_wait_us); SAME(read_lock_wait_us);
		SAME(messages); SAME(cpu_us_per_msg);
		for (int r = 0; r < 2; r++) {
			SAME(time[r].busy); SAME(time[r].cpu_user); SAME(time[r].cpu_sys);
			SAME(time[r].buffer_waits); SAME(time[r].lock_waits);
			SAME(time[r].other_sleeps);
		}
		same_cpu(&a->cpu, &b->cpu);
		ck_assert_int_eq(a->untraced, b->untraced);
		SAME(traced_mb_s_med); SAME(traced_mb_s_min); SAME(traced_mb_s_max);
		SAME(switch_ratio);
		ck_assert_int_eq(a->observer.measured, b->observer.measured);
		SAME(observer.workload_cpu_s);
		ck_assert_int_eq(a->observer.nprogs, b->observer.nprogs);
		for (unsigned int p = 0; p < a->observer.nprogs; p++) {
			ck_assert_str_eq(a->observer.prog[p].name, b->observer.prog[p].name);
			ck_assert_int_eq(a->observer.prog[p].run_ns, b->observer.prog[p].run_ns);
			ck_assert_int_eq(a->observer.prog[p].run_cnt, b->observer.prog[p].run_cnt);
		}
	}
	ck_assert(memcmp(&m.meta.profile, &back.meta.profile, sizeof(m.meta.profile)) == 0);
	ck_assert(back.meta.preempt_rt);
	ck_assert_int_eq(back.cells[1].cell.pattern, PAT_LOOP);
	report_model_free(&m);
	report_model_free(&back);
}
END_TEST

/*
 * A format 2 document, as the committed fixtures and older runs hold it,
 * loads: what format 3 added (waits by cause, time per message, RT) is
 * unmeasured, and the reports print it as such.
 */
START_TEST(format_2_loads_with_the_new_numbers_unmeasured)
{
	struct report_model m, back;
	json_t *doc, *c;
	char why[300] = "", *text = NULL;
	size_t i, len = 0;
	FILE *f;

	synthetic_model(&m);
	/* format 2 had no loop */
	m.cells[0].cell.pattern = m.cells[1].cell.pattern = PAT_STREAM;
	doc = report_json(&m, NULL);
	json_object_set_new(doc, "format_version", json_integer(2));
	json_object_del(doc, "kernel_preempt_rt");
	json_array_foreach(json_object_get(doc, "cells"), i, c) {
		json_object_del(c, "waits_by_cause");
		json_object_del(c, "time_us_per_message");
	}
	ck_assert_msg(results_schema_read(doc, "results.json", &back, why,
					  sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(report_model_judge(&back), 0);
	ck_assert(!back.meta.preempt_rt);
	ck_assert(isnan(back.cells[0].s.write_buffer_waits));
	ck_assert(isnan(back.cells[0].s.read_lock_wait_us));
	ck_assert(isnan(back.cells[0].s.time[ROLE_WRITER].busy));
	ck_assert(isnan(back.cells[1].s.time[ROLE_READER].other_sleeps));
	/* what was there is still there */
	ck_assert_double_eq_tol(back.cells[0].s.blocked_writes, 9.8, 1e-9);
	f = open_memstream(&text, &len);
	report_text(f, &back);
	fclose(f);
	ck_assert_ptr_null(strstr(text, "waits by cause"));
	ck_assert_ptr_null(strstr(text, "time per message"));
	ck_assert_ptr_nonnull(strstr(text, "verdicts:"));
	free(text);
	json_decref(doc);
	report_model_free(&m);
	report_model_free(&back);
}
END_TEST

/* results.json from before the profile: it loads, the profile absent */
START_TEST(files_without_the_profile_still_load)
{
	struct report_model m, back;
	json_t *doc;
	size_t i;
	json_t *c;
	char why[300] = "";

	synthetic_model(&m);
	doc = report_json(&m, NULL);
	json_object_del(doc, "profile");
	json_array_foreach(json_object_get(doc, "cells"), i, c)
		json_object_del(c, "cpu");
	ck_assert_msg(results_schema_read(doc, "results.json", &back, why,
					  sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(report_model_judge(&back), 0);
	ck_assert_int_eq(back.ncells, 2);
	ck_assert(!back.cells[0].s.cpu.have && !back.cells[1].s.cpu.have);
	ck_assert(!back.meta.profile.requested);
	ck_assert(!back.verdicts[0].cpu.said);
	/* a cpu list with something that is not a mechanism is named */
	c = json_array_get(json_object_get(doc, "cells"), 0);
	json_object_set_new(c, "cpu", json_pack("{s:f, s:n, s:n, s:n, s:n, s:i, s:i,"
		" s:[{s:s, s:i, s:f, s:f, s:f}]}", "us_per_write", 1.0,
		"writer_us_per_write", "reader_us_per_write", "us_per_write_min",
		"us_per_write_max", "samples", 5, "samples_at_irq_enable", 0,
		"by_mechanism", "name", "magic", "samples", 5, "share", 1.0,
		"us_per_write", 1.0, "se_us", 0.0));
	report_model_free(&back);
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[0].cpu.by_mechanism[0].name"
			 " names nothing ipctrace knows");
	json_decref(doc);
	report_model_free(&m);
}
END_TEST

/* what the reports print from the model read back is what they printed */
START_TEST(reports_render_the_same_after_reading_back)
{
	struct report_model m, back;
	char why[300] = "", *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	FILE *f1, *f2;

	synthetic_model(&m);
	ck_assert_msg(round_trip(&m, &back, why, sizeof(why)) == 0, "%s", why);
	f1 = open_memstream(&t1, &l1);
	f2 = open_memstream(&t2, &l2);
	report_text(f1, &m);
	report_csv(f1, &m);
	report_text(f2, &back);
	report_csv(f2, &back);
	fclose(f1);
	fclose(f2);
	ck_assert_str_eq(t1, t2);
	ck_assert_int_eq(m.nverdicts, 1);
	ck_assert_int_eq(back.nverdicts, 1);
	ck_assert_str_eq(m.verdicts[0].v.headline, back.verdicts[0].v.headline);
	/* the per-call part is judged again from the profile read back */
	ck_assert(m.verdicts[0].cpu.said);
	ck_assert_str_eq(m.verdicts[0].cpu.text, back.verdicts[0].cpu.text);
	ck_assert_ptr_nonnull(strstr(t1, "cpu: pipe spends less CPU per write than socketpair"));
	ck_assert_ptr_nonnull(strstr(t1, "profile: cpu-clock at 999 Hz on 2 CPUs"));
	free(t1);
	free(t2);
	report_model_free(&m);
	report_model_free(&back);
}
END_TEST

/* one bad field: named by its path, and nothing half-read is returned */
START_TEST(bad_fields_are_named)
{
	struct report_model m, back;
	json_t *doc, *cell;
	char why[300];

	synthetic_model(&m);
	doc = report_json(&m, NULL);
	cell = json_array_get(json_object_get(doc, "cells"), 1);
	json_object_set_new(cell, "msg_size", json_integer(-1));
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[1].msg_size is negative");
	ck_assert_ptr_null(back.cells);
	json_object_set_new(cell, "msg_size", json_real(1e300));
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[1].msg_size is not a whole number");
	json_object_set_new(cell, "msg_size", json_integer(65536));
	json_object_set_new(json_object_get(cell, "per_mb"), "cpu_ms", json_string("1"));
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[1].per_mb.cpu_ms is not"
			 " a number or null");
	json_decref(doc);
	report_model_free(&m);
}
END_TEST

/*
 * The observer's keys came with format 4: a malformed program entry is
 * named by its path, a format 4 file without them is malformed, and a
 * format 3 file (written before them) reads as unmeasured.
 */
START_TEST(observer_keys_of_format_4_and_checked)
{
	struct report_model m, back;
	json_t *doc, *cell, *prog;
	char why[300] = "";
	size_t i;

	synthetic_model(&m);
	doc = report_json(&m, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "format_version")),
			 RESULTS_FORMAT_VERSION);
	cell = json_array_get(json_object_get(doc, "cells"), 0);
	prog = json_array_get(json_object_get(json_object_get(cell, "observer"),
					      "programs"), 1);
	json_object_set_new(prog, "runs", json_string("many"));
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[0].observer.programs[1].runs"
			 " is not a whole number");
	json_array_foreach(json_object_get(doc, "cells"), i, cell) {
		json_object_del(cell, "observer");
		json_object_del(cell, "throughput_untraced");
		json_object_del(cell, "throughput_traced_mb_s");
	}
	ck_assert_int_eq(results_schema_read(doc, "results.json", &back, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "results.json: malformed: cells[0].throughput_untraced"
			 " is missing");
	/* nor the switches against untraced ones (format 5): unknown */
	json_array_foreach(json_object_get(doc, "cells"), i, cell)
		json_object_del(cell, "switches_traced_vs_untraced");
	json_object_set_new(doc, "format_version", json_integer(3));
	ck_assert_msg(results_schema_read(doc, "results.json", &back, why, sizeof(why)) == 0,
		      "%s", why);
	ck_assert(isnan(back.cells[0].s.switch_ratio));
	ck_assert(!back.cells[0].s.observer.measured);
	ck_assert_int_eq(back.cells[0].s.observer.nprogs, 0);
	ck_assert(!back.cells[0].s.untraced);
	ck_assert(isnan(back.cells[0].s.traced_mb_s_med));
	ck_assert(isnan(observer_cost_pct(&back.cells[0].s.observer)));
	json_decref(doc);
	report_model_free(&m);
	report_model_free(&back);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, model_survives_write_and_read);
	tcase_add_test(tc, reports_render_the_same_after_reading_back);
	tcase_add_test(tc, bad_fields_are_named);
	tcase_add_test(tc, format_2_loads_with_the_new_numbers_unmeasured);
	tcase_add_test(tc, files_without_the_profile_still_load);
	tcase_add_test(tc, observer_keys_of_format_4_and_checked);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
