// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "results_check.h"
#include "results_load.h"
#include "results_schema.h"

/* why jansson stopped, in words that point at the fix */
static const char *parse_hint(const json_error_t *e)
{
	switch (json_error_code(e)) {
	case json_error_premature_end_of_input:
		return " - the file looks truncated";
	case json_error_end_of_input_expected:
		return " - data follows the document (two documents, or a stray"
		       " edit?)";
	case json_error_invalid_utf8:
		return " - the file is not UTF-8 text";
	case json_error_duplicate_key:
		return " - a key appears twice in one object";
	default:
		return "";
	}
}

static json_t *load_json(const char *dir, const char *name, char *file,
			 size_t flen, char *why, size_t len)
{
	json_error_t jerr;
	struct stat st;
	json_t *doc;
	FILE *f;
	int fd;

	snprintf(file, flen, "%s/%s", dir, name);
	/* O_NONBLOCK: a FIFO put in its place must not hang the open */
	fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s: %s%s", file, strerror(errno),
			 errno == ENOENT ? " (not an ipctrace results directory,"
			 " or an incomplete one)" : "");
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s: not a regular file (%s): ipctrace writes"
			 " results as plain files", file, S_ISDIR(st.st_mode) ?
			 "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			 "a device or socket");
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(why, len, "%s: %s", file, strerror(errno));
		close(fd);
		return NULL;
	}
	doc = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!doc)
		snprintf(why, len, "%s: not valid JSON (line %d, column %d: %s)%s",
			 file, jerr.line, jerr.column, jerr.text, parse_hint(&jerr));
	return doc;
}

int results_load(const char *dir, struct report_model *m, json_t **meta,
		 char *why, size_t len)
{
	char file[4096];
	struct stat st;
	json_t *doc, *md;
	const char *format;

	memset(m, 0, sizeof(*m));
	if (meta)
		*meta = NULL;
	if (stat(dir, &st)) {
		snprintf(why, len, "%s: %s", dir, errno == ENOENT ?
			 "no such results directory" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "%s: not a directory (give the results directory"
			 " that holds meta.json and results.json)", dir);
		return -1;
	}
	md = load_json(dir, "meta.json", file, sizeof(file), why, len);
	if (!md)
		return -1;
	format = json_string_value(json_object_get(md, "format"));
	if (!format || strcmp(format, "ipctrace-meta")) {
		snprintf(why, len, "%s: malformed: format is not ipctrace-meta", file);
		json_decref(md);
		return -1;
	}
	doc = load_json(dir, "results.json", file, sizeof(file), why, len);
	if (!doc || results_schema_read(doc, file, m, why, len) ||
	    results_check_cells(m, file, why, len) || report_model_judge(m)) {
		json_decref(doc);
		json_decref(md);
		report_model_free(m);
		return -1;
	}
	json_decref(doc);
	if (meta)
		*meta = md;
	else
		json_decref(md);
	return 0;
}
