// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "arg_quote.h"

const char *arg_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0, total = s ? strlen(s) : 0, i;

	if (!s)
		s = "";
	for (i = 0; s[i] && i < ARG_QUOTE_SHOWN && n + 8 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			n += (size_t)snprintf(buf + n, len - n, "\\n");
		else if (c == '\t')
			n += (size_t)snprintf(buf + n, len - n, "\\t");
		else if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (i < total)
		snprintf(buf + n, len - n, "... (%zu bytes)", total);
	return buf;
}
