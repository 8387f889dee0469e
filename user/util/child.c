// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "child.h"

/* inherited fds, sorted; a fixed array so a child can walk it without
 * malloc (fds past the first MAX_INHERITED are not kept) */
#define MAX_INHERITED 1024
static int inherited[MAX_INHERITED];
static size_t ninherited;
static bool remembered;

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

void child_remember_inherited_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	remembered = true;
	ninherited = 0;
	if (!d) {
		/* no /proc: keep stdio, the rest is ours to close */
		for (int fd = 0; fd < 3; fd++)
			inherited[ninherited++] = fd;
		return;
	}
	while ((e = readdir(d)) && ninherited < MAX_INHERITED) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end || end == e->d_name || fd == dirfd(d))
			continue;
		inherited[ninherited++] = (int)fd;
	}
	closedir(d);
	qsort(inherited, ninherited, sizeof(inherited[0]), by_value);
}

/* close [lo, hi]; without close_range (before 5.9) one by one */
static void close_span(unsigned int lo, unsigned int hi)
{
	if (lo > hi)
		return;
	if (close_range(lo, hi, 0) == 0)
		return;
	if (hi > 65535) {
		long max = sysconf(_SC_OPEN_MAX);

		hi = max > 0 && max < 65536 ? (unsigned int)max - 1 : 65535;
	}
	for (unsigned int fd = lo; fd <= hi; fd++)
		close((int)fd);
}

void child_close_ipctrace_fds(void)
{
	unsigned int next = 0;

	if (!remembered) {
		close_span(3, ~0U);
		return;
	}
	for (size_t i = 0; i < ninherited; i++) {
		if ((unsigned int)inherited[i] > next)
			close_span(next, (unsigned int)inherited[i] - 1);
		next = (unsigned int)inherited[i] + 1;
	}
	close_span(next, ~0U);
}

void child_die_with(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the parent died before the line above: we were reparented */
	if (getppid() != parent)
		raise(SIGKILL);
}
