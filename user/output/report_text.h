/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report_text.h - the pieces of `ipctrace run`'s terminal report that live
 * in more than one file: report_text.c prints the report, report_text_time.c
 * its headline, waits by cause and time per message. At most REPORT_WIDTH
 * columns.
 */
#ifndef IPCTRACE_REPORT_TEXT_H
#define IPCTRACE_REPORT_TEXT_H

#include <stdio.h>
#include "report_model.h"

#define REPORT_WIDTH 100

/* text wrapped at REPORT_WIDTH; lines after the first start with indent */
void text_wrapped(FILE *out, const char *first, const char *indent,
		  const char *text);
/* a count per MB in 6 columns: 1000, 9.80, 0.12, "-" when unmeasured */
const char *text_num(double v, char *buf, size_t len);
/* "  loop, unpinned" above the rows of a new pattern and placement, when
 * the run has more than one (rows of one cell shape are told apart) */
void text_condition_heading(FILE *out, const struct report_model *m, size_t i);

void report_text_headline(FILE *out, const struct report_model *m);
void report_text_waits(FILE *out, const struct report_model *m);
void report_text_times(FILE *out, const struct report_model *m);

#endif
