// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sizes.h"
#include "time_split.h"
#include "verdict.h"

void format_capacity(const struct cell_summary *s, char *buf, size_t len)
{
	if (!s->have_fill) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (s->fill_in_slots)
		snprintf(buf, len, "%.0f KiB (%.0f slots)",
			 s->fill_cap_mean * 4096 / 1024, s->fill_cap_mean);
	else
		snprintf(buf, len, "%.0f KiB", s->fill_cap_mean / 1024);
}

/* how much bigger x is than y, robust to zeros: (x + e) / (y + e) */
static double factor(double x, double y, double e)
{
	if (isnan(x) || isnan(y))
		return 1;
	return (x + e) / (y + e);
}

static void fmt_num(double v, char *buf, size_t len)
{
	format_num(v, "n/a", buf, len);
}

/* a difference in us, two figures: "0.51", "3.2", "180" (never "1.8e+02") */
static const char *fmt_us(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) >= 100 ? "%.0f" : "%.2g", v);
	return buf;
}

struct reason {
	double strength;	/* how lopsided the counter is */
	char text[300];
};

static void add(struct reason *rs, int *n, double strength, const char *text)
{
	if (*n >= 4)
		return;
	rs[*n].strength = strength;
	snprintf(rs[*n].text, sizeof(rs[*n].text), "%s", text);
	(*n)++;
}

void verdict_compare(const char *name_a, const struct cell_summary *a,
		     const char *name_b, const struct cell_summary *b,
		     struct verdict *v)
{
	const struct cell_summary *fast, *slow;
	const char *fn, *sn;
	struct reason rs[4];
	int nr = 0;
	char x[32], y[32], t[300], ca[48], cb[48];
	double f;

	memset(v, 0, sizeof(*v));
	v->winner = -1;
	if (!a->nreps || !b->nreps || isnan(a->mb_s_med) || isnan(b->mb_s_med)) {
		snprintf(v->headline, sizeof(v->headline), "not comparable: a cell"
			 " has no completed repetition");
		return;
	}
	if (a->mb_s_med >= b->mb_s_med) {
		fast = a, slow = b, fn = name_a, sn = name_b;
	} else {
		fast = b, slow = a, fn = name_b, sn = name_a;
	}
	v->ratio = slow->mb_s_med > 0 ? fast->mb_s_med / slow->mb_s_med : INFINITY;
	v->significant = fast->mb_s_min > slow->mb_s_max;
	if (!v->significant) {
		snprintf(v->headline, sizeof(v->headline),
			 "no significant difference: %s %.0f MB/s (%.0f-%.0f) vs"
			 " %s %.0f MB/s (%.0f-%.0f), the ranges overlap",
			 fn, fast->mb_s_med, fast->mb_s_min, fast->mb_s_max,
			 sn, slow->mb_s_med, slow->mb_s_min, slow->mb_s_max);
		return;
	}
	v->winner = fast == a ? 0 : 1;
	snprintf(v->headline, sizeof(v->headline),
		 "%s %.2fx faster: %.0f MB/s (%.0f-%.0f) vs %s %.0f MB/s"
		 " (%.0f-%.0f)", fn, v->ratio, fast->mb_s_med, fast->mb_s_min,
		 fast->mb_s_max, sn, slow->mb_s_med, slow->mb_s_min,
		 slow->mb_s_max);

