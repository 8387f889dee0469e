/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out_file.h - a file the user names for output (trace --folded FILE).
 * Checked before anything attaches; a regular file is written to a
 * temporary name beside it and renamed into place, so a failure leaves
 * the old file, never a cut one; a device, FIFO or socket (/dev/stdout,
 * /dev/full, a named pipe) is written where it is, and a symlink is
 * followed, never replaced.
 */
#ifndef IPCTRACE_OUT_FILE_H
#define IPCTRACE_OUT_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct out_file {
	char path[PATH_MAX];	/* as given */
	char target[PATH_MAX];	/* where the data goes (a symlink resolved) */
	char tmp[PATH_MAX + 32];
	bool in_place;		/* not a regular file: written where it is */
	FILE *f;
};

/* can it be written? 0, or -1 with why; nothing is created yet */
int out_file_check(struct out_file *o, const char *path, char *why, size_t len);
/* open it for writing: the stream, or NULL with why */
FILE *out_file_open(struct out_file *o, char *why, size_t len);
/* everything written reached it (and is renamed into place): 0, or -1
 * with why, the temporary removed */
int out_file_commit(struct out_file *o, char *why, size_t len);

#endif
