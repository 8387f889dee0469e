// SPDX-License-Identifier: GPL-2.0
/*
 * test_exposition.c - metric families as OpenMetrics 1.0 and Prometheus
 * text 0.0.4 (output/exposition.c): names, metadata order, escaping,
 * canonical numbers, cumulative histograms, # EOF, and content negotiation.
 */
#include <stdlib.h>
#include <string.h>
#include "exposition.h"
#include "tap_suite.h"

static char *render(const struct metrics *m, enum exposition_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(exposition_render(out, m, f), 0);
	fclose(out);
	return buf;
}

static const char *const two[] = { "comm", "cgroup" };
static const double bounds[] = { 0.001, 1 };

/* a counter, a histogram and an info, one point each */
static void sample_model(struct metrics *m, const uint64_t *buckets)
{
	const char *v[] = { "dd", "/system.slice/a.service" };
	const char *bv[] = { "0.1.0" };
	static const char *const bl[] = { "version" };
	struct metric_family *f;

	f = metrics_add_family(m, "ipctrace_calls", "Calls that returned", NULL,
			       METRIC_COUNTER, two, 2);
	ck_assert_int_eq(metric_add_point(f, v, 12, NULL), 0);
	f = metrics_add_family(m, "ipctrace_wait_seconds", "Waits", "seconds",
			       METRIC_HISTOGRAM, two, 2);
	f->bounds = bounds;
	f->nbounds = 2;
	ck_assert_int_eq(metric_add_point(f, v, 2.5, buckets), 0);
	f = metrics_add_family(m, "ipctrace_build", "Build", NULL, METRIC_INFO, bl, 1);
	ck_assert_int_eq(metric_add_point(f, bv, 0, NULL), 0);
	/* a family without points is left out */
	metrics_add_family(m, "ipctrace_empty", "Nothing", NULL, METRIC_GAUGE, NULL, 0);
}

START_TEST(openmetrics_names_metadata_and_eof)
{
	uint64_t buckets[] = { 1, 2, 3 };
	struct metrics m = { 0 };
	char *t;

	sample_model(&m, buckets);
	t = render(&m, EXPO_OPENMETRICS);
	ck_assert_str_eq(t,
		"# HELP ipctrace_calls Calls that returned\n"
		"# TYPE ipctrace_calls counter\n"
		"ipctrace_calls_total{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 12\n"
		"# HELP ipctrace_wait_seconds Waits\n"
		"# TYPE ipctrace_wait_seconds histogram\n"
		"# UNIT ipctrace_wait_seconds seconds\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"0.001\"} 1\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"1.0\"} 3\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"+Inf\"} 6\n"
		"ipctrace_wait_seconds_sum{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 2.5\n"
		"ipctrace_wait_seconds_count{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 6\n"
		"# HELP ipctrace_build Build\n"
		"# TYPE ipctrace_build info\n"
		"ipctrace_build_info{version=\"0.1.0\"} 1\n"
		"# EOF\n");
	free(t);
	metrics_free(&m);
}
END_TEST

START_TEST(prometheus_text_names_families_after_samples)
{
	uint64_t buckets[] = { 1, 2, 3 };
	struct metrics m = { 0 };
	char *t;

	sample_model(&m, buckets);
	t = render(&m, EXPO_PROMETHEUS);
	ck_assert_str_eq(t,
		"# HELP ipctrace_calls_total Calls that returned\n"
		"# TYPE ipctrace_calls_total counter\n"
		"ipctrace_calls_total{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 12\n"
		"# HELP ipctrace_wait_seconds Waits\n"
		"# TYPE ipctrace_wait_seconds histogram\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"0.001\"} 1\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"1\"} 3\n"
		"ipctrace_wait_seconds_bucket{comm=\"dd\",cgroup=\"/system.slice/a.service\",le=\"+Inf\"} 6\n"
		"ipctrace_wait_seconds_sum{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 2.5\n"
		"ipctrace_wait_seconds_count{comm=\"dd\",cgroup=\"/system.slice/a.service\"} 6\n"
		"# HELP ipctrace_build_info Build\n"
		"# TYPE ipctrace_build_info gauge\n"
		"ipctrace_build_info{version=\"0.1.0\"} 1\n");
	free(t);
	metrics_free(&m);
}
END_TEST

/* label values escape \ " and newline; HELP escapes " only in OpenMetrics;
 * bytes that are not UTF-8 (a process may name itself anything) become U+FFFD */