	/* the loser had to wait for room far more often */
	f = factor(slow->writer_waits, fast->writer_waits, 0.05);
	/* twice as often, and often enough to matter: half a wait per MB */
	if (f >= 2 && slow->writer_waits - fast->writer_waits >= 0.5) {
		bool epoll = slow->writer_epoll_waits > slow->blocked_writes;

		fmt_num(slow->writer_waits, x, sizeof(x));
		fmt_num(fast->writer_waits, y, sizeof(y));
		format_capacity(slow, ca, sizeof(ca));
		format_capacity(fast, cb, sizeof(cb));
		snprintf(t, sizeof(t), "%s writer %s %s times per MB against %s"
			 " for %s; capacity at block %s against %s", sn,
			 epoll ? "waited in epoll_wait" : "blocked", x, y, fn, ca, cb);
		add(rs, &nr, f, t);
	}
	f = factor(slow->vol_switches, fast->vol_switches, 0.1);
	if (f >= 1.5 && slow->vol_switches - fast->vol_switches >= 1) {
		fmt_num(slow->vol_switches, x, sizeof(x));
		fmt_num(fast->vol_switches, y, sizeof(y));
		snprintf(t, sizeof(t), "%s made %s voluntary context switches per MB"
			 " against %s", sn, x, y);
		add(rs, &nr, f, t);
	}
	f = factor(slow->cpu_ms, fast->cpu_ms, 0.01);
	if (f >= 1.2) {
		/* waiting did not differ much: the cost is in the calls */
		bool same_wait = factor(slow->writer_waits, fast->writer_waits, 0.05) < 1.5 &&
				 factor(slow->vol_switches, fast->vol_switches, 0.1) < 1.5;
		char px[32], py[32];

		fmt_num(slow->cpu_ms, x, sizeof(x));
		fmt_num(fast->cpu_ms, y, sizeof(y));
		fmt_num(slow->cpu_ms * 1e3 / slow->write_calls, px, sizeof(px));
		fmt_num(fast->cpu_ms * 1e3 / fast->write_calls, py, sizeof(py));
		snprintf(t, sizeof(t), "%s spent %s ms of CPU per MB against %s (%s us"
			 " per write, all workers, against %s)%s", sn,
			 x, y, px, py, same_wait ? ": the cost is in each call, not"
			 " in waiting" : "");
		add(rs, &nr, same_wait ? f * 1.5 : f * 0.5, t);
	}
	f = factor(slow->wake_p50_us, fast->wake_p50_us, 0.1);
	if (f >= 1.5) {
		fmt_num(slow->wake_p50_us, x, sizeof(x));
		fmt_num(fast->wake_p50_us, y, sizeof(y));
		snprintf(t, sizeof(t), "%s wakeups took %s us to run (p50) against %s",
			 sn, x, y);
		add(rs, &nr, f * 0.5, t);
	}
	/* strongest first, at most two */
	for (int i = 0; i < nr; i++)
		for (int j = i + 1; j < nr; j++)
			if (rs[j].strength > rs[i].strength) {
				struct reason tmp = rs[i];

				rs[i] = rs[j];
				rs[j] = tmp;
			}
	for (int i = 0; i < nr && i < 2; i++)
		snprintf(v->mechanism + strlen(v->mechanism),
			 sizeof(v->mechanism) - strlen(v->mechanism), "%s%s",
			 i ? "; " : "", rs[i].text);
}

/* did slow's writer wait for room far more often than fast's? twice as
 * often, and half a wait per MB more: the criterion of the counters' reason */
static bool blocked_more(const struct cell_summary *slow, const struct cell_summary *fast)
{
	return factor(slow->writer_waits, fast->writer_waits, 0.05) >= 2 &&
	       slow->writer_waits - fast->writer_waits >= 0.5;
}

/* a writer's capacity at block, short: "64 KiB" */
static void capacity_kib(const struct cell_summary *s, char *buf, size_t len)
{
	snprintf(buf, len, "%.0f KiB", s->fill_in_slots ? s->fill_cap_mean * 4 :
		 s->fill_cap_mean / 1024);
}

