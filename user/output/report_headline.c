// SPDX-License-Identifier: GPL-2.0
/*
 * report_headline.c - the answer first: which transport wins which message
 * sizes and buffers on this machine, where the winner flips, the one
 * mechanism behind each side in numbers, and what the loop (one thread,
 * no switching) says alone. Computed once from the judged model, like the
 * verdicts; the reports print it first.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_model.h"
#include "sizes.h"

/* ---- the loop against the stream ---- */

/* the cell of transport t like cl but with pattern pat; SIZE_MAX if none */
static size_t cell_like(const struct report_model *m, const struct cell *cl,
			enum transport t, enum pattern pat)
{
	struct cell want = *cl;

	want.transport = t;
	want.pattern = pat;
	for (size_t i = 0; i < m->ncells; i++)
		if (cell_equal(&m->cells[i].cell, &want))
			return i;
	return SIZE_MAX;
}

/* time per message from the median throughput: us */
static double us_per_msg(const struct report_cell *rc)
{
	return rc->s.mb_s_med > 0 ? (double)rc->cell.msg_size / rc->s.mb_s_med : NAN;
}

/* "alone, a socketpair iteration costs 0.81 us more than a pipe's (1.95
 * against 1.14 us)", or the same within the spread */
static void alone_text(const struct report_model *m, const struct report_verdict *rv,
		       bool with_cpu, char *buf, size_t len)
{
	const struct report_cell *a = &m->cells[rv->a], *b = &m->cells[rv->b];
	const struct report_cell *slow = rv->v.winner ? a : b;
	const struct report_cell *fast = rv->v.winner ? b : a;

	int n;

	if (!rv->v.significant)
		n = snprintf(buf, len, "alone, %s and %s iterations differ within"
			     " the spread (%.3g and %.3g us", transport_name(
			     a->cell.transport), transport_name(b->cell.transport),
			     us_per_msg(a), us_per_msg(b));
	else
		n = snprintf(buf, len, "alone, a %s iteration takes %.2g us more than"
			     " a %s's (%.3g against %.3g us",
			     transport_name(slow->cell.transport),
			     us_per_msg(slow) - us_per_msg(fast),
			     transport_name(fast->cell.transport), us_per_msg(slow),
			     us_per_msg(fast));
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, with_cpu ? "; CPU %.3g %s %.3g us)" :
			 ")", rv->v.significant ? slow->s.cpu_us_per_msg :
			 a->s.cpu_us_per_msg, rv->v.significant ? "against" : "and",
			 rv->v.significant ? fast->s.cpu_us_per_msg : b->s.cpu_us_per_msg);
}

void report_relate_loop(const struct report_model *m, struct report_verdict *rv)
{
	const struct report_cell *a = &m->cells[rv->a], *b = &m->cells[rv->b];
	const struct report_verdict *sv;
	size_t sa, sb;
	char alone[300], msg[16], bufname[16];
	int n;

	rv->relation[0] = '\0';
	if (a->cell.pattern != PAT_LOOP)
		return;
	alone_text(m, rv, true, alone, sizeof(alone));
	sa = cell_like(m, &a->cell, a->cell.transport, PAT_STREAM);
	sb = cell_like(m, &a->cell, b->cell.transport, PAT_STREAM);
	sv = sa != SIZE_MAX && sb != SIZE_MAX ? report_verdict_of(m, sa, sb) : NULL;
	n = snprintf(rv->relation, sizeof(rv->relation), "%s", alone);
	if (!sv || n < 0 || (size_t)n >= sizeof(rv->relation))
		return;
	format_size(a->cell.msg_size, msg, sizeof(msg));
	cell_buffer_name(&a->cell, bufname, sizeof(bufname));
	if (!sv->v.significant) {
		snprintf(rv->relation + n, sizeof(rv->relation) - (size_t)n, "; with a"
			 " concurrent reader (stream, %s, %s buffer) neither wins beyond"
			 " the spread", msg, bufname);
		return;
	}
	{
		const struct report_cell *x = &m->cells[sv->a], *y = &m->cells[sv->b];
		const struct report_cell *win = sv->v.winner ? y : x;
		const struct report_cell *lose = sv->v.winner ? x : y;

		snprintf(rv->relation + n, sizeof(rv->relation) - (size_t)n, "; with a"
			 " concurrent reader (stream, %s, %s buffer) %s wins %.2fx (%.3g"
			 " against %.3g us per write)%s%s", msg, bufname,
			 transport_name(win->cell.transport), sv->v.ratio,
			 us_per_msg(win), us_per_msg(lose), sv->top[0] ? " because " : "",
			 sv->top);
	}
}

/* ---- the headline ---- */

/* wrap one sentence into h's lines (continuations indented); false, and h
 * untouched, when it does not fit in the lines left */