START_TEST(escaping_follows_each_format)
{
	static const char *const l[] = { "comm" };
	const char *v[] = { "a\\b\"c\nd\xff\xc3\xa9" };
	struct metrics m = { 0 };
	struct metric_family *f;
	char *om, *prom;

	f = metrics_add_family(&m, "x", "say \"hi\"\\\n", NULL,
			       METRIC_GAUGE, l, 1);
	ck_assert_int_eq(metric_add_point(f, v, 1, NULL), 0);
	om = render(&m, EXPO_OPENMETRICS);
	prom = render(&m, EXPO_PROMETHEUS);
	ck_assert_str_eq(om, "# HELP x say \\\"hi\\\"\\\\\\n\n# TYPE x gauge\n"
			     "x{comm=\"a\\\\b\\\"c\\nd\xef\xbf\xbd\xc3\xa9\"} 1\n# EOF\n");
	ck_assert_str_eq(prom, "# HELP x say \"hi\"\\\\\\n\n# TYPE x gauge\n"
			       "x{comm=\"a\\\\b\\\"c\\nd\xef\xbf\xbd\xc3\xa9\"} 1\n");
	free(om);
	free(prom);
	metrics_free(&m);
}
END_TEST

/* serve's families are built holding the pointers of the first ones while
 * it adds the others: a family must not move when the list grows */
START_TEST(family_pointers_outlive_more_families)
{
	struct metrics m = { 0 };
	struct metric_family *first;
	char *t;

	first = metrics_add_family(&m, "first", "First", NULL, METRIC_GAUGE, NULL, 0);
	ck_assert_ptr_nonnull(first);
	for (int i = 0; i < 100; i++)
		ck_assert_ptr_nonnull(metrics_add_family(&m, "empty", "Nothing", NULL,
							 METRIC_GAUGE, NULL, 0));
	ck_assert_int_eq(metric_add_point(first, NULL, 7, NULL), 0);
	ck_assert_ptr_eq(m.families[0], first);
	t = render(&m, EXPO_PROMETHEUS);
	ck_assert_str_eq(t, "# HELP first First\n# TYPE first gauge\nfirst 7\n");
	free(t);
	metrics_free(&m);
}
END_TEST

/* as Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus' clients use */
START_TEST(numbers_are_canonical)
{
	static const struct { double v; const char *prom, *om; } cases[] = {
		{ 1.024e-06, "1.024e-06", "1.024e-06" },
		{ 0.000524288, "0.000524288", "0.000524288" },
		{ 8.589934592, "8.589934592", "8.589934592" },
		{ 0.875, "0.875", "0.875" },
		{ 1, "1", "1.0" },
		{ 2, "2", "2.0" },
		{ 0, "0", "0.0" },
		{ 0.1, "0.1", "0.1" },
		{ 1e21, "1e+21", "1e+21" },
		{ 123456, "123456", "123456.0" },
		{ 1.0 / 0.0, "+Inf", "+Inf" },
	};
	char buf[40];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exposition_format_number(cases[i].v, false, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i].prom);
		exposition_format_number(cases[i].v, true, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i].om);
	}
}
END_TEST

START_TEST(accept_header_picks_the_format)
{
	/* what Prometheus 2.42 sends */
	ck_assert_int_eq(exposition_negotiate(
		"application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
		EXPO_OPENMETRICS);
	ck_assert_int_eq(exposition_negotiate(NULL), EXPO_PROMETHEUS);
	ck_assert_int_eq(exposition_negotiate("*/*"), EXPO_PROMETHEUS);
	ck_assert_int_eq(exposition_negotiate("text/plain"), EXPO_PROMETHEUS);
	ck_assert_int_eq(exposition_negotiate("Application/OpenMetrics-Text"),
			 EXPO_OPENMETRICS);
	ck_assert_int_eq(exposition_negotiate("text/plain;q=0.9, application/"
					      "openmetrics-text; q=0.5"), EXPO_PROMETHEUS);
	ck_assert_int_eq(exposition_negotiate("application/openmetrics-text;q=0"),
			 EXPO_PROMETHEUS);
	ck_assert_int_eq(exposition_negotiate("text/plain;q=0.2, application/"
					      "openmetrics-text"), EXPO_OPENMETRICS);
	ck_assert_str_eq(exposition_content_type(EXPO_OPENMETRICS),
			 "application/openmetrics-text; version=1.0.0; charset=utf-8");
	ck_assert_str_eq(exposition_content_type(EXPO_PROMETHEUS),
			 "text/plain; version=0.0.4; charset=utf-8");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exposition");
	TCase *tc = tcase_create("exposition");

	tcase_add_test(tc, openmetrics_names_metadata_and_eof);
	tcase_add_test(tc, prometheus_text_names_families_after_samples);
	tcase_add_test(tc, escaping_follows_each_format);
	tcase_add_test(tc, family_pointers_outlive_more_families);
	tcase_add_test(tc, numbers_are_canonical);
	tcase_add_test(tc, accept_header_picks_the_format);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
