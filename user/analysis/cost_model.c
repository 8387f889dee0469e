// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cost_model.h"

/* solve the 3x3 system a x = b by Gaussian elimination with pivoting */
static int solve3(double a[3][3], double b[3], double x[3])
{
	for (int c = 0; c < 3; c++) {
		int piv = c;

		for (int r = c + 1; r < 3; r++)
			if (fabs(a[r][c]) > fabs(a[piv][c]))
				piv = r;
		if (fabs(a[piv][c]) < 1e-300)
			return -1;
		if (piv != c) {
			for (int k = 0; k < 3; k++) {
				double t = a[c][k];

				a[c][k] = a[piv][k];
				a[piv][k] = t;
			}
			double t = b[c];

			b[c] = b[piv];
			b[piv] = t;
		}
		for (int r = c + 1; r < 3; r++) {
			double f = a[r][c] / a[c][c];

			for (int k = c; k < 3; k++)
				a[r][k] -= f * a[c][k];
			b[r] -= f * b[c];
		}
	}
	for (int r = 2; r >= 0; r--) {
		double s = b[r];

		for (int k = r + 1; k < 3; k++)
			s -= a[r][k] * x[k];
		x[r] = s / a[r][r];
	}
	return 0;
}

void cost_fit(const struct cost_point *p, size_t n, struct cost_model *m)
{
	double ata[3][3] = { { 0 } }, atb[3] = { 0 }, x[3] = { 0 };
	double mean = 0, ss_tot = 0, ss_res = 0;
	size_t used = 0;

	memset(m, 0, sizeof(*m));
	/* normal equations of y = x0 + x1 * switches + x2 * syscalls */
	for (size_t i = 0; i < n; i++) {
		double row[3] = { 1, p[i].switches, p[i].syscalls };

		if (!isfinite(p[i].s_per_mb) || !isfinite(p[i].switches) ||
		    !isfinite(p[i].syscalls))
			continue;
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				ata[r][c] += row[r] * row[c];
			atb[r] += row[r] * p[i].s_per_mb;
		}
		mean += p[i].s_per_mb;
		used++;
	}
	m->n = used;
	if (used < COST_MIN_POINTS) {
		snprintf(m->why, sizeof(m->why), "%zu cells are too few to fit three"
			 " costs (at least %d)", used, COST_MIN_POINTS);
		return;
	}
	if (solve3(ata, atb, x)) {
		snprintf(m->why, sizeof(m->why), "switches and syscalls per MB move"
			 " together across these cells: their costs cannot be told"
			 " apart");
		return;
	}
	mean /= (double)used;
	for (size_t i = 0; i < n; i++) {
		double fit;

		if (!isfinite(p[i].s_per_mb) || !isfinite(p[i].switches) ||
		    !isfinite(p[i].syscalls))
			continue;
		fit = x[0] + x[1] * p[i].switches + x[2] * p[i].syscalls;
		ss_res += (p[i].s_per_mb - fit) * (p[i].s_per_mb - fit);
		ss_tot += (p[i].s_per_mb - mean) * (p[i].s_per_mb - mean);
	}
	m->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 0;
	m->copy_us_per_mb = x[0] * 1e6;
	m->switch_us = x[1] * 1e6;
	m->syscall_us = x[2] * 1e6;
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

bool cost_explain(const struct cost_model *m, const char *slow_name,
		  const struct cost_point *slow, const struct cost_point *fast,
		  bool per_call_split, char *text, size_t len)
{
	double gap = (slow->s_per_mb - fast->s_per_mb) * 1e3;	/* s/GB */
	double d_sw = slow->switches - fast->switches;
	double d_sc = slow->syscalls - fast->syscalls;
	double by_sw = d_sw * m->switch_us / 1e3;		/* s/GB */
	double by_sc = d_sc * m->syscall_us / 1e3;
	int n;

	text[0] = '\0';
	if (!m->usable || !(gap > 0))
		return false;
	n = snprintf(text, len, "of %s's %.3g s/GB disadvantage, ", slow_name, gap);
	if (by_sw <= 0.1 * gap && by_sc <= 0.1 * gap) {
		snprintf(text + n, len - (size_t)n, "extra switches and syscalls"
			 " explain %s (%+.3g switches and %+.3g syscalls per MB):"
			 " the rest is work done inside each call, %s",
			 by_sw + by_sc > 0 ? "little" : "none", d_sw, d_sc,
			 per_call_split ? "split by the CPU profile (cpu)" :
			 "which the model does not see");
		return true;
	}
	if (by_sw >= by_sc)
		n += snprintf(text + n, len - (size_t)n, "%.3g s is explained by %.3g"
			      " extra context switches per MB at about %.2g us each",
			      by_sw, d_sw, m->switch_us);
	else
		n += snprintf(text + n, len - (size_t)n, "%.3g s is explained by %.3g"
			      " extra syscalls per MB at about %.2g us each", by_sc,
			      d_sc, m->syscall_us);
	/* the smaller part, when it adds to the gap noticeably */
	if (n > 0 && (size_t)n < len) {
		bool sw_first = by_sw >= by_sc;
		double other = sw_first ? by_sc : by_sw;

		if (other >= 0.05 * gap)
			n += snprintf(text + n, len - (size_t)n, " and %.3g s by %.3g"
				      " extra %s per MB", other,
				      sw_first ? d_sc : d_sw,
				      sw_first ? "syscalls" : "context switches");
	}
	if (n > 0 && (size_t)n < len && by_sw + by_sc > 1.25 * gap)
		snprintf(text + n, len - (size_t)n, " (more than the whole gap: read"
			 " it as an order of magnitude)");
	return true;
}
