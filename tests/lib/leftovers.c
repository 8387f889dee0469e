// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "leftovers.h"
#include "runcmd.h"

const char *bpf_kind_name(enum bpf_kind k)
{
	return k == BPF_KIND_PROG ? "program" : k == BPF_KIND_MAP ? "map" : "link";
}

/* the BPF object behind one fd, from its fdinfo: 0, or -1 if none */
static int fd_object(pid_t pid, const char *fd, struct bpf_obj *o)
{
	char path[300], line[256];
	FILE *f;
	int found = -1;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%.255s", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* a link's fdinfo names its program too: link_id decides */
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;

		if (sscanf(line, "link_id: %u", &id) == 1) {
			*o = (struct bpf_obj){ BPF_KIND_LINK, id };
			found = 0;
			break;
		}
		if (sscanf(line, "prog_id: %u", &id) == 1 && found) {
			*o = (struct bpf_obj){ BPF_KIND_PROG, id };
			found = 0;
		}
		if (sscanf(line, "map_id: %u", &id) == 1) {
			*o = (struct bpf_obj){ BPF_KIND_MAP, id };
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* every BPF object pid holds, to fn; stops when fn returns true */
static bool each_object(pid_t pid, bool (*fn)(const struct bpf_obj *, void *),
			void *arg)
{
	char dir[64];
	DIR *d;
	struct dirent *e;
	bool stop = false;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!stop && (e = readdir(d))) {
		struct bpf_obj o;

		if (e->d_name[0] != '.' && fd_object(pid, e->d_name, &o) == 0)
			stop = fn(&o, arg);
	}
	closedir(d);
	return stop;
}

static bool add_object(const struct bpf_obj *o, void *arg)
{
	struct run_trail *t = arg;

	for (int i = 0; i < t->nobjs; i++)
		if (t->objs[i].kind == o->kind && t->objs[i].id == o->id)
			return false;
	if (t->nobjs < MAX_BPF_OBJS)
		t->objs[t->nobjs++] = *o;
	return false;
}

static void add_pid(struct run_trail *t, pid_t pid)
{
	for (int i = 0; i < t->npids; i++)
		if (t->pids[i] == pid)
			return;
	if (t->npids < MAX_RUN_PIDS)
		t->pids[t->npids++] = pid;
}

void trail_update(struct run_trail *t, pid_t pid)
{
	add_pid(t, pid);
	/* descendants: the children of every process seen so far */
	for (int i = 0; i < t->npids; i++) {
		pid_t kids[64];
		int n = children_of(t->pids[i], kids, 64);

		for (int k = 0; k < n && k < 64; k++)
			add_pid(t, kids[k]);
	}
	for (int i = 0; i < t->npids; i++)
		each_object(t->pids[i], add_object, t);
}

char state_of(pid_t pid)
{
	char path[64], buf[512], *p, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		st = p[2];
	fclose(f);
	return st;
}

pid_t trail_alive(const struct run_trail *t)
{
	for (int i = 0; i < t->npids; i++) {
		char st = state_of(t->pids[i]);

		if (st && st != 'Z' && st != 'X')
			return t->pids[i];
	}
	return 0;
}

struct hold_arg {
	const struct run_trail *t;
	struct bpf_obj *held;
};

static bool is_ours(const struct bpf_obj *o, void *arg)
{
	struct hold_arg *h = arg;

	for (int i = 0; i < h->t->nobjs; i++)
		if (h->t->objs[i].kind == o->kind && h->t->objs[i].id == o->id) {
			*h->held = *o;
			return true;
		}
	return false;
}

pid_t trail_holder(const struct run_trail *t, struct bpf_obj *held)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct hold_arg h = { t, held };
	pid_t found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name);

		if (p > 0 && p != getpid() && each_object(p, is_ours, &h))
			found = p;
	}
	closedir(d);
	return found;
}

const struct bpf_obj *trail_loaded(const struct run_trail *t)
{
	for (int i = 0; i < t->nobjs; i++) {
		const struct bpf_obj *o = &t->objs[i];
		int fd = o->kind == BPF_KIND_PROG ? bpf_prog_get_fd_by_id(o->id) :
			 o->kind == BPF_KIND_MAP ? bpf_map_get_fd_by_id(o->id) :
			 bpf_link_get_fd_by_id(o->id);

		if (fd >= 0) {
			close(fd);
			return o;
		}
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool trail_nothing_left(const struct run_trail *t, double max_s, char *why,
			size_t len)
{
	double until = now_s() + max_s;
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	for (;;) {
		struct bpf_obj held;
		const struct bpf_obj *loaded;
		pid_t p = trail_alive(t), h = 0;

		if (!p)
			h = trail_holder(t, &held);
		loaded = !p && !h ? trail_loaded(t) : NULL;
		if (!p && !h && !loaded) {
			why[0] = '\0';
			return true;
		}
		if (now_s() > until) {
			if (p)
				snprintf(why, len, "process %d of the run is alive (state %c)",
					 p, state_of(p));
			else if (h)
				snprintf(why, len, "process %d holds BPF %s %u of the run",
					 h, bpf_kind_name(held.kind), held.id);
			else
				snprintf(why, len, "BPF %s %u of the run is still loaded",
					 bpf_kind_name(loaded->kind), loaded->id);
			return false;
		}
		nanosleep(&tick, NULL);
	}
}

long uid_of(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long uid = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

int wait_exit(pid_t pid, double max_s)
{
	double until = now_s() + max_s;
	struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_s() > until)
			return -1;
		nanosleep(&tick, NULL);
	}
}

bool runs_binary(pid_t pid, const char *path)
{
	char link[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	return !strcmp(exe, path);
}
