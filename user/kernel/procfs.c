// SPDX-License-Identifier: GPL-2.0
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "procfs.h"

/*
 * "key: value" lines of a /proc file: vals[i] gets the number after keys[i],
 * -1 when absent; one read of the file for all the keys.
 */
static void fields_after(const char *path, const char *const keys[],
			 long long vals[], int n)
{
	FILE *f = fopen(path, "re");
	char line[256];

	for (int i = 0; i < n; i++)
		vals[i] = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		for (int i = 0; i < n; i++) {
			size_t klen = strlen(keys[i]);

			if (strncmp(line, keys[i], klen) == 0) {
				vals[i] = strtoll(line + klen, NULL, 10);
				break;
			}
		}
	}
	fclose(f);
}

int proc_read_kcounters(pid_t pid, pid_t tid, struct kcounters *k)
{
	static const char *const status_keys[] = { "voluntary_ctxt_switches:",
						   "nonvoluntary_ctxt_switches:" };
	static const char *const io_keys[] = { "syscr:", "syscw:", "rchar:", "wchar:" };
	long long sw[2], io[4];
	char path[96];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	fields_after(path, status_keys, sw, 2);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/io", pid, tid);
	fields_after(path, io_keys, io, 4);
	k->vol = sw[0];
	k->invol = sw[1];
	k->syscr = io[0];
	k->syscw = io[1];
	k->rchar = io[2];
	k->wchar = io[3];
	return k->vol < 0 || k->syscw < 0 ? -1 : 0;
}

/* the task is in system call nr (it is off its CPU: see procfs.h) */
static bool in_syscall(const char *path, long nr)
{
	FILE *f = fopen(path, "re");
	char buf[256];
	long got;
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) && sscanf(buf, "%ld", &got) == 1 && got == nr;
	fclose(f);
	return ok;
}

/* the task sleeps (S or D in /proc/.../stat), rather than waits to run */
static bool asleep(const char *path)
{
	FILE *f = fopen(path, "re");
	char buf[512], *paren;
	bool ok = false;

	if (f && fgets(buf, sizeof(buf), f) && (paren = strrchr(buf, ')')))
		ok = paren[1] == ' ' && (paren[2] == 'S' || paren[2] == 'D');
	if (f)
		fclose(f);
	return ok;
}

int proc_wait_blocked_in(pid_t pid, pid_t tid, long nr, double max_wait_s,
			 volatile sig_atomic_t *stop)
{
	char sys[96], stat[96];
	struct timespec pause = { .tv_nsec = 200 * 1000 };
	long polls = (long)(max_wait_s / 200e-6) + 1;

	snprintf(sys, sizeof(sys), "/proc/%d/task/%d/syscall", pid, tid);
	snprintf(stat, sizeof(stat), "/proc/%d/task/%d/stat", pid, tid);
	for (long i = 0; i < polls && !(stop && *stop); i++) {
		if (access(sys, F_OK))
			return -1;
		/*
		 * Off its CPU in nr is not enough: a task just woken, still
		 * waiting to run, is there too. Asleep in nr, as seen twice
		 * around the look at its state, is.
		 */
		if (in_syscall(sys, nr) && asleep(stat) && in_syscall(sys, nr))
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

void proc_pin_to_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

pid_t proc_tgid(pid_t id)
{
	static const char *const key[] = { "Tgid:" };
	long long tgid;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", id);
	fields_after(path, key, &tgid, 1);
	return (pid_t)tgid;
}

void proc_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}
