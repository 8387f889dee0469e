// SPDX-License-Identifier: GPL-2.0
/*
 * attach_check.bpf.c - one tiny program per attach mode. `ipctrace probe`
 * (user/kernel/attach_modes.c) loads and attaches one of them at a time, writes
 * into a pipe itself, and calls the mode available only if the program
 * really fired for that write: BTF saying a function exists proves nothing
 * about whether the kernel lets us attach to it.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

__u64 fentry_hits = 0;
__u64 kprobe_hits = 0;
__u64 tp_btf_hits = 0;
__u64 raw_tp_hits = 0;
__u64 sys_exit_hits = 0;

static __always_inline bool from_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

/* retargeted to anon_pipe_write on v6.15+ by the loader */
SEC("fentry/pipe_write")
int BPF_PROG(probe_fentry)
{
	if (from_target())
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(probe_kprobe)
{
	if (from_target())
		__sync_fetch_and_add(&kprobe_hits, 1);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(probe_tp_btf)
{
	__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(probe_raw_tp)
{
	__sync_fetch_and_add(&raw_tp_hits, 1);
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(probe_sys_exit)
{
	if (from_target())
		__sync_fetch_and_add(&sys_exit_hits, 1);
	return 0;
}
