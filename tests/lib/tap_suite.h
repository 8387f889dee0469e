/* SPDX-License-Identifier: GPL-2.0 */
/* tap_suite.h - run a Check suite, report as TAP on stdout (prove counts it). */
#ifndef IPCTRACE_TAP_SUITE_H
#define IPCTRACE_TAP_SUITE_H

#include <check.h>

static inline int run_suite_tap(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	/*
	 * A failure's message can quote a whole report (up to ~10 KiB): over
	 * Check's default of 4 KiB the forked test exits 2 ("Message string
	 * too long"), and all the run shows is "Early exit with return value 2"
	 */
	check_set_max_msg_size(32 * 1024);
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
