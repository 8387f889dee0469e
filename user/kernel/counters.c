// SPDX-License-Identifier: GPL-2.0
/*
 * counters.c - where the counters born in bpf/ are read: the maps and
 * .bss of a started tracer, into the plain records of bpf/ipctrace.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "tracer_internal.h"

/* delete every key of a map (keys are at most 8 bytes here) */
static void clear_map(struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	char key[16], next[16];

	while (bpf_map_get_next_key(fd, NULL, next) == 0) {
		memcpy(key, next, sizeof(key));
		if (bpf_map_delete_elem(fd, key))
			break;
	}
}

static void chans_reset(struct tracer *t);

void tracer_reset_counters(struct tracer *t)
{
	slots_reset(t);
	clear_map(t->skel->maps.wakes);
	clear_map(t->skel->maps.sleeps);
	chans_reset(t);
	clear_map(t->skel->maps.stack_times);
	memset(t->skel->bss->drops, 0, sizeof(t->skel->bss->drops));
	t->misses_base = tracer_prog_misses(t);
}


/* all key/value pairs of a map into one malloc'ed array of pairs */
/*
 * Batch reads (bpf_map_lookup_batch, v5.6) take a map in a few syscalls
 * instead of two per entry; kernels or map types without them answer
 * EINVAL (or ENOTSUP), and we iterate instead, as libbpf-tools' dump_hash
 * does. Decided on the first map read, then kept.
 */
static bool batch_ops = true;

/* grow the key and value arrays to hold at least want entries */
static int reserve(char **keys, char **vals, size_t *cap, size_t want,
		   size_t ksz, size_t vsz)
{
	char *k, *v;
	size_t ncap = *cap;

	if (want <= *cap)
		return 0;
	while (ncap < want)
		ncap *= 2;
	k = realloc(*keys, ncap * ksz);
	if (!k)
		return -ENOMEM;
	*keys = k;
	v = realloc(*vals, ncap * vsz);
	if (!v)
		return -ENOMEM;
	*vals = v;
	*cap = ncap;
	return 0;
}

/* every entry by batches; -EOPNOTSUPP when the kernel cannot batch */
static int dump_batch(int fd, size_t ksz, size_t vsz, char **keys, char **vals,
		      size_t *cap, size_t *cnt)
{
	__u64 in = 0, out = 0;	/* the batch cursor: a bucket index for hashes */
	__u32 chunk = 256;
	bool first = true;

	*cnt = 0;
	for (;;) {
		__u32 n = chunk;
		int err;

		if (reserve(keys, vals, cap, *cnt + chunk, ksz, vsz))
			return -ENOMEM;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out,
					   *keys + *cnt * ksz, *vals + *cnt * vsz,
					   &n, NULL);
		if (err && errno == ENOSPC && n == 0) {
			/* one bucket holds more than a chunk: ask for more */
			chunk *= 2;
			continue;
		}
		*cnt += n;
		if (err && errno == ENOENT)
			return 0;	/* the end of the map */
		if (err)
			return first && (errno == EINVAL || errno == ENOTSUP ||
					 errno == EOPNOTSUPP) ? -EOPNOTSUPP : -errno;
		first = false;
		in = out;
	}
}

/* every entry by key; entries deleted meanwhile are skipped */
static int dump_iter(int fd, size_t ksz, size_t vsz, char **keys, char **vals,
		     size_t *cap, size_t *cnt)
{
	char key[64], next[64];
	bool first = true;

	*cnt = 0;
	while (bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		first = false;
		memcpy(key, next, ksz);
		if (reserve(keys, vals, cap, *cnt + 1, ksz, vsz))
			return -ENOMEM;
		memcpy(*keys + *cnt * ksz, key, ksz);
		if (bpf_map_lookup_elem(fd, key, *vals + *cnt * vsz) == 0)
			(*cnt)++;
	}
	return errno == ENOENT || first ? 0 : -errno;
}

