// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_args.c - libFuzzer target for the command-line parsers: `run` and
 * `trace` argument lists (argp, the list and size parsers, the matrix
 * checks) and the parsers they share, on the ASan/UBSan build. An input
 * is a subcommand byte, then arguments separated by NUL bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "log.h"
#include "run_args.h"
#include "sizes.h"
#include "trace_args.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2];
	int argc = 1;

	if (size < 1 || size > 1 << 16)
		return 0;
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[0] = data[0] & 1 ? "ipctrace run" : "ipctrace trace";
	for (size_t i = 0; i < size - 1 && argc <= MAX_ARGS;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	if (data[0] & 1) {
		struct run_args a = { .common = COMMON_DEFAULTS };

		if (run_args_parse(argc, argv, 1 + (data[0] >> 1) % 8, &a) == 0)
			run_config_free(&a.cfg);
	} else {
		struct trace_args a = { .common = COMMON_DEFAULTS };

		trace_args_parse(argc, argv, &a);
	}
	/* the shared parsers, on each argument alone */
	for (int i = 1; i < argc; i++) {
		char why[400];
		uint64_t v, *list = NULL;
		size_t n;
		double d;
		unsigned long long u;

		parse_size(argv[i], &v, why, sizeof(why));
		if (!parse_size_list("-m", argv[i], data[0] & 2, &list, &n, why, sizeof(why)))
			free(list);
		parse_seconds(argv[i], &d);
		parse_decimal(argv[i], &d);
		parse_uint_range(argv[i], 1, 1000, &u);
		arg_quote(argv[i], why, sizeof(why));
	}
	free(buf);
	return 0;
}
