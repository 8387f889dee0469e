/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arg_quote.h - a user's argument as an error message shows it: on one
 * line (newlines and other control bytes escaped as \n, \t, \xNN) and
 * short (a 100 KB argument is cut, so the reason after it still shows).
 */
#ifndef IPCTRACE_ARG_QUOTE_H
#define IPCTRACE_ARG_QUOTE_H

#include <stddef.h>

#define ARG_QUOTE_SHOWN 40	/* bytes of the argument shown at most */
#define ARG_QUOTE_LEN 200	/* room the quoted form needs */

/* s for a message, in buf: "abc", "a\nb", "xxxx... (100000 bytes)" */
const char *arg_quote(const char *s, char *buf, size_t len);

/* the same in a buffer of the enclosing expression, for one message */
#define QUOTE(s) arg_quote((s), (char[ARG_QUOTE_LEN]){ 0 }, ARG_QUOTE_LEN)

#endif
