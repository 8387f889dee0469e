// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - programs that do nothing, on the two scheduler hooks every
 * ipctrace mode uses. `ipctrace bench` (against_floor() in
 * user/cli/cmd_bench.c) attaches them to a workload in the same rounds as
 * ipctrace itself: what they cost per run and in throughput is what any
 * program there costs on this machine (the kernel's call into BPF, and
 * BPF_ENABLE_STATS timing it), the floor our own programs' cost is read
 * against.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int BPF_PROG(floor_tp_btf_sched_switch)
{
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(floor_tp_btf_sched_waking)
{
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(floor_raw_tp_sched_switch)
{
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(floor_raw_tp_sched_waking)
{
	return 0;
}
