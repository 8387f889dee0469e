// SPDX-License-Identifier: GPL-2.0
/*
 * bench_peer.c - bpftrace as the yardstick for ipctrace's own cost (see
 * bench_peer.h). Its script has the same two hooks as ipctrace's hot path,
 * sched_switch and sched_waking, with the cheapest filter bpftrace offers
 * (the current task's name) and one map update each.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_peer.h"

#define TRACEFS "/sys/kernel/tracing"

static bool mounted_tracefs;

static bool tracefs_present(void)
{
	struct stat st;

	return stat(TRACEFS "/events", &st) == 0;
}

bool peer_available(char *why, size_t len)
{
	if (system("command -v bpftrace >/dev/null 2>&1") != 0) {
		snprintf(why, len, "bpftrace not found (apt-get install bpftrace)");
		return false;
	}
	if (!tracefs_present()) {
		if (mount("nodev", TRACEFS, "tracefs", 0, NULL)) {
			snprintf(why, len, "tracefs is not mounted at " TRACEFS
				 " and mounting it failed: %s", strerror(errno));
			return false;
		}
		mounted_tracefs = true;
		printf("note: mounted tracefs at " TRACEFS " for bpftrace"
		       " (unmounted at the end)\n");
	}
	return true;
}

void peer_cleanup(void)
{
	if (mounted_tracefs && umount(TRACEFS) == 0)
		mounted_tracefs = false;
}

/* the script: one filter on comm, one map update per probe */
static void peer_script(const char *const *comms, char *buf, size_t len)
{
	char filter[256] = "";
	size_t n = 0;

	for (int i = 0; comms[i] && n < sizeof(filter); i++)
		n += (size_t)snprintf(filter + n, sizeof(filter) - n, "%scomm == \"%s\"",
				      i ? " || " : "", comms[i]);
	/* bpftrace runs BEGIN once every other probe is attached */
	snprintf(buf, len,
		 "BEGIN { printf(\"ready\\n\"); }\n"
		 "tracepoint:sched:sched_switch /%s/ { @switches[tid] = count(); }\n"
		 "tracepoint:sched:sched_waking /%s/ { @wakeups[tid, args->pid] = count(); }\n",
		 filter, filter);
}

pid_t peer_start(const char *const *comms)
{
	char script[1024], path[] = "/tmp/ipctrace-peer-XXXXXX", seen[4096];
	int fd = mkstemp(path);
	pid_t pid;

	if (fd < 0)
		return -1;
	unlink(path);
	peer_script(comms, script, sizeof(script));
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -1;
	}
	if (pid == 0) {
		/* its output (the maps, at exit) and its complaints (it cannot
		 * raise RLIMIT_MEMLOCK here, and need not) go to an unlinked file */
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execlp("bpftrace", "bpftrace", "-e", script, (char *)NULL);
		_exit(127);
	}
	for (int tries = 0; tries < 600; tries++) {
		struct timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
		ssize_t n = pread(fd, seen, sizeof(seen) - 1, 0);

		if (n > 0) {
			seen[n] = '\0';
			if (strstr(seen, "ready")) {
				close(fd);
				return pid;
			}
		}
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			close(fd);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	close(fd);
	peer_stop(pid);
	return -1;
}

/* Ctrl-C it; one that has not exited after 5 s (a SIGINT that came while
 * it was still setting up can go unheard) is killed */
void peer_stop(pid_t pid)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };

	if (pid <= 0)
		return;
	kill(pid, SIGINT);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
