// SPDX-License-Identifier: GPL-2.0
/*
 * plots.c - the SVG plots of a results directory, drawn by gnuplot from the
 * same model the reports use, as small multiples (plot_panels.c): one panel
 * per message size, x = the buffer requested, a fixed colour per
 * transport; throughput, switches, waits by cause, wakeup latency, and
 * every cell's CPU per message in stacked bars.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plot_panels.h"
#include "plots.h"
#include "sizes.h"

const struct plot_file plot_files[PLOT_FILES + 1] = {
	{ "throughput_vs_buffer.svg", "Throughput against the buffer requested" },
	{ "switches_vs_buffer.svg", "Context switches per MB against the buffer requested" },
	{ "waits_vs_buffer.svg", "Waits by cause per MB against the buffer requested" },
	{ "wakeup_latency.svg", "Wakeup-to-run latency against the buffer requested" },
	{ "cpu_per_message.svg", "CPU per message, split" },
	{ NULL, NULL },
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

typedef double (*metric_fn)(const struct report_cell *rc);

static double m_mb_s(const struct report_cell *rc) { return rc->s.mb_s_med; }
static double m_mb_s_min(const struct report_cell *rc) { return rc->s.mb_s_min; }
static double m_mb_s_max(const struct report_cell *rc) { return rc->s.mb_s_max; }
static double m_switches(const struct report_cell *rc)
{
	return rc->s.vol_switches + rc->s.invol_switches;
}
static double m_buffer_waits(const struct report_cell *rc)
{
	return rc->s.write_buffer_waits + rc->s.read_buffer_waits;
}
static double m_lock_waits(const struct report_cell *rc)
{
	return rc->s.write_lock_waits + rc->s.read_lock_waits;
}
static double m_wake50(const struct report_cell *rc) { return rc->s.wake_p50_us; }
static double m_wake99(const struct report_cell *rc) { return rc->s.wake_p99_us; }

/* the CPU plot's bars: getrusage's split, by role and user/kernel */
static void cpu_terms(const struct report_cell *rc, struct terms *out)
{
	cell_cpu_terms(&rc->s, out);
}

bool plots_cpu_split_available(const struct report_model *m)
{
	for (size_t i = 0; i < m->ncells; i++) {
		struct terms t;

		cpu_terms(&m->cells[i], &t);
		if (t.n)
			return true;
	}
	return false;
}

/* every plot into the script; drawn[i]: plot_files[i] has content */
static void draw_all(FILE *gp, const struct report_model *m, const char *dir,
		     bool *drawn)
{
	static const struct line_metric tput[] = {
		{ m_mb_s, m_mb_s_min, m_mb_s_max, "", 1 },
	};
	static const struct line_metric sw[] = { { m_switches, NULL, NULL, "", 1 } };
	static const struct line_metric waits[] = {
		{ m_buffer_waits, NULL, NULL, "buffer waits", 1 },
		{ m_lock_waits, NULL, NULL, "lock or fault waits", 3 },
	};
	static const struct line_metric wake[] = {
		{ m_wake50, NULL, NULL, "p50", 1 },
		{ m_wake99, NULL, NULL, "p99", 2 },
	};
	struct panels ps;

	panels_of(m, &ps);
	plot_lines(gp, dir, plot_files[0].file, "Throughput (median; bars: min..max"
		   " over repetitions)", "MB/s", m, &ps, tput, 1, false);
	plot_lines(gp, dir, plot_files[1].file, "Context switches per MB (voluntary"
		   " + involuntary, both workers)", "switches per MB", m, &ps, sw, 1,
		   false);
	plot_lines(gp, dir, plot_files[2].file, "Waits by cause per MB, in writes"
		   " and reads (solid: buffer waits; dotted: lock or fault waits)",
		   "waits per MB", m, &ps, waits, 2, false);
	plot_lines(gp, dir, plot_files[3].file, "Wakeup-to-run latency (solid p50,"
		   " dashed p99)", "microseconds (log scale)", m, &ps, wake, 2, true);
	for (int i = 0; i < 4; i++)
		drawn[i] = true;
	drawn[4] = plot_stacked(gp, dir, plot_files[4].file, "CPU per message"
				" (write, iteration or round), split", "us of CPU per"
				" message", m, &ps, cpu_terms);
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
	char script[4200], errf[4200];
	bool drawn[PLOT_FILES] = { false };
	FILE *gp;
	int status;
	pid_t pid;

	if (!m->ncells) {
		snprintf(why, len, "no cells to plot: %s holds none", d->path);
		return -1;
	}
	if (strchr(d->at, '\'')) {
		snprintf(why, len, "cannot plot into %s: a quote in the path", d->at);
		return -1;
	}
	snprintf(script, sizeof(script), "%s/.plots.gp.tmp", d->at);
	snprintf(errf, sizeof(errf), "%s/.plots.err.tmp", d->at);
	gp = fopen(script, "we");
	if (!gp) {
		snprintf(why, len, "cannot write %s: %s", script, strerror(errno));
		return -1;
	}
	draw_all(gp, m, d->at, drawn);
	fclose(gp);

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
		for (int i = 0; plot_files[i].file; i++) {
			char tmp[4200];

			snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at, plot_files[i].file);
			unlink(tmp);
		}
		return -1;
	}
	unlink(errf);
	for (int i = 0; plot_files[i].file; i++) {
		char tmp[4200];

		if (!drawn[i])
			continue;
		snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at, plot_files[i].file);
		if (svg_complete(tmp, plot_files[i].file, why, len) ||
		    results_dir_commit(d, tmp, plot_files[i].file, why, len)) {
			for (int j = i; plot_files[j].file; j++) {
				snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at,
					 plot_files[j].file);
				unlink(tmp);
			}
			return -1;
		}
	}
	return 0;
}
