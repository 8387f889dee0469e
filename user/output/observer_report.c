// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include "observer_report.h"
#include "report_text.h"
#include "sizes.h"

#define WIDTH 98

void observer_text(FILE *out, const struct observer_cost *c, const char *whose)
{
	double pct = observer_cost_pct(c);
	int col;

	if (!c->measured) {
		fprintf(out, "observer cost: not measured (the kernel keeps no run time"
			" for BPF programs: BPF_ENABLE_STATS needs v5.8)\n");
		return;
	}
	if (isnan(pct)) {
		fprintf(out, "observer cost: ipctrace's programs ran %.2f ms; %s CPU time"
			" is unknown\n", (double)observer_cost_total_ns(c) / 1e6, whose);
		return;
	}
	fprintf(out, "observer cost: ipctrace's programs ran %.2f ms, %.1f%% of %s CPU"
		" time (%.3f s)\n", (double)observer_cost_total_ns(c) / 1e6, pct,
		whose, c->workload_cpu_s);
	if (pct > OBS_WARN_PCT)
		fprintf(out, "  ! above %.0f%%: these counts come from a run the tracing"
			" slowed\n", OBS_WARN_PCT);
	col = 0;
	for (unsigned int i = 0; i < c->nprogs; i++) {
		const struct prog_cost *p = &c->prog[i];
		char item[128];
		int w;

		if (!p->run_cnt)
			continue;
		w = snprintf(item, sizeof(item), "%s %.2f%% (%.0f ns x %llu)",
			     prog_cost_short_name(p->name), prog_cost_pct(c, p),
			     prog_cost_ns_per_run(p), (unsigned long long)p->run_cnt);
		if (col && col + 2 + w > WIDTH) {
			fprintf(out, ",\n");
			col = 0;
		}
		col += fprintf(out, "%s%s", col ? ", " : "  ", item);
	}
	fprintf(out, "\n");
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *observer_json(const struct observer_cost *c)
{
	json_t *progs = json_array();

	for (unsigned int i = 0; i < c->nprogs; i++) {
		const struct prog_cost *p = &c->prog[i];

		json_array_append_new(progs, json_pack("{s:s, s:I, s:I, s:o, s:o}",
			"program", p->name, "runs", (json_int_t)p->run_cnt,
			"run_ns", (json_int_t)p->run_ns,
			"ns_per_run", real_or_null(prog_cost_ns_per_run(p)),
			"share_pct", real_or_null(prog_cost_pct(c, p))));
	}
	return json_pack("{s:b, s:o, s:I, s:o, s:o}", "measured", c->measured,
			 "workload_cpu_s", c->workload_cpu_s > 0 ?
			 json_real(c->workload_cpu_s) : json_null(),
			 "run_ns", (json_int_t)observer_cost_total_ns(c),
			 "share_pct", real_or_null(observer_cost_pct(c)),
			 "programs", progs);
}

const char *observer_pct_cell(const struct observer_cost *c, char *buf, size_t len)
{
	double pct = observer_cost_pct(c);

	if (isnan(pct))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", pct);
	return buf;
}

/* the share and ns per run of the program on hook `hook`, or "-" */
static const char *prog_cell(const struct observer_cost *c, const char *hook,
			     double *pct_of_named, char *buf, size_t len)
{
	for (unsigned int i = 0; i < c->nprogs; i++) {
		const struct prog_cost *p = &c->prog[i];
		char ns[16];
		double pct;

		if (strcmp(prog_cost_short_name(p->name), hook) || !p->run_cnt)
			continue;
		pct = prog_cost_pct(c, p);
		*pct_of_named += pct;
		/* at most 13 columns, for a TCG guest's 158 us per run too */
		snprintf(buf, len, pct < 99.95 ? "%4.1f%% %s" : "%4.0f%% %s", pct,
			 format_ns(prog_cost_ns_per_run(p), ns, sizeof(ns)));
		return buf;
	}
	snprintf(buf, len, "-");
	return buf;
}

void observer_table(FILE *out, const struct report_model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->ncells; i++)
		any |= m->cells[i].s.observer.measured;
	if (!any)
		return;
	fprintf(out, "\nobserver cost: time in ipctrace's BPF programs (the kernel's"
		" BPF_ENABLE_STATS)\n  against the workers' CPU time, over the traced"
		" repetitions; MB/s above is of\n  untraced repetitions run next to"
		" them unless \"traced MB/s\" says -; sw x = the traced\n  repetitions'"
		" context switches over the untraced ones' (/proc status), 1.00x when"
		" tracing\n  left the scheduling alone\n");
	fprintf(out, "%6s %-8s %-10s %-8s %6s %11s %6s %13s %13s %6s\n", "msg", "buffer",
		"transport", "place", "cost", "traced MB/s", "sw x", "sched_switch",
		"sched_waking", "other");
	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *rc = &m->cells[i];
		const struct observer_cost *c = &rc->s.observer;
		char msg[16], buf[16], pct[16], sw[32], wk[32], tr[16], sx[16];
		double named = 0, total = observer_cost_pct(c), other;

		format_size(rc->cell.msg_size, msg, sizeof(msg));
		cell_buffer_name(&rc->cell, buf, sizeof(buf));
		if (isnan(rc->s.traced_mb_s_med))
			snprintf(tr, sizeof(tr), "-");
		else
			snprintf(tr, sizeof(tr), "%.0f", rc->s.traced_mb_s_med);
		if (isnan(rc->s.switch_ratio))
			snprintf(sx, sizeof(sx), "-");
		else
			snprintf(sx, sizeof(sx), "%.2fx", rc->s.switch_ratio);
		prog_cell(c, "sched_switch", &named, sw, sizeof(sw));
		prog_cell(c, "sched_waking", &named, wk, sizeof(wk));
		/* the rest: what rounding leaves of nothing is 0.0, not -0.0 */
		other = isnan(total) || fabs(total - named) < 0.05 ? 0 : total - named;
		/* "  loop, same-cpu:" when the cells differ in more than size */
		text_condition_heading(out, m, i);
		fprintf(out, "%6s %-8s %-10s %-8s %6s %11s %6s %13s %13s %5.1f%%%s\n", msg,
			buf, transport_name(rc->cell.transport),
			placement_short_name(rc->cell.placement),
			observer_pct_cell(c, pct, sizeof(pct)), tr, sx, sw, wk,
			other, total > OBS_WARN_PCT ? " !" : "");
	}
}
