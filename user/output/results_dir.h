/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_dir.h - the directory every `ipctrace run` leaves behind: never
 * an existing one, every file written to a temporary name and renamed into
 * place, and, under sudo, owned by the user who ran sudo.
 */
#ifndef IPCTRACE_RESULTS_DIR_H
#define IPCTRACE_RESULTS_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct results_dir {
	char path[PATH_MAX];
	bool chown;		/* hand files to the sudo user */
	uid_t uid;
	gid_t gid;
};

/*
 * Create the directory: `requested`, or results/<date>-<host>-<kernel>
 * under the current directory. 0, or -1 with why (it exists: never
 * overwritten; cannot be created: the error).
 */
int results_dir_create(struct results_dir *d, const char *requested,
		       char *why, size_t len);

/* write name in the directory atomically through fn(FILE *, arg) */
int results_dir_write(const struct results_dir *d, const char *name,
		      int (*fn)(FILE *out, void *arg), void *arg, char *why,
		      size_t len);

/* a subdirectory (created if missing, owned like the rest) as a
 * results_dir of its own: 0 or -1 with why */
int results_dir_subdir(const struct results_dir *d, const char *name,
		       struct results_dir *sub, char *why, size_t len);

/* the final path of name in the directory; for tools writing themselves */
void results_dir_file(const struct results_dir *d, const char *name,
		      char *buf, size_t len);
/* rename tmp into name and chown it: 0 or -1 with why */
int results_dir_commit(const struct results_dir *d, const char *tmp,
		       const char *name, char *why, size_t len);

#endif
