// SPDX-License-Identifier: GPL-2.0
/*
 * ipctrace.bpf.c - the entry points of every ipctrace counter: thin stubs
 * that hand their arguments to the handlers, which live in headers by
 * concern:
 *
 *   switch_account.bpf.h  sched_switch: switches, sleeps begun and ended
 *   sleep_classify.bpf.h  what a sleep waits for; waits, blocked calls, fill
 *   wakeups.bpf.h         sched_waking: who woke whom, through which channel
 *   call_hooks.bpf.h      the channel functions' entry and exit; sys_exit
 *   lifecycle.bpf.h       exit, fork, exec
 *   chan_identity.bpf.h   fd -> pipe or socket (tracepoint mode)
 *   chan_fill.bpf.h       how full a channel is
 *   chan_counters.bpf.h   per-channel records (`ipctrace trace`)
 *   records.bpf.h         per-thread records and private task state
 *   filter.bpf.h          which tasks are watched
 *   maps.bpf.h, knobs.bpf.h, syscall.bpf.h, reads.bpf.h, core_fixes.bpf.h
 *
 * All attach variants live in this one object; the loader
 * (user/kernel/tracer.c) switches off the ones the running kernel cannot
 * use before load:
 *
 *   fentry mode:     fentry/fexit on the pipe and unix stream functions
 *   kprobe mode:     kprobe/kretprobe on the same functions
 *   tracepoint mode: no function hooks; sleeps are attributed by looking
 *                    at the syscall and fd of the task going to sleep;
 *                    unix stream calls are counted at sock_send_length/
 *                    sock_recv_length where the kernel has them (v6.3+),
 *                    every call at raw_syscalls:sys_exit if asked
 *
 * and in every mode the scheduler tracepoints (tp_btf, or raw_tp where the
 * kernel has no tp_btf) count switches, sleeps, waits and wakeups. Every
 * handler takes `int reads`, a constant in each stub (READS_*), so each
 * program keeps only the reads its program type allows (reads.bpf.h); the
 * two busiest have a variant for kernels without bpf_rdonly_cast (6.1).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "ipctrace.h"
#include "call_hooks.bpf.h"
#include "core_fixes.bpf.h"
#include "lifecycle.bpf.h"
#include "switch_account.bpf.h"
#include "wakeups.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- the scheduler ---- */

/* prev_state: the tracepoint's argument where the kernel passes it */
static __always_inline void switch_entry(unsigned long long *ctx, bool preempt,
					 struct task_struct *prev,
					 struct task_struct *next, int reads)
{
	__u32 prev_state = switch_has_prev_state ? (__u32)ctx[3] :
						   task_state_of(prev);

