/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reads.bpf.h - reading kernel memory as cheaply as the program type
 * allows. tp_btf programs receive BTF pointers the verifier lets us load
 * from directly (one instruction, exception-table protected); raw_tp and
 * kprobe programs receive plain addresses that need bpf_probe_read_kernel,
 * a helper call each. Every handler takes `int reads`, one of READS_*; it is
 * a constant after inlining, so each program keeps only its own branch.
 */
#ifndef IPCTRACE_READS_BPF_H
#define IPCTRACE_READS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* how a program reads kernel memory */
#define READS_PROBE 0		/* raw_tp, kprobe: helper reads */
#define READS_BTF 1		/* tp_btf: direct loads */
/*
 * tp_btf, and the kernel has bpf_rdonly_cast() (v6.2, a35b9af4ec2c): an
 * address we compute becomes a pointer we load from directly, where
 * READS_BTF makes a helper call (bpf_task_pt_regs: about 30 ns a call on
 * this project's machine, see syscall.bpf.h). 6.1's verifier rejects a
 * program that names a kfunc the kernel lacks, even in dead code, so this
 * is a program of its own the loader picks (user/kernel/tracer.c).
 */
#define READS_BTF_CAST 2
/* READS_BTF_CAST programs only: a plain address as a BTF pointer of type
 * btf_id, loads through it exception-table protected like tp_btf's own */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* t->field (fields may be nested: ioac.syscw), CO-RE relocated either way */
#define TREAD(reads, t, field) \
	((reads) != READS_PROBE ? (t)->field : BPF_CORE_READ((t), field))

/*
 * The current task, with its tid and tgid: a BTF task pointer gives them
 * by two loads, which cost less than a helper call (README, Design); a
 * raw_tp or kprobe program asks helpers.
 */
static __always_inline struct task_struct *current_ids(__u32 *tid, __u32 *tgid,
						       int reads)
{
	__u64 id;

	if (reads != READS_PROBE) {
		struct task_struct *cur = bpf_get_current_task_btf();

		*tid = cur->pid;
		*tgid = cur->tgid;
		return cur;
	}
	id = bpf_get_current_pid_tgid();
	*tid = (__u32)id;
	*tgid = id >> 32;
	return (struct task_struct *)bpf_get_current_task();
}

#endif
