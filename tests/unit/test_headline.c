// SPDX-License-Identifier: GPL-2.0
/*
 * test_headline.c - the answer first, on a synthetic model with a known
 * answer: pipe wins small writes by CPU, socketpair wins 64K because a
 * pipe writer waits for room, the winner flips between them, and the loop
 * says what a call costs alone. Also the measured split of a gap
 * (time_split.h) and the loop's relation to the stream cells.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report_model.h"
#include "tap_suite.h"
#include "time_split.h"

/* a traced cell: median throughput, a spread of +-5%, and its times */
struct spec {
	enum transport t;
	enum pattern pat;
	uint64_t msg, buf;
	double mb_s;
	/* us per message: the writer's and the reader's CPU (all kernel) and
	 * buffer waits; the busy time is their sum */
	double wcpu, wbuf, rcpu, rbuf;
	double write_waits;	/* buffer waits in writes per MB */
};

static void set_cell(struct report_cell *rc, const struct spec *sp, int group)
{
	struct cell_summary *s = &rc->s;
	double per[2][2] = { { sp->wcpu, sp->wbuf }, { sp->rcpu, sp->rbuf } };

	memset(rc, 0, sizeof(*rc));
	rc->cell = (struct cell){ .transport = sp->t, .msg_size = sp->msg,
				  .buffer = sp->buf, .placement = PL_UNPINNED,
				  .pattern = sp->pat, .group = group };
	rc->grant.granted = sp->t == TR_PIPE ? 65536 : 212992;
	rc->nreps = 5;
	rc->finished = true;
	rc->rep_mb_s = calloc(5, sizeof(double));
	for (int i = 0; i < 5; i++)
		rc->rep_mb_s[i] = sp->mb_s;
	s->nreps = 5;
	s->traced = s->ops_traced = true;
	s->recon_ok = true;
	s->mb_s_med = sp->mb_s;
	s->mb_s_min = sp->mb_s * 0.95;
	s->mb_s_max = sp->mb_s * 1.05;
	s->total_mb = 1000;
	s->write_calls = s->read_calls = s->messages = 1e6 / (double)sp->msg;
	s->write_buffer_waits = s->writer_waits = s->blocked_writes = sp->write_waits;
	s->read_buffer_waits = 1;
	s->write_lock_waits = s->read_lock_waits = 0;
	s->have_fill = true;
	s->fill_in_slots = sp->t == TR_PIPE;
	s->fill_cap_mean = sp->t == TR_PIPE ? 16 : 212992;
	s->wake_p50_us = s->wake_p99_us = s->rtt_p50_us = s->rtt_p99_us = NAN;
	s->write_buffer_wait_us = s->write_lock_wait_us = NAN;
	s->read_buffer_wait_us = s->read_lock_wait_us = NAN;
	for (int r = 0; r < 2; r++) {
		bool none = sp->pat == PAT_LOOP && r == ROLE_READER;

		s->time[r] = (struct role_time){
			.busy = none ? NAN : per[r][0] + per[r][1],
			.cpu_user = none ? NAN : 0, .cpu_sys = none ? NAN : per[r][0],
			.buffer_waits = none ? NAN : per[r][1],
			.lock_waits = none ? NAN : 0, .other_sleeps = none ? NAN : 0,
		};
	}
	s->cpu_us_per_msg = sp->wcpu + (sp->pat == PAT_LOOP ? 0 : sp->rcpu);
	s->cpu_ms = s->cpu_us_per_msg * s->messages / 1e3;
}

/*
 * stream: pipe wins 1000 (both buffers) and 4K (default; a tie at 1M), by
 * CPU: the socketpair's reader spends more per write; socketpair wins 64K
 * (both buffers): the pipe's writer waits for room. loop 1000: pipe.
 */
