// SPDX-License-Identifier: GPL-2.0
/* report_text.c - the terminal report of `ipctrace run`, at most 100 columns. */
#include <math.h>
#include <string.h>
#include "cell_stats.h"
#include "mechanisms.h"
#include "observer_report.h"
#include "report_model.h"
#include "report_text.h"
#include "sizes.h"
#include "verdict.h"

#define WIDTH REPORT_WIDTH
#define num text_num
#define wrapped text_wrapped

const char *text_num(double v, char *buf, size_t len)
{
	if (!isnan(v) && v >= 99999.5) {
		snprintf(buf, len, "%.0fk", v / 1000);
		return buf;
	}
	return format_num(v, "-", buf, len);
}

/*
 * Print text wrapped at WIDTH; lines after the first start with indent.
 * Runs of spaces inside the text are kept (tables in notes stay aligned).
 */
void text_wrapped(FILE *out, const char *first, const char *indent,
		  const char *text)
{
	size_t col = strlen(first), ind = strlen(indent);
	const char *p = text;

	fputs(first, out);
	while (*p) {
		size_t gap = strspn(p, " ");
		size_t word = strcspn(p + gap, " ");

		if (!word)
			break;
		if (col + gap + word > WIDTH && col > ind) {
			fputc('\n', out);
			fputs(indent, out);
			col = ind;
		} else {
			fwrite(p, 1, gap, out);
			col += gap;
		}
		fwrite(p + gap, 1, word, out);
		col += word;
		p += gap + word;
	}
	fputc('\n', out);
}

/*
 * Traced cells whose throughput is the traced runs' own: none had an
 * untraced run beside it (--no-untraced). Read from the cells, so that
 * `report` says the same of a saved run.
 */
static bool throughput_traced(const struct report_model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->ncells; i++) {
		const struct cell_summary *s = &m->cells[i].s;

		if (!s->traced || !s->nreps)
			continue;
		if (s->untraced)
			return false;
		any = true;
	}
	return any;
}

static void header(FILE *out, const struct report_model *m)
{
	const struct report_settings *c = &m->set;
	char bytes[64] = "", line[700];

	if (c->bytes)
		format_size(c->bytes, bytes, sizeof(bytes));
	else
		snprintf(bytes, sizeof(bytes), "%.2g s of the slowest transport",
			 c->duration);
	snprintf(line, sizeof(line), "%s I/O, %u pair%s as %s, %u repetitions"
		 " per cell, each moving the same bytes for every transport (%s),"
		 "%s workers as %s; kernel %s%s; attach: %s",
		 io_mode_name(c->io), c->pairs, c->pairs == 1 ? "" : "s",
		 c->threads ? "threads" : "processes", c->repeat, bytes,
		 throughput_traced(m) ? " all traced: MB/s and cpu/MB are of the"
		 " traced runs, which the tracing slowed (no untraced runs beside"
		 " them: --no-untraced);" : "",
		 m->meta.identity, m->meta.kernel,
		 m->meta.preempt_rt ? " (PREEMPT_RT: spinlocks sleep, see waits by"
		 " cause)" : "", m->meta.attach.mode);
	wrapped(out, "ipctrace run: ", "  ", line);
	if (m->interrupted)
		fprintf(out, "INTERRUPTED: cells never started are left out; * marks"
			     " cells with unfinished repetitions\n");
	fprintf(out, "MB = 10^6 bytes. Counters are per MB moved, summed over"
		     " all repetitions.\n");
}

static void throughput_table(FILE *out, const struct report_model *m)
{
	bool pingpong = false, costly = false, costly_traced = false;

	for (size_t i = 0; i < m->ncells; i++)
		pingpong |= m->cells[i].cell.pattern == PAT_PINGPONG;
	fprintf(out, "\n%-9s %-8s %6s %-8s %-10s %8s %8s %8s %7s %4s%s\n",
		"pattern", "place", "msg", "buffer", "transport", "MB/s", "min",
		"max", "cpu/MB", "reps", pingpong ? " rtt p50/p99us" : "");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *cr = &m->cells[i];
		const struct cell *cl = &cr->cell;
		const struct cell_summary *sp = &cr->s;
		char msg[16], buf[16], cpu[16], rtt[32] = "";

		format_size(cl->msg_size, msg, sizeof(msg));
		cell_buffer_name(cl, buf, sizeof(buf));
		if (!isnan(sp->rtt_p50_us))
			snprintf(rtt, sizeof(rtt), "  %.0f/%.0f", sp->rtt_p50_us,
				 sp->rtt_p99_us);
		fprintf(out, "%-9s %-8s %6s %-8s %-10s %8.0f %8.0f %8.0f %5sms %3u%s%s%s\n",
			pattern_name(cl->pattern),
			placement_short_name(cl->placement),
			msg, buf, transport_name(cl->transport), sp->mb_s_med,
			sp->mb_s_min, sp->mb_s_max, num(sp->cpu_ms, cpu, sizeof(cpu)),
			cr->nreps, cr->finished ? " " : "*",
			observer_cost_pct(&sp->observer) > OBS_WARN_PCT ? "!" : "", rtt);
		costly |= observer_cost_pct(&sp->observer) > OBS_WARN_PCT;
		costly_traced |= observer_cost_pct(&sp->observer) > OBS_WARN_PCT &&
				 !sp->untraced;
	}
	if (m->interrupted)
		fprintf(out, "* not all repetitions finished\n");
	if (costly)
		fprintf(out, "! observer cost above %.0f%% of the workers' CPU: the"
			" counters of that cell come from\n  traced runs it slowed (%s;"
			" see observer cost below)\n", OBS_WARN_PCT, costly_traced ?
			"their MB/s too: no untraced run beside them" :
			"MB/s is of untraced ones");
}

