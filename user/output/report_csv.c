// SPDX-License-Identifier: GPL-2.0
/* report_csv.c - one line per cell, for spreadsheets and scripts. */
#include <math.h>
#include "cell_stats.h"
#include "report_model.h"

static void field(FILE *out, double v)
{
	if (isnan(v))
		fputs(",", out);
	else
		fprintf(out, ",%.6g", v);
}

/* waits by cause (per MB, mean us) and time per message (us), at the end
 * of each line: columns only ever added after the older ones */
static void waits_and_time_header(FILE *out)
{
	fprintf(out, ",write_buffer_waits_per_mb,write_buffer_wait_us,"
		     "write_lock_fault_waits_per_mb,write_lock_fault_wait_us,"
		     "write_spinlock_waits_per_mb,read_buffer_waits_per_mb,"
		     "read_buffer_wait_us,read_lock_fault_waits_per_mb,"
		     "read_lock_fault_wait_us,read_spinlock_waits_per_mb,"
		     "message_unit,writer_us_per_message,writer_cpu_user_us,"
		     "writer_cpu_system_us,writer_buffer_wait_us_per_message,"
		     "writer_lock_fault_wait_us_per_message,"
		     "writer_other_sleep_us_per_message,writer_preempted_us,"
		     "cpu_us_per_message\n");
}

static void waits_and_time(FILE *out, const struct cell *cl,
			   const struct cell_summary *s)
{
	const struct role_time *t = &s->time[ROLE_WRITER];
	const double v[] = {
		s->write_buffer_waits, s->write_buffer_wait_us, s->write_lock_waits,
		s->write_lock_wait_us, s->write_rtlock_waits, s->read_buffer_waits,
		s->read_buffer_wait_us, s->read_lock_waits, s->read_lock_wait_us,
		s->read_rtlock_waits,
	};
	const double w[] = {
		t->busy, t->cpu_user, t->cpu_sys, t->buffer_waits, t->lock_waits,
		t->other_sleeps, role_time_preempted(t), s->cpu_us_per_msg,
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		field(out, v[i]);
	fprintf(out, ",%s", pattern_unit_name(cl->pattern));
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		field(out, w[i]);
	fputc('\n', out);
}

void report_csv(FILE *out, const struct report_model *m)
{
	fprintf(out, "transport,msg_size,buffer_requested,buffer_granted,placement,"
		     "pattern,repetitions,finished,bytes_per_rep,mb_s_median,"
		     "mb_s_min,mb_s_max,write_calls_per_mb,blocked_writes_per_mb,"
		     "blocked_reads_per_mb,writer_epoll_waits_per_mb,"
		     "reader_epoll_waits_per_mb,writer_waits_per_mb,reader_waits_per_mb,"
		     "wakeups_w2r_per_mb,wakeups_r2w_per_mb,voluntary_switches_per_mb,"
		     "involuntary_switches_per_mb,cpu_ms_per_mb,fill_used_mean,"
		     "fill_capacity_mean,fill_unit,wakeup_p50_us,wakeup_p99_us,"
		     "rtt_p50_us,rtt_p99_us,reconciled,lost_events");
	waits_and_time_header(out);
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *cr = &m->cells[i];
		const struct cell *cl = &cr->cell;
		struct cell_summary s = cr->s;

		fprintf(out, "%s,%llu,%llu,%llu,%s,%s,%u,%d,%llu",
			transport_name(cl->transport),
			(unsigned long long)cl->msg_size,
			(unsigned long long)cl->buffer,
			(unsigned long long)cr->grant.granted,
			placement_name(cl->placement), pattern_name(cl->pattern),
			cr->nreps, cr->finished, (unsigned long long)cr->bytes_per_rep);
		field(out, s.mb_s_med);
		field(out, s.mb_s_min);
		field(out, s.mb_s_max);
		field(out, s.write_calls);
		field(out, s.blocked_writes);
		field(out, s.blocked_reads);
		field(out, s.writer_epoll_waits);
		field(out, s.reader_epoll_waits);
		field(out, s.writer_waits);
		field(out, s.reader_waits);
		field(out, s.wake_w2r);
		field(out, s.wake_r2w);
		field(out, s.vol_switches);
		field(out, s.invol_switches);
		field(out, s.cpu_ms);
		field(out, s.have_fill ? s.fill_used_mean : NAN);
		field(out, s.have_fill ? s.fill_cap_mean : NAN);
		fprintf(out, ",%s", !s.have_fill ? "" : s.fill_in_slots ? "slots" : "bytes");
		field(out, s.wake_p50_us);
		field(out, s.wake_p99_us);
		field(out, s.rtt_p50_us);
		field(out, s.rtt_p99_us);
		fprintf(out, ",%s,%llu", !s.traced ? "" : s.recon_ok ? "yes" : "no",
			(unsigned long long)s.lost_events);
		waits_and_time(out, cl, &s);
	}
}