static const struct spec cells[] = {
	/* t, pat, msg, buf, MB/s, wcpu, wbuf, rcpu, rbuf, write waits */
	{ TR_PIPE, PAT_STREAM, 1000, 0, 2000, 0.30, 0.20, 0.45, 0.05, 0.5 },
	{ TR_SOCKETPAIR, PAT_STREAM, 1000, 0, 800, 0.40, 0.85, 1.20, 0.05, 0.4 },
	{ TR_PIPE, PAT_STREAM, 1000, 1 << 20, 2100, 0.30, 0.15, 0.42, 0.05, 0.1 },
	{ TR_SOCKETPAIR, PAT_STREAM, 1000, 1 << 20, 850, 0.40, 0.75, 1.12, 0.05, 0.1 },
	{ TR_PIPE, PAT_STREAM, 4096, 0, 3000, 1.00, 0.30, 1.30, 0.05, 0.3 },
	{ TR_SOCKETPAIR, PAT_STREAM, 4096, 0, 1500, 1.50, 1.10, 2.60, 0.05, 0.3 },
	{ TR_PIPE, PAT_STREAM, 4096, 1 << 20, 3000, 1.00, 0.30, 1.30, 0.05, 0.3 },
	{ TR_SOCKETPAIR, PAT_STREAM, 4096, 1 << 20, 2900, 1.10, 0.20, 1.40, 0.05, 0.3 },
	{ TR_PIPE, PAT_STREAM, 65536, 0, 1500, 5.00, 38.0, 6.00, 40.0, 10.5 },
	{ TR_SOCKETPAIR, PAT_STREAM, 65536, 0, 4500, 5.00, 9.50, 5.50, 9.0, 0.2 },
	{ TR_PIPE, PAT_STREAM, 65536, 1 << 20, 3000, 5.00, 15.0, 6.00, 16.0, 4.0 },
	{ TR_SOCKETPAIR, PAT_STREAM, 65536, 1 << 20, 6000, 5.00, 5.00, 5.50, 6.0, 0.2 },
	{ TR_PIPE, PAT_LOOP, 1000, 0, 2500, 0.40, 0.00, 0, 0, 0 },
	{ TR_SOCKETPAIR, PAT_LOOP, 1000, 0, 1000, 1.00, 0.00, 0, 0, 0 },
};
#define NCELLS (sizeof(cells) / sizeof(cells[0]))

static void synthetic_model(struct report_model *m)
{
	memset(m, 0, sizeof(*m));
	m->set.repeat = 5;
	m->ncells = NCELLS;
	m->cells = calloc(NCELLS, sizeof(*m->cells));
	for (size_t i = 0; i < NCELLS; i++)
		set_cell(&m->cells[i], &cells[i], (int)(i / 2));
	ck_assert_int_eq(report_model_judge(m), 0);
}

static const char *find_line(const struct headline *h, const char *needle)
{
	for (int i = 0; i < h->n; i++)
		if (strstr(h->line[i], needle))
			return h->line[i];
	return NULL;
}

/* the whole headline as one string, continuation lines joined */
static void joined(const struct headline *h, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < h->n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "",
				       h->line[i] + (h->line[i][0] == ' ' ? 2 : 0));
}

START_TEST(headline_says_who_wins_where_and_why)
{
	struct report_model m;
	char all[1400];

	synthetic_model(&m);
	ck_assert_int_le(m.headline.n, HEADLINE_LINES);
	ck_assert_int_ge(m.headline.n, 3);
	for (int i = 0; i < m.headline.n; i++)
		ck_assert_int_le(strlen(m.headline.line[i]), HEADLINE_WIDTH);
	joined(&m.headline, all, sizeof(all));
	/* who wins which sizes, by how much at most, and where it flips */
	ck_assert_msg(strstr(all, "pipe wins 1000 and 4K writes (up to 2.50x),"
			     " socketpair wins 64K writes (up to 3.00x); the winner"
			     " flips between 4K and 64K (stream, unpinned; some"
			     " buffers tie)"), "%s", all);
	/* the pipe's side: the socketpair spends more CPU per write */
	ck_assert_msg(strstr(all, "pipe's edge (1000, default): socketpair spends"
			     " 0.85 us more CPU per write (1.6 against 0.75 us)"),
		      "%s", all);
	/* the socketpair's side: a pipe writer waits for room */
	ck_assert_msg(strstr(all, "socketpair's edge (64K, default): a pipe writer"
			     " waits for room 10.5 times per MB against 0.20 (full at"
			     " 64 KiB against 208 KiB), 28 us more per write"), "%s", all);
	/* alone, one call's cost */
	ck_assert_msg(strstr(all, "alone (loop, 1000): a socketpair iteration takes"
			     " 0.6 us more than a pipe's (1 against 0.4 us)"), "%s", all);
	ck_assert_ptr_nonnull(find_line(&m.headline, "pipe wins"));
	ck_assert_str_eq(m.headline.line[0], "pipe wins 1000 and 4K writes (up to"
			 " 2.50x), socketpair wins 64K writes (up to 3.00x); the winner");
	report_model_free(&m);
}
END_TEST

