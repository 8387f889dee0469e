/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipctrace.h - the one header shared by the BPF programs (bpf/) and the
 * user-space side (user/). Plain types and constants only: no kernel
 * structures, nothing that needs vmlinux.h, so both compilers see the same
 * layout.
 *
 * Where a counter is born: the handlers under bpf/ (entry points in
 * ipctrace.bpf.c; blocked calls and waits in sleep_classify.bpf.h). Where
 * it is read: user/kernel/counters.c (the maps) and user/workload/rep.c
 * or user/kernel/snapshot.c (per run, per trace). Where it is reported:
 * user/analysis/cell_stats.c (per MB), user/output/report_*.c and
 * user/output/trace_report.c.
 *
 * Glossary: one name, and one label in every report, per quantity.
 *   call          a write or read on a pipe or unix stream socket that
 *                 returned (write(2), read(2), send/recv and their -v and
 *                 -msg forms).
 *   blocked call  a call that slept at least once waiting for its channel:
 *                 a blocked write (label "blk") found no room, a blocked
 *                 read ("rblk") no data. ipct_op_stats.blocked_calls.
 *   buffer wait   one such sleep ("bwt" in writes, "rbwt" in reads): the
 *                 call slept interruptibly, as pipe_wait_writable,
 *                 sock_wait_for_wmem and unix_stream_data_wait do, because
 *                 the channel was full (writes) or empty (reads); a blocked
 *                 call waits once or more. ipct_op_stats.waits, timed in
 *                 wait_ns and the wait histograms. Fill at block is sampled
 *                 at these waits only. (A fault that userfaultfd resolves
 *                 sleeps interruptibly too, and counts here.)
 *   lock or fault wait  an uninterruptible (or killable) sleep inside a
 *                 channel call ("lwt" in writes, "rlwt" in reads): a mutex
 *                 (pipe->mutex, the unix socket's iolock), a socket lock, a
 *                 page fault or memory reclaim while copying, and, on
 *                 PREEMPT_RT, a spinlock turned sleeping lock; in tracepoint
 *                 mode also a stop (SIGSTOP, ptrace) with the call pending.
 *                 ipct_op_stats.other_sleeps, timed in other_sleep_ns.
 *   spinlock wait one of those on PREEMPT_RT where a spinlock_t or rwlock_t
 *                 sleeps in TASK_RTLOCK_WAIT ("spin" in writes, "rspin" in
 *                 reads). Zero on other kernels. ipct_op_stats.rtlock_waits.
 *   message       what `run` counts time per: a stream's write of msg_size,
 *                 a loop's iteration (one thread writes a message and reads
 *                 it back), a ping-pong round.
 *   time per message  ("time") of the side that sets the pace, in us: its
 *                 CPU in user space ("usr") and in the kernel ("sys"), its
 *                 time asleep in buffer waits ("buf"), in lock or fault
 *                 waits ("lock") and outside channel calls ("other"), and
 *                 the rest, runnable but not running ("prmpt"). Computed in
 *                 user/analysis/cell_stats.c from getrusage and these counts.
 *   CPU per message  ("cpu") every worker's user + system CPU per message.
 *   epoll wait    one sleep in epoll_wait(2) or epoll_pwait(2), where an
 *                 event loop waits instead of blocking in the call
 *                 (labels "ewt" for the writer, "rewt" for the reader).
 *   writer waits  blocked writes + the writer's epoll waits ("wwt"): how
 *                 often the writer gave up its CPU for room, either way.
 *   reader waits  blocked reads + the reader's epoll waits.
 *   wakeup        a sched_waking of one task by another (or by an
 *                 interrupt: waker 0); wakeup latency is from it to the
 *                 wakee running.
 *   switch        a context switch, voluntary ("vcs") or involuntary
 *                 ("ics") exactly as the kernel's nvcsw and nivcsw.
 *   fill          how full the channel was at a writer's wait: pipe slots,
 *                 or a unix sender's sk_wmem_alloc against sk_sndbuf
 *                 (buffer accounting: skb truesize, not data).
 *   data queued   the bytes written and not yet read at that wait: in the
 *                 pipe's slots, or in the unix peer's receive queue.
 */
#ifndef IPCTRACE_H
#define IPCTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define IPCT_COMM_LEN 16

