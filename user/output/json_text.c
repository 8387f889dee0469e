// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_text.h"

/* length of the valid UTF-8 sequence at s (RFC 3629), 0 if none */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *json_text(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *buf, *p;

	if (j)
		return j;
	buf = malloc(4 * strlen(s) + 1);
	if (!buf)
		return json_null();
	p = buf;
	for (const unsigned char *c = (const unsigned char *)s; *c;) {
		size_t n = utf8_len(c);

		if (n) {
			memcpy(p, c, n);
			p += n;
			c += n;
		} else {
			p += sprintf(p, "\\x%02x", *c++);
		}
	}
	*p = '\0';
	j = json_string(buf);
	free(buf);
	return j ? j : json_null();
}
