/* SPDX-License-Identifier: GPL-2.0 */
/* sizes.h - byte counts and seconds as users type them: 1000, 4K, 64k, 1M,
 * 2G; 0.5, 2, 250ms. Plain decimal digits only: no sign, no hex, no
 * exponent, no nan or inf, so every accepted number means what it reads. */
#ifndef IPCTRACE_SIZES_H
#define IPCTRACE_SIZES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* K/M/G are powers of 1024; 0 on success, -1 (and why) on bad input */
int parse_size(const char *s, uint64_t *out, char *why, size_t len);
/*
 * A comma list of sizes for option opt ("--msg-size"). With
 * allow_default, the word "default" is accepted and stored as 0. *out is
 * malloc'ed. An empty item is an error.
 */
int parse_size_list(const char *opt, const char *s, bool allow_default,
		    uint64_t **out, size_t *n, char *why, size_t len);
/* 65536 -> "64K", 1048576 -> "1M", 1000 -> "1000" */
void format_size(uint64_t v, char *buf, size_t len);
/* "1234", "56.7", "0.89": three figures or so; if_nan for NaN */
const char *format_num(double v, const char *if_nan, char *buf, size_t len);
/*
 * A time of at most four figures and its unit, at most seven columns:
 * " 850 ns", "9999 ns", "  10 us", " 158 us", "  12 ms"; "-" for NaN
 */
const char *format_ns(double ns, char *buf, size_t len);
/* "12", "0.25", ".5": a finite number >= 0; -1 on anything else */
int parse_decimal(const char *s, double *out);
/* seconds: "0.5", "2", "250ms", "3s"; -1 on bad input */
int parse_seconds(const char *s, double *out);
/* a whole number from min to max, decimal digits only; -1 otherwise */
int parse_uint_range(const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out);

#endif
