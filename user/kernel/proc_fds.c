// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc_fds.h"

/* is socket inode ino a unix stream socket? (/proc/net/unix: Type 0001) */
static bool unix_stream(pid_t pid, unsigned long long ino)
{
	char path[64], line[512];
	FILE *f;
	bool yes = false;

	/* the process's own network namespace */
	snprintf(path, sizeof(path), "/proc/%d/net/unix", (int)pid);
	f = fopen(path, "re");
	while (f && !yes && fgets(line, sizeof(line), f)) {
		unsigned long long inode;
		unsigned int type;

		/* Num RefCount Protocol Flags Type St Inode Path */
		if (sscanf(line, "%*s %*s %*s %*s %x %*s %llu", &type, &inode) == 2)
			yes = inode == ino && type == 1;
	}
	if (f)
		fclose(f);
	return yes;
}

static bool known(const struct open_chan *v, size_t n, unsigned long long ino)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ino == ino)
			return true;
	return false;
}

int proc_open_chans(pid_t pid, struct open_chan **v, size_t *n, size_t *cap)
{
	char dir[64], path[320], target[128];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		unsigned long long ino;
		int fd = atoi(e->d_name), kind = 0;
		ssize_t len;

		if (fd < 3)
			continue;	/* stdio: the terminal or whoever started it */
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "pipe:[%llu]", &ino) == 1)
			kind = IPCT_CHAN_PIPE;
		else if (sscanf(target, "socket:[%llu]", &ino) == 1 && unix_stream(pid, ino))
			kind = IPCT_CHAN_UNIX;
		if (!kind || known(*v, *n, ino))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			struct open_chan *nv = realloc(*v, ncap * sizeof(*nv));

			if (!nv) {
				closedir(d);
				return -1;
			}
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = (struct open_chan){ .ino = ino, .pid = (__u32)pid,
						   .kind = (__u32)kind, .fd = fd };
	}
	closedir(d);
	return 0;
}
