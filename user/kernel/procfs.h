/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs.h - the kernel's own per-thread counters, the ground truth
 * ipctrace reconciles its BPF counts against, and a reliable way to know a
 * thread is asleep.
 */
#ifndef IPCTRACE_PROCFS_H
#define IPCTRACE_PROCFS_H

#include <signal.h>
#include <sys/types.h>

struct kcounters {
	long long vol, invol;		/* /proc/PID/task/TID/status */
	long long syscr, syscw;		/* /proc/PID/task/TID/io */
	long long rchar, wchar;
};

int proc_read_kcounters(pid_t pid, pid_t tid, struct kcounters *k);

/*
 * Wait until thread tid of process pid sleeps in system call nr.
 * /proc/PID/task/TID/syscall answers only once the task is off its CPU
 * (task_current_syscall -> wait_task_inactive), so when this returns the
 * thread's switch-out - and ipctrace's sched_switch program for it - has
 * completed; and its state in /proc/PID/task/TID/stat says it sleeps
 * there, not that it was woken and waits to run. Gives up (-1) after
 * max_wait_s, or early when *stop is set.
 */
int proc_wait_blocked_in(pid_t pid, pid_t tid, long nr, double max_wait_s,
			 volatile sig_atomic_t *stop);

/* CPUs this process may run on, lowest first; returns how many */
int proc_allowed_cpus(int *cpus, int max);
/* run the calling thread on cpu only; cpu < 0 leaves it as it is */
void proc_pin_to_cpu(int cpu);
/* the process (tgid) of task id, from /proc/ID/status; -1 if none */
pid_t proc_tgid(pid_t id);
/* a process's comm; "" when it is gone */
void proc_comm(pid_t pid, char *buf, size_t len);

#endif