bool verdict_top_mechanism(const char *slow_name, const struct cell_summary *slow,
			   const char *fast_name, const struct cell_summary *fast,
			   const char *unit, char *text, size_t len)
{
	enum role r = cell_busier_role(slow);
	const struct role_time *ts_ = &slow->time[r], *tf_ = &fast->time[r];
	struct terms ts, tf;
	int top;
	char gap[400], x[32], y[32], ca[48], cb[48], d[32];
	int n;

	cell_time_terms(slow, r, &ts);
	cell_time_terms(fast, r, &tf);
	text[0] = '\0';
	if (!terms_gap_text(slow_name, role_name(r), &ts, &tf, unit, gap, sizeof(gap),
			    NULL))
		return false;
	/* waiting for a CPU is the transport's doing only when it meant
	 * being preempted more often */
	top = terms_top_kind(&ts, &tf, slow->invol_switches > fast->invol_switches);
	/*
	 * The side that sets the pace waits in a buffer wait for the other
	 * side: that is the capacity's doing when the slower writer met a
	 * full channel far more often (blocked_more()), else the other side's
	 * work, which is CPU when the workers' CPU grew.
	 */
	if (top == TERM_BUFFER_WAIT && !blocked_more(slow, fast) &&
	    slow->cpu_us_per_msg > fast->cpu_us_per_msg)
		top = TERM_CPU;
	switch (top) {
	case -1:
		return false;
	case TERM_CPU:
		/* every worker's CPU: a transport's cost is on both sides */
		snprintf(text, len, "%s spends %s us more CPU per %s (%.3g"
			 " against %.3g us)", slow_name,
			 fmt_us(slow->cpu_us_per_msg - fast->cpu_us_per_msg, d, sizeof(d)), unit,
			 slow->cpu_us_per_msg, fast->cpu_us_per_msg);
		break;
	case TERM_BUFFER_WAIT: {
		/* the capacity: the writer waited for room; else (a ping-pong
		 * client, a loop) the wait for data */
		bool writes = blocked_more(slow, fast);
		bool fill = writes && slow->have_fill && fast->have_fill;

		fmt_num(writes ? slow->writer_waits : slow->read_buffer_waits, x, sizeof(x));
		fmt_num(writes ? fast->writer_waits : fast->read_buffer_waits, y, sizeof(y));
		capacity_kib(slow, ca, sizeof(ca));
		capacity_kib(fast, cb, sizeof(cb));
		n = snprintf(text, len, "a %s %s waits for %s %s times per MB against"
			     " %s", slow_name, writes ? "writer" : role_name(r),
			     writes ? "room" : "data", x, y);
		if (n > 0 && (size_t)n < len && fill)
			n += snprintf(text + n, len - (size_t)n, " (full at %s against"
				      " %s)", ca, cb);
		if (n > 0 && (size_t)n < len)
			snprintf(text + n, len - (size_t)n, ", %s us more per %s",
				 fmt_us(ts_->buffer_waits - tf_->buffer_waits, d, sizeof(d)),
				 unit);
		break;
	}
	case TERM_LOCK_WAIT:
		fmt_num(slow->write_lock_waits + slow->read_lock_waits, x, sizeof(x));
		fmt_num(fast->write_lock_waits + fast->read_lock_waits, y, sizeof(y));
		snprintf(text, len, "%s's %s sleeps %s us more per %s on locks or"
			 " faults inside its calls (%s lock or fault waits per MB against"
			 " %s for %s)", slow_name, role_name(r),
			 fmt_us(ts_->lock_waits - tf_->lock_waits, d, sizeof(d)), unit, x, y,
			 fast_name);
		break;
	case TERM_PREEMPTED:
		fmt_num(slow->invol_switches, x, sizeof(x));
		fmt_num(fast->invol_switches, y, sizeof(y));
		snprintf(text, len, "%s's %s waits %s us more per %s for a CPU (%s"
			 " involuntary switches per MB against %s)", slow_name,
			 role_name(r), fmt_us(role_time_preempted(ts_) -
					      role_time_preempted(tf_), d, sizeof(d)),
			 unit, x, y);
		break;
	case TERM_OTHER_SLEEP:
		fmt_num(slow->writer_epoll_waits + slow->reader_epoll_waits, x, sizeof(x));
		fmt_num(fast->writer_epoll_waits + fast->reader_epoll_waits, y, sizeof(y));
		snprintf(text, len, "%s's %s sleeps %s us more per %s outside its"
			 " calls (%s epoll waits per MB against %s)", slow_name,
			 role_name(r), fmt_us(ts_->other_sleeps - tf_->other_sleeps, d,
					      sizeof(d)), unit, x, y);
		break;
	}
	return true;
}