/* the loop's verdict says how the stream cells of its size compare */
START_TEST(loop_verdict_relates_to_the_stream)
{
	struct report_model m;
	const struct report_verdict *rv;

	synthetic_model(&m);
	rv = report_verdict_of(&m, NCELLS - 2, NCELLS - 1);
	ck_assert_ptr_nonnull(rv);
	ck_assert_msg(strstr(rv->relation, "alone, a socketpair iteration takes 0.6"
			     " us more than a pipe's (1 against 0.4 us; CPU 1 against"
			     " 0.4 us); with a concurrent reader (stream, 1000, default"
			     " buffer) pipe wins 2.50x (0.5 against 1.25 us per write)"
			     " because socketpair spends"), "%s", rv->relation);
	/* stream verdicts have no relation */
	ck_assert_str_eq(report_verdict_of(&m, 0, 1)->relation, "");
	report_model_free(&m);
}
END_TEST

/* the measured split of a gap names its terms, largest first */
START_TEST(gap_split_term_by_term)
{
	struct report_model m;
	const struct report_verdict *rv;
	struct terms t;

	synthetic_model(&m);
	/* 64K, default: the pipe's writer (it sleeps less than its reader) */
	ck_assert_int_eq(cell_busier_role(&m.cells[8].s), ROLE_WRITER);
	/* 1000, default: the socketpair's reader sets the pace */
	ck_assert_int_eq(cell_busier_role(&m.cells[1].s), ROLE_READER);
	cell_time_terms(&m.cells[8].s, ROLE_WRITER, &t);
	ck_assert_double_eq_tol(terms_sum(&t, -1), 43.0, 1e-9);
	ck_assert_double_eq_tol(terms_sum(&t, TERM_BUFFER_WAIT), 38.0, 1e-9);
	ck_assert_double_eq_tol(terms_sum(&t, TERM_PREEMPTED), 0, 1e-9);
	rv = report_verdict_of(&m, 8, 9);
	ck_assert_msg(strstr(rv->time, "of the 28.5 us more per write pipe's writer"
			     " takes: buffer waits +28.5 us (getrusage and BPF)"),
		      "%s", rv->time);
	/* no times (an older results file): nothing claimed */
	m.cells[8].s.time[ROLE_WRITER].busy = NAN;
	cell_time_terms(&m.cells[8].s, ROLE_WRITER, &t);
	ck_assert_int_eq(t.n, 0);
	report_model_free(&m);
}
END_TEST

START_TEST(headline_without_verdicts)
{
	struct report_model m;

	memset(&m, 0, sizeof(m));
	m.cells = calloc(1, sizeof(*m.cells));
	ck_assert_int_eq(report_model_judge(&m), 0);
	ck_assert_int_eq(m.headline.n, 1);
	ck_assert_ptr_nonnull(strstr(m.headline.line[0], "nothing to compare"));
	report_model_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("headline");
	TCase *tc = tcase_create("headline");

	tcase_add_test(tc, headline_says_who_wins_where_and_why);
	tcase_add_test(tc, loop_verdict_relates_to_the_stream);
	tcase_add_test(tc, gap_split_term_by_term);
	tcase_add_test(tc, headline_without_verdicts);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
