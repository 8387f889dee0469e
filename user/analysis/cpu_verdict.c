// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cpu_verdict.h"

/* append to g->text */
static void say(struct cpu_gap *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct cpu_gap *g, const char *fmt, ...)
{
	size_t n = strlen(g->text);
	va_list ap;

	if (n + 1 >= sizeof(g->text))
		return;
	va_start(ap, fmt);
	vsnprintf(g->text + n, sizeof(g->text) - n, fmt, ap);
	va_end(ap);
}

/* "0.45", "0.045", "1.7": two significant digits, at least 0.01 */
static const char *us(double v, char *buf, size_t len)
{
	double a = fabs(v);

	if (a < 0.0005) {
		/* never "-0.000": below the last digit shown is nothing */
		snprintf(buf, len, "0");
		return buf;
	}
	snprintf(buf, len, a >= 10 ? "%.1f" : a >= 0.1 ? "%.2f" : "%.3f", v);
	return buf;
}

static void terms(const struct cpu_split *slow, const struct cpu_split *fast,
		  struct cpu_gap *g)
{
	for (int m = 0; m < MECH_COUNT; m++) {
		const struct mech_share *s = cpu_split_find(slow, m);
		const struct mech_share *f = cpu_split_find(fast, m);
		struct cpu_term *t;

		if (!s && !f)
			continue;
		t = &g->terms[g->nterms++];
		t->mech = (enum mechanism)m;
		t->d_us = (s ? s->us_per_write : 0) - (f ? f->us_per_write : 0);
		t->se_us = sqrt((s ? s->se_us * s->se_us : 0) + (f ? f->se_us * f->se_us : 0));
		/* a term of zero samples on one side still has the other's error */
		t->claimed = m != MECH_OTHER && fabs(t->d_us) > CPU_CLAIM_SIGMAS * t->se_us;
		if (m == MECH_OTHER)
			g->other_us = t->d_us;
		else if (t->claimed)
			g->claimed_us += t->d_us;
		else
			g->uncertain_us += t->d_us;
	}
	for (unsigned int i = 1; i < g->nterms; i++)
		for (unsigned int j = i; j > 0 && g->terms[j].d_us > g->terms[j - 1].d_us; j--) {
			struct cpu_term t = g->terms[j];

			g->terms[j] = g->terms[j - 1];
			g->terms[j - 1] = t;
		}
}

/* the claimed terms of one sign, largest first */
static int list_terms(struct cpu_gap *g, bool positive, int n)
{
	char a[24], b[24];

	for (unsigned int k = 0; k < g->nterms; k++) {
		unsigned int i = positive ? k : g->nterms - 1 - k;
		const struct cpu_term *t = &g->terms[i];

		if (!t->claimed || (positive ? t->d_us <= 0 : t->d_us >= 0))
			continue;
		say(g, "%s%s %s%s us (se %s)", n ? ", " : "", mech_title(t->mech),
		    t->d_us > 0 ? "+" : "", us(t->d_us, a, sizeof(a)),
		    us(t->se_us, b, sizeof(b)));
		n++;
	}
	return n;
}

/* the mechanisms within their error, by name */
static void uncertain_names(struct cpu_gap *g)
{
	int n = 0;

	for (unsigned int i = 0; i < g->nterms; i++) {
		const struct cpu_term *t = &g->terms[i];

		if (t->claimed || t->mech == MECH_OTHER || fabs(t->d_us) < 1e-9)
			continue;
		say(g, "%s%s", n++ ? ", " : " (", mech_label(t->mech));
	}
	if (n)
		say(g, ")");
}

void cpu_gap_explain(const char *slow_name, const struct cpu_split *slow,
		     const char *fast_name, const struct cpu_split *fast,
		     struct cpu_gap *g)
{
	char a[24], b[24], c[24], d[24], e[24], f[24];
	int n;

	memset(g, 0, sizeof(*g));
	if (!slow->have || !fast->have)
		return;
	g->said = true;
	g->gap_us = slow->us_per_write - fast->us_per_write;
	us(slow->us_per_write, a, sizeof(a));
	us(fast->us_per_write, b, sizeof(b));
	/* as for throughput: the repetitions' ranges must not overlap */
	g->significant = slow->us_min > fast->us_max || slow->us_max < fast->us_min;
	if (!g->significant) {
		say(g, "CPU per write does not differ beyond the spread of the"
		    " repetitions (%s %s us, %s..%s, against %s %s, %s..%s): the"
		    " profile claims no mechanism", slow_name, a,
		    us(slow->us_min, c, sizeof(c)), us(slow->us_max, d, sizeof(d)),
		    fast_name, b, us(fast->us_min, e, sizeof(e)),
		    us(fast->us_max, f, sizeof(f)));
		return;
	}
	if (g->gap_us < 0) {
		say(g, "%s spends less CPU per write than %s (%s against %s us):"
		    " it loses on waiting, not on work inside the calls", slow_name,
		    fast_name, a, b);
		return;
	}
	terms(slow, fast, g);
	say(g, "%s spends %s us more CPU per write than %s (%s against %s, from"
	    " %llu and %llu samples): ", slow_name, us(g->gap_us, c, sizeof(c)),
	    fast_name, a, b, (unsigned long long)slow->samples,
	    (unsigned long long)fast->samples);
	n = list_terms(g, true, 0);
	if (list_terms(g, false, n) == 0)
		say(g, "no mechanism differs beyond its sampling error");
	if (fabs(g->uncertain_us) >= 0.0005 || fabs(g->other_us) >= 0.0005) {
		say(g, "; the profile cannot split %s us",
		    us(g->uncertain_us + g->other_us, c, sizeof(c)));
		if (fabs(g->uncertain_us) >= 0.0005) {
			say(g, ": %s within sampling error", us(g->uncertain_us, c, sizeof(c)));
			uncertain_names(g);
		}
		if (fabs(g->other_us) >= 0.0005)
			say(g, "%s%s in code the mechanism table does not name",
			    fabs(g->uncertain_us) >= 0.0005 ? ", " : ": ",
			    us(g->other_us, d, sizeof(d)));
	}
}
