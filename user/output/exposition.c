// SPDX-License-Identifier: GPL-2.0
/*
 * exposition.c - rendering metric families as OpenMetrics 1.0 text
 * (https://github.com/OpenObservability/OpenMetrics, specification 1.0)
 * or as Prometheus text 0.0.4. The two differ in: a counter's family name
 * (OpenMetrics drops the _total its samples keep), the info type (a gauge
 * named _info in 0.0.4), UNIT lines (OpenMetrics only), what HELP
 * escapes (OpenMetrics also escapes '"'), whole numbers in le ("1.0"),
 * and the final "# EOF".
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "exposition.h"

const char *exposition_content_type(enum exposition_format f)
{
	return f == EXPO_OPENMETRICS ? EXPO_CONTENT_TYPE_OPENMETRICS :
				       EXPO_CONTENT_TYPE_PROMETHEUS;
}

/* ---- content negotiation ---- */

/* the q of one media range's parameters ("; version=1.0.0;q=0.5"); 1 if none */
static double quality_of(const char *params, size_t len)
{
	const char *p = params, *end = params + len;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;

		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		if (stop - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char num[16];
			size_t n = (size_t)(stop - p - 2);

			if (n >= sizeof(num))
				n = sizeof(num) - 1;
			memcpy(num, p + 2, n);
			num[n] = '\0';
			return atof(num);
		}
		p = semi ? semi + 1 : end;
	}
	return 1.0;
}

enum exposition_format exposition_negotiate(const char *accept)
{
	double q_om = -1, q_text = -1, q_any = -1;
	const char *p = accept;

	if (!accept)
		return EXPO_PROMETHEUS;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t type_len;
		const char *t = p;
		double q;

		while (len && (*t == ' ' || *t == '\t'))
			t++, len--;
		type_len = strcspn(t, ";,");
		if (type_len > len)
			type_len = len;
		while (type_len && (t[type_len - 1] == ' ' || t[type_len - 1] == '\t'))
			type_len--;
		q = quality_of(t + type_len, len - type_len);
#define IS(s) (type_len == strlen(s) && !strncasecmp(t, s, type_len))
		if (IS("application/openmetrics-text"))
			q_om = q > q_om ? q : q_om;
		else if (IS("text/plain"))
			q_text = q > q_text ? q : q_text;
		else if (IS("*/*") || IS("text/*"))
			q_any = q > q_any ? q : q_any;
#undef IS
		p = t + len;
		if (*p == ',')
			p++;
	}
	if (q_text < 0)
		q_text = q_any;
	return q_om > 0 && q_om >= q_text ? EXPO_OPENMETRICS : EXPO_PROMETHEUS;
}

/* ---- numbers ---- */

void exposition_format_number(double v, bool openmetrics, char *buf, size_t len)
{
	char e[40];
	int exp, digits = 1;

	if (isnan(v)) {
		snprintf(buf, len, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, len, "%s", v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == 0) {
		snprintf(buf, len, "%s", openmetrics ? "0.0" : "0");
		return;
	}
	/* the fewest significant digits that read back as v */
	for (digits = 1; digits < 17; digits++) {
		snprintf(e, sizeof(e), "%.*e", digits - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	snprintf(e, sizeof(e), "%.*e", digits - 1, v);
	exp = atoi(strchr(e, 'e') + 1);
	if (exp < -4 || exp >= 21) {
		snprintf(buf, len, "%s", e);
		return;
	}
	snprintf(buf, len, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, v);
	if (openmetrics && !strchr(buf, '.') && strlen(buf) + 2 < len)
		strcat(buf, ".0");
}

/* a sample's value: whole numbers as integers, others as the formats' floats */
static void put_value(FILE *out, double v, bool om)
{
	char buf[40];

	if (v >= 0 && v < 9007199254740992.0 && v == floor(v)) {
		fprintf(out, "%.0f", v);
		return;
	}
	exposition_format_number(v, om, buf, sizeof(buf));
	fputs(buf, out);
}

/* ---- text ---- */

/* the length of one valid UTF-8 sequence at s, or 0 */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * s escaped: backslash and newline always, '"' when quote_too. Both
 * formats are UTF-8, and a process name is any 15 bytes: a byte that is
 * not part of valid UTF-8 becomes U+FFFD.
 */
static void put_escaped(FILE *out, const char *s, bool quote_too)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);

	while (left) {
		size_t n = utf8_seq(p, left);

		if (!n) {
			fputs("\xef\xbf\xbd", out);
			p++, left--;
			continue;
		}
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '"' && quote_too)
			fputs("\\\"", out);
		else
			fwrite(p, 1, n, out);
		p += n, left -= n;
	}
}