static void counters_table(FILE *out, const struct report_model *m)
{
	bool epoll = m->set.io == IO_EPOLL;

	fputc('\n', out);
	/* the labels of the glossary in bpf/ipctrace.h, one per counter */
	wrapped(out, "per MB: ", "  ", epoll ?
		"wr = write calls, ewt/rewt = epoll waits of the writer/reader"
		" (sleeps in epoll_wait), w>r r>w = wakeups between writer and"
		" reader, vcs/ics = (in)voluntary switches, fill = channel at block"
		" (slots or KiB), wake = wakeup-to-run latency p50/p99 in us" :
		"wr = write calls, blk = blocked writes (calls that slept for room),"
		" rblk = blocked reads (calls that slept for data), w>r r>w ="
		" wakeups between writer and reader, vcs/ics = (in)voluntary"
		" switches, fill = channel at block (slots or KiB), wake ="
		" wakeup-to-run latency p50/p99 in us");
	fprintf(out, "%6s %-8s %-10s %7s %6s %6s %6s %6s %6s %5s %9s %11s\n",
		"msg", "buffer", "transport", "wr", epoll ? "ewt" : "blk",
		epoll ? "rewt" : "rblk", "w>r", "r>w", "vcs", "ics", "fill", "wake");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *cr = &m->cells[i];
		const struct cell *cl = &cr->cell;
		struct cell_summary s = cr->s;
		char msg[16], buf[16], a[8][16], fill[24] = "-", wake[24] = "-";

		text_condition_heading(out, m, i);
		format_size(cl->msg_size, msg, sizeof(msg));
		cell_buffer_name(cl, buf, sizeof(buf));
		if (s.have_fill && s.fill_in_slots)
			snprintf(fill, sizeof(fill), "%.1f/%.0f", s.fill_used_mean,
				 s.fill_cap_mean);
		else if (s.have_fill)
			snprintf(fill, sizeof(fill), "%.0f/%.0fK",
				 s.fill_used_mean / 1024, s.fill_cap_mean / 1024);
		if (!isnan(s.wake_p50_us))
			snprintf(wake, sizeof(wake), "%.0f/%.0f", s.wake_p50_us,
				 s.wake_p99_us);
		fprintf(out, "%6s %-8s %-10s %7s %6s %6s %6s %6s %6s %5s %9s %11s%s\n",
			msg, buf, transport_name(cl->transport),
			num(s.write_calls, a[0], 16),
			num(epoll ? s.writer_epoll_waits : s.blocked_writes, a[1], 16),
			num(epoll ? s.reader_epoll_waits : s.blocked_reads, a[2], 16),
			num(s.wake_w2r, a[3], 16),
			num(s.wake_r2w, a[4], 16), num(s.vol_switches, a[5], 16),
			num(s.invol_switches, a[6], 16), fill, wake,
			s.traced && !s.recon_ok ? " !" : "");
		if (s.traced && !s.recon_ok) {
			char note[320];

			snprintf(note, sizeof(note), "%u check%s failed, first: %s",
				 s.recon_failed, s.recon_failed == 1 ? "" : "s",
				 s.recon_first);
			wrapped(out, "  ! MISMATCH: ", "    ", note);
		}
		if (s.lost_events)
			fprintf(out, "  ! %llu events lost: counts above are low\n",
				(unsigned long long)s.lost_events);
	}
}

/* ---- the CPU profile: per cell, CPU per write and where it went ---- */

