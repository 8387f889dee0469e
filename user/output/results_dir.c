// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
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

/* the directory that holds path ("." for a bare name) */
static void parent_of(const char *path, char *buf, size_t len)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)n, path);
}

static int check_new(const char *path, char *why, size_t len)
{
	char parent[PATH_MAX];
	struct stat st;

	if (lstat(path, &st) == 0) {
		snprintf(why, len, "%s already exists: ipctrace never overwrites"
			 " results; give another -o DIR", path);
		return -1;
	}
	if (errno != ENOENT) {
		snprintf(why, len, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	parent_of(path, parent, sizeof(parent));
	if (access(parent, W_OK | X_OK)) {
		snprintf(why, len, "cannot create %s: %s: %s", path, parent,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int results_dir_plan(struct results_dir *d, const char *requested,
		     char *why, size_t len)
{
	struct utsname u;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	memset(d, 0, sizeof(*d));
	sudo_owner(d);
	if (requested) {
		if (strlen(requested) >= RESULTS_DIR_MAX_PATH) {
			snprintf(why, len, "-o: the path is %zu bytes long; give one"
				 " under %d", strlen(requested), RESULTS_DIR_MAX_PATH);
			return -1;
		}
		snprintf(d->path, sizeof(d->path), "%s", requested);
		return check_new(d->path, why, len);
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H%M%S", &tm);
	uname(&u);
	/* a host name like "(none)" should not end up in a path verbatim */
	for (char *c = u.nodename; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.')
			*c = '_';
	snprintf(d->path, sizeof(d->path), "results/%s-%s-%s", stamp, u.nodename,
		 u.release);
	d->numbered = true;
	if (access("results", F_OK) == 0) {
		if (!access("results", W_OK | X_OK))
			return 0;
		snprintf(why, len, "cannot create results in results/: %s; give"
			 " -o DIR", strerror(errno));
		return -1;
	}
	if (access(".", W_OK | X_OK)) {
		snprintf(why, len, "cannot create results/ in the current directory:"
			 " %s; give -o DIR", strerror(errno));
		return -1;
	}
	return 0;
}

int results_dir_begin(struct results_dir *d, char *why, size_t len)
{
	char parent[PATH_MAX];
	const char *base;

	if (d->at[0])
		return 0;
	if (d->numbered && mkdir("results", 0755) == 0)
		give_away(d, "results");
	parent_of(d->path, parent, sizeof(parent));
	base = d->path + strlen(d->path);
	while (base > d->path && base[-1] != '/')
		base--;
	if (snprintf(d->at, sizeof(d->at), "%s/.%s.partial-XXXXXX", parent, base) >=
	    (int)sizeof(d->at))
		errno = ENAMETOOLONG;
	else if (mkdtemp(d->at))
		errno = 0;
	if (errno) {
		snprintf(why, len, "cannot create %s: %s", d->path, strerror(errno));
		d->at[0] = '\0';
		return -1;
	}
	{
		mode_t mask = umask(0);

		umask(mask);
		/* what mkdir(path, 0755) would have made */
		chmod(d->at, 0755 & ~mask);
	}
	give_away(d, d->at);
	return 0;
}

int results_dir_publish(struct results_dir *d, char *why, size_t len)
{
	char name[PATH_MAX];

	if (d->published || !d->at[0])
		return 0;
	snprintf(name, sizeof(name), "%s", d->path);
	for (int i = 2;; i++) {
		if (renameat2(AT_FDCWD, d->at, AT_FDCWD, name, RENAME_NOREPLACE) == 0)
			break;
		/* a default name is ours to vary: two runs in one second each
		 * get their own directory (-2, -3, ...) */
		if (errno != EEXIST || !d->numbered || i == 1000) {
			if (errno == EEXIST)
				snprintf(why, len, "%s appeared while the run ran:"
					 " ipctrace never overwrites results; its"
					 " results are in %s", name, d->at);
			else
				snprintf(why, len, "cannot create %s: %s (its results"
					 " are in %s)", name, strerror(errno), d->at);
			return -1;
		}
		if (snprintf(name, sizeof(name), "%s-%d", d->path, i) >=
		    (int)sizeof(name)) {
			snprintf(why, len, "cannot create %s: %s", d->path,
				 strerror(ENAMETOOLONG));
			return -1;
		}
	}
	snprintf(d->path, sizeof(d->path), "%s", name);
	snprintf(d->at, sizeof(d->at), "%s", name);
	d->published = true;
	return 0;
}

void results_dir_existing(struct results_dir *d, const char *path)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(d->at, sizeof(d->at), "%s", path);
	d->published = true;
}

/* a subdirectory of where the files go now, so that it is published with
 * the rest */
int results_dir_subdir(const struct results_dir *d, const char *name,
		       struct results_dir *sub, char *why, size_t len)
{
	*sub = *d;
	if ((size_t)snprintf(sub->path, sizeof(sub->path), "%s/%s", d->path, name) >=
		    sizeof(sub->path) ||
	    (size_t)snprintf(sub->at, sizeof(sub->at), "%s/%s", d->at, name) >=
		    sizeof(sub->at)) {
		snprintf(why, len, "%s/%s: path too long", d->path, name);
		return -1;
	}
	if (mkdir(sub->at, 0755) && errno != EEXIST) {
		snprintf(why, len, "cannot create %s: %s", sub->path, strerror(errno));
		return -1;
	}
	give_away(d, sub->at);
	return 0;
}

void results_dir_file(const struct results_dir *d, const char *name,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", d->at, name);
}

int results_dir_commit(const struct results_dir *d, const char *tmp,
		       const char *name, char *why, size_t len)
{
	char final[PATH_MAX + 64];

	results_dir_file(d, name, final, sizeof(final));
	give_away(d, tmp);
	if (rename(tmp, final)) {
		snprintf(why, len, "cannot write %s/%s: %s", d->path, name,
			 strerror(errno));
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
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d->at, name);
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(why, len, "cannot write %s/%s: %s", d->path, name,
			 strerror(errno));
		return -1;
	}
	errno = 0;
	if (fn(f, arg))
		err = errno ? errno : EIO;
	/* a full disk shows up at fflush/fsync/fclose, not at fprintf */
	if (!err && (fflush(f) || fsync(fileno(f))))
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	if (err) {
		snprintf(why, len, "cannot write %s/%s: %s", d->path, name,
			 err == EINVAL ? "a value could not be written as JSON" :
			 strerror(err));
		unlink(tmp);
		return -1;
	}
	return results_dir_commit(d, tmp, name, why, len);
}
