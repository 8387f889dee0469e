// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cpu_profile.h"

#define EMPTY ((size_t)-1)

static uint64_t str_hash(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t stack_hash(const struct prof_stack *st, bool by_thread)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h ^= by_thread ? st->tid : (uint32_t)st->role;
	h *= 0x100000001b3ULL;
	h ^= st->user_mode;
	h = str_hash(h * 0x100000001b3ULL, st->kframes ? st->kframes : "");
	return str_hash(h ^ 0x2f, st->uframes ? st->uframes : "");
}

static bool same_stack(const struct prof_stack *a, const struct prof_stack *b,
		       bool by_thread)
{
	if (by_thread ? a->tid != b->tid : a->role != b->role)
		return false;
	return a->user_mode == b->user_mode &&
	       !strcmp(a->kframes ? a->kframes : "", b->kframes ? b->kframes : "") &&
	       !strcmp(a->uframes ? a->uframes : "", b->uframes ? b->uframes : "");
}

/* grow the index to twice the stacks, at least 64 slots, and refill it */
static int reindex(struct prof_samples *s, bool by_thread)
{
	size_t n = 64;

	while (n < 2 * (s->n + 1))
		n *= 2;
	free(s->index);
	s->index = malloc(n * sizeof(*s->index));
	if (!s->index) {
		s->nindex = 0;
		return -1;
	}
	s->nindex = n;
	for (size_t i = 0; i < n; i++)
		s->index[i] = EMPTY;
	for (size_t k = 0; k < s->n; k++) {
		size_t i = stack_hash(&s->v[k], by_thread) & (n - 1);

		while (s->index[i] != EMPTY)
			i = (i + 1) & (n - 1);
		s->index[i] = k;
	}
	return 0;
}

int prof_samples_add(struct prof_samples *s, const struct prof_stack *st,
		     bool by_thread)
{
	struct prof_stack *dst;
	size_t i;

	if (2 * (s->n + 1) > s->nindex && reindex(s, by_thread))
		return -1;
	i = stack_hash(st, by_thread) & (s->nindex - 1);
	for (; s->index[i] != EMPTY; i = (i + 1) & (s->nindex - 1)) {
		if (same_stack(&s->v[s->index[i]], st, by_thread)) {
			s->v[s->index[i]].samples += st->samples;
			s->total += st->samples;
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct prof_stack *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	dst = &s->v[s->n];
	*dst = *st;
	if (!by_thread)
		dst->tgid = dst->tid = 0;
	dst->kframes = strdup(st->kframes ? st->kframes : "");
	dst->uframes = strdup(st->uframes ? st->uframes : "");
	if (!dst->kframes || !dst->uframes) {
		free(dst->kframes);
		free(dst->uframes);
		return -1;
	}
	s->index[i] = s->n++;
	s->total += st->samples;
	return 0;
}

int prof_samples_merge(struct prof_samples *dst, const struct prof_samples *src,
		       bool by_thread)
{
	for (size_t i = 0; src && i < src->n; i++)
		if (prof_samples_add(dst, &src->v[i], by_thread))
			return -1;
	return 0;
}

void prof_samples_free(struct prof_samples *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].kframes);
		free(s->v[i].uframes);
	}
	free(s->v);
	free(s->index);
	memset(s, 0, sizeof(*s));
}

double profile_tick_rate(const struct profile_info *p)
{
	if (!p->available || !p->ncpus || !(p->seconds > 0) || !p->ticks)
		return NAN;
	return (double)p->ticks / p->ncpus / p->seconds;
}