/* "profile: ..." under the header: how it was taken, or why it was not */
static void profile_line(FILE *out, const struct report_model *m)
{
	const struct profile_info *p = &m->meta.profile;
	char line[500], cost[96] = "";

	if (!p->requested)
		return;
	if (!p->available) {
		wrapped(out, "profile unavailable: ", "  ", p->reason[0] ? p->reason : "?");
		return;
	}
	if (p->samples)
		snprintf(cost, sizeof(cost), ", %.0f ns each in the program",
			 (double)p->sample_ns / (double)p->samples);
	snprintf(line, sizeof(line), "cpu-clock at %u Hz on %u CPUs, watched"
		 " threads only: %llu samples%s%s", p->hz, p->ncpus,
		 (unsigned long long)p->samples, cost,
		 p->lost ? "; some stacks lost" : "");
	if (p->frames_unnamed)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "; kernel"
			 " frames unnamed (/proc/kallsyms shows no addresses: run as"
			 " root, or lower kernel.kptr_restrict), so mechanisms are unknown");
	wrapped(out, "profile: ", "  ", line);
}

/*
 * The top mechanisms of a cell, as many as fit in room columns, the rest
 * counted: "slab/skb 0.52, copy 0.21, +6 more". Room for the count is kept
 * while more follow.
 */
static void top_mechanisms(const struct cpu_split *c, size_t room, char *buf,
			   size_t len)
{
	const size_t more = 10;		/* ", +NN more" */
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < c->nmech; i++) {
		char item[48];
		size_t w = (size_t)snprintf(item, sizeof(item), "%s%s %.2f", i ? ", " : "",
					    mech_label(c->by[i].mech),
					    c->by[i].us_per_write);

		if (n + w + (i + 1 < c->nmech ? more : 0) > room) {
			snprintf(buf + n, len - n, "%s+%u more", i ? ", " : "",
				 c->nmech - i);
			return;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s", item);
	}
}

static void cpu_table(FILE *out, const struct report_model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->ncells; i++)
		any |= m->cells[i].s.cpu.have;
	if (!any)
		return;
	fputc('\n', out);
	wrapped(out, "cpu per write: ", "  ", "the workers' CPU (getrusage, writer +"
		" reader) per write call, split by where the profile's samples"
		" landed, in us per write; largest first");
	fprintf(out, "%6s %-8s %-10s %6s %7s  %s\n", "msg", "buffer", "transport",
		"us/wr", "samples", "by mechanism");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *cr = &m->cells[i];
		const struct cpu_split *c = &cr->s.cpu;
		char msg[16], buf[16], top[200];

		format_size(cr->cell.msg_size, msg, sizeof(msg));
		cell_buffer_name(&cr->cell, buf, sizeof(buf));
		text_condition_heading(out, m, i);
		if (!c->have) {
			fprintf(out, "%6s %-8s %-10s %6s %7s  -\n", msg, buf,
				transport_name(cr->cell.transport), "-", "-");
			continue;
		}
		top_mechanisms(c, WIDTH - 43, top, sizeof(top));
		fprintf(out, "%6s %-8s %-10s %6.2f %7llu  %s\n", msg, buf,
			transport_name(cr->cell.transport), c->us_per_write,
			(unsigned long long)c->samples, top);
	}
}

static void reconciliation_summary(FILE *out, const struct report_model *m)
{
	unsigned long checks = 0, failed = 0, bounded = 0, cells = m->ncells;
	unsigned long long skipped = 0;

	for (size_t i = 0; i < m->ncells; i++) {
		checks += m->cells[i].checks;
		failed += m->cells[i].s.recon_failed;
		bounded += m->cells[i].s.recon_bounded;
		skipped += m->cells[i].s.skipped_runs;
	}
	if (!checks)
		return;
	fprintf(out, "\nreconciliation: %lu checks over %lu cells (BPF against the"
		     " workload's own counts,\n/proc/PID/task/TID/status and io,"
		     " getrusage): %s\n", checks, cells,
		failed ? "SOME FAILED, marked ! above" :
		bounded ? "all exact but the call counts below" : "all exact");
	if (failed)
		fprintf(out, "  %lu of %lu failed\n", failed, checks);
	if (bounded) {
		char line[300];

		snprintf(line, sizeof(line), "%lu call counts are short by at most the"
			 " %llu runs of ipctrace's programs the kernel skipped (a"
			 " preemptible kernel skips a program already running on that"
			 " CPU): lower bounds there, not exact", bounded, skipped);
		wrapped(out, "  ", "  ", line);
	}
}

static void buffers_legend(FILE *out, const struct report_model *m)
{
	fprintf(out, "\nbuffers (requested -> granted):\n");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *cr = &m->cells[i];
		char req[16], line[320];
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			if (m->cells[j].cell.transport == cr->cell.transport &&
			    m->cells[j].cell.buffer == cr->cell.buffer)
				seen = true;
		if (seen)
			continue;
		char slots[32] = "";

		cell_buffer_name(&cr->cell, req, sizeof(req));
		if (cr->grant.capacity_slots)
			snprintf(slots, sizeof(slots), " (%llu slots)",
				 (unsigned long long)cr->grant.capacity_slots);
		snprintf(line, sizeof(line), "%-10s %-8s -> %llu bytes%s%s%s",
			 transport_name(cr->cell.transport), req,
			 (unsigned long long)cr->grant.granted, slots,
			 cr->grant.note[0] ? "; " : "", cr->grant.note);
		wrapped(out, "  ", "      ", line);
	}
}

