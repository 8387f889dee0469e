/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_schema_fields.h - what a table of results_schema.c is made of:
 * the field kinds and one field's description. Tables of one concern may
 * live in files of their own (results_schema_time.c, results_schema_cpu.c);
 * results_schema.c walks them all, writing and reading. Private to output/.
 */
#ifndef IPCTRACE_RESULTS_SCHEMA_FIELDS_H
#define IPCTRACE_RESULTS_SCHEMA_FIELDS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "report_model.h"

/* the field kinds a table can hold */
enum field_kind {
	FK_REAL,	/* double; NAN is written as null */
	FK_REAL_REQ,	/* double that is always a number */
	FK_U64,		/* uint64_t, a whole number */
	FK_U64_0NULL,	/* uint64_t; 0 is written as null ("default") */
	FK_UINT,	/* unsigned int */
	FK_INT,		/* int */
	FK_BOOL,
	FK_FLAG_NAMED,	/* bool written as names[1] (true) or names[0] */
	FK_STR,		/* char[size] */
	FK_STR_NULL,	/* char[size]; "" is written as null */
	FK_ENUM,	/* an enum written by name */
	FK_OBJ,		/* a nested object laid out by sub */
	FK_OBJ_IF,	/* the same, or null when the bool at `cond` is false */
	FK_OBJ_IF_NUM,	/* the same, or null when its first (real) field is NAN */
	FK_REALS,	/* double *, as many as the unsigned int at `cond` */
	FK_LIST,	/* an array of `names` structs of `size` bytes laid out by
			 * sub, as many as the unsigned int at `cond` */
	FK_DERIVED,	/* written by derive() from the model, never read */
};

struct field {
	const char *key;
	enum field_kind kind;
	size_t off;			/* into the struct the table describes */
	size_t size;			/* FK_STR*: the buffer's size; FK_LIST:
					 * one element's */
	const struct field *sub;	/* FK_OBJ*: its table */
	const char *(*name_of)(int);	/* FK_ENUM */
	int names;			/* FK_ENUM: how many values; FK_LIST:
					 * how many elements fit */
	const char *const *flag_names;	/* FK_FLAG_NAMED: { false, true } */
	size_t cond;			/* FK_OBJ_IF: bool; FK_REALS, FK_LIST:
					 * count (unsigned int) */
	double min, max;		/* numbers a reader accepts (both 0: any) */
	const char *v1_key;		/* what format 1 called it; "" absent */
	json_t *(*derive)(const void *base);	/* FK_DERIVED */
	int since;			/* the format that added it (0: always
					 * there); older files: unmeasured */
	bool optional;			/* added within a format: a file without
					 * it loads, as absent (FK_OBJ_IF: cond
					 * false; others: left zero) */
};

#define END { .key = NULL }
#define AT(type, member) offsetof(type, member)
#define STR(type, member) .off = AT(type, member), .size = sizeof(((type *)0)->member)

static inline json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* the top level and one cell (results_schema_tables.c); format, attach,
 * cells and verdicts are handled apart */
extern const struct field doc_fields[];
extern const struct field cell_fields[];
/* cell tables of their own files */
extern const struct field schema_waits_fields[];	/* waits_by_cause */
extern const struct field schema_time_fields[];	/* time_us_per_message */
/* the CPU profile: a cell's "cpu" object, the document's "profile" */
extern const struct field results_cpu_fields[];
extern const struct field results_profile_fields[];

#endif
