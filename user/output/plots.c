// SPDX-License-Identifier: GPL-2.0
/*
 * plots.c - the SVG plots of a results directory, drawn by gnuplot from the
 * same model the reports use: throughput and context switches against
 * buffer size, blocking writes against message size, wakeup latency.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plots.h"
#include "sizes.h"

const char *const plot_files[] = {
	"throughput_vs_buffer.svg", "switches_vs_buffer.svg",
	"blocking_vs_msg_size.svg", "wakeup_latency.svg", NULL,
};

bool plots_available(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	if (!path)
		return false;
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char full[4096];

		snprintf(full, sizeof(full), "%s/gnuplot", dir);
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* cells of one series: same key, sorted by the x value */
struct series {
	const struct report_cell *cells[128];
	double x[128];
	int n;
	char title[96];
};

static int cmp_x(const void *a, const void *b, void *arg)
{
	const struct series *s = arg;
	double x = s->x[*(const int *)a], y = s->x[*(const int *)b];

	return x < y ? -1 : x > y;
}

static void sort_series(struct series *s)
{
	int idx[128];
	struct series copy = *s;

	for (int i = 0; i < s->n; i++)
		idx[i] = i;
	qsort_r(idx, (size_t)s->n, sizeof(int), cmp_x, &copy);
	for (int i = 0; i < s->n; i++) {
		s->cells[i] = copy.cells[idx[i]];
		s->x[i] = copy.x[idx[i]];
	}
}

static bool several_conditions(const struct report_model *m)
{
	for (size_t i = 1; i < m->ncells; i++)
		if (m->cells[i].cell.placement != m->cells[0].cell.placement ||
		    m->cells[i].cell.pattern != m->cells[0].cell.pattern)
			return true;
	return false;
}

/*
 * Group cells into series. by_buffer: one series per transport x message
 * size, x = buffer granted; else per transport x buffer, x = message size.
 */
static int make_series(const struct report_model *m, bool by_buffer,
		       struct series *out, int max)
{
	bool cond = several_conditions(m);
	int n = 0;

	for (size_t i = 0; i < m->ncells; i++) {
		const struct report_cell *rc = &m->cells[i];
		int k;

		for (k = 0; k < n; k++) {
			const struct cell *o = &out[k].cells[0]->cell;

			if (o->transport == rc->cell.transport &&
			    o->placement == rc->cell.placement &&
			    o->pattern == rc->cell.pattern &&
			    (by_buffer ? o->msg_size == rc->cell.msg_size :
					 o->buffer == rc->cell.buffer))
				break;
		}
		if (k == n) {
			char a[32];

			if (n == max)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			if (by_buffer)
				format_size(rc->cell.msg_size, a, sizeof(a));
			else
				cell_buffer_name(&rc->cell, a, sizeof(a));
			snprintf(out[n].title, sizeof(out[n].title), "%s, %s %s%s%s%s%s",
				 transport_name(rc->cell.transport), a,
				 by_buffer ? "messages" : "buffer", cond ? ", " : "",
				 cond ? placement_name(rc->cell.placement) : "",
				 cond ? " " : "", cond ? pattern_name(rc->cell.pattern) : "");
			n++;
		}
		if (out[k].n < 128) {
			out[k].cells[out[k].n] = rc;
			out[k].x[out[k].n] = by_buffer ? (double)rc->grant.granted :
							  (double)rc->cell.msg_size;
			out[k].n++;
		}
	}
	for (int k = 0; k < n; k++)
		sort_series(&out[k]);
	return n;
}

typedef double (*metric_fn)(const struct report_cell *rc);

