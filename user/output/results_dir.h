/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results_dir.h - the directory every `ipctrace run` leaves behind: never
 * an existing one, every file written to a temporary name and renamed into
 * place, and, under sudo, owned by the user who ran sudo.
 *
 * It appears only once it holds something: the first save writes its
 * files into a hidden temporary directory beside it, then renames that
 * into place (RENAME_NOREPLACE), so a run stopped or killed before its
 * first cell finished leaves no empty directory to block a second try.
 */
#ifndef IPCTRACE_RESULTS_DIR_H
#define IPCTRACE_RESULTS_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* room a requested path must leave for the files and temporaries in it */
#define RESULTS_DIR_MAX_PATH (PATH_MAX - 64)

struct results_dir {
	char path[PATH_MAX];	/* its name, as reports and messages give it */
	char at[PATH_MAX];	/* where its files go now: the temporary until
				 * published, then path */
	bool numbered;		/* a default name: ours to vary (-2, -3, ...) */
	bool published;
	bool chown;		/* hand files to the sudo user */
	uid_t uid;
	gid_t gid;
};

/*
 * Choose the directory: `requested`, or results/<date>-<host>-<kernel>
 * under the current directory. Nothing is created yet, but what would
 * fail is found now. 0, or -1 with why (it exists: never overwritten; its
 * parent is missing or not writable).
 */
int results_dir_plan(struct results_dir *d, const char *requested,
		     char *why, size_t len);
/* before a save: the first one makes the temporary to write into */
int results_dir_begin(struct results_dir *d, char *why, size_t len);
/* after the first save: the temporary under its name, never over another */
int results_dir_publish(struct results_dir *d, char *why, size_t len);
/* a directory that exists (report --plots writes into it) */
void results_dir_existing(struct results_dir *d, const char *path);

/* write name in the directory atomically through fn(FILE *, arg), which
 * returns 0, or -1 with errno set */
int results_dir_write(const struct results_dir *d, const char *name,
		      int (*fn)(FILE *out, void *arg), void *arg, char *why,
		      size_t len);

/* a subdirectory (created if missing, owned like the rest) as a
 * results_dir of its own: 0 or -1 with why */
int results_dir_subdir(const struct results_dir *d, const char *name,
		       struct results_dir *sub, char *why, size_t len);

/* where name is written now; for tools writing themselves (gnuplot) */
void results_dir_file(const struct results_dir *d, const char *name,
		      char *buf, size_t len);
/* rename tmp into name and chown it: 0 or -1 with why */
int results_dir_commit(const struct results_dir *d, const char *tmp,
		       const char *name, char *why, size_t len);

#endif
