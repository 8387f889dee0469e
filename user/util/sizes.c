// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sizes.h"

int parse_size(const char *s, uint64_t *out, char *why, size_t len)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s)) {
		snprintf(why, len, "'%s' is not a size (examples: 1000, 4K, 1M)", s);
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno) {
		snprintf(why, len, "'%s' is too large", s);
		return -1;
	}
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1ULL << 10; end++; break;
	case 'M': mult = 1ULL << 20; end++; break;
	case 'G': mult = 1ULL << 30; end++; break;
	default: break;
	}
	if (toupper((unsigned char)*end) == 'B' || toupper((unsigned char)*end) == 'I')
		end++;	/* 4KB, 4KiB: accept the unit letters */
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end) {
		snprintf(why, len, "'%s' is not a size (examples: 1000, 4K, 1M)", s);
		return -1;
	}
	if (v > UINT64_MAX / mult) {
		snprintf(why, len, "'%s' is too large", s);
		return -1;
	}
	*out = v * mult;
	return 0;
}

int parse_size_list(const char *s, bool allow_default, uint64_t **out,
		    size_t *n, char *why, size_t len)
{
	char *copy = strdup(s), *tok, *save = NULL;
	size_t cap = 8;
	uint64_t *v = malloc(cap * sizeof(*v));

	*n = 0;
	if (!copy || !v)
		goto fail;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == cap) {
			uint64_t *nv = realloc(v, 2 * cap * sizeof(*v));

			if (!nv)
				goto fail;
			v = nv;
			cap *= 2;
		}
		if (allow_default && !strcmp(tok, "default"))
			v[(*n)++] = 0;
		else if (parse_size(tok, &v[*n], why, len))
			goto fail;
		else
			(*n)++;
	}
	if (*n == 0) {
		snprintf(why, len, "empty list");
		goto fail;
	}
	free(copy);
	*out = v;
	return 0;
fail:
	free(copy);
	free(v);
	return -1;
}

void format_size(uint64_t v, char *buf, size_t len)
{
	if (v && v % (1ULL << 30) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(v >> 30));
	else if (v && v % (1ULL << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(v >> 20));
	else if (v && v % (1ULL << 10) == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(v >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		v /= 1000;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = v;
	return 0;
}