static double m_mb_s(const struct report_cell *rc) { return rc->s.mb_s_med; }
static double m_mb_s_min(const struct report_cell *rc) { return rc->s.mb_s_min; }
static double m_mb_s_max(const struct report_cell *rc) { return rc->s.mb_s_max; }
static double m_switches(const struct report_cell *rc)
{
	return rc->s.vol_switches + rc->s.invol_switches;
}
static double m_blocking(const struct report_cell *rc) { return rc->s.writer_waits; }
static double m_wake50(const struct report_cell *rc) { return rc->s.wake_p50_us; }
static double m_wake99(const struct report_cell *rc) { return rc->s.wake_p99_us; }

/* one plot command with inline data; errbars adds min/max columns */
static void plot(FILE *gp, const char *dir, const char *file, const char *title,
		 const char *xlabel, const char *ylabel, struct series *s, int ns,
		 metric_fn y, metric_fn ylo, metric_fn yhi, metric_fn y2,
		 const char *y2name)
{
	int first = 1, nt = 0;
	double ticks[64];

	/* ticks at the x values measured, named like the options: 64K, 208K */
	for (int k = 0; k < ns; k++)
		for (int i = 0; i < s[k].n; i++) {
			bool seen = false;

			for (int j = 0; j < nt; j++)
				seen |= ticks[j] == s[k].x[i];
			if (!seen && nt < 64)
				ticks[nt++] = s[k].x[i];
		}
	fprintf(gp, "set xtics (");
	for (int j = 0; j < nt; j++) {
		char lbl[32];

		format_size((uint64_t)ticks[j], lbl, sizeof(lbl));
		if ((uint64_t)ticks[j] % 1024 && ticks[j] > 4096)
			snprintf(lbl, sizeof(lbl), "%.0fK", ticks[j] / 1024);
		fprintf(gp, "%s\"%s\" %.0f", j ? ", " : "", lbl, ticks[j]);
	}
	fprintf(gp, ")\n");
	fprintf(gp, "set output '%s/.%s.tmp'\n", dir, file);
	fprintf(gp, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n", title,
		xlabel, ylabel);
	fprintf(gp, "plot ");
	for (int k = 0; k < ns; k++) {
		/* a series and its second metric share a colour */
		fprintf(gp, "%s'-' using 1:2%s with %s lw 2 lc %d title '%s'",
			first ? "" : ", ", ylo ? ":3:4" : "",
			ylo ? "yerrorlines" : "linespoints", k + 1, s[k].title);
		first = 0;
		if (y2)
			fprintf(gp, ", '-' using 1:2 with linespoints dt 2 lw 1 lc %d"
				" title '%s, %s'", k + 1, s[k].title, y2name);
	}
	fprintf(gp, "\n");
	for (int k = 0; k < ns; k++) {
		for (int pass = 0; pass < (y2 ? 2 : 1); pass++) {
			metric_fn f = pass ? y2 : y;

			for (int i = 0; i < s[k].n; i++) {
				double v = f(s[k].cells[i]);

				if (isnan(v))
					continue;
				fprintf(gp, "%.6g %.6g", s[k].x[i], v);
				if (ylo && !pass)
					fprintf(gp, " %.6g %.6g", ylo(s[k].cells[i]),
						yhi(s[k].cells[i]));
				fprintf(gp, "\n");
			}
			fprintf(gp, "e\n");
		}
	}
}

/*
 * gnuplot exits 0 also when its output was cut short (a full disk): an
 * SVG is whole when it reached the disk and ends with its closing tag.
 */
static int svg_complete(const char *tmp, const char *name, char *why, size_t len)
{
	char tail[64];
	int fd = open(tmp, O_RDONLY | O_CLOEXEC), err = 0;
	off_t size = 0;
	ssize_t n = 0;

	if (fd < 0) {
		err = errno;
	} else {
		size = lseek(fd, 0, SEEK_END);
		n = pread(fd, tail, sizeof(tail) - 1, size > 63 ? size - 63 : 0);
		if (fsync(fd))
			err = errno;
		close(fd);
	}
	tail[n > 0 ? n : 0] = '\0';
	if (!err && strstr(tail, "</svg>"))
		return 0;
	snprintf(why, len, "gnuplot wrote %s incompletely (%lld bytes): %s", name,
		 (long long)size, err ? strerror(err) : "no closing tag (disk full?)");
	return -1;
}

