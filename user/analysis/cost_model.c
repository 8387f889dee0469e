// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include "cost_model.h"

/* singular values below this share of the largest (columns balanced by
 * GSL) are dropped: such a fit cannot tell its costs apart */
#define COST_SVD_TOL 1e-10

static bool usable_point(const struct cost_point *p)
{
	return isfinite(p->s_per_mb) && isfinite(p->switches) &&
	       isfinite(p->syscalls);
}

/* the rows of y = copy + switch * switches + syscall * syscalls */
static size_t fill_rows(const struct cost_point *p, size_t n, gsl_matrix *x,
			gsl_vector *y)
{
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		if (!usable_point(&p[i]))
			continue;
		gsl_matrix_set(x, used, 0, 1.0);
		gsl_matrix_set(x, used, 1, p[i].switches);
		gsl_matrix_set(x, used, 2, p[i].syscalls);
		gsl_vector_set(y, used, p[i].s_per_mb);
		used++;
	}
	return used;
}

/* least squares with covariance; 0, or -1 when the costs are not separable */
static int solve(const struct cost_point *p, size_t n, size_t used,
		 struct cost_model *m, double *ss_res)
{
	gsl_matrix *x = gsl_matrix_alloc(used, 3), *cov = gsl_matrix_alloc(3, 3);
	gsl_vector *y = gsl_vector_alloc(used), *c = gsl_vector_alloc(3);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(used, 3);
	size_t rank = 0;
	int ret = -1;

	if (!x || !cov || !y || !c || !w)
		goto out;
	fill_rows(p, n, x, y);
	if (gsl_multifit_linear_tsvd(x, y, COST_SVD_TOL, c, cov, ss_res, &rank, w) ||
	    rank < 3)
		goto out;
	/* cov = s^2 (X'X)^-1 with s^2 = residual sum of squares / (n - 3) */
	m->copy_us_per_mb = gsl_vector_get(c, 0) * 1e6;
	m->switch_us = gsl_vector_get(c, 1) * 1e6;
	m->syscall_us = gsl_vector_get(c, 2) * 1e6;
	m->copy_se_us = sqrt(gsl_matrix_get(cov, 0, 0)) * 1e6;
	m->switch_se_us = sqrt(gsl_matrix_get(cov, 1, 1)) * 1e6;
	m->syscall_se_us = sqrt(gsl_matrix_get(cov, 2, 2)) * 1e6;
	ret = 0;
out:
	gsl_multifit_linear_free(w);
	gsl_vector_free(c);
	gsl_vector_free(y);
	gsl_matrix_free(cov);
	gsl_matrix_free(x);
	return ret;
}

void cost_fit(const struct cost_point *p, size_t n, struct cost_model *m)
{
	double mean = 0, ss_tot = 0, ss_res = 0;
	size_t used = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (!usable_point(&p[i]))
			continue;
		mean += p[i].s_per_mb;
		used++;
	}
	m->n = used;
	if (used < COST_MIN_POINTS) {
		snprintf(m->why, sizeof(m->why), "%zu cells are too few to fit three"
			 " costs (at least %d)", used, COST_MIN_POINTS);
		return;
	}
	/* a failed fit is reported in why, never by GSL's abort() */
	gsl_set_error_handler_off();
	if (solve(p, n, used, m, &ss_res)) {
		snprintf(m->why, sizeof(m->why), "switches and syscalls per MB move"
			 " together across these cells: their costs cannot be told"
			 " apart");
		return;
	}
	mean /= (double)used;
	for (size_t i = 0; i < n; i++)
		if (usable_point(&p[i]))
			ss_tot += (p[i].s_per_mb - mean) * (p[i].s_per_mb - mean);
	m->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 0;
	if (m->r2 < COST_MIN_R2) {
		snprintf(m->why, sizeof(m->why), "the fit is poor (R^2 = %.2f, below"
			 " %.2f)", m->r2, COST_MIN_R2);
		return;
	}
	if (m->switch_us <= 0 || m->syscall_us <= 0) {
		snprintf(m->why, sizeof(m->why), "the fit gives a switch or a syscall"
			 " a cost of zero or less (%.2f us, %.3f us), which no machine"
			 " has", m->switch_us, m->syscall_us);
		return;
	}
	m->usable = true;
}

bool cost_is_known(double cost, double se)
{
	return isfinite(cost) && isfinite(se) && cost > COST_MIN_T * se;
}

/* one term of the model for a pair: extra count x fitted cost, in s/GB */
struct term {
	const char *what;	/* "context switches" */
	double extra;		/* per MB */
	double cost_us, se_us;
	double s_gb, unc_s_gb;	/* its size and one standard error */
	bool known;		/* the cost is outside its uncertainty */
};

static struct term term_of(const char *what, double extra, double cost_us,
			   double se_us)
{
	return (struct term){
		.what = what, .extra = extra, .cost_us = cost_us, .se_us = se_us,
		.s_gb = extra * cost_us / 1e3, .unc_s_gb = fabs(extra) * se_us / 1e3,
		.known = cost_is_known(cost_us, se_us),
	};
}

