// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "attach_report.h"

bool attach_report_has(const struct attach_report *r, const char *kind,
		       const char *target)
{
	for (int i = 0; i < r->nlinks; i++)
		if ((!kind || !strcmp(r->links[i].kind, kind)) &&
		    !strcmp(r->links[i].target, target))
			return true;
	return false;
}

/*
 * Links grouped by kind, in the order they were made:
 * "fentry anon_pipe_write, pipe_read; fexit ...; tp_btf sched_switch, ..."
 */
void attach_report_describe(const struct attach_report *r, char *buf,
			    size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->nlinks; i++) {
		bool first_of_kind = true;

		for (int j = 0; j < i; j++)
			if (!strcmp(r->links[j].kind, r->links[i].kind))
				first_of_kind = false;
		if (!first_of_kind)
			continue;
		for (int j = i; j < r->nlinks && n < len; j++) {
			if (strcmp(r->links[j].kind, r->links[i].kind))
				continue;
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s",
					      j == i ? (n ? "; " : "") : ", ",
					      j == i ? r->links[i].kind : "",
					      "");
			if (n < len)
				n += (size_t)snprintf(buf + n, len - n, "%s%s",
						      j == i ? " " : "",
						      r->links[j].target);
		}
	}
}
