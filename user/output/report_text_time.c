// SPDX-License-Identifier: GPL-2.0
/*
 * report_text_time.c - the parts of the terminal report that say where
 * the time went: the headline (the answer first), waits by cause and the
 * time per message, split. The labels are the glossary's (bpf/ipctrace.h).
 */
#include <math.h>
#include <string.h>
#include "report_text.h"
#include "sizes.h"
#include "time_split.h"

void report_text_headline(FILE *out, const struct report_model *m)
{
	for (int i = 0; i < m->headline.n; i++)
		fprintf(out, "%s\n", m->headline.line[i]);
	if (m->headline.n)
		fputc('\n', out);
}

static bool same_condition(const struct cell *a, const struct cell *b)
{
	return a->pattern == b->pattern && a->placement == b->placement;
}

void text_condition_heading(FILE *out, const struct report_model *m, size_t i)
{
	bool several = false;

	for (size_t k = 1; k < m->ncells; k++)
		several |= !same_condition(&m->cells[k].cell, &m->cells[0].cell);
	if (!several || (i > 0 && same_condition(&m->cells[i].cell,
						 &m->cells[i - 1].cell)))
		return;
	fprintf(out, "  %s, %s:\n", pattern_name(m->cells[i].cell.pattern),
		placement_name(m->cells[i].cell.placement));
}

static void row_start(FILE *out, const struct report_cell *rc)
{
	char msg[16], buf[16];

	format_size(rc->cell.msg_size, msg, sizeof(msg));
	cell_buffer_name(&rc->cell, buf, sizeof(buf));
	fprintf(out, "%6s %-8s %-10s", msg, buf, transport_name(rc->cell.transport));
}

/* a count per MB and the mean length of one: "  0.77     40" */
static void count_and_us(FILE *out, double count, double us)
{
	char a[16], b[16];

	fprintf(out, " %6s %6s", text_num(count, a, sizeof(a)),
		isnan(us) ? "-" : text_num(us, b, sizeof(b)));
}

void report_text_waits(FILE *out, const struct report_model *m)
{
	bool any = false, rt = m->meta.preempt_rt;

	for (size_t i = 0; i < m->ncells; i++)
		any |= !isnan(m->cells[i].s.write_buffer_waits);
	if (!any)
		return;
	fputc('\n', out);
	text_wrapped(out, "waits by cause, per MB, with the mean length of one in"
		     " us: ", "  ", rt ?
		     "bwt/rbwt = buffer waits in writes/reads (the channel full/"
		     "empty), lwt/rlwt = lock or fault waits in writes/reads (a"
		     " mutex, a socket lock, a fault inside the call), spin/rspin ="
		     " of those, spinlocks that sleep on PREEMPT_RT" :
		     "bwt/rbwt = buffer waits in writes/reads (the channel full/"
		     "empty), lwt/rlwt = lock or fault waits in writes/reads (a"
		     " mutex, a socket lock, a fault inside the call)");
	fprintf(out, "%6s %-8s %-10s %6s %6s %6s %6s %6s %6s %6s %6s%s\n", "msg",
		"buffer", "transport", "bwt", "us", "lwt", "us", "rbwt", "us", "rlwt",
		"us", rt ? "   spin  rspin" : "");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *rc = &m->cells[i];
		const struct cell_summary *s = &rc->s;
		char a[16], b[16];

		text_condition_heading(out, m, i);
		row_start(out, rc);
		count_and_us(out, s->write_buffer_waits, s->write_buffer_wait_us);
		count_and_us(out, s->write_lock_waits, s->write_lock_wait_us);
		count_and_us(out, s->read_buffer_waits, s->read_buffer_wait_us);
		count_and_us(out, s->read_lock_waits, s->read_lock_wait_us);
		if (rt)
			fprintf(out, " %6s %6s", text_num(s->write_rtlock_waits, a, sizeof(a)),
				text_num(s->read_rtlock_waits, b, sizeof(b)));
		fputc('\n', out);
	}
	if (rt)
		text_wrapped(out, "  ", "  ", "PREEMPT_RT: a contended spinlock_t"
			     " or rwlock_t (a wait-queue lock, the socket's state lock,"
			     " its queue lock) sleeps here instead of spinning, so"
			     " writes and reads wait for locks that on other kernels"
			     " would cost CPU time instead; pipe->mutex and the socket's"
			     " iolock sleep on every kernel.");
}

void report_text_times(FILE *out, const struct report_model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->ncells; i++)
		any |= !isnan(m->cells[i].s.time[ROLE_WRITER].busy);
	if (!any)
		return;
	fputc('\n', out);
	text_wrapped(out, "time per message, us: ", "  ", "a stream's write, a"
		     " loop's iteration, a ping-pong round, for the side that sets"
		     " the pace, the one that sleeps least (side: w = writer or the"
		     " loop's one thread, r = reader); time = its time at work = usr"
		     " + sys (its CPU, getrusage) + buf + lock (asleep in buffer"
		     " waits, in lock or fault waits) + other (asleep outside channel"
		     " calls) + prmpt (runnable, not running); cpu = every worker's"
		     " CPU");
	fprintf(out, "%6s %-8s %-10s %4s %6s %6s %6s %6s %6s %6s %6s %6s\n", "msg",
		"buffer", "transport", "side", "time", "usr", "sys", "buf", "lock",
		"other", "prmpt", "cpu");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *rc = &m->cells[i];
		enum role r = cell_busier_role(&rc->s);
		const struct role_time *t = &rc->s.time[r];
		double v[8] = { t->busy, t->cpu_user, t->cpu_sys, t->buffer_waits,
				t->lock_waits, t->other_sleeps,
				role_time_preempted(t), rc->s.cpu_us_per_msg };

		text_condition_heading(out, m, i);
		row_start(out, rc);
		fprintf(out, " %4s", r == ROLE_WRITER ? "w" : "r");
		for (int k = 0; k < 8; k++) {
			char a[16];

			fprintf(out, " %6s", text_num(v[k], a, sizeof(a)));
		}
		fputc('\n', out);
	}
}
