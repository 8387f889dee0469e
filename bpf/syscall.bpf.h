/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscall.bpf.h - which system call a task is in, and on which fd, read
 * from the user registers saved at kernel entry. This is the one place
 * that knows how an architecture lays out pt_regs; only x86-64 is done.
 */
#ifndef IPCTRACE_SYSCALL_BPF_H
#define IPCTRACE_SYSCALL_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "knobs.bpf.h"
#include "reads.bpf.h"

/*
 * x86-64 only: orig_ax holds the syscall number, di the first argument,
 * cx the user ip of a SYSCALL entry, and task_pt_regs() sits at the top of
 * the THREAD_SIZE stack. Another
 * architecture needs its own four definitions here (retsnoop guards the
 * same way with bpf_target_x86); compiling on without them would read
 * wrong offsets silently.
 */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR(reads, regs) TREAD(reads, regs, orig_ax)
#define SYSCALL_ARG0(reads, regs) TREAD(reads, regs, di)
/* a frame entry_SYSCALL_64 made: SYSCALL left the return address in rcx */
#define SYSCALL_FRAME(reads, regs) (TREAD(reads, regs, cx) == TREAD(reads, regs, ip))
#else
#error "ipctrace's BPF side reads x86-64 pt_regs only: see bpf/syscall.bpf.h"
#endif

/* 1: a write-family syscall on an fd, 0: read family, -1: neither */
static __always_inline int syscall_direction(long nr)
{
	if (nr < 0)
		return -1;
	if (nr == nr_write || nr == nr_writev || nr == nr_sendto ||
	    nr == nr_sendmsg)
		return 1;
	if (nr == nr_read || nr == nr_readv || nr == nr_recvfrom ||
	    nr == nr_recvmsg)
		return 0;
	return -1;
}

/*
 * With CONFIG_X86_FRED, 65c9cc9e2c14 ("x86/fred: Reserve space for the FRED
 * stack frame", v6.9) keeps TOP_OF_KERNEL_STACK_PADDING = 16 bytes free at
 * the top of every kernel stack, and task_pt_regs() sits below them.
 * Debian builds 6.18 and 7.3 with it. libbpf reads the running kernel's
 * config; weak: false where no config can be found.
 */
extern bool CONFIG_X86_FRED __kconfig __weak;

/*
 * The user registers a task saved on kernel entry, where task_pt_regs()
 * puts them on x86-64. READS_BTF_CAST computes that and casts it
 * (bpf_rdonly_cast is inlined: no call); READS_BTF asks bpf_task_pt_regs
 * (v5.15, a helper call, for a BTF task pointer); raw_tp hands out plain
 * pointers, so there the computed address is read with helpers.
 */
static __always_inline struct pt_regs *regs_of(struct task_struct *task,
					       int reads)
{
	__u64 top;

	if (reads == READS_BTF)
		return (struct pt_regs *)bpf_task_pt_regs(task);
	top = (__u64)TREAD(reads, task, stack) + kernel_thread_size;
	if (CONFIG_X86_FRED)
		top -= 16;
	if (reads == READS_BTF_CAST)
		return bpf_rdonly_cast((struct pt_regs *)top - 1,
				       bpf_core_type_id_kernel(struct pt_regs));
	return (struct pt_regs *)top - 1;
}

/* is nr a call that a pipe or socket can end: a read or write, or a wait
 * for readiness (poll, select, epoll)? */
static __always_inline bool nr_waits_in_io(long nr)
{
	return syscall_direction(nr) >= 0 || nr == nr_poll || nr == nr_ppoll ||
	       nr == nr_select || nr == nr_pselect6 || nr == nr_epoll_wait ||
	       nr == nr_epoll_pwait || nr == nr_epoll_pwait2 ||
	       nr == nr_splice || nr == nr_sendfile;
}

/*
 * Is task asleep in such a call? Not kernel threads: their saved
 * registers are zero, which reads as read(0). sleep_nr: the syscall its
 * sleep began in, when a record holds it (IPCT_NR_UNKNOWN: not known);
 * it saves reading the registers, a helper call, at every wakeup.
 */
#define IPCT_PF_KTHREAD 0x00200000	/* include/linux/sched.h */
#define IPCT_NR_UNKNOWN (-2)
static __always_inline bool waits_in_io(struct task_struct *task, long sleep_nr,
					int reads)
{
	if (TREAD(reads, task, flags) & IPCT_PF_KTHREAD)
		return false;
	if (sleep_nr == IPCT_NR_UNKNOWN)
		sleep_nr = SYSCALL_NR(reads, regs_of(task, reads));
	return nr_waits_in_io(sleep_nr);
}

#endif
