// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "sizes.h"

/* digits: decimal digits only, and at least one */
static const char *digits(const char *s, unsigned long long *v, bool *overflow)
{
	*v = 0;
	*overflow = false;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*v > (UINT64_MAX - d) / 10)
			*overflow = true;
		else
			*v = *v * 10 + d;
	}
	return s;
}

int parse_size(const char *s, uint64_t *out, char *why, size_t len)
{
	const char *end;
	unsigned long long v;
	uint64_t mult = 1;
	bool overflow;

	end = digits(s, &v, &overflow);
	if (end == s) {
		snprintf(why, len, "'%s' is not a size (examples: 1000, 4K, 1M)", QUOTE(s));
		return -1;
	}
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1ULL << 10; end++; break;
	case 'M': mult = 1ULL << 20; end++; break;
	case 'G': mult = 1ULL << 30; end++; break;
	case 'T': mult = 1ULL << 40; end++; break;
	default: break;
	}
	if (mult > 1 && toupper((unsigned char)*end) == 'I')
		end++;	/* 4KiB */
	if (toupper((unsigned char)*end) == 'B')
		end++;	/* 4KB, 4KiB, 100B */
	if (*end) {
		snprintf(why, len, "'%s' is not a size (examples: 1000, 4K, 1M)", QUOTE(s));
		return -1;
	}
	if (overflow || v > UINT64_MAX / mult) {
		snprintf(why, len, "'%s' is too large", QUOTE(s));
		return -1;
	}
	*out = v * mult;
	return 0;
}

int parse_size_list(const char *opt, const char *s, bool allow_default,
		    uint64_t **out, size_t *n, char *why, size_t len)
{
	size_t cap = 1, items = 0;
	uint64_t *v;
	const char *p = s;

	for (const char *c = s; *c; c++)
		cap += *c == ',';
	v = malloc(cap * sizeof(*v));
	*n = 0;
	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (;;) {
		size_t l = strcspn(p, ",");
		char item[64];

		if (l == 0) {
			snprintf(why, len, "%s '%s' has an empty item: give %s separated"
				 " by commas, e.g. %s", opt, QUOTE(s), allow_default ?
				 "sizes or 'default'" : "sizes", allow_default ?
				 "default,1M" : "1000,4K");
			goto fail;
		}
		if (l >= sizeof(item)) {
			snprintf(why, len, "%s: '%s' is not a size", opt, QUOTE(p));
			goto fail;
		}
		memcpy(item, p, l);
		item[l] = '\0';
		if (allow_default && !strcmp(item, "default")) {
			v[items++] = 0;
		} else {
			char e[ARG_QUOTE_LEN + 64];

			if (parse_size(item, &v[items], e, sizeof(e))) {
				snprintf(why, len, "%s: %s%s", opt, e, allow_default &&
					 strstr(e, "not a size") ? "; or 'default'" : "");
				goto fail;
			}
			items++;
		}
		if (!p[l])
			break;
		p += l + 1;
	}
	*n = items;
	*out = v;
	return 0;
fail:
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

/* "12", "1.5", ".5", "2." with the number's end in *end */
static int decimal_prefix(const char *s, double *out, const char **end)
{
	const char *p = s;
	bool any = false;
	char *e;

	while (isdigit((unsigned char)*p)) {
		p++;
		any = true;
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			any = true;
	if (!any)
		return -1;
	/* only digits and one dot reach strtod: no hex, exponent or nan */
	errno = 0;
	*out = strtod(s, &e);
	if (e != p || errno || !isfinite(*out))
		return -1;
	*end = p;
	return 0;
}

int parse_decimal(const char *s, double *out)
{
	const char *end;

	return decimal_prefix(s, out, &end) || *end ? -1 : 0;
}

int parse_seconds(const char *s, double *out)
{
	const char *end;
	double v;

	if (decimal_prefix(s, &v, &end))
		return -1;
	if (!strcmp(end, "ms"))
		v /= 1000;
	else if (*end && strcmp(end, "s"))
		return -1;
	*out = v;
	return 0;
}

int parse_uint_range(const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	bool overflow;
	const char *end = digits(s, &v, &overflow);

	if (end == s || *end || overflow || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *format_ns(double ns, char *buf, size_t len)
{
	static const char *const unit[] = { "ns", "us", "ms", "s" };
	unsigned int u = 0;

	if (isnan(ns)) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* the next unit once four figures no longer hold it, rounded */
	while (ns >= 9999.5 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		ns /= 1000;
		u++;
	}
	snprintf(buf, len, "%4.0f %s", ns, unit[u]);
	return buf;
}

const char *format_num(double v, const char *if_nan, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "%s", if_nan);
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else	/* a remainder that rounds to zero is 0.00, not -0.00 */
		snprintf(buf, len, "%.2f", fabs(v) < 0.005 ? 0.0 : v);
	return buf;
}
