// SPDX-License-Identifier: GPL-2.0
/* plot_panels.c - small multiples and stacked bars for gnuplot (see
 * plot_panels.h). */
#include <math.h>
#include <string.h>
#include "plot_panels.h"
#include "sizes.h"

/* one colour per transport, the same in every plot (Okabe-Ito: colour-blind
 * safe): pipe blue, socketpair orange, seqpacket green */
static const char *transport_colour(enum transport t)
{
	return t == TR_PIPE ? "#0072B2" : t == TR_SOCKETPAIR ? "#E69F00" : "#009E73";
}

/* the segments of stacked bars, by term in order of first appearance */
static const char *const term_colours[] = {
	"#56B4E9", "#0072B2", "#F0E442", "#E69F00", "#009E73", "#CC79A7",
	"#D55E00", "#999999", "#000000", "#8C564B", "#17BECF", "#BCBD22",
};
#define NCOLOURS (sizeof(term_colours) / sizeof(term_colours[0]))

static bool same_panel(const struct panel *p, const struct cell *c)
{
	return p->pat == c->pattern && p->pl == c->placement && p->msg == c->msg_size;
}

static int panel_of(const struct panels *ps, const struct cell *c)
{
	for (int i = 0; i < ps->n; i++)
		if (same_panel(&ps->p[i], c))
			return i;
	return -1;
}

static int category_of(const struct panels *ps, uint64_t buf)
{
	for (int i = 0; i < ps->nbufs; i++)
		if (ps->bufs[i] == buf)
			return i;
	return -1;
}

void panels_of(const struct report_model *m, struct panels *ps)
{
	bool several_pl = false;

	memset(ps, 0, sizeof(*ps));
	for (size_t i = 0; i < m->ncells; i++) {
		const struct cell *c = &m->cells[i].cell;

		several_pl |= c->placement != m->cells[0].cell.placement;
		if (panel_of(ps, c) < 0 && ps->n < PANELS_MAX)
			ps->p[ps->n++] = (struct panel){ c->pattern, c->placement,
							 c->msg_size, "" };
		if (category_of(ps, c->buffer) < 0 && ps->nbufs < BUFFER_CATEGORIES_MAX)
			ps->bufs[ps->nbufs++] = c->buffer;
	}
	/* the default first, then by size */
	for (int i = 0; i < ps->nbufs; i++)
		for (int j = i + 1; j < ps->nbufs; j++)
			if (ps->bufs[j] < ps->bufs[i]) {
				uint64_t x = ps->bufs[i];

				ps->bufs[i] = ps->bufs[j];
				ps->bufs[j] = x;
			}
	for (int i = 0; i < ps->n; i++) {
		struct panel *p = &ps->p[i];
		char msg[16];

		format_size(p->msg, msg, sizeof(msg));
		snprintf(p->title, sizeof(p->title), "%s%s%s: %s-byte messages",
			 pattern_name(p->pat), several_pl ? ", " : "",
			 several_pl ? placement_name(p->pl) : "", msg);
	}
}

/* the transports present, in the run's order */
static int transports_of(const struct report_model *m, enum transport *t)
{
	int n = 0;

	for (size_t i = 0; i < m->ncells; i++) {
		bool seen = false;

		for (int k = 0; k < n; k++)
			seen |= t[k] == m->cells[i].cell.transport;
		if (!seen && n < TR_COUNT)
			t[n++] = m->cells[i].cell.transport;
	}
	return n;
}

static void buffer_label(uint64_t buf, char *out, size_t len)
{
	if (buf)
		format_size(buf, out, len);
	else
		snprintf(out, len, "default");
}

/* the canvas and the multiplot of one file */
static void begin(FILE *gp, const char *dir, const char *file, const char *title,
		  const struct panels *ps, int key_entries)
{
	int cols = ps->n < 3 ? ps->n : 3, rows = (ps->n + cols - 1) / cols;

	fprintf(gp, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11'"
		" background '#ffffff'\n", 400 * cols + 40, 300 * rows + 60);
	fprintf(gp, "set output '%s/.%s.tmp'\n", dir, file);
	fprintf(gp, "set multiplot layout %d,%d title '%s' font 'sans,13'\n", rows,
		cols, title);
	/* headroom at the top for the key, a tenth of a panel an entry */
	fprintf(gp, "set grid ytics\nset border 3\nset xtics nomirror scale 0\n"
		"set ytics nomirror\nset xrange [-0.6:%d.6]\n"
		"set offsets 0, 0, graph %.2f, 0\n", ps->nbufs - 1,
		0.1 * key_entries + 0.05);
}

