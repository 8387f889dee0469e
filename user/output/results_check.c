// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "results_check.h"

/* cells of a group are one comparison: the same point but the transport */
static bool same_point(const struct cell *x, const struct cell *y)
{
	return x->msg_size == y->msg_size && x->buffer == y->buffer &&
	       x->placement == y->placement && x->pattern == y->pattern;
}

int results_check_cells(const struct report_model *m, const char *file,
			char *why, size_t len)
{
	size_t *idx = report_model_sorted(m);
	char name[128];
	int ret = 0;

	if (!idx) {
		snprintf(why, len, "%s: out of memory", file);
		return -1;
	}
	for (size_t k = 1; k < m->ncells && !ret; k++) {
		size_t i = idx[k - 1], j = idx[k];

		if (cell_cmp(&m->cells[i].cell, &m->cells[j].cell))
			continue;
		cell_label(&m->cells[j].cell, name, sizeof(name));
		snprintf(why, len, "%s: malformed: cells[%zu] repeats cells[%zu] (%s):"
			 " a results file holds each cell once", file, j, i, name);
		ret = -1;
	}
	free(idx);
	idx = report_model_by_group(m);
	if (!idx) {
		snprintf(why, len, "%s: out of memory", file);
		return -1;
	}
	for (size_t k = 1; k < m->ncells && !ret; k++) {
		const struct report_cell *a = &m->cells[idx[k - 1]], *b = &m->cells[idx[k]];

		if (a->cell.group != b->cell.group || same_point(&a->cell, &b->cell))
			continue;
		snprintf(why, len, "%s: malformed: cells[%zu] and cells[%zu] share group"
			 " %d but differ in more than the transport", file, idx[k - 1],
			 idx[k], a->cell.group);
		ret = -1;
	}
	free(idx);
	return ret;
}