/* all key/value pairs of a map into one malloc'ed array of pairs */
static int dump_map(struct bpf_map *map, size_t ksz, size_t vsz, void **out,
		    size_t *n)
{
	int fd = bpf_map__fd(map), ret = -EOPNOTSUPP;
	size_t cap = 64, cnt = 0, rec = ksz + vsz;
	char *keys = malloc(cap * ksz), *vals = malloc(cap * vsz), *pairs = NULL;

	if (!keys || !vals || ksz > 64) {
		ret = -ENOMEM;
		goto out;
	}
	if (batch_ops) {
		ret = dump_batch(fd, ksz, vsz, &keys, &vals, &cap, &cnt);
		if (ret == -EOPNOTSUPP)
			batch_ops = false;
	}
	if (ret == -EOPNOTSUPP)
		ret = dump_iter(fd, ksz, vsz, &keys, &vals, &cap, &cnt);
	if (ret)
		goto out;
	pairs = malloc((cnt ? cnt : 1) * rec);
	if (!pairs) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < cnt; i++) {
		memcpy(pairs + i * rec, keys + i * ksz, ksz);
		memcpy(pairs + i * rec + ksz, vals + i * vsz, vsz);
	}
	*out = pairs;
	*n = cnt;
out:
	free(keys);
	free(vals);
	return ret;
}

static int by_sleep_key(const void *a, const void *b)
{
	const struct sleep_entry *x = a, *y = b;

	if (x->key.tid != y->key.tid)
		return x->key.tid < y->key.tid ? -1 : 1;
	return (x->key.syscall_nr > y->key.syscall_nr) -
	       (x->key.syscall_nr < y->key.syscall_nr);
}

/* one entry per thread and syscall: sort, then sum neighbours */
static size_t merge_sleeps(struct sleep_entry *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof(*v), by_sleep_key);
	for (size_t i = 0; i < n; i++) {
		if (k && !by_sleep_key(&v[k - 1], &v[i])) {
			v[k - 1].val.count += v[i].val.count;
			v[k - 1].val.ns += v[i].val.ns;
		} else {
			v[k++] = v[i];
		}
	}
	return k;
}

/* every slot in use, from the mapped records */
int tracer_read_threads(struct tracer *t, struct ipct_thread **out, size_t *n)
{
	struct ipct_thread *v = calloc(t->nslots, sizeof(*v));
	size_t cnt = 0;

	if (!v)
		return -ENOMEM;
	for (__u32 slot = 1; slot < t->nslots; slot++)
		if (t->thread_mem[slot].tid)
			v[cnt++] = t->thread_mem[slot];
	*out = v;
	*n = cnt;
	return 0;
}

int tracer_read_thread(struct tracer *t, __u32 tid, struct ipct_thread *out)
{
	const struct ipct_thread *th = slots_thread(t, tid, NULL);

	if (!th)
		return -ENOENT;
	*out = *th;
	return 0;
}

int tracer_read_hist(struct tracer *t, __u32 tid, enum ipct_hist_kind kind,
		     struct ipct_hist *out)
{
	const struct ipct_thread *th = slots_thread(t, tid, NULL);
	__u32 hslot = th && kind < IPCT_HIST_KIND_COUNT ? th->hist_slot[kind] : 0;

	memset(out, 0, sizeof(*out));
	if (!hslot)
		return 0;
	if (bpf_map__lookup_elem(t->skel->maps.hists, &hslot, sizeof(hslot), out,
				 sizeof(*out), 0))
		return -errno;
	return 0;
}

static int by_wake_key(const void *a, const void *b)
{
	const struct wake_edge *x = a, *y = b;

	if (x->key.waker_tid != y->key.waker_tid)
		return x->key.waker_tid < y->key.waker_tid ? -1 : 1;
	if (x->key.wakee_tid != y->key.wakee_tid)
		return x->key.wakee_tid < y->key.wakee_tid ? -1 : 1;
	return (x->key.ino > y->key.ino) - (x->key.ino < y->key.ino);
}