static int put_term(char *text, size_t len, const struct term *t, bool first)
{
	return snprintf(text, len, "%s%.3g +- %.2g s %s %.3g extra %s per MB at"
			" %.2g +- %.1g us each", first ? "" : " and ", t->s_gb,
			t->unc_s_gb, first ? "is priced to" : "to", t->extra, t->what,
			t->cost_us, t->se_us);
}

bool cost_explain(const struct cost_model *m, const char *slow_name,
		  const struct cost_point *slow, const struct cost_point *fast,
		  bool per_call_split, char *text, size_t len)
{
	double gap = (slow->s_per_mb - fast->s_per_mb) * 1e3;	/* s/GB */
	struct term t[2];
	double claimed = 0, var = 0;
	int n = 0, nclaimed = 0;

	text[0] = '\0';
	if (!m->usable || !(gap > 0))
		return false;
	t[0] = term_of("context switches", slow->switches - fast->switches,
		       m->switch_us, m->switch_se_us);
	t[1] = term_of("syscalls", slow->syscalls - fast->syscalls,
		       m->syscall_us, m->syscall_se_us);
	if (fabs(t[1].s_gb) > fabs(t[0].s_gb)) {
		struct term x = t[0];

		t[0] = t[1];
		t[1] = x;
	}
	/* a term is claimed when its cost is known and it matters */
	for (int i = 0; i < 2; i++)
		if (t[i].known && fabs(t[i].s_gb) >= 0.05 * gap) {
			claimed += t[i].s_gb;
			var += t[i].unc_s_gb * t[i].unc_s_gb;
			nclaimed++;
		}
	/* more than the whole gap, beyond the terms' uncertainty (and the
	 * rounding of an exact fit) */
	if (claimed - fmax(COST_MIN_T * sqrt(var), 1e-9 * gap) > gap) {
		n = snprintf(text, len, "inconsistent for this pair: ");
		for (int i = 0, k = 0; i < 2 && (size_t)n < len; i++) {
			if (!t[i].known || fabs(t[i].s_gb) < 0.05 * gap)
				continue;
			n += snprintf(text + n, len - (size_t)n, "%s%.3g extra %s per MB"
				      " at %.2g +- %.1g us each", k++ ? " and " : "",
				      t[i].extra, t[i].what, t[i].cost_us, t[i].se_us);
		}
		if ((size_t)n < len)
			snprintf(text + n, len - (size_t)n, " would cost %.3g s/GB, more"
				 " than the whole gap of %.3g s/GB: no share of it is"
				 " claimed", claimed, gap);
		return true;
	}
	if (!nclaimed || claimed <= 0.1 * gap) {
		snprintf(text, len, "extra switches and syscalls explain %s of %s's"
			 " %.3g s/GB disadvantage (%+.3g switches, %+.3g syscalls per"
			 " MB; a switch %.2g +- %.1g us, a syscall %.2g +- %.1g us)%s",
			 nclaimed && claimed > 0 ? "little" : "none", slow_name, gap,
			 slow->switches - fast->switches,
			 slow->syscalls - fast->syscalls, m->switch_us,
			 m->switch_se_us, m->syscall_us, m->syscall_se_us,
			 per_call_split ? "; the work inside the calls is split by the"
			 " CPU profile (cpu)" : "");
		return true;
	}
	/* over the gap within the uncertainty: all of it, never more */
	if (claimed > gap * (1 + 1e-9)) {
		n = snprintf(text, len, "all of %s's %.3g s/GB disadvantage is priced"
			     " to", slow_name, gap);
		for (int i = 0, k = 0; i < 2 && (size_t)n < len; i++) {
			if (!t[i].known || fabs(t[i].s_gb) < 0.05 * gap)
				continue;
			n += snprintf(text + n, len - (size_t)n, "%s %.3g extra %s per MB"
				      " at %.2g +- %.1g us each", k++ ? " and" : "",
				      t[i].extra, t[i].what, t[i].cost_us, t[i].se_us);
		}
		if ((size_t)n < len)
			n += snprintf(text + n, len - (size_t)n, " (which would cost %.3g"
				      " +- %.2g s/GB: over the gap, within the"
				      " uncertainty)", claimed, sqrt(var));
	} else {
		n = snprintf(text, len, "of %s's %.3g s/GB disadvantage, ", slow_name, gap);
		for (int i = 0, k = 0; i < 2 && (size_t)n < len; i++) {
			if (!t[i].known || fabs(t[i].s_gb) < 0.05 * gap)
				continue;
			n += put_term(text + n, len - (size_t)n, &t[i], k++ == 0);
		}
	}
	/* a term that would matter but whose cost is within its uncertainty */
	for (int i = 0; i < 2 && (size_t)n < len; i++)
		if (!t[i].known && fabs(t[i].s_gb) >= 0.05 * gap)
			n += snprintf(text + n, len - (size_t)n, "; %s not claimed:"
				      " their cost (%.2g +- %.1g us) is within its"
				      " uncertainty", t[i].what, t[i].cost_us,
				      t[i].se_us);
	return true;
}
