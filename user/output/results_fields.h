/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_fields.h - the tables of results.json (results_fields.c) and the
 * kinds of field they hold, for the one writer and reader that walk them
 * (results_schema.c). Private to those two files.
 */
#ifndef IPCTRACE_RESULTS_FIELDS_H
#define IPCTRACE_RESULTS_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "report_model.h"

/* ---- the field kinds a table can hold ---- */

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
	FK_LIST,	/* structs of `size` bytes laid out by sub, from off; as
			 * many as the unsigned int at `cond`, at most max */
	FK_DERIVED,	/* written by derive() from the model, never read */
};

struct field {
	const char *key;
	enum field_kind kind;
	size_t off;			/* into the struct the table describes */
	size_t size;			/* FK_STR*: the buffer's size */
	const struct field *sub;	/* FK_OBJ*: its table */
	const char *(*name_of)(int);	/* FK_ENUM */
	int names;			/* FK_ENUM: how many values */
	const char *const *flag_names;	/* FK_FLAG_NAMED: { false, true } */
	size_t cond;			/* FK_OBJ_IF: bool; FK_REALS: count */
	double min, max;		/* numbers a reader accepts (both 0: any) */
	const char *v1_key;		/* what format 1 called it; "" absent */
	bool optional;			/* added within format 2: a file written
					 * before has none, which reads as
					 * unmeasured */
	json_t *(*derive)(const void *base);	/* FK_DERIVED */
};

#define END { .key = NULL }
#define AT(type, member) offsetof(type, member)
#define STR(type, member) .off = AT(type, member), .size = sizeof(((type *)0)->member)

/* the top level, and one cell; format, attach, cells and verdicts apart */
extern const struct field doc_fields[];
extern const struct field cell_fields[];

/* NAN as null, as every table writes an unmeasured number */
json_t *real_or_null(double v);

#endif