/*
 * The wakes map holds the pairs that did not fit in the waker's own
 * record (ipct_thread.wake_cache): both, one edge per waker, wakee and
 * channel.
 */
int tracer_read_wakes(struct tracer *t, struct wake_edge **out, size_t *n)
{
	struct wake_edge *map = NULL, *all;
	size_t nmap = 0, cnt = 0, k = 0;
	int ret = dump_map(t->skel->maps.wakes, sizeof(struct ipct_wake_key),
			   sizeof(struct ipct_wake_val), (void **)&map, &nmap);

	if (ret)
		return ret;
	all = calloc(nmap + (size_t)t->nslots * IPCT_WAKE_CACHE + 1, sizeof(*all));
	if (!all) {
		free(map);
		return -ENOMEM;
	}
	for (__u32 slot = 1; slot < t->nslots; slot++) {
		const struct ipct_thread *th = &t->thread_mem[slot];

		for (int i = 0; th->tid && i < IPCT_WAKE_CACHE; i++) {
			const struct ipct_wake_slot *c = &th->wake_cache[i];

			if (!c->wakee_tid)
				continue;
			all[cnt].key = (struct ipct_wake_key){ .waker_tid = th->tid,
				.wakee_tid = c->wakee_tid, .ino = c->ino };
			memcpy(all[cnt].val.via, c->via, sizeof(c->via));
			cnt++;
		}
	}
	memcpy(all + cnt, map, nmap * sizeof(*map));
	free(map);
	cnt += nmap;
	qsort(all, cnt, sizeof(*all), by_wake_key);
	for (size_t i = 0; i < cnt; i++) {
		if (k && !by_wake_key(&all[k - 1], &all[i])) {
			for (int v = 0; v <= IPCT_OP_COUNT; v++)
				all[k - 1].val.via[v] += all[i].val.via[v];
		} else {
			all[k++] = all[i];
		}
	}
	*out = all;
	*n = k;
	return 0;
}

/*
 * The sleeps map holds what did not fit in a thread's own table
 * (ipct_thread.sleep_cache): both, one entry per thread and syscall.
 */
int tracer_read_sleeps(struct tracer *t, struct sleep_entry **out, size_t *n)
{
	struct sleep_entry *map = NULL, *all;
	size_t nmap = 0, cnt = 0;
	int ret = dump_map(t->skel->maps.sleeps, sizeof(struct ipct_sleep_key),
			   sizeof(struct ipct_sleep_val), (void **)&map, &nmap);

	if (ret)
		return ret;
	all = calloc(nmap + (size_t)t->nslots * IPCT_SLEEP_CACHE + 1, sizeof(*all));
	if (!all) {
		free(map);
		return -ENOMEM;
	}
	for (__u32 slot = 1; slot < t->nslots; slot++) {
		const struct ipct_thread *th = &t->thread_mem[slot];

		for (int i = 0; th->tid && i < IPCT_SLEEP_CACHE; i++) {
			const struct ipct_sleep_slot *c = &th->sleep_cache[i];
			struct sleep_entry e = {
				.key = { .tid = th->tid, .syscall_nr = c->nr },
				.val = { .count = c->count, .ns = c->ns },
			};

			if (c->used)
				all[cnt++] = e;
		}
	}
	memcpy(all + cnt, map, nmap * sizeof(*map));
	free(map);
	*out = all;
	*n = merge_sleeps(all, cnt + nmap);
	return 0;
}

void tracer_read_drops(struct tracer *t, __u64 drops[IPCT_DROP_COUNT])
{
	/* .bss is memory-mapped: this is the live kernel-side array */
	for (int i = 0; i < IPCT_DROP_PROG_SKIPPED; i++)
		drops[i] = __atomic_load_n(&t->skel->bss->drops[i], __ATOMIC_RELAXED);
	drops[IPCT_DROP_PROG_SKIPPED] = tracer_prog_misses(t) - t->misses_base;
}