static bool put(struct headline *h, const char *text)
{
	struct headline t = *h;
	const char *p = text;
	size_t col = 0;
	char *line = NULL;

	while (*p) {
		size_t skip = strspn(p, " "), word = strcspn(p + skip, " ");
		size_t gap = skip;

		if (!word)
			break;
		if (!line || col + gap + word > HEADLINE_WIDTH) {
			if (t.n == HEADLINE_LINES || word + 2 > HEADLINE_WIDTH)
				return false;
			line = t.line[t.n++];
			col = (size_t)snprintf(line, HEADLINE_WIDTH + 1, "%s",
					       t.n == h->n + 1 ? "" : "  ");
			gap = 0;	/* no space at the start of a line */
		}
		memset(line + col, ' ', gap);
		memcpy(line + col + gap, p + skip, word);
		col += gap + word;
		line[col] = '\0';
		p += skip + word;
	}
	*h = t;
	return true;
}

/* the verdicts of one condition between two transports */
struct outcome {
	uint64_t msg, buf;
	int winner;		/* a transport, or -1 */
	const struct report_verdict *rv;
};

struct scope {
	enum pattern pat;
	enum placement pl;
	enum transport t[2];
	struct outcome o[256];
	size_t n;
	uint64_t msgs[64];
	size_t nmsgs;
};

static bool verdict_in(const struct report_model *m, const struct report_verdict *rv,
		       enum pattern pat, enum placement pl)
{
	const struct cell *c = &m->cells[rv->a].cell;

	return c->pattern == pat && c->placement == pl;
}

/* the condition most verdicts speak of: stream first, then any */
static bool pick_scope(const struct report_model *m, struct scope *sc)
{
	size_t best = 0;

	memset(sc, 0, sizeof(*sc));
	for (int pass = 0; pass < 2 && !best; pass++)
		for (int pat = 0; pat < PAT_COUNT; pat++)
			for (int pl = 0; pl < PL_COUNT; pl++) {
				size_t k = 0;

				if ((pass == 0) != (pat == PAT_STREAM))
					continue;
				for (size_t i = 0; i < m->nverdicts; i++)
					k += verdict_in(m, &m->verdicts[i], pat, pl);
				if (k > best) {
					best = k;
					sc->pat = pat;
					sc->pl = pl;
				}
			}
	if (!best)
		return false;
	for (size_t i = 0; i < m->nverdicts; i++) {
		const struct report_verdict *rv = &m->verdicts[i];
		const struct report_cell *a = &m->cells[rv->a], *b = &m->cells[rv->b];

		if (!verdict_in(m, rv, sc->pat, sc->pl))
			continue;
		/* the first pair met is the pair the headline speaks of */
		if (!sc->n) {
			sc->t[0] = a->cell.transport;
			sc->t[1] = b->cell.transport;
		}
		if (a->cell.transport != sc->t[0] || b->cell.transport != sc->t[1] ||
		    sc->n == sizeof(sc->o) / sizeof(sc->o[0]))
			continue;
		sc->o[sc->n++] = (struct outcome){
			.msg = a->cell.msg_size, .buf = a->cell.buffer, .rv = rv,
			.winner = rv->v.winner < 0 ? -1 : (int)(rv->v.winner ?
				  b->cell.transport : a->cell.transport),
		};
		{
			bool seen = false;

			for (size_t k = 0; k < sc->nmsgs; k++)
				seen |= sc->msgs[k] == a->cell.msg_size;
			if (!seen && sc->nmsgs < 64)
				sc->msgs[sc->nmsgs++] = a->cell.msg_size;
		}
	}
	/* sizes ascending */
	for (size_t i = 0; i < sc->nmsgs; i++)
		for (size_t j = i + 1; j < sc->nmsgs; j++)
			if (sc->msgs[j] < sc->msgs[i]) {
				uint64_t x = sc->msgs[i];

				sc->msgs[i] = sc->msgs[j];
				sc->msgs[j] = x;
			}
	return true;
}

/* who wins messages of size msg: a transport at every buffer that shows a
 * difference, -1 when none does, -2 when it depends on the buffer */
static int size_winner(const struct scope *sc, uint64_t msg, double *best_ratio,
		       bool *some_tie)
{
	int w = -1;

	*best_ratio = 0;
	*some_tie = false;
	for (size_t i = 0; i < sc->n; i++) {
		const struct outcome *o = &sc->o[i];

		if (o->msg != msg)
			continue;
		if (o->winner < 0) {
			*some_tie = true;
			continue;
		}
		if (w >= 0 && w != o->winner)
			w = -2;
		else if (w != -2)
			w = o->winner;
		if (o->rv->v.ratio > *best_ratio)
			*best_ratio = o->rv->v.ratio;
	}
	return w;
}

/* "1000, 4K and 64K" */
static void list_sizes(const uint64_t *v, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at < len; i++) {
		char s[16];

		format_size(v[i], s, sizeof(s));
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       i == 0 ? "" : i + 1 == n ? " and " : ", ", s);
	}
}