/* The four operations ipctrace attributes work and waiting to. */
enum ipct_op {
	IPCT_PIPE_WRITE = 0,
	IPCT_PIPE_READ,
	IPCT_UNIX_WRITE,	/* AF_UNIX SOCK_STREAM */
	IPCT_UNIX_READ,
	IPCT_OP_COUNT,
};

/*
 * Histograms are log-linear: IPCT_HIST_SUB buckets per power of two, so a
 * percentile read back from them is within 1/IPCT_HIST_SUB of an octave
 * (at most 19% off) instead of a factor of two as in a plain log2 histogram.
 * Values are nanoseconds; the last bucket also holds everything above.
 */
#define IPCT_HIST_SUB_BITS 2
#define IPCT_HIST_SUB (1 << IPCT_HIST_SUB_BITS)
#define IPCT_HIST_BUCKETS 152	/* 8 exact + 4 per octave up to 2^39 ns (9 min) */
/* a fill fraction of 1 in the fill histograms; ipct_thread.fill_frac_sum
 * counts in 1/IPCT_FILL_SUM_ONE */
#define IPCT_FILL_ONE 1024
#define IPCT_FILL_SUM_ONE (1 << 20)

/* Bucket index of a value: exact below 2 * IPCT_HIST_SUB. */
static inline __u32 ipct_hist_bucket(__u64 v)
{
	__u32 msb = 0, idx;
	__u64 t = v;

	if (v < 2 * IPCT_HIST_SUB)
		return (__u32)v;
	/* unrolled log2: the verifier wants bounded work */
	if (t >> 32) { msb += 32; t >>= 32; }
	if (t >> 16) { msb += 16; t >>= 16; }
	if (t >> 8)  { msb += 8;  t >>= 8; }
	if (t >> 4)  { msb += 4;  t >>= 4; }
	if (t >> 2)  { msb += 2;  t >>= 2; }
	if (t >> 1)  { msb += 1; }
	idx = (msb - IPCT_HIST_SUB_BITS + 1) * IPCT_HIST_SUB +
	      (__u32)((v >> (msb - IPCT_HIST_SUB_BITS)) & (IPCT_HIST_SUB - 1));
	return idx < IPCT_HIST_BUCKETS ? idx : IPCT_HIST_BUCKETS - 1;
}

/* Which histogram of a thread a hist_key names. */
enum ipct_hist_kind {
	IPCT_HIST_WAIT_PIPE_WRITE = 0,	/* per channel wait, by op */
	IPCT_HIST_WAIT_PIPE_READ,
	IPCT_HIST_WAIT_UNIX_WRITE,
	IPCT_HIST_WAIT_UNIX_READ,
	IPCT_HIST_WAKEUP_LATENCY,	/* sched_waking -> switched in */
	/*
	 * `ipctrace serve` (knob fill_hist): the fill at each writer wait as
	 * a fraction f of capacity, recorded as ceil(f * IPCT_FILL_ONE) - 1,
	 * so that a bucket [lo, hi) holds exactly the fractions in
	 * (lo / IPCT_FILL_ONE, hi / IPCT_FILL_ONE]: a full pipe (f = 1)
	 * lands in the bucket that ends at 1, not in the one that starts there.
	 */
	IPCT_HIST_FILL_PIPE_WRITE,
	IPCT_HIST_FILL_UNIX_WRITE,
	IPCT_HIST_KIND_COUNT,
};

struct ipct_hist_key {
	__u32 tid;
	__u32 kind;
};

struct ipct_hist {
	__u64 bucket[IPCT_HIST_BUCKETS];
};

/* Counters of one operation (e.g. pipe writes) of one thread. */
struct ipct_op_stats {
	__u64 calls;		/* calls that returned (fexit/kretprobe/sys_exit) */
	__u64 bytes;		/* bytes moved by those calls */
	__u64 errors;		/* calls that returned an error, e.g. -EAGAIN */
	__u64 blocked_calls;	/* calls that waited for the channel >= once */
	__u64 waits;		/* channel waits: interruptible sleeps in a call */
	__u64 wait_ns;		/* time spent in those waits */
	__u64 other_sleeps;	/* lock or fault waits: uninterruptible sleeps in a call */
	__u64 other_sleep_ns;
	__u64 rtlock_waits;	/* ... of them in TASK_RTLOCK_WAIT (PREEMPT_RT spinlocks) */
	/*
	 * How full the channel was at each wait (writers only).
	 * pipe: used = occupied slots, cap = max_usage slots,
	 *       bytes = bytes queued in those slots;
	 * unix: used = sk_wmem_alloc (buffer accounting), cap = sk_sndbuf,
	 *       bytes = data queued to the peer (not yet read).
	 */
	__u64 fill_samples;
	__u64 fill_used_sum;
	__u64 fill_cap_sum;
	__u64 fill_bytes_sum;
	__u64 fill_used_min;	/* valid when fill_samples > 0 */
	__u64 fill_used_max;
	__u64 fill_bytes_truncated;	/* samples where the slot or skb scan hit its cap */
	/*
	 * Samples that also read bytes (fill_bytes_sum): a thread's first
	 * wait, then at most one every IPCT_FILL_BYTES_GAP_NS. used and cap
	 * are read at every wait.
	 */
	__u64 fill_bytes_samples;
};

