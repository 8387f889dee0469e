/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reads.bpf.h - reading kernel memory as cheaply as the program type
 * allows. tp_btf programs receive BTF pointers the verifier lets us load
 * from directly (one instruction, exception-table protected); raw_tp and
 * kprobe programs receive plain addresses that need bpf_probe_read_kernel,
 * a helper call each. Every handler takes `bool btf`; it is a constant
 * after inlining, so each program keeps only its own branch.
 */
#ifndef IPCTRACE_READS_BPF_H
#define IPCTRACE_READS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>

/* t->field (fields may be nested: ioac.syscw), CO-RE relocated either way */
#define TREAD(btf, t, field) ((btf) ? (t)->field : BPF_CORE_READ((t), field))

#endif
