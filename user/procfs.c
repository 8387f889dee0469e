// SPDX-License-Identifier: GPL-2.0
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "procfs.h"

static long long field_after(const char *path, const char *key)
{
	FILE *f = fopen(path, "re");
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0) {
			v = strtoll(line + klen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int proc_read_kcounters(pid_t pid, pid_t tid, struct kcounters *k)
{
	char status[96], io[96];

	snprintf(status, sizeof(status), "/proc/%d/task/%d/status", pid, tid);
	snprintf(io, sizeof(io), "/proc/%d/task/%d/io", pid, tid);
	k->vol = field_after(status, "voluntary_ctxt_switches:");
	k->invol = field_after(status, "nonvoluntary_ctxt_switches:");
	k->syscr = field_after(io, "syscr:");
	k->syscw = field_after(io, "syscw:");
	k->rchar = field_after(io, "rchar:");
	k->wchar = field_after(io, "wchar:");
	return k->vol < 0 || k->syscw < 0 ? -1 : 0;
}

int proc_wait_blocked_in(pid_t pid, pid_t tid, long nr, double max_wait_s,
			 volatile sig_atomic_t *stop)
{
	char path[96], buf[256];
	struct timespec pause = { .tv_nsec = 200 * 1000 };
	long polls = (long)(max_wait_s / 200e-6) + 1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	for (long i = 0; i < polls && !(stop && *stop); i++) {
		FILE *f = fopen(path, "re");
		long got;
		int ok;

		if (!f)
			return -1;
		ok = fgets(buf, sizeof(buf), f) && sscanf(buf, "%ld", &got) == 1 &&
		     got == nr;
		fclose(f);
		if (ok)
			return 0;
		nanosleep(&pause, NULL);
	}
	return -1;
}

int proc_allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	return n;
}