/* a channel's record: the sum of every CPU's copy */
static void sum_chan(struct ipct_chan *dst, const struct ipct_chan *cpu)
{
	const __u64 *from = (const __u64 *)&cpu->w;
	__u64 *to = (__u64 *)&dst->w;

	/* a CPU's copy named where the socket was not at hand has no peer */
	if (cpu->kind)
		dst->kind = cpu->kind;
	if (cpu->peer_ino)
		dst->peer_ino = cpu->peer_ino;
	/* w, r and wakeups: counters all, summed field by field */
	for (size_t i = 0; i < (sizeof(*cpu) - offsetof(struct ipct_chan, w)) /
			       sizeof(__u64); i++)
		to[i] += from[i];
}

int tracer_read_chans(struct tracer *t, struct ipct_chan **out, size_t *n)
{
	int ncpus = libbpf_num_possible_cpus();
	char *pairs = NULL;	/* dump_map: 8 bytes of inode, 4 of slot, each */
	struct ipct_chan *percpu, *v;
	size_t npairs = 0, cnt = 0;
	int ret;

	if (ncpus <= 0)
		return -EINVAL;
	ret = dump_map(t->skel->maps.chan_slots, sizeof(__u64), sizeof(__u32),
		       (void **)&pairs, &npairs);
	if (ret)
		return ret;
	percpu = calloc((size_t)ncpus, sizeof(*percpu));
	v = calloc(npairs + 1, sizeof(*v));
	if (!percpu || !v) {
		free(pairs);
		free(percpu);
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < npairs; i++) {
		struct ipct_chan *c = &v[cnt];
		__u32 slot;

		memcpy(&c->ino, pairs + i * 12, sizeof(c->ino));
		memcpy(&slot, pairs + i * 12 + 8, sizeof(slot));
		if (bpf_map__lookup_elem(t->skel->maps.chans, &slot, sizeof(slot), percpu,
					 (size_t)ncpus * sizeof(*percpu), 0))
			continue;
		for (int cpu = 0; cpu < ncpus; cpu++)
			sum_chan(c, &percpu[cpu]);
		if (c->kind)
			cnt++;
		else
			memset(c, 0, sizeof(*c));
	}
	free(pairs);
	free(percpu);
	*out = v;
	*n = cnt;
	return 0;
}

/* every channel's counters to zero, on every CPU; slots stay given */
static void chans_reset(struct tracer *t)
{
	int ncpus = libbpf_num_possible_cpus();
	int fd = bpf_map__fd(t->skel->maps.chan_slots);
	struct ipct_chan *zero;
	__u64 key, next;
	bool first = true;

	if (ncpus <= 0 || !t->opts.track_channels)
		return;
	zero = calloc((size_t)ncpus, sizeof(*zero));
	while (zero && bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		__u32 slot;

		first = false;
		key = next;
		if (!bpf_map_lookup_elem(fd, &key, &slot))
			bpf_map__update_elem(t->skel->maps.chans, &slot, sizeof(slot),
					     zero, (size_t)ncpus * sizeof(*zero), BPF_ANY);
	}
	free(zero);
}

int tracer_read_stack_times(struct tracer *t, struct stack_time **out, size_t *n)
{
	return dump_map(t->skel->maps.stack_times, sizeof(struct ipct_stack_key),
			sizeof(__u64), (void **)out, n);
}

int tracer_read_stack(struct tracer *t, __s32 stackid, __u64 *ips, int max)
{
	__u64 buf[IPCT_STACK_DEPTH] = { 0 };
	__u32 key = (__u32)stackid;
	int n = 0;

	if (bpf_map__lookup_elem(t->skel->maps.stacks, &key, sizeof(key), buf,
				 sizeof(buf), 0))
		return 0;
	while (n < max && n < IPCT_STACK_DEPTH && buf[n]) {
		ips[n] = buf[n];
		n++;
	}
	return n;
}