/* the cost model of every placement x pattern the run covered */
static void cost_models(FILE *out, const struct report_model *m)
{
	fprintf(out, "\ncost model (time per MB = copy + switches x cost + syscalls x"
		     " cost, least squares):\n");
	for (int pat = 0; pat < PAT_COUNT; pat++) {
		for (int pl = 0; pl < PL_COUNT; pl++) {
			const struct cost_model *cm = &m->fits[pat][pl];
			char first[64], line[300];
			bool any = false;

			for (size_t i = 0; i < m->ncells; i++)
				any |= m->cells[i].cell.placement == (enum placement)pl &&
				       m->cells[i].cell.pattern == (enum pattern)pat;
			if (!any)
				continue;
			snprintf(first, sizeof(first), "  %s %s: ", pattern_name(pat),
				 placement_name(pl));
			if (cm->usable)
				snprintf(line, sizeof(line), "a context switch costs %.2g"
					 " +- %.1g us%s, a syscall %.2g +- %.1g us%s, copying"
					 " %.3g +- %.2g us per MB (+- one standard error; R^2 ="
					 " %.2f over %zu cells)", cm->switch_us,
					 cm->switch_se_us, cost_is_known(cm->switch_us,
					 cm->switch_se_us) ? "" : " (within its uncertainty:"
					 " never claimed)", cm->syscall_us, cm->syscall_se_us,
					 cost_is_known(cm->syscall_us, cm->syscall_se_us) ? "" :
					 " (within its uncertainty: never claimed)",
					 cm->copy_us_per_mb, cm->copy_se_us, cm->r2, cm->n);
			else if (cm->n >= COST_MIN_POINTS && cm->r2 != 0)
				snprintf(line, sizeof(line), "not used: %s (fitted: switch"
					 " %.2g +- %.1g us, syscall %.2g +- %.1g us, R^2 ="
					 " %.2f)", cm->why, cm->switch_us, cm->switch_se_us,
					 cm->syscall_us, cm->syscall_se_us, cm->r2);
			else
				snprintf(line, sizeof(line), "not used: %s", cm->why);
			wrapped(out, first, "      ", line);
		}
	}
}

static void verdicts(FILE *out, const struct report_model *m)
{
	fprintf(out, "\nverdicts:\n");
	for (size_t i = 0; i < m->nverdicts; i++) {
		const struct report_verdict *rv = &m->verdicts[i];
		const struct report_cell *a = &m->cells[rv->a];
		char first[160], msg[16], buf[16];

		format_size(a->cell.msg_size, msg, sizeof(msg));
		cell_buffer_name(&a->cell, buf, sizeof(buf));
		snprintf(first, sizeof(first), "  %s msg, %s buffer, %s %s: ",
			 msg, buf, placement_name(a->cell.placement),
			 pattern_name(a->cell.pattern));
		wrapped(out, first, "      ", rv->v.headline);
		if (rv->v.mechanism[0])
			wrapped(out, "      why: ", "      ", rv->v.mechanism);
		else if (rv->v.significant)
			wrapped(out, "      why: ", "      ", "no counter ipctrace"
				" measures differs enough to explain it");
		if (rv->time[0])
			wrapped(out, "      time: ", "      ", rv->time);
		if (rv->has_cost)
			wrapped(out, "      cost: ", "      ", rv->cost);
		if (rv->relation[0])
			wrapped(out, "      vs stream: ", "      ", rv->relation);
		if (rv->cpu.said)
			wrapped(out, "      cpu: ", "      ", rv->cpu.text);
	}
	if (!m->nverdicts)
		fprintf(out, "  none: no two transports of the same cell finished\n");
}

void report_text(FILE *out, const struct report_model *m)
{
	report_text_headline(out, m);
	header(out, m);
	profile_line(out, m);
	throughput_table(out, m);
	counters_table(out, m);
	report_text_waits(out, m);
	report_text_times(out, m);
	cpu_table(out, m);
	reconciliation_summary(out, m);
	observer_table(out, m);
	buffers_legend(out, m);
	cost_models(out, m);
	verdicts(out, m);
	if (m->error[0])
		wrapped(out, "\nstopped by an error: ", "  ", m->error);
	fprintf(out, "\n%s in %.0f s\n", m->interrupted ? "interrupted" :
		m->error[0] ? "failed" : "done", m->elapsed_s);
}
