/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exposition.h - metric families (model/metrics.h) as text a Prometheus
 * server reads: OpenMetrics 1.0 or the Prometheus text format 0.0.4, and
 * which of the two an HTTP Accept header asks for.
 */
#ifndef IPCTRACE_EXPOSITION_H
#define IPCTRACE_EXPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "metrics.h"

enum exposition_format {
	EXPO_PROMETHEUS = 0,	/* text/plain; version=0.0.4 */
	EXPO_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
};

#define EXPO_CONTENT_TYPE_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"
#define EXPO_CONTENT_TYPE_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

const char *exposition_content_type(enum exposition_format f);

/*
 * OpenMetrics when the Accept header lists application/openmetrics-text
 * with a quality above 0 and not below that of text/plain (or of * / *),
 * else the Prometheus format (also for a missing header).
 */
enum exposition_format exposition_negotiate(const char *accept);

/*
 * Every family with points, in order: HELP, TYPE (and UNIT in
 * OpenMetrics), then its samples; histogram buckets cumulative with
 * le="+Inf", then _sum and _count. OpenMetrics ends with "# EOF".
 * -1 on a write error.
 */
int exposition_render(FILE *out, const struct metrics *m,
		      enum exposition_format f);

/*
 * v as the formats' canonical numbers: the shortest digits that read
 * back as v, in exponent form below 1e-4 and from 1e21 on (as Prometheus'
 * own Go clients print them, strconv 'g' -1), "+Inf", "-Inf", "NaN";
 * OpenMetrics adds ".0" to a whole number (le="1.0").
 */
void exposition_format_number(double v, bool openmetrics, char *buf, size_t len);

#endif