/*
 * The bytes a channel holds take a walk (the pipe's slots, or before 6.17
 * the peer's skb queue): at a writer wait in every 1000-byte write that
 * walk made the switch-out a third dearer and, on one CPU, tripled the
 * switches it was there to count (bench, 2026-12-02). Bytes are a mean,
 * so a thread reads them at its first wait and then at most once a ms.
 */
#define IPCT_FILL_BYTES_GAP_NS 1000000ULL

/*
 * A thread's sleeps by syscall and its wakeups of others are counted in
 * its own record while they fit (the fast path: no map lookup), in the
 * sleeps and wakes maps after that. Readers merge both (kernel/counters.c).
 */
#define IPCT_SLEEP_CACHE 4
struct ipct_sleep_slot {
	__s32 nr;		/* the syscall slept in, -1 if none */
	__u32 used;
	__u64 count;
	__u64 ns;
};

#define IPCT_WAKE_CACHE 2
struct ipct_wake_slot {
	__u32 wakee_tid;	/* 0: unused (the idle task is never woken) */
	__u32 pad;
	__u64 ino;
	__u64 via[IPCT_OP_COUNT + 1];
};

/*
 * Everything ipctrace knows about one thread: one record per thread, in
 * the slot the BPF side gave it (maps.bpf.h); tid and start_ns say whose.
 */
struct ipct_thread {
	/* first cache line: who, and what every switch touches */
	__u32 tgid;
	__u32 tid;
	__u64 start_ns;		/* task->start_time: a reused tid is another thread */
	/* context switches, classified exactly as __schedule() does */
	__u64 vol_switches;
	__u64 invol_switches;
	/* on-CPU time since first seen (se.sum_exec_runtime at each switch-out) */
	__u64 cpu_ns;
	__u64 cpu_base_ns;
	/* sleeps that were outside any traced channel call (epoll_wait, futex...) */
	__u64 idle_sleeps;
	__u64 idle_sleep_ns;
	/* second: what sleeps and wakeups touch */
	/* task io accounting (task->ioac) deltas since the thread was first seen */
	__u64 io_syscw;
	__u64 io_syscr;
	__u64 io_wchar;
	__u64 io_rchar;
	/* wakeups: sched_waking with this thread as wakee / as waker */
	__u64 wakeups_received;
	__u64 wakeups_sent;
	__u64 wakeup_lat_samples;
	__u64 wakeup_lat_ns;
	/* third and fourth */
	struct ipct_sleep_slot sleep_cache[IPCT_SLEEP_CACHE];
	/* slots of this thread's histograms in the hists map, by enum
	 * ipct_hist_kind; 0: none yet */
	__u32 hist_slot[IPCT_HIST_KIND_COUNT];
	__u32 exited;		/* sched_process_exit seen */
	/* sleeps whose switch-in the kernel did not trace, their end dated
	 * from the CPU time run since (switch_account.bpf.h) */
	__u32 untraced_switch_ins;
	/* kernfs id of the thread's cgroup v2 when first seen (refreshed at
	 * exec), for `ipctrace serve` */
	__u64 cgroup_id;
	/* knob fill_hist: sum of the fill fractions at writer waits, pipe
	 * and unix, in 1/IPCT_FILL_SUM_ONE (the fill histograms' _sum) */
	__u64 fill_frac_sum[2];
	char comm[IPCT_COMM_LEN];
	struct ipct_op_stats op[IPCT_OP_COUNT];
	struct ipct_wake_slot wake_cache[IPCT_WAKE_CACHE];
};

