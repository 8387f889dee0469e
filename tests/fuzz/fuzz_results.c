// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_results.c - libFuzzer target for the results loader: results.json
 * as `report` and `compare` read it (jansson, the schema tables, the
 * checks on cells and groups, the verdicts), rendered as text and CSV, on
 * the ASan/UBSan build.
 */
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "report_model.h"
#include "results_check.h"
#include "results_schema.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_model m;
	json_error_t e;
	json_t *doc;
	char why[600];

	if (!sink)
		sink = fopen("/dev/null", "w");
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		return 0;
	if (results_schema_read(doc, "results.json", &m, why, sizeof(why)) == 0) {
		if (results_check_cells(&m, "results.json", why, sizeof(why)) == 0 &&
		    report_model_judge(&m) == 0) {
			json_t *again = results_schema_write(&m);

			report_text(sink, &m);
			report_csv(sink, &m);
			json_decref(again);
		}
		report_model_free(&m);
	}
	json_decref(doc);
	return 0;
}
