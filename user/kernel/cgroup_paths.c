// SPDX-License-Identifier: GPL-2.0
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgroup_paths.h"

struct cg_entry {
	__u64 id;		/* 0: free */
	char *path;		/* NULL: looked for, not found */
};

struct cgroup_paths {
	char mount[4096];	/* where cgroup2 is mounted */
	char root[4096];	/* the mount's root in the hierarchy ("/") */
	struct cg_entry *tab;
	size_t cap, n;
};

static size_t slot_of(const struct cgroup_paths *cp, __u64 id)
{
	size_t j = (size_t)(id * 0x9e3779b97f4a7c15ULL) & (cp->cap - 1);

	while (cp->tab[j].id && cp->tab[j].id != id)
		j = (j + 1) & (cp->cap - 1);
	return j;
}

static int put(struct cgroup_paths *cp, __u64 id, const char *path)
{
	size_t j;

	if ((cp->n + 1) * 2 > cp->cap) {
		struct cg_entry *old = cp->tab;
		size_t oldcap = cp->cap;

		cp->cap = cp->cap ? cp->cap * 2 : 256;
		cp->tab = calloc(cp->cap, sizeof(*cp->tab));
		if (!cp->tab) {
			cp->tab = old;
			cp->cap = oldcap;
			return -1;
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].id)
				cp->tab[slot_of(cp, old[i].id)] = old[i];
		free(old);
	}
	j = slot_of(cp, id);
	if (cp->tab[j].id)
		free(cp->tab[j].path);
	else
		cp->n++;
	cp->tab[j].id = id;
	cp->tab[j].path = path ? strdup(path) : NULL;
	return 0;
}

static void clear(struct cgroup_paths *cp)
{
	for (size_t i = 0; i < cp->cap; i++)
		free(cp->tab[i].path);
	if (cp->tab)
		memset(cp->tab, 0, cp->cap * sizeof(*cp->tab));
	cp->n = 0;
}

/* nftw has no user argument: the table being filled */
static struct cgroup_paths *walking;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(walking->mount);
	char label[8192];

	(void)ftw;
	if (type != FTW_D)
		return 0;
	/* the mount's root is the hierarchy's "/" unless a namespace moved it */
	snprintf(label, sizeof(label), "%s%s",
		 strcmp(walking->root, "/") ? walking->root : "",
		 *rel ? rel : (strcmp(walking->root, "/") ? "" : "/"));
	put(walking, (__u64)st->st_ino, label);
	return 0;
}

/*
 * Walk the mount again. Ids looked for and not found stay known as gone:
 * kernfs ids are 64-bit and never reused, so a removed cgroup's id never
 * comes back (up to a bound, past which they are looked for again).
 */
#define MAX_GONE 65536
static void rebuild(struct cgroup_paths *cp)
{
	__u64 *gone = NULL;
	size_t ngone = 0;

	if (!cp->mount[0])
		return;
	if (cp->n)
		gone = calloc(cp->n, sizeof(*gone));
	for (size_t i = 0; gone && i < cp->cap; i++)
		if (cp->tab[i].id && !cp->tab[i].path)
			gone[ngone++] = cp->tab[i].id;
	clear(cp);
	walking = cp;
	nftw(cp->mount, visit, 16, FTW_PHYS | FTW_MOUNT);
	walking = NULL;
	for (size_t i = 0; ngone <= MAX_GONE && i < ngone; i++)
		if (!cp->cap || !cp->tab[slot_of(cp, gone[i])].id)
			put(cp, gone[i], NULL);
	free(gone);
}

/* the first cgroup2 mount in /proc/self/mountinfo */
static void find_mount(struct cgroup_paths *cp)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[8192];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char root[4096], mnt[4096];
		const char *dash = strstr(line, " - ");

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		/* mountinfo escapes spaces as \040; cgroup mounts have none */
		snprintf(cp->root, sizeof(cp->root), "%s", root);
		snprintf(cp->mount, sizeof(cp->mount), "%s", mnt);
		break;
	}
	fclose(f);
}

struct cgroup_paths *cgroup_paths_new(void)
{
	struct cgroup_paths *cp = calloc(1, sizeof(*cp));

	if (!cp)
		return NULL;
	find_mount(cp);
	rebuild(cp);
	return cp;
}

void cgroup_paths_free(struct cgroup_paths *cp)
{
	if (!cp)
		return;
	clear(cp);
	free(cp->tab);
	free(cp);
}

const char *cgroup_paths_get(struct cgroup_paths *cp, __u64 id)
{
	size_t j;

	if (!id || !cp->cap)
		return "";
	j = slot_of(cp, id);
	if (!cp->tab[j].id) {
		/* a cgroup made since the last walk: walk again, once per id */
		rebuild(cp);
		if (!cp->cap)
			return "";
		j = slot_of(cp, id);
		if (!cp->tab[j].id) {
			put(cp, id, NULL);
			j = slot_of(cp, id);
		}
	}
	return cp->tab[j].id == id && cp->tab[j].path ? cp->tab[j].path : "";
}

const char *cgroup_paths_mount(const struct cgroup_paths *cp)
{
	return cp->mount;
}
