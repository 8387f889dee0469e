// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include "sizes.h"
#include "sudo_ids.h"

/* a uid or gid: 0 to 4294967294 ((uid_t)-1 means "none" to the kernel),
 * decimal digits only; a larger number would be cut to another user's id */
static int parse_id(const char *s, unsigned long *out)
{
	unsigned long long v;

	if (!s || parse_uint_range(s, 0, 4294967294ULL, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int sudo_ids(unsigned long *uid, unsigned long *gid)
{
	return parse_id(getenv("SUDO_UID"), uid) || parse_id(getenv("SUDO_GID"), gid) ?
	       -1 : 0;
}