/* whole cache lines: records in an array each start on one */
_Static_assert(sizeof(struct ipct_thread) % 64 == 0,
	       "struct ipct_thread must fill whole cache lines");


/* Sleeps of a thread by the system call it slept in (-1: not in a syscall). */
struct ipct_sleep_key {
	__u32 tid;
	__s32 syscall_nr;
};

struct ipct_sleep_val {
	__u64 count;
	__u64 ns;
};

/*
 * Wakeups, waker -> wakee. via[] splits them by what the waker was doing:
 * one of enum ipct_op, or IPCT_OP_COUNT for anything else (a futex, a
 * timer, an interrupt).
 */
struct ipct_wake_key {
	__u32 waker_tid;	/* 0: woken by the idle task (an interrupt) */
	__u32 wakee_tid;
	__u64 ino;		/* channel the waker was writing or reading; 0:
				 * none, or channels not tracked */
};

struct ipct_wake_val {
	__u64 via[IPCT_OP_COUNT + 1];
};

/*
 * A channel as `ipctrace trace` reports it, keyed by inode number (the
 * N in pipe:[N] and socket:[N]; pipes and sockets draw them from one
 * counter, so they never collide). Written by several threads at once:
 * these counters are atomic.
 */
enum ipct_chan_kind {
	IPCT_CHAN_PIPE = 1,
	IPCT_CHAN_UNIX,		/* AF_UNIX SOCK_STREAM */
};

struct ipct_chan {
	__u32 kind;
	__u32 pad;
	__u64 ino;
	__u64 peer_ino;		/* unix: the other end's socket inode */
	struct ipct_op_stats w;	/* writes into the channel */
	struct ipct_op_stats r;	/* reads from it */
	__u64 wakeups;		/* wakeups made by calls on the channel */
};

/* Records kept by slot (threads, channels, histograms); slot 0 is none. */
#define IPCT_NO_SLOT 0

/* Kernel stacks where threads slept, weighted by the time they slept. */
struct ipct_stack_key {
	__u32 tid;
	__s32 stackid;		/* in the stacks map */
};

#define IPCT_STACK_DEPTH 127

/* Reasons an event could not be recorded; counted, never silent. */
enum ipct_drop {
	IPCT_DROP_THREAD_MAP_FULL = 0,
	IPCT_DROP_TASK_MAP_FULL,
	IPCT_DROP_HIST_MAP_FULL,
	IPCT_DROP_WAKE_MAP_FULL,
	IPCT_DROP_SLEEP_MAP_FULL,
	IPCT_DROP_WATCH_MAP_FULL,
	IPCT_DROP_READ_FAULT,	/* a CO-RE read of a kernel object failed */
	IPCT_DROP_MISSED_EXIT,	/* a call entered but its exit was never seen
				 * (kretprobe maxactive exceeded, or a skipped
				 * run of an exit program: see PROG_SKIPPED);
				 * counted at the thread's next call, or its
				 * next sleep in another syscall */
	IPCT_DROP_CHAN_MAP_FULL,
	IPCT_DROP_STACK,	/* bpf_get_stackid failed: bucket taken or map full */
	IPCT_DROP_STACK_TIME_MAP_FULL,
	/*
	 * Filled by user space, not by the programs: runs of our programs
	 * the kernel skipped because another run of the same program was in
	 * progress on that CPU (bpf_prog_info.recursion_misses, v5.12).
	 */
	IPCT_DROP_PROG_SKIPPED,
	IPCT_DROP_COUNT,
};

/* How calls into the four operations are seen; set before load. */
enum ipct_call_source {
	IPCT_CALLS_NONE = 0,	/* sched-only: no per-call counts */
	IPCT_CALLS_FUNC,	/* fentry/fexit or kprobe/kretprobe */
	IPCT_CALLS_SYSCALL,	/* raw_syscalls:sys_exit */
};

/* Values of watched map entries. */
#define IPCT_WATCH_PROCESS 1	/* watch this tgid */
#define IPCT_WATCH_FOLLOW 2	/* ... and processes it forks */

/*
 * Largest pipe ring whose queued bytes the BPF side sums (2 MiB pipes; a
 * per-CPU copy of the ring must stay under the 32 KiB per-CPU value limit).
 * Bigger rings are counted as fill_bytes_truncated.
 */
#define IPCT_MAX_PIPE_SLOTS_SCAN 512

#endif /* IPCTRACE_H */
