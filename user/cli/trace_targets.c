// SPDX-License-Identifier: GPL-2.0
/* trace_targets.c - what `ipctrace trace` watches: processes, a thread, a
 * command it starts, a cgroup, a name. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "arg_quote.h"
#include "log.h"
#include "preflight.h"
#include "procfs.h"
#include "trace_args.h"

#define CGROUP2_MAGIC 0x63677270
#define CGROUP1_MAGIC 0x27e0eb

int trace_parse_pid(const char *s, pid_t *out);

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */

/* state (R, S, Z...) and flags of a task from /proc/ID/stat; -1 if none */
static int task_stat(pid_t id, char *state, unsigned long *flags)
{
	char path[64], buf[1024], *p;
	FILE *f;
	int ok = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", id);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* comm may hold spaces and parentheses: fields follow the last ')' */
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		ok = sscanf(p + 2, "%c %*d %*d %*d %*d %*d %lu", state, flags) == 2;
	fclose(f);
	return ok ? 0 : -1;
}

static bool alive(pid_t pid)
{
	unsigned long flags;
	char state;

	return !task_stat(pid, &state, &flags) && state != 'Z' && state != 'X';
}

static bool kernel_thread(pid_t pid)
{
	unsigned long flags = 0;
	char state;

	return !task_stat(pid, &state, &flags) && (flags & PF_KTHREAD);
}


/* a -p or -t target that can be traced: 0, or an exit status after why */
static int check_task(pid_t id, const char *what)
{
	char comm[64];

	if (!alive(id)) {
		pr_err("%s %d has exited (a zombie its parent has not reaped):"
		       " nothing to trace\n", what, id);
		return EXIT_ENV;
	}
	if (kernel_thread(id)) {
		proc_comm(id, comm, sizeof(comm));
		pr_err("%s %d (%s) is a kernel thread: it makes no pipe or socket"
		       " calls of its own; give a user process\n", what, id,
		       QUOTE(comm));
		return EXIT_USAGE;
	}
	return 0;
}

/* processes named comm right now */
static int watch_by_comm(struct tracer *t, const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], name[64] = "";
		pid_t pid;
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]) || trace_parse_pid(e->d_name, &pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = '\0';
		fclose(f);
		if (!strcmp(name, comm) && pid != getpid() && !kernel_thread(pid) &&
		    !tracer_watch(t, pid, false))
			n++;
	}
	closedir(d);
	return n;
}

/* validate the targets before anything attaches */
int trace_check_targets(struct trace_args *a, __u64 *cgroup_id)
{
	int kinds = (a->npids > 0) + (a->tid > 0) + !!a->command + !!a->cgroup + !!a->comm;
	int ret;

	if (kinds != 1) {
		pr_err("%s: give one of -p PID, -t TID, -c \"CMD\", --cgroup PATH,"
		       " --comm NAME\n", kinds ? "one kind of target at a time" :
		       "nothing to trace");
		return EXIT_USAGE;
	}
	for (int i = 0; i < a->npids; i++) {
		pid_t tgid = proc_tgid(a->pids[i]);

		if (tgid < 0) {
			pr_err("no process %d: check the PID (ps -p %d)\n", a->pids[i],
			       a->pids[i]);
			return EXIT_ENV;
		}
		if (tgid != a->pids[i]) {
			pr_err("%d is a thread of process %d: use -t %d for the thread or"
			       " -p %d for the process\n", a->pids[i], tgid, a->pids[i], tgid);
			return EXIT_USAGE;
		}
		ret = check_task(a->pids[i], "process");
		if (ret)
			return ret;
	}
	if (a->tid && proc_tgid(a->tid) < 0) {
		pr_err("no thread %d: check the TID (ps -eLf)\n", a->tid);
		return EXIT_ENV;
	}
	if (a->tid && (ret = check_task(a->tid, "thread")))
		return ret;
	if (a->cgroup) {
		struct statfs fs;
		struct stat st;

		if (statfs(a->cgroup, &fs) || stat(a->cgroup, &st)) {
			pr_err("--cgroup %s: %s\n", QUOTE(a->cgroup), strerror(errno));
			return EXIT_ENV;
		}
		if ((unsigned long)fs.f_type == CGROUP1_MAGIC) {
			pr_err("--cgroup %s is in a cgroup v1 hierarchy: ipctrace follows"
			       " cgroup v2 only; give a directory of the cgroup2 mount"
			       " (see: mount -t cgroup2)\n", QUOTE(a->cgroup));
			return EXIT_ENV;
		}
		if ((unsigned long)fs.f_type != CGROUP2_MAGIC || !S_ISDIR(st.st_mode)) {
			pr_err("--cgroup %s is not a cgroup v2 directory; give a directory"
			       " of the cgroup2 mount (see: mount -t cgroup2)\n", QUOTE(a->cgroup));
			return EXIT_ENV;
		}
		/* a cgroup v2 directory's inode number is its kernfs id */
		*cgroup_id = st.st_ino;
	}
	return 0;
}

void trace_describe_targets(const struct trace_args *a, char *buf, size_t len)
{
	size_t n = 0;

	if (a->npids) {
		n = (size_t)snprintf(buf, len, "process%s", a->npids > 1 ? "es" : "");
		for (int i = 0; i < a->npids && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s%d", i ? "," : " ", a->pids[i]);
	} else if (a->tid) {
		snprintf(buf, len, "thread %d", a->tid);
	} else if (a->command) {
		snprintf(buf, len, "command \"%.200s\"", a->command);
	} else if (a->cgroup) {
		snprintf(buf, len, "cgroup %.200s", a->cgroup);
	} else {
		snprintf(buf, len, "processes named %s", a->comm);
	}
}

bool trace_targets_alive(const struct trace_args *a)
{
	for (int i = 0; i < a->npids; i++)
		if (alive(a->pids[i]))
			return true;
	return a->tid && alive(a->tid);
}

void trace_watch_targets(struct tracer *t, const struct trace_args *a)
{
	for (int i = 0; i < a->npids; i++)
		tracer_watch(t, a->pids[i], false);
	if (a->tid)
		tracer_watch(t, proc_tgid(a->tid), false);
	if (a->comm)
		watch_by_comm(t, a->comm);
}