int plots_write(const struct report_model *m, const struct results_dir *d,
		char *why, size_t len)
{
	struct series *s = calloc(64, sizeof(*s));
	char script[4200], errf[4200];
	FILE *gp;
	int ns, status;
	pid_t pid;

	if (!s)
		return -1;
	if (!m->ncells) {
		snprintf(why, len, "no cells to plot: %s holds none", d->path);
		free(s);
		return -1;
	}
	if (strchr(d->at, '\'')) {
		snprintf(why, len, "cannot plot into %s: a quote in the path", d->at);
		free(s);
		return -1;
	}
	snprintf(script, sizeof(script), "%s/.plots.gp.tmp", d->at);
	snprintf(errf, sizeof(errf), "%s/.plots.err.tmp", d->at);
	gp = fopen(script, "we");
	if (!gp) {
		snprintf(why, len, "cannot write %s: %s", script, strerror(errno));
		free(s);
		return -1;
	}
	fprintf(gp, "set terminal svg size 960,600 dynamic noenhanced font 'sans,12'"
		    " background '#ffffff'\nset grid\nset key outside right top\n"
		    "set logscale x 2\nset offsets graph 0.05, graph 0.05, graph 0.08,"
		    " graph 0.02\nset yrange [0:*]\n");
	ns = make_series(m, true, s, 64);
	plot(gp, d->at, plot_files[0], "Throughput against buffer size (median;"
	     " bars: min..max over repetitions)", "buffer granted (bytes;"
	     " SO_SNDBUF as reported, pipe size)", "MB/s", s, ns, m_mb_s,
	     m_mb_s_min, m_mb_s_max, NULL, NULL);
	plot(gp, d->at, plot_files[1], "Context switches per MB against buffer"
	     " size", "buffer granted (bytes)", "voluntary + involuntary switches"
	     " per MB", s, ns, m_switches, NULL, NULL, NULL, NULL);
	ns = make_series(m, false, s, 64);
	plot(gp, d->at, plot_files[2], "Writer waits for room per MB against"
	     " message size", "message size (bytes)", "blocking writes (or epoll"
	     " waits) per MB", s, ns, m_blocking, NULL, NULL, NULL, NULL);
	fprintf(gp, "set logscale y 10\nset yrange [*:*]\n");
	plot(gp, d->at, plot_files[3], "Wakeup-to-run latency (solid p50,"
	     " dashed p99)", "message size (bytes)", "microseconds (log scale)", s,
	     ns, m_wake50, NULL, NULL, m_wake99, "p99");
	fclose(gp);
	free(s);

	pid = fork();
	if (pid == 0) {
		FILE *e = freopen(errf, "w", stderr);

		(void)e;
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	unlink(script);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		FILE *e = fopen(errf, "re");
		char line[256] = "";

		if (e) {
			if (!fgets(line, sizeof(line), e))
				line[0] = '\0';
			fclose(e);
		}
		line[strcspn(line, "\n")] = '\0';
		snprintf(why, len, "gnuplot failed (exit %d)%s%s",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 line[0] ? ": " : "", line);
		unlink(errf);
		for (int i = 0; plot_files[i]; i++) {
			char tmp[4200];

			snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at, plot_files[i]);
			unlink(tmp);
		}
		return -1;
	}
	unlink(errf);
	for (int i = 0; plot_files[i]; i++) {
		char tmp[4200];

		snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at, plot_files[i]);
		if (svg_complete(tmp, plot_files[i], why, len) ||
		    results_dir_commit(d, tmp, plot_files[i], why, len)) {
			for (int j = i; plot_files[j]; j++) {
				snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at,
					 plot_files[j]);
				unlink(tmp);
			}
			return -1;
		}
	}
	return 0;
}