static void xtics_buffers(FILE *gp, const struct panels *ps)
{
	fprintf(gp, "set xtics (");
	for (int i = 0; i < ps->nbufs; i++) {
		char b[16];

		buffer_label(ps->bufs[i], b, sizeof(b));
		fprintf(gp, "%s\"%s\" %d", i ? ", " : "", b, i);
	}
	fprintf(gp, ")\nset xlabel 'buffer requested'\n");
}

void plot_lines(FILE *gp, const char *dir, const char *file, const char *title,
		const char *ylabel, const struct report_model *m,
		const struct panels *ps, const struct line_metric *lines, int nlines,
		bool logy)
{
	enum transport t[TR_COUNT];
	int nt = transports_of(m, t);

	begin(gp, dir, file, title, ps, nt * nlines);
	xtics_buffers(gp, ps);
	fprintf(gp, logy ? "set logscale y 10\nset yrange [*:*]\n" :
		"unset logscale y\nset yrange [0:*]\n");
	fprintf(gp, "set ylabel '%s'\n", ylabel);
	for (int p = 0; p < ps->n; p++) {
		bool first = true, any = false;

		for (size_t i = 0; i < m->ncells; i++)
			for (int l = 0; l < nlines; l++) {
				double v = lines[l].y(&m->cells[i]);

				any |= same_panel(&ps->p[p], &m->cells[i].cell) &&
				       !isnan(v) && (!logy || v > 0);
			}
		/* gnuplot refuses to scale an axis without a point */
		if (!any)
			fprintf(gp, "set yrange [%s]\nset label 1 'not measured here'"
				" at graph 0.5,0.5 center\n", logy ? "1:10" : "0:1");
		fprintf(gp, "set title '%s'\n", ps->p[p].title);
		/* the key once, in the first panel */
		fprintf(gp, p == 0 ? "set key top left box opaque\n" : "unset key\n");
		fprintf(gp, "plot ");
		for (int k = 0; k < nt; k++)
			for (int l = 0; l < nlines; l++) {
				fprintf(gp, "%s'-' using 1:2%s with %s lw 2 pt 7 ps 0.6 dt %d"
					" lc rgb '%s' title '%s%s%s'", first ? "" : ", ",
					lines[l].lo ? ":3:4" : "",
					lines[l].lo ? "yerrorlines" : "linespoints",
					lines[l].dash, transport_colour(t[k]),
					transport_name(t[k]), lines[l].name[0] ? ", " : "",
					lines[l].name);
				first = false;
			}
		fprintf(gp, "\n");
		for (int k = 0; k < nt; k++)
			for (int l = 0; l < nlines; l++) {
				/* transports side by side, a little apart */
				double dx = (k - (nt - 1) / 2.0) * 0.06;

				for (int c = 0; c < ps->nbufs; c++)
					for (size_t i = 0; i < m->ncells; i++) {
						const struct report_cell *rc = &m->cells[i];
						double v = lines[l].y(rc);

						if (rc->cell.transport != t[k] ||
						    rc->cell.buffer != ps->bufs[c] ||
						    !same_panel(&ps->p[p], &rc->cell) ||
						    isnan(v) || (logy && !(v > 0)))
							continue;
						fprintf(gp, "%.3f %.6g", c + dx, v);
						if (lines[l].lo)
							fprintf(gp, " %.6g %.6g", lines[l].lo(rc),
								lines[l].hi(rc));
						fprintf(gp, "\n");
					}
				/* an empty series still needs a point gnuplot accepts */
				fprintf(gp, "NaN NaN%s\ne\n", lines[l].lo ? " NaN NaN" : "");
			}
		if (!any)
			fprintf(gp, "unset label 1\nset yrange [%s]\n",
				logy ? "*:*" : "0:*");
	}
	fprintf(gp, "unset multiplot\n");
}

