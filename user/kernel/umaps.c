// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "umaps.h"

struct umap {
	uint64_t lo, hi, off;
	char name[64];
};

/* one process's executable mappings */
struct uproc {
	pid_t tgid;
	struct umap *m;
	size_t n;
};

struct umaps {
	struct uproc *p;
	size_t n;
};

struct umaps *umaps_new(void)
{
	return calloc(1, sizeof(struct umaps));
}

void umaps_free(struct umaps *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->p[i].m);
	free(u->p);
	free(u);
}

/* a frame name may hold neither ';' (folded frames) nor ' ' (the count) */
static void frame_safe(char *s)
{
	for (; *s; s++)
		if (*s == ';' || *s == ' ')
			*s = '_';
}

static void load(struct uproc *pr)
{
	char path[64], line[600];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pr->tgid);
	f = fopen(path, "re");
	if (!f)
		return;		/* gone: its frames stay hex */
	while (fgets(line, sizeof(line), f)) {
		uint64_t lo, hi, off;
		char perms[8], file[512] = "", *base;
		struct umap *m;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %511[^\n]",
			   &lo, &hi, perms, &off, file) < 4 || perms[2] != 'x')
			continue;
		if (pr->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct umap *nm = realloc(pr->m, ncap * sizeof(*nm));

			if (!nm)
				break;
			pr->m = nm;
			cap = ncap;
		}
		m = &pr->m[pr->n++];
		base = strrchr(file, '/');
		base = base ? base + 1 : file[0] ? file : "[anon]";
		*m = (struct umap){ .lo = lo, .hi = hi, .off = off };
		snprintf(m->name, sizeof(m->name), "%s", base);
		frame_safe(m->name);
	}
	fclose(f);
}

static struct uproc *proc_of(struct umaps *u, pid_t tgid)
{
	struct uproc *np;

	for (size_t i = 0; i < u->n; i++)
		if (u->p[i].tgid == tgid)
			return &u->p[i];
	np = realloc(u->p, (u->n + 1) * sizeof(*np));
	if (!np)
		return NULL;
	u->p = np;
	np = &u->p[u->n++];
	*np = (struct uproc){ .tgid = tgid };
	load(np);
	return np;
}

bool umaps_name(struct umaps *u, pid_t tgid, uint64_t addr, char *buf,
		size_t len)
{
	struct uproc *pr = proc_of(u, tgid);

	for (size_t i = 0; pr && i < pr->n; i++) {
		const struct umap *m = &pr->m[i];

		if (addr >= m->lo && addr < m->hi) {
			snprintf(buf, len, "%s+0x%" PRIx64, m->name, addr - m->lo + m->off);
			return true;
		}
	}
	snprintf(buf, len, "0x%" PRIx64, addr);
	return false;
}
