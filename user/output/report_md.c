// SPDX-License-Identifier: GPL-2.0
/* report_md.c - report.md of a results directory: the terminal report, the
 * plots, and how to read both. */
#include <stdlib.h>
#include <string.h>
#include "plots.h"
#include "report_model.h"

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "?";
}

/* how to read the CPU profile's lines, and where its stacks are */
static void profile_notes(FILE *out, const struct report_model *m)
{
	if (!m->meta.profile.available)
		return;
	fprintf(out,
		"- **cpu per write** is the workers' CPU time (getrusage, writer and"
		" reader) over their write calls, split by where the CPU profile's"
		" samples landed (cpu-clock at %u Hz, watched threads only, kernel"
		" stacks grouped into mechanisms by one table). A verdict's `cpu`"
		" line claims a mechanism only beyond twice its sampling error and"
		" states the rest as what the profile cannot split.\n"
		"- **stacks/** holds each cell's on-CPU stacks in folded format"
		" (`flamegraph.pl stacks/X.folded > X.svg`) and, per verdict, a pair"
		" weighted in ns of CPU per 1000 writes for a differential flame"
		" graph (`difffolded.pl A.folded B.folded | flamegraph.pl`).\n",
		m->meta.profile.hz);
}

int report_md(FILE *out, const struct report_model *m, json_t *meta,
	      const char *dir, const char *plots_missing)
{
	json_t *cpu = json_object_get(meta, "cpu");
	char *text = NULL;
	size_t tlen = 0;
	FILE *mem = open_memstream(&text, &tlen);

	if (!mem)
		return -1;
	report_text(mem, m);
	fclose(mem);
	fprintf(out, "# ipctrace run on %s, kernel %s\n\n", jstr(meta, "host"),
		m->meta.kernel);
	/* the answer first, as the terminal report opens */
	if (m->headline.n) {
		fprintf(out, "```text\n");
		for (int i = 0; i < m->headline.n; i++)
			fprintf(out, "%s\n", m->headline.line[i]);
		fprintf(out, "```\n\n");
	}
	fprintf(out, "- status: %s\n", m->interrupted ? "**partial**: interrupted,"
		" only the cells that ran are here" : m->error[0] ? "**failed**: see"
		" the end of the report" : "complete");
	fprintf(out, "- started: %s; ipctrace %s (%s)\n", jstr(meta, "started"),
		jstr(meta, "ipctrace_version"), jstr(meta, "git_revision"));
	fprintf(out, "- machine: %s, %lld CPUs online, virtualization: %s\n",
		jstr(cpu, "model"),
		(long long)json_integer_value(json_object_get(cpu, "cores_online")),
		jstr(meta, "virtualization"));
	fprintf(out, "- attach: %s (%s)\n", m->meta.attach.mode, m->meta.attach_detail);
	fprintf(out, "- workers ran as: %s\n", m->meta.identity);
	fprintf(out, "- command: `%s`\n\n", m->meta.cmdline);
	fprintf(out, "## Report\n\n```text\n%s```\n\n", text ? text : "");
	free(text);
	fprintf(out, "## Plots\n\n");
	if (plots_missing) {
		fprintf(out, "Not drawn: %s. Install gnuplot (`sudo apt-get install"
			     " gnuplot-nox`) and run `ipctrace report %s --plots`.\n\n",
			plots_missing, dir);
	} else {
		fprintf(out, "One panel per message size; x is the buffer requested"
			" (the kernel's default first); pipe blue, socketpair orange.\n\n");
		for (int i = 0; plot_files[i].file; i++) {
			if (i == PLOT_FILES - 1 && !plots_cpu_split_available(m)) {
				fprintf(out, "%s: not drawn, no cell has its CPU split"
					" (results of an older format).\n\n",
					plot_files[i].title);
				continue;
			}
			fprintf(out, "![%s](%s)\n\n", plot_files[i].title,
				plot_files[i].file);
		}
	}
	fprintf(out,
		"## How to read it\n\n"
		"- **MB/s** is the median over the repetitions of one cell; min and"
		" max are the extremes. Every transport of a comparison moved the same"
		" bytes with the same write()/read() pattern; MB = 10^6 bytes.\n"
		"- **Counters per MB** are totals over all repetitions divided by the"
		" MB moved: write calls; blocked writes (calls that found the channel"
		" full and slept); blocked reads (calls that found it empty and"
		" slept); with epoll, the epoll waits instead; wakeups from writer to"
		" reader and back; voluntary and involuntary context switches of both"
		" workers, classified exactly as the kernel's nvcsw/nivcsw.\n"
		"- **fill** is how full the channel was when the writer blocked: pipe"
		" slots in use against max_usage, or the socket's sk_wmem_alloc"
		" against sk_sndbuf (KiB).\n"
		"- **wake** is the time from sched_waking to the task running again,"
		" p50/p99 in microseconds.\n"
		"- **Reconciliation**: every BPF count was compared, repetition by"
		" repetition, with the workload's own counts, /proc/PID/task/TID/status"
		" and io, and getrusage. A mismatch is marked `!` on its row.\n"
		"- **Waits by cause**: a buffer wait is a sleep inside a write or read"
		" because the channel was full or empty; a lock or fault wait is any"
		" other sleep inside the call (pipe->mutex, the socket's iolock, a page"
		" fault; on PREEMPT_RT also spinlocks). Fill at block is sampled at"
		" buffer waits only.\n"
		"- **Time per message** splits the time of the side that sets the pace"
		" (the one that sleeps least) into its CPU (getrusage), its sleeps by"
		" cause (BPF) and the time it was runnable but not running; the parts"
		" add up to its time at work.\n"
		"- **Verdicts** call a difference significant only when the min..max"
		" ranges of the two cells do not overlap. The reason names the"
		" counters that differ most; `time:` splits the gap term by term,"
		" measured; for loop cells, `vs stream:` compares with the stream"
		" cells of the same size.\n"
		"- **Cost model**: time per MB fitted by least squares against"
		" switches and syscalls per MB, over the cells of one placement and"
		" pattern, each cost with its standard error. A cost within two"
		" standard errors of zero is never claimed; terms that add up to"
		" more than a pair's gap make the fit inconsistent for that pair.\n"
		"- **The headline** is computed from the verdicts: who wins which"
		" message sizes, where the winner flips, and, for each side, the"
		" largest term of the measured gap.\n");
	profile_notes(out, m);
	return ferror(out) ? -1 : 0;
}