	on_switch(ctx, preempt, prev, next, prev_state, reads);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tp_btf_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	switch_entry(ctx, preempt, prev, next, READS_BTF_CAST);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tp_btf_v61_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	switch_entry(ctx, preempt, prev, next, READS_BTF);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_tp_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	switch_entry(ctx, preempt, prev, next, READS_PROBE);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(tp_btf_sched_waking, struct task_struct *p)
{
	on_waking(ctx, p, READS_BTF_CAST);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(tp_btf_v61_sched_waking, struct task_struct *p)
{
	on_waking(ctx, p, READS_BTF);
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(raw_tp_sched_waking, struct task_struct *p)
{
	on_waking(ctx, p, READS_PROBE);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_btf_sched_process_exit, struct task_struct *p)
{
	on_exit(p, READS_BTF);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(raw_tp_sched_process_exit, struct task_struct *p)
{
	on_exit(p, READS_PROBE);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp_btf_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	on_fork(parent, child, READS_BTF);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(raw_tp_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	on_fork(parent, child, READS_PROBE);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp_btf_sched_process_exec, struct task_struct *p)
{
	on_exec(p, READS_BTF);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_tp_sched_process_exec, struct task_struct *p)
{
	on_exec(p, READS_PROBE);
	return 0;
}

/* ---- fentry/kprobe modes: the channel functions themselves ---- */

/*
 * The pipe functions are pipe_write/pipe_read before v6.15 and
 * anon_pipe_write/anon_pipe_read since 262b2fa99cbe; the loader retargets
 * these programs with bpf_program__set_attach_target().
 */
SEC("fentry/pipe_write")
int BPF_PROG(fentry_pipe_write, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_WRITE, pipe_of_iocb(iocb, READS_BTF),
		   ino_of_iocb(iocb, READS_BTF), READS_BTF);
	return 0;
}

SEC("fexit/pipe_write")
int BPF_PROG(fexit_pipe_write, struct kiocb *iocb, struct iov_iter *from,
	     long ret)
{
	call_exit(IPCT_PIPE_WRITE, ret, READS_BTF);
	return 0;
}

SEC("fentry/pipe_read")
int BPF_PROG(fentry_pipe_read, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_READ, pipe_of_iocb(iocb, READS_BTF),
		   ino_of_iocb(iocb, READS_BTF), READS_BTF);
	return 0;
}

SEC("fexit/pipe_read")
int BPF_PROG(fexit_pipe_read, struct kiocb *iocb, struct iov_iter *to,
	     long ret)
{
	call_exit(IPCT_PIPE_READ, ret, READS_BTF);
	return 0;
}

SEC("fentry/unix_stream_sendmsg")
int BPF_PROG(fentry_unix_stream_sendmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_WRITE, sk_of_socket(sock, READS_BTF),
		   ino_of_socket(sock, READS_BTF), READS_BTF);
	return 0;
}

SEC("fexit/unix_stream_sendmsg")
int BPF_PROG(fexit_unix_stream_sendmsg, struct socket *sock,
	     struct msghdr *msg, size_t len, int ret)
{
	call_exit(IPCT_UNIX_WRITE, ret, READS_BTF);
	return 0;
}

SEC("fentry/unix_stream_recvmsg")
int BPF_PROG(fentry_unix_stream_recvmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_READ, sk_of_socket(sock, READS_BTF),
		   ino_of_socket(sock, READS_BTF), READS_BTF);
	return 0;
}

SEC("fexit/unix_stream_recvmsg")
int BPF_PROG(fexit_unix_stream_recvmsg, struct socket *sock,
	     struct msghdr *msg, size_t size, int flags, int ret)
{
	call_exit(IPCT_UNIX_READ, ret, READS_BTF);
	return 0;
}

/* kprobes are attached by name from user space (user/kernel/tracer.c) */
SEC("kprobe")
int BPF_KPROBE(kprobe_pipe_write, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_WRITE, pipe_of_iocb(iocb, READS_PROBE),
		   ino_of_iocb(iocb, READS_PROBE), READS_PROBE);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_pipe_write, long ret)
{
	call_exit(IPCT_PIPE_WRITE, ret, READS_PROBE);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_pipe_read, struct kiocb *iocb)
{
	call_enter(IPCT_PIPE_READ, pipe_of_iocb(iocb, READS_PROBE),
		   ino_of_iocb(iocb, READS_PROBE), READS_PROBE);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_pipe_read, long ret)
{
	call_exit(IPCT_PIPE_READ, ret, READS_PROBE);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unix_stream_sendmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_WRITE, sk_of_socket(sock, READS_PROBE),
		   ino_of_socket(sock, READS_PROBE), READS_PROBE);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unix_stream_sendmsg, long ret)
{
	call_exit(IPCT_UNIX_WRITE, (int)ret, READS_PROBE);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_unix_stream_recvmsg, struct socket *sock)
{
	call_enter(IPCT_UNIX_READ, sk_of_socket(sock, READS_PROBE),
		   ino_of_socket(sock, READS_PROBE), READS_PROBE);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_unix_stream_recvmsg, long ret)
{
	call_exit(IPCT_UNIX_READ, (int)ret, READS_PROBE);
	return 0;
}

/* ---- tracepoint mode: count calls where the syscall returns ---- */

SEC("raw_tp/sys_exit")
int BPF_PROG(raw_tp_sys_exit, struct pt_regs *regs, long ret)
{
	count_syscall_exit(regs, ret);
	return 0;
}

/* ---- tracepoint mode, v6.3+: unix stream calls at the socket layer ---- */

SEC("tp_btf/sock_send_length")
int BPF_PROG(tp_btf_sock_send_length, struct sock *sk, int ret, int flags)
{
	count_sock_call(sk, true, ret, READS_BTF);
	return 0;
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_tp_sock_send_length, struct sock *sk, int ret, int flags)
{
	count_sock_call(sk, true, ret, READS_PROBE);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tp_btf_sock_recv_length, struct sock *sk, int ret, int flags)
{
	count_sock_call(sk, false, ret, READS_BTF);
	return 0;
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(raw_tp_sock_recv_length, struct sock *sk, int ret, int flags)
{
	count_sock_call(sk, false, ret, READS_PROBE);
	return 0;
}