/* a="x",b="y": the point's labels, without braces */
static void put_label_list(FILE *out, const struct metric_family *f,
			   const struct metric_point *p)
{
	for (int i = 0; i < f->nlabels; i++) {
		fprintf(out, "%s%s=\"", i ? "," : "", f->label_names[i]);
		put_escaped(out, p->label_values[i], true);
		fputc('"', out);
	}
}

/* {a="x",b="y"}; nothing without labels */
static void put_labels(FILE *out, const struct metric_family *f,
		       const struct metric_point *p)
{
	if (!f->nlabels)
		return;
	fputc('{', out);
	put_label_list(out, f, p);
	fputc('}', out);
}

static const char *type_name(enum metric_type t, bool om)
{
	switch (t) {
	case METRIC_COUNTER:
		return "counter";
	case METRIC_HISTOGRAM:
		return "histogram";
	case METRIC_INFO:
		return om ? "info" : "gauge";
	default:
		return "gauge";
	}
}

/*
 * les: the bounds as le values, formatted once per family; the labels
 * are escaped once per point, not once per bucket. 0, or -1 when out of
 * memory.
 */
static int put_histogram(FILE *out, const struct metric_family *f,
			 const struct metric_point *p, char (*les)[40], bool om)
{
	uint64_t cum = 0;
	char *lab = NULL;
	size_t len = 0;
	FILE *l = open_memstream(&lab, &len);

	if (!l)
		return -1;
	put_label_list(l, f, p);
	if (fclose(l)) {
		free(lab);
		return -1;
	}
	for (int b = 0; b <= f->nbounds; b++) {
		cum += p->buckets ? p->buckets[b] : 0;
		fprintf(out, "%s_bucket{%s%sle=\"%s\"} %llu\n", f->name, lab,
			*lab ? "," : "", les[b], (unsigned long long)cum);
	}
	fprintf(out, "%s_sum%s%s%s ", f->name, *lab ? "{" : "", lab, *lab ? "}" : "");
	put_value(out, p->value, om);
	fprintf(out, "\n%s_count%s%s%s %llu\n", f->name, *lab ? "{" : "", lab,
		*lab ? "}" : "", (unsigned long long)cum);
	free(lab);
	return 0;
}

/* 0, or -1 when out of memory */
static int put_family(FILE *out, const struct metric_family *f, bool om)
{
	/* 0.0.4 names a family after its samples: x_total, x_info */
	const char *suffix = om ? "" : f->type == METRIC_COUNTER ? "_total" :
			     f->type == METRIC_INFO ? "_info" : "";
	const char *sample_suffix = f->type == METRIC_COUNTER ? "_total" :
				    f->type == METRIC_INFO ? "_info" : "";
	char (*les)[40] = NULL;

	fprintf(out, "# HELP %s%s ", f->name, suffix);
	put_escaped(out, f->help, om);
	fprintf(out, "\n# TYPE %s%s %s\n", f->name, suffix, type_name(f->type, om));
	if (om && f->unit && *f->unit)
		fprintf(out, "# UNIT %s %s\n", f->name, f->unit);
	if (f->type == METRIC_HISTOGRAM) {
		/* the shortest digits of a bound take a search: not per point */
		les = calloc((size_t)f->nbounds + 1, sizeof(*les));
		if (!les)
			return -1;
		for (int b = 0; b < f->nbounds; b++)
			exposition_format_number(f->bounds[b], om, les[b], sizeof(les[b]));
		snprintf(les[f->nbounds], sizeof(les[f->nbounds]), "+Inf");
	}
	for (size_t i = 0; i < f->npoints; i++) {
		const struct metric_point *p = &f->points[i];

		if (les) {
			if (put_histogram(out, f, p, les, om)) {
				free(les);
				return -1;
			}
			continue;
		}
		fprintf(out, "%s%s", f->name, sample_suffix);
		put_labels(out, f, p);
		fputc(' ', out);
		put_value(out, f->type == METRIC_INFO ? 1 : p->value, om);
		fputc('\n', out);
	}
	free(les);
	return 0;
}

int exposition_render(FILE *out, const struct metrics *m,
		      enum exposition_format fmt)
{
	bool om = fmt == EXPO_OPENMETRICS;

	for (size_t i = 0; i < m->n; i++)
		if (m->families[i]->npoints && put_family(out, m->families[i], om))
			return -1;
	if (om)
		fputs("# EOF\n", out);
	return ferror(out) ? -1 : 0;
}
