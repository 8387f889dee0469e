// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "runcmd.h"

const char *ipctrace_bin(void)
{
	const char *b = getenv("IPCTRACE_BIN");

	return b && *b ? b : "./ipctrace";
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		abort();
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
}

int run_cmd(char *const argv[], int (*before_exec)(void), struct cmd_result *r)
{
	int out[2], err[2], status;
	size_t olen = 0, elen = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	if (pipe(out) || pipe(err))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		if (before_exec && before_exec())
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	struct pollfd pfd[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	int open_fds = 2;

	while (open_fds) {
		char buf[4096];

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0)
				append(&r->out, &olen, buf, n);
			else
				append(&r->err, &elen, buf, n);
		}
	}
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

void cmd_result_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
}

int count_lines(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		if (*p == '\n' || !p[1])
			n++;
	return n;
}

/* the program names of bpf/ipctrace.bpf.c and bpf/attach_probe.bpf.c */
static bool ours(const char *name)
{
	static const char *const prefixes[] = {
		"tp_btf_", "raw_tp_", "fentry_", "fexit_", "kprobe_",
		"kretprobe_", "probe_",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static int count_now(void)
{
	__u32 id = 0;
	int n = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && ours(info.name))
			n++;
		close(fd);
	}
	return n;
}

/*
 * The kernel releases a closed BPF link from a workqueue (bpf_link_put ->
 * schedule_work) and only then drops its program, so programs of a process
 * that just exited can linger for a moment. Wait for the teardown to
 * finish; 10 s is a hang guard, not a threshold on anything measured.
 */
int count_ipctrace_progs(void)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
	int n = count_now();

	for (int i = 0; n && i < 1000; i++) {
		nanosleep(&pause, NULL);
		n = count_now();
	}
	return n;
}
