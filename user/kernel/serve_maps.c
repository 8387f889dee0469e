// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "serve_maps.h"
#include "tracer_internal.h"

static int by_tid(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static bool gone(const __u32 *sorted, size_t n, __u32 tid)
{
	return tid && bsearch(&tid, sorted, n, sizeof(*sorted), by_tid);
}

/*
 * Delete every key of map for which doomed() says so. Keys are collected
 * first and deleted after: deleting during get_next_key restarts a hash
 * map's walk from its first bucket.
 */
static int delete_where(struct bpf_map *map, size_t ksz,
			bool (*doomed)(const void *key, const __u32 *tids, size_t n),
			const __u32 *tids, size_t n)
{
	int fd = bpf_map__fd(map), ret = 0;
	char key[32], next[32], *keys = NULL;
	size_t nkeys = 0, cap = 0;
	bool first = true;

	if (ksz > sizeof(key))
		return -EINVAL;
	while (bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		first = false;
		memcpy(key, next, ksz);
		if (!doomed(key, tids, n))
			continue;
		if (nkeys == cap) {
			char *k = realloc(keys, (cap = cap ? cap * 2 : 256) * ksz);

			if (!k) {
				ret = -ENOMEM;
				break;
			}
			keys = k;
		}
		memcpy(keys + nkeys++ * ksz, key, ksz);
	}
	if (!ret && errno != ENOENT && !first)
		ret = -errno;
	for (size_t i = 0; i < nkeys; i++)
		bpf_map_delete_elem(fd, keys + i * ksz);
	free(keys);
	return ret;
}

static bool sleep_doomed(const void *key, const __u32 *tids, size_t n)
{
	return gone(tids, n, ((const struct ipct_sleep_key *)key)->tid);
}

static bool wake_doomed(const void *key, const __u32 *tids, size_t n)
{
	const struct ipct_wake_key *k = key;

	return gone(tids, n, k->waker_tid) || gone(tids, n, k->wakee_tid);
}

int tracer_forget_threads(struct tracer *t, const __u32 *tids, size_t n)
{
	__u32 *sorted;
	int ret, ret2;

	if (!n)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, tids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_tid);
	/*
	 * Records and their histograms sit in slots (slots.c): every slot of
	 * these tids goes back to the free queues, if its thread is gone (a
	 * reused tid's new thread keeps its own).
	 */
	for (__u32 slot = 1; t->thread_mem && slot < t->nslots; slot++) {
		const struct ipct_thread *th = &t->thread_mem[slot];

		if (gone(sorted, n, th->tid) && slots_thread_gone(th))
			slots_free(t, slot);
	}
	ret = delete_where(t->skel->maps.sleeps, sizeof(struct ipct_sleep_key),
			   sleep_doomed, sorted, n);
	ret2 = delete_where(t->skel->maps.wakes, sizeof(struct ipct_wake_key),
			    wake_doomed, sorted, n);
	free(sorted);
	return ret ? ret : ret2;
}
