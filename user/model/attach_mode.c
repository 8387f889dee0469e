// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "attach_mode.h"

static const char *const mode_names[MODE_COUNT] = {
	[MODE_AUTO] = "auto",
	[MODE_FENTRY] = "fentry",
	[MODE_KPROBE] = "kprobe",
	[MODE_TRACEPOINT] = "tracepoint",
};

const char *attach_mode_name(enum attach_mode m)
{
	return m < MODE_COUNT ? mode_names[m] : "?";
}

int attach_mode_parse(const char *s, enum attach_mode *out)
{
	for (int m = 0; m < MODE_COUNT; m++) {
		if (strcmp(s, mode_names[m]) == 0) {
			*out = m;
			return 0;
		}
	}
	return -1;
}
