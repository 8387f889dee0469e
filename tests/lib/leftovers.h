/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leftovers.h - what a run of ipctrace could leave behind, found from the
 * kernel's own records: the BPF programs, maps and links a process holds
 * (its /proc/PID/fdinfo: prog_id, map_id, link_id), every process that
 * still holds one of them, and the processes a run started. Concurrent
 * ipctrace runs of other tests do not disturb it: it follows the ids and
 * processes of one run only.
 */
#ifndef IPCTRACE_LEFTOVERS_H
#define IPCTRACE_LEFTOVERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum bpf_kind { BPF_KIND_PROG, BPF_KIND_MAP, BPF_KIND_LINK };

struct bpf_obj {
	enum bpf_kind kind;
	uint32_t id;
};

#define MAX_BPF_OBJS 512
#define MAX_RUN_PIDS 512

/* what one run holds and started, gathered while it runs */
struct run_trail {
	struct bpf_obj objs[MAX_BPF_OBJS];
	int nobjs;
	pid_t pids[MAX_RUN_PIDS];	/* ipctrace and every descendant seen */
	int npids;
};

/* add the BPF objects pid holds (fdinfo) and pid's descendants, now */
void trail_update(struct run_trail *t, pid_t pid);
/* a process of the trail that is still alive (not a zombie), or 0 */
pid_t trail_alive(const struct run_trail *t);
/* a process anywhere that holds a BPF object of the trail, or 0 */
pid_t trail_holder(const struct run_trail *t, struct bpf_obj *held);
/* an object of the trail the kernel still has (loaded), or NULL */
const struct bpf_obj *trail_loaded(const struct run_trail *t);

/*
 * Nothing of the run is left: no process, no holder, no object loaded.
 * Waits up to max_s for the kernel (process exit, the asynchronous link
 * teardown): a hang guard, not a threshold. "" or what is left, in why.
 */
bool trail_nothing_left(const struct run_trail *t, double max_s, char *why,
			size_t len);

/* a process's uid from /proc/PID/status, -1 if gone */
long uid_of(pid_t pid);
/* the kernel's state letter of pid (R, S, Z...), 0 when gone */
char state_of(pid_t pid);
/* wait for pid to exit, up to max_s: status as waitpid, or -1 */
int wait_exit(pid_t pid, double max_s);
/* pid runs the program at path (its /proc/PID/exe) */
bool runs_binary(pid_t pid, const char *path);
/* a label for a bpf_obj kind */
const char *bpf_kind_name(enum bpf_kind k);

#endif
