// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc_fds.h"

/* the unix stream sockets of a network namespace, sorted by inode */
struct stream_inodes {
	bool loaded;
	unsigned long long *ino;
	size_t n;
};

static int by_ino(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Read /proc/PID/net/unix (the process's own network namespace) once per
 * process, at its first socket: it lists every unix socket of the
 * namespace, so reading it again for each socket fd costs sockets x lines.
 */
static void load_stream_inodes(pid_t pid, struct stream_inodes *si)
{
	char path[64], line[512];
	size_t cap = 0;
	FILE *f;

	si->loaded = true;
	snprintf(path, sizeof(path), "/proc/%d/net/unix", (int)pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long inode;
		unsigned int type;

		/* Num RefCount Protocol Flags Type St Inode Path; Type 0001: stream */
		if (sscanf(line, "%*s %*s %*s %*s %x %*s %llu", &type, &inode) != 2 ||
		    type != 1)
			continue;
		if (si->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			unsigned long long *ni = realloc(si->ino, ncap * sizeof(*ni));

			if (!ni)
				break;
			si->ino = ni;
			cap = ncap;
		}
		si->ino[si->n++] = inode;
	}
	if (f)
		fclose(f);
	if (si->n)
		qsort(si->ino, si->n, sizeof(*si->ino), by_ino);
}

/* is socket inode ino a unix stream socket? */
static bool unix_stream(pid_t pid, struct stream_inodes *si, unsigned long long ino)
{
	if (!si->loaded)
		load_stream_inodes(pid, si);
	return si->n && bsearch(&ino, si->ino, si->n, sizeof(*si->ino), by_ino);
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
	struct stream_inodes si = { 0 };
	struct dirent *e;
	int ret = 0;
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
		else if (sscanf(target, "socket:[%llu]", &ino) == 1 && unix_stream(pid, &si, ino))
			kind = IPCT_CHAN_UNIX;
		if (!kind || known(*v, *n, ino))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			struct open_chan *nv = realloc(*v, ncap * sizeof(*nv));

			if (!nv) {
				ret = -1;
				break;
			}
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = (struct open_chan){ .ino = ino, .pid = (__u32)pid,
						   .kind = (__u32)kind, .fd = fd };
	}
	closedir(d);
	free(si.ino);
	return ret;
}