/* the first sentence: who wins which sizes, where it flips */
static void answer(const struct scope *sc, char *buf, size_t len)
{
	uint64_t wins[2][64], mixed[64], tied[64];
	size_t nw[2] = { 0, 0 }, nmixed = 0, ntied = 0, at;
	double top[2] = { 0, 0 };
	int prev = -1;
	uint64_t prev_msg = 0;
	char flips[200] = "", list[160];
	bool any_tie = false;

	for (size_t i = 0; i < sc->nmsgs; i++) {
		double r;
		bool tie;
		int w = size_winner(sc, sc->msgs[i], &r, &tie);

		any_tie |= tie && w >= 0;
		if (w == -2) {
			mixed[nmixed++] = sc->msgs[i];
			continue;
		}
		if (w == -1) {
			tied[ntied++] = sc->msgs[i];
			continue;
		}
		{
			int side = w == (int)sc->t[0] ? 0 : 1;

			wins[side][nw[side]++] = sc->msgs[i];
			if (r > top[side])
				top[side] = r;
			if (prev >= 0 && prev != w && !flips[0]) {
				char x[16], y[16];

				format_size(prev_msg, x, sizeof(x));
				format_size(sc->msgs[i], y, sizeof(y));
				snprintf(flips, sizeof(flips), "; the winner flips between %s"
					 " and %s", x, y);
			}
			prev = w;
			prev_msg = sc->msgs[i];
		}
	}
	at = 0;
	for (int side = 0; side < 2 && at < len; side++) {
		if (!nw[side])
			continue;
		list_sizes(wins[side], nw[side], list, sizeof(list));
		at += (size_t)snprintf(buf + at, len - at, "%s%s wins %s writes (up to"
				       " %.2fx)", at ? ", " : "",
				       transport_name(sc->t[side]), list, top[side]);
	}
	if (nmixed && at < len) {
		list_sizes(mixed, nmixed, list, sizeof(list));
		at += (size_t)snprintf(buf + at, len - at, "%sat %s the winner depends"
				       " on the buffer", at ? "; " : "", list);
	}
	if (ntied && at < len) {
		list_sizes(tied, ntied, list, sizeof(list));
		at += (size_t)snprintf(buf + at, len - at, "%sno significant difference"
				       " at %s", at ? "; " : "", list);
	}
	if (at < len)
		at += (size_t)snprintf(buf + at, len - at, "%s (%s, %s%s)", flips,
				       pattern_name(sc->pat), placement_name(sc->pl),
				       any_tie ? "; some buffers tie" :
				       nmixed ? "" : "; at every buffer");
}

/* "pipe's edge (1000, default): socketpair spends 1.4 us more CPU ..." */
static bool edge(const struct report_model *m, const struct scope *sc, int side,
		 char *buf, size_t len)
{
	const struct outcome *best = NULL;
	char msg[16], bufname[16], why[320];

	for (size_t i = 0; i < sc->n; i++)
		if (sc->o[i].winner == (int)sc->t[side] &&
		    (!best || sc->o[i].rv->v.ratio > best->rv->v.ratio))
			best = &sc->o[i];
	if (!best)
		return false;
	if (best->rv->top[0])
		snprintf(why, sizeof(why), "%s", best->rv->top);
	else	/* an older results file: the counters' first reason */
		snprintf(why, sizeof(why), "%.*s", (int)strcspn(best->rv->v.mechanism, ";"),
			 best->rv->v.mechanism);
	if (!why[0])
		return false;
	format_size(best->msg, msg, sizeof(msg));
	cell_buffer_name(&m->cells[best->rv->a].cell, bufname, sizeof(bufname));
	snprintf(buf, len, "%s's edge (%s, %s): %s", transport_name(sc->t[side]),
		 msg, bufname, why);
	return true;
}

/* the loop verdict of the same placement: what one call costs alone */
static bool loop_line(const struct report_model *m, const struct scope *sc,
		      char *buf, size_t len)
{
	for (size_t i = 0; i < m->nverdicts; i++) {
		const struct report_verdict *rv = &m->verdicts[i];
		const struct cell *c = &m->cells[rv->a].cell;
		char alone[300], msg[16];

		if (c->pattern != PAT_LOOP || c->placement != sc->pl ||
		    sc->pat == PAT_LOOP)
			continue;
		alone_text(m, rv, false, alone, sizeof(alone));
		format_size(c->msg_size, msg, sizeof(msg));
		/* "alone, ..." -> "alone (loop, 1000 B): ..." */
		snprintf(buf, len, "alone (loop, %s): %s", msg,
			 strncmp(alone, "alone, ", 7) ? alone : alone + 7);
		return true;
	}
	return false;
}

void report_headline(const struct report_model *m, struct headline *h)
{
	struct scope *sc = calloc(1, sizeof(*sc));
	char text[700];

	memset(h, 0, sizeof(*h));
	if (!sc || !pick_scope(m, sc)) {
		put(h, "no two transports of the same cell finished: nothing to compare");
		free(sc);
		return;
	}
	answer(sc, text, sizeof(text));
	put(h, text);
	for (int side = 0; side < 2; side++)
		if (edge(m, sc, side, text, sizeof(text)))
			put(h, text);
	if (loop_line(m, sc, text, sizeof(text)))
		put(h, text);
	free(sc);
}
