// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "out_file.h"

/* the directory a new file would go into must let us create it */
static int check_dir_of(const char *file, char *why, size_t len)
{
	char copy[PATH_MAX], *dir;

	snprintf(copy, sizeof(copy), "%s", file);
	dir = dirname(copy);
	if (access(dir, W_OK | X_OK)) {
		snprintf(why, len, "cannot write %s: %s: %s", file, dir, strerror(errno));
		return -1;
	}
	return 0;
}

int out_file_check(struct out_file *o, const char *path, char *why, size_t len)
{
	struct stat st, lst;

	memset(o, 0, sizeof(*o));
	if (!path[0] || strlen(path) >= sizeof(o->path)) {
		snprintf(why, len, "cannot write '%.40s%s': %s", path,
			 strlen(path) > 40 ? "..." : "", path[0] ?
			 "the path is longer than PATH_MAX" : "the path is empty");
		return -1;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->target, sizeof(o->target), "%s", path);
	if (lstat(path, &lst)) {
		if (errno != ENOENT) {
			snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		return check_dir_of(path, why, len);	/* a new file */
	}
	if (stat(path, &st)) {
		/* a symlink to nothing: writing through it creates its target */
		o->in_place = true;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, len, "cannot write %s: it is a directory; give a file", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		o->in_place = true;	/* a device, a FIFO, a socket */
		if (access(path, W_OK)) {
			snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (S_ISLNK(lst.st_mode) && !realpath(path, o->target)) {
		snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (access(o->target, W_OK)) {
		snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return check_dir_of(o->target, why, len);
}

FILE *out_file_open(struct out_file *o, char *why, size_t len)
{
	int fd;

	if (o->in_place) {
		fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	} else {
		const char *slash = strrchr(o->target, '/');
		mode_t mask = umask(0);

		umask(mask);
		/* beside the target, hidden: dir/.name.XXXXXX */
		if (slash)
			snprintf(o->tmp, sizeof(o->tmp), "%.*s/.%s.XXXXXX",
				 (int)(slash - o->target), o->target, slash + 1);
		else
			snprintf(o->tmp, sizeof(o->tmp), ".%s.XXXXXX", o->target);
		fd = mkostemp(o->tmp, O_CLOEXEC);
		/* as a plain create would have made it */
		if (fd >= 0)
			fchmod(fd, 0666 & ~mask);
		else
			o->tmp[0] = '\0';
	}
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		snprintf(why, len, "cannot write %s: %s", o->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (o->tmp[0])
			unlink(o->tmp);
		return NULL;
	}
	return o->f;
}

int out_file_commit(struct out_file *o, char *why, size_t len)
{
	int err = 0;

	/* a full disk or /dev/full shows at the flush, not at fprintf */
	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	if (!err && !o->in_place && fsync(fileno(o->f)))
		err = errno;
	if (fclose(o->f) && !err)
		err = errno;
	o->f = NULL;
	if (!err && !o->in_place && rename(o->tmp, o->target))
		err = errno;
	if (err) {
		snprintf(why, len, "cannot write %s: %s", o->path, strerror(err));
		if (!o->in_place)
			unlink(o->tmp);
		return -1;
	}
	return 0;
}
