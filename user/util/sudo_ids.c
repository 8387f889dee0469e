// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "sudo_ids.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int sudo_ids(unsigned long *uid, unsigned long *gid)
{
	return parse_id(getenv("SUDO_UID"), uid) || parse_id(getenv("SUDO_GID"), gid) ?
	       -1 : 0;
}