/* the term names of every cell, in order of first appearance */
static int term_names(const struct report_model *m, cell_terms_fn terms_of,
		      char names[][40], int max, char *source, size_t slen)
{
	int n = 0;

	for (size_t i = 0; i < m->ncells; i++) {
		struct terms t;

		terms_of(&m->cells[i], &t);
		if (t.n && !source[0])
			snprintf(source, slen, "%s", t.source);
		for (size_t k = 0; k < t.n; k++) {
			bool seen = false;

			for (int j = 0; j < n; j++)
				seen |= !strcmp(names[j], t.t[k].name);
			if (!seen && n < max)
				snprintf(names[n++], 40, "%s", t.t[k].name);
		}
	}
	return n;
}

static double term_named(const struct terms *t, const char *name)
{
	for (size_t k = 0; k < t->n; k++)
		if (!strcmp(t->t[k].name, name))
			return t->t[k].us;
	return 0;
}

bool plot_stacked(FILE *gp, const char *dir, const char *file, const char *title,
		  const char *ylabel, const struct report_model *m,
		  const struct panels *ps, cell_terms_fn terms_of)
{
	char names[NCOLOURS][40], source[48] = "", full[200];
	int nn = term_names(m, terms_of, names, NCOLOURS, source, sizeof(source));
	enum transport t[TR_COUNT];
	int nt = transports_of(m, t);
	double w = 0.8 / nt;

	if (!nn)
		return false;
	snprintf(full, sizeof(full), "%s (%s)", title, source);
	begin(gp, dir, file, full, ps, nn);
	fprintf(gp, "unset logscale y\nset yrange [0:*]\nset ylabel '%s'\n"
		"set style fill solid 0.9 border rgb '#333333'\nset xlabel ''\n", ylabel);
	for (int p = 0; p < ps->n; p++) {
		bool in[BUFFER_CATEGORIES_MAX] = { false };
		int first = 1;

		/* this panel's buffers only: the loop's one buffer, say */
		for (size_t i = 0; i < m->ncells; i++) {
			int c = category_of(ps, m->cells[i].cell.buffer);

			if (c >= 0 && same_panel(&ps->p[p], &m->cells[i].cell))
				in[c] = true;
		}
		/* under each bar its transport, under each group its buffer */
		fprintf(gp, "set xtics (");
		for (int c = 0; c < ps->nbufs; c++) {
			char b[16];

			if (!in[c])
				continue;
			buffer_label(ps->bufs[c], b, sizeof(b));
			for (int k = 0; k < nt; k++, first = 0)
				fprintf(gp, "%s\"%s\" %.3f", first ? "" : ", ",
					transport_name(t[k]), c + (k - (nt - 1) / 2.0) * w);
			fprintf(gp, ", \"\\n%s\" %d", b, c);
		}
		fprintf(gp, ") font ',9'\n");
		fprintf(gp, "set title '%s'\n", ps->p[p].title);
		fprintf(gp, p == 0 ? "set key top left box opaque font ',9'\n" :
			"unset key\n");
		fprintf(gp, "plot ");
		/* the whole stack first, then each lower part over it */
		for (int j = nn - 1; j >= 0; j--)
			fprintf(gp, "%s'-' using 1:2:(%.3f) with boxes lc rgb '%s' title"
				" '%s'", j == nn - 1 ? "" : ", ", w * 0.9, term_colours[j],
				names[j]);
		fprintf(gp, "\n");
		for (int j = nn - 1; j >= 0; j--) {
			for (size_t i = 0; i < m->ncells; i++) {
				const struct report_cell *rc = &m->cells[i];
				int c = category_of(ps, rc->cell.buffer), k;
				struct terms tm;
				double cum = 0;

				if (!same_panel(&ps->p[p], &rc->cell) || c < 0)
					continue;
				terms_of(rc, &tm);
				if (!tm.n)
					continue;
				for (k = 0; k < nt && t[k] != rc->cell.transport; k++)
					;
				for (int q = 0; q <= j; q++)
					cum += fmax(term_named(&tm, names[q]), 0);
				fprintf(gp, "%.3f %.6g\n", c + (k - (nt - 1) / 2.0) * w, cum);
			}
			fprintf(gp, "NaN NaN\ne\n");
		}
	}
	fprintf(gp, "unset multiplot\n");
	return true;
}
