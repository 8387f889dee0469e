// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "sudo_ids.h"
#include "results_dir.h"

/* the user behind sudo, whose files these are (also under --keep-root) */
static void sudo_owner(struct results_dir *d)
{
	unsigned long uid, gid;

	d->chown = false;
	if (geteuid() != 0 || sudo_ids(&uid, &gid))
		return;
	d->uid = (uid_t)uid;
	d->gid = (gid_t)gid;
	d->chown = uid != 0;
}

static void give_away(const struct results_dir *d, const char *path)
{
	if (d->chown && chown(path, d->uid, d->gid)) {
		/* best effort: the run's results matter more than their owner */
	}
}

int results_dir_create(struct results_dir *d, const char *requested,
		       char *why, size_t len)
{
	memset(d, 0, sizeof(*d));
	sudo_owner(d);
	if (requested) {
		snprintf(d->path, sizeof(d->path), "%s", requested);
	} else {
		struct utsname u;
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H%M%S", &tm);
		uname(&u);
		/* a host name like "(none)" should not end up in a path verbatim */
		for (char *c = u.nodename; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
				*c = '_';
		if (mkdir("results", 0755) == 0)
			give_away(d, "results");
		else if (errno != EEXIST) {
			snprintf(why, len, "cannot create results/ in the current"
				 " directory: %s; give -o DIR", strerror(errno));
			return -1;
		}
		snprintf(d->path, sizeof(d->path), "results/%s-%s-%s", stamp,
			 u.nodename, u.release);
		/* a default name is ours to vary: two runs in one second each
		 * get their own directory (-2, -3, ...) */
		for (int i = 2; i < 1000; i++) {
			if (mkdir(d->path, 0755) == 0) {
				give_away(d, d->path);
				return 0;
			}
			if (errno != EEXIST)
				break;
			snprintf(d->path, sizeof(d->path), "results/%s-%s-%s-%d",
				 stamp, u.nodename, u.release, i);
		}
	}
	if (mkdir(d->path, 0755)) {
		if (errno == EEXIST)
			snprintf(why, len, "%s already exists: ipctrace never"
				 " overwrites results; give another -o DIR", d->path);
		else
			snprintf(why, len, "cannot create %s: %s", d->path,
				 strerror(errno));
		return -1;
	}
	give_away(d, d->path);
	return 0;
}

int results_dir_subdir(const struct results_dir *d, const char *name,
		       struct results_dir *sub, char *why, size_t len)
{
	*sub = *d;
	if ((size_t)snprintf(sub->path, sizeof(sub->path), "%s/%s", d->path, name) >=
	    sizeof(sub->path)) {
		snprintf(why, len, "%s/%s: path too long", d->path, name);
		return -1;
	}
	if (mkdir(sub->path, 0755) && errno != EEXIST) {
		snprintf(why, len, "cannot create %s: %s", sub->path, strerror(errno));
		return -1;
	}
	give_away(d, sub->path);
	return 0;
}

void results_dir_file(const struct results_dir *d, const char *name,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", d->path, name);
}

int results_dir_commit(const struct results_dir *d, const char *tmp,
		       const char *name, char *why, size_t len)
{
	char final[PATH_MAX + 64];

	results_dir_file(d, name, final, sizeof(final));
	give_away(d, tmp);
	if (rename(tmp, final)) {
		snprintf(why, len, "cannot write %s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int results_dir_write(const struct results_dir *d, const char *name,
		      int (*fn)(FILE *out, void *arg), void *arg, char *why,
		      size_t len)
{
	char tmp[PATH_MAX + 64];
	FILE *f;
	int ret;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->path, name);
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(why, len, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	ret = fn(f, arg);
	/* a full disk shows up at fflush/fsync/fclose, not at fprintf */
	if (fflush(f) || fsync(fileno(f)))
		ret = -1;
	if (fclose(f))
		ret = -1;
	if (ret) {
		snprintf(why, len, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return results_dir_commit(d, tmp, name, why, len);
}
