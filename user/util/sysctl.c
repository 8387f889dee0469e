// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "sysctl.h"

long long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	long long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}
