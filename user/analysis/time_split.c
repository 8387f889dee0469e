// SPDX-License-Identifier: GPL-2.0
/* time_split.c - a cell's time and CPU per message as named terms (see
 * time_split.h for what each is). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "time_split.h"

static void add(struct terms *t, const char *name, enum term_kind kind,
		double us)
{
	if (t->n == TERMS_MAX || isnan(us))
		return;
	snprintf(t->t[t->n].name, sizeof(t->t[t->n].name), "%s", name);
	t->t[t->n].kind = kind;
	t->t[t->n].us = us;
	t->t[t->n].err_us = 0;
	t->n++;
}

const char *role_name(enum role r)
{
	return r == ROLE_WRITER ? "writer" : "reader";
}

/* time asleep in waits for the other side, per message */
static double waiting(const struct role_time *t)
{
	return t->buffer_waits + (isnan(t->other_sleeps) ? 0 : t->other_sleeps);
}

enum role cell_busier_role(const struct cell_summary *s)
{
	const struct role_time *w = &s->time[ROLE_WRITER], *r = &s->time[ROLE_READER];

	if (isnan(r->busy) || isnan(waiting(r)) || isnan(waiting(w)))
		return ROLE_WRITER;
	return waiting(r) < waiting(w) ? ROLE_READER : ROLE_WRITER;
}

#define SOURCE_COUNTERS "getrusage and BPF"

void cell_time_terms(const struct cell_summary *s, enum role r, struct terms *out)
{
	const struct role_time *w = &s->time[r];

	memset(out, 0, sizeof(*out));
	if (isnan(w->busy) || isnan(w->cpu_user) || isnan(w->cpu_sys))
		return;
	snprintf(out->source, sizeof(out->source), SOURCE_COUNTERS);
	add(out, "CPU in user space", TERM_CPU, w->cpu_user);
	add(out, "CPU in the kernel", TERM_CPU, w->cpu_sys);
	add(out, "buffer waits", TERM_BUFFER_WAIT, w->buffer_waits);
	add(out, "lock or fault waits", TERM_LOCK_WAIT, w->lock_waits);
	add(out, "other sleeps", TERM_OTHER_SLEEP, w->other_sleeps);
	/* what is left of the busy time; unmeasured sleeps stay in it */
	add(out, "preempted", TERM_PREEMPTED, w->busy - terms_sum(out, -1));
}

void cell_cpu_terms(const struct cell_summary *s, struct terms *out)
{
	static const char *const names[2][2] = {
		{ "writer, user space", "writer, kernel" },
		{ "reader, user space", "reader, kernel" },
	};

	memset(out, 0, sizeof(*out));
	if (isnan(s->time[ROLE_WRITER].cpu_user))
		return;
	snprintf(out->source, sizeof(out->source), "getrusage");
	for (int role = 0; role < 2; role++) {
		add(out, names[role][0], TERM_CPU, s->time[role].cpu_user);
		add(out, names[role][1], TERM_CPU, s->time[role].cpu_sys);
	}
}

double terms_sum(const struct terms *t, int kind)
{
	double sum = 0;

	for (size_t i = 0; i < t->n; i++)
		if (kind < 0 || t->t[i].kind == (enum term_kind)kind)
			sum += t->t[i].us;
	return sum;
}

static double term_us(const struct terms *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->t[i].name, name))
			return t->t[i].us;
	return 0;
}

bool terms_gap_text(const char *slow_name, const char *role_name,
		    const struct terms *slow, const struct terms *fast,
		    const char *unit, char *text, size_t len, enum term_kind *top)
{
	struct { const char *name; enum term_kind kind; double d; } g[2 * TERMS_MAX];
	double gap = terms_sum(slow, -1) - terms_sum(fast, -1);
	size_t ng = 0;
	int n;

	text[0] = '\0';
	if (!slow->n || !fast->n || !(gap > 0))
		return false;
	/* every term of either side, by name */
	for (int side = 0; side < 2; side++) {
		const struct terms *t = side ? fast : slow;

		for (size_t i = 0; i < t->n; i++) {
			bool seen = false;

			for (size_t k = 0; k < ng; k++)
				seen |= !strcmp(g[k].name, t->t[i].name);
			if (seen)
				continue;
			g[ng].name = t->t[i].name;
			g[ng].kind = t->t[i].kind;
			g[ng].d = term_us(slow, t->t[i].name) - term_us(fast, t->t[i].name);
			ng++;
		}
	}
	/* largest first */
	for (size_t i = 0; i < ng; i++)
		for (size_t j = i + 1; j < ng; j++)
			if (fabs(g[j].d) > fabs(g[i].d)) {
				__typeof__(g[0]) x = g[i];

				g[i] = g[j];
				g[j] = x;
			}
	if (top)
		*top = g[0].kind;
	n = snprintf(text, len, "of the %.3g us more per %s %s's %s takes:",
		     gap, unit, slow_name, role_name);
	for (size_t i = 0, k = 0; i < ng && n > 0 && (size_t)n < len; i++) {
		double a = fabs(g[i].d);

		if (a < 0.05 * gap)
			continue;
		n += snprintf(text + n, len - (size_t)n, "%s %s %+.*f us", k++ ? "," : "",
			      g[i].name, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3,
			      g[i].d);
	}
	if (n > 0 && (size_t)n < len)
		snprintf(text + n, len - (size_t)n, " (%s)", slow->source);
	return true;
}

int terms_top_kind(const struct terms *slow, const struct terms *fast,
		   bool allow_preempted)
{
	int best = -1;
	double most = 0;

	for (int k = TERM_CPU; k <= TERM_PREEMPTED; k++) {
		double d = terms_sum(slow, k) - terms_sum(fast, k);

		if (k == TERM_PREEMPTED && !allow_preempted)
			continue;
		if (d > most) {
			most = d;
			best = k;
		}
	}
	return best;
}
