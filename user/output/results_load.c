// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "results_load.h"
#include "results_schema.h"

static json_t *load_json(const char *dir, const char *name, char *file,
			 size_t flen, char *why, size_t len)
{
	json_error_t jerr;
	json_t *doc;

	snprintf(file, flen, "%s/%s", dir, name);
	if (access(file, R_OK)) {
		snprintf(why, len, "%s: %s%s", file, strerror(errno),
			 errno == ENOENT ? " (not an ipctrace results directory,"
			 " or an incomplete one)" : "");
		return NULL;
	}
	doc = json_load_file(file, 0, &jerr);
	if (!doc)
		snprintf(why, len, "%s: not valid JSON (line %d, column %d: %s)%s",
			 file, jerr.line, jerr.column, jerr.text,
			 strstr(jerr.text, "end of") ? " - the file looks truncated" : "");
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
	    report_model_judge(m)) {
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
