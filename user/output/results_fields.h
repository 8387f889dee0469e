/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_fields.h - the vocabulary of results.json's tables: the kinds of
 * field a table can hold and one row's description. results_schema.c
 * holds the tables and the one writer and reader that walk them;
 * results_schema_cpu.c the tables of the CPU profile. Private to output/.
 */
#ifndef IPCTRACE_RESULTS_FIELDS_H
#define IPCTRACE_RESULTS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

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
	bool optional;			/* added within a format: a file without
					 * it loads, as absent (FK_OBJ_IF: cond
					 * false; others: left zero) */
};

#define END { .key = NULL }
#define AT(type, member) offsetof(type, member)
#define STR(type, member) .off = AT(type, member), .size = sizeof(((type *)0)->member)

/* the CPU profile: a cell's "cpu" object, the document's "profile" */
extern const struct field results_cpu_fields[];
extern const struct field results_profile_fields[];

#endif
