// SPDX-License-Identifier: GPL-2.0
/*
 * test_counters.c - the BPF counters against workloads this test controls,
 * in every attach mode, each a test case named after the mode (or only
 * the modes named on the command line: test_counters fentry kprobe).
 * Modes `ipctrace probe` calls unavailable here get one test instead:
 * attaching must really fail, so probe's verdict is checked against
 * reality. Exact where the kernel makes them exact (a write larger than
 * the pipe blocks exactly once, the data a full socket holds),
 * reconciled against the kernel's own counters (/proc/self/task/TID/status
 * and io, getrusage) everywhere else.
 */
#include "tap_suite.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "mode_cases.h"
#include "testlib.h"
#include "worker.h"

#define PAGE 4096

/* ---- reading ipctrace's view ---- */

/* bytes of the calls the hooks count (ASSERT_SKIPPABLE): lower by skipped
 * calls only, so at most want */
#define ASSERT_BYTES(got, want) do {						\
	long long g_ = (long long)(got), w_ = (long long)(want);		\
	if (!test_skipped_runs())						\
		ck_assert_msg(g_ == w_, "%s == %lld, want %lld", #got, g_, w_);	\
	else									\
		ck_assert_msg(g_ <= w_, "%s == %lld, more than %lld", #got, g_, w_); \
} while (0)

/* nothing lost but what the kernel skipped (test_skipped_runs()) and the
 * call exits that went with them */
static void assert_no_drops(void)
{
	__u64 drops[IPCT_DROP_COUNT];

	tracer_read_drops(test_tracer, drops);
	for (int i = 0; i < IPCT_DROP_COUNT; i++)
		ck_assert_msg(drops[i] == 0 || i == IPCT_DROP_PROG_SKIPPED ||
			      (i == IPCT_DROP_MISSED_EXIT &&
			       drops[i] <= drops[IPCT_DROP_PROG_SKIPPED]),
			      "%llu events lost: %s", (unsigned long long)drops[i],
			      drop_name(i));
}

/*
 * A parked worker: its voluntary/involuntary switches equal the kernel's
 * nvcsw/nivcsw, its io counters equal /proc io, and every voluntary switch
 * started exactly one sleep that ipctrace classified.
 */
static void assert_reconciles(const struct worker *w)
{
	struct ipct_thread t = test_bpf_thread(w->tid);
	struct kcounters k;
	unsigned long long sleeps = t.idle_sleeps;

	ck_assert_int_eq(read_kcounters(w->tid, &k), 0);
	ck_assert_int_eq(t.vol_switches, k.vol);
	ck_assert_int_eq(t.invol_switches, k.invol);
	/* getrusage ran just before the park: the park is one more sleep */
	ck_assert_int_eq(t.vol_switches, w->ru.ru_nvcsw + 1);
	ck_assert_int_ge(t.invol_switches, w->ru.ru_nivcsw);
	ck_assert_int_eq(t.io_syscw, k.syscw);
	ck_assert_int_eq(t.io_syscr, k.syscr);
	ck_assert_int_eq(t.io_wchar, k.wchar);
	ck_assert_int_eq(t.io_rchar, k.rchar);
	for (int op = 0; op < IPCT_OP_COUNT; op++)
		sleeps += t.op[op].waits + t.op[op].other_sleeps;
	ck_assert_int_eq(sleeps, t.vol_switches);
	/* every sleep but the park has ended with a sched_waking */
	ck_assert_int_eq(t.wakeup_lat_samples, t.vol_switches - 1);
}

/* ---- tests ---- */

/* 2000 x 1000 B through a pipe: every call and byte counted */
START_TEST(pipe_stream_counts_exact)
{
	struct worker wr = { .fn = write_all_fn, .size = 1000, .count = 2000 };
	struct worker rd = { .fn = read_bytes_fn, .size = 65536,
			     .count = 2000 * 1000 };
	int p[2];

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	wr.fd = p[1];
	rd.fd = p[0];
	worker_start(&rd);
	/* the reader waits on the empty pipe before the first write */
	ck_assert_int_eq(wait_blocked_in(rd.tid, SYS_read), 0);
	worker_start(&wr);
	worker_wait_parked(&wr);
	worker_wait_parked(&rd);

	struct ipct_thread w = test_bpf_thread(wr.tid), r = test_bpf_thread(rd.tid);
	const struct ipct_op_stats *wo = &w.op[IPCT_PIPE_WRITE];
	const struct ipct_op_stats *ro = &r.op[IPCT_PIPE_READ];

	ck_assert_int_eq(wr.bytes, 2000 * 1000);
	ck_assert_int_eq(w.io_syscw, 2000);
	ck_assert_int_eq(w.io_wchar, 2000 * 1000);
	ck_assert_int_eq(r.io_syscr, rd.calls);
	if (test_counts_calls()) {
		ASSERT_SKIPPABLE(w.op[IPCT_PIPE_WRITE].calls, 2000);
		ASSERT_BYTES(w.op[IPCT_PIPE_WRITE].bytes, 2000 * 1000);
		ck_assert_int_eq(w.op[IPCT_PIPE_WRITE].errors, 0);
		ASSERT_SKIPPABLE(r.op[IPCT_PIPE_READ].calls, rd.calls);
		ASSERT_BYTES(r.op[IPCT_PIPE_READ].bytes, 2000 * 1000);
	}
	/*
	 * A blocked call waited at least once, and a wait makes its call a
	 * blocked one. The reader's first read found the pipe empty, so it
	 * has at least one; the writer may or may not have met a full pipe.
	 */
	ck_assert_int_ge(ro->blocked_calls, 1);
	ck_assert_int_le(ro->blocked_calls, ro->waits);
	ck_assert_int_le(ro->blocked_calls, rd.calls);
	ck_assert_int_le(wo->blocked_calls, wo->waits);
	ck_assert_int_eq(wo->waits > 0, wo->blocked_calls > 0);
	ck_assert_int_eq(w.op[IPCT_PIPE_READ].calls + w.op[IPCT_UNIX_WRITE].calls +
			 w.op[IPCT_UNIX_READ].calls, 0);
	assert_reconciles(&wr);
	assert_reconciles(&rd);
	assert_no_drops();
	worker_finish(&wr);
	worker_finish(&rd);
}
END_TEST

/*
 * A write larger than the pipe while nobody reads: it fills every slot,
 * waits exactly once, and the fill sampled at that wait is the capacity.
 */
/*
 * A write one page larger than the pipe, with nobody reading, waits
 * exactly once with every slot full: a default pipe (16 slots) and a
 * 1 MiB one (256, F_SETPIPE_SZ), so the capacity at block is the pipe's.
 */
static const int pipe_sizes[] = { 0, 1 << 20 };

START_TEST(pipe_big_write_blocks_once_at_capacity)
{
	int p[2];
	long slots;
	char *buf = malloc(2 << 20);
	struct worker wr = { .fn = write_all_fn, .count = 1 };

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	if (pipe_sizes[_i])
		ck_assert_int_eq(fcntl(p[1], F_SETPIPE_SZ, pipe_sizes[_i]), pipe_sizes[_i]);
	slots = fcntl(p[1], F_GETPIPE_SZ) / PAGE;
	ck_assert_int_eq(slots, pipe_sizes[_i] ? 256 : 16);
	wr.fd = p[1];
	wr.size = (slots + 1) * PAGE;
	worker_start(&wr);
	ck_assert_int_eq(wait_blocked_in(wr.tid, SYS_write), 0);
	/* one read empties all slots; only then is the writer woken */
	ck_assert_int_eq(read(p[0], buf, 2 << 20), slots * PAGE);
	ck_assert_int_eq(read(p[0], buf, 2 << 20), PAGE);
	worker_wait_parked(&wr);

	struct ipct_thread t = test_bpf_thread(wr.tid);
	struct ipct_op_stats *o = &t.op[IPCT_PIPE_WRITE];

	ck_assert_int_eq(o->blocked_calls, 1);
	ck_assert_int_eq(o->waits, 1);
	ck_assert_int_gt(o->wait_ns, 0);
	ck_assert_int_eq(o->fill_samples, 1);
	ck_assert_int_eq(o->fill_used_min, slots);
	ck_assert_int_eq(o->fill_used_max, slots);
	ck_assert_int_eq(o->fill_cap_sum, slots);
	ck_assert_int_eq(o->fill_bytes_sum, slots * PAGE);
	if (test_counts_calls()) {
		ASSERT_SKIPPABLE(o->calls, 1);
		ASSERT_BYTES(o->bytes, (slots + 1) * PAGE);
	}
	assert_reconciles(&wr);
	assert_no_drops();
	worker_finish(&wr);
	close(p[0]);
	close(p[1]);
	free(buf);
}
END_TEST

/* writes that fit never block: exactly capacity in whole pages */
START_TEST(pipe_writes_with_room_never_block)
{
	int p[2];
	long slots;
	struct worker wr = { .fn = write_all_fn, .size = PAGE };

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	slots = fcntl(p[1], F_GETPIPE_SZ) / PAGE;
	wr.fd = p[1];
	wr.count = slots;
	worker_start(&wr);
	worker_wait_parked(&wr);

	struct ipct_thread t = test_bpf_thread(wr.tid);

	ck_assert_int_eq(wr.bytes, slots * PAGE);
	ck_assert_int_eq(t.op[IPCT_PIPE_WRITE].waits, 0);
	ck_assert_int_eq(t.op[IPCT_PIPE_WRITE].blocked_calls, 0);
	ck_assert_int_eq(t.io_syscw, slots);
	if (test_counts_calls())
		ASSERT_SKIPPABLE(t.op[IPCT_PIPE_WRITE].calls, slots);
	assert_reconciles(&wr);
	worker_finish(&wr);
}
END_TEST

/*
 * 100-byte writes merge into a page only while the whole write fits, so
 * each page holds 40 of them: a 16-slot pipe takes 640 writes (64,000
 * bytes, not 65,536) and the 641st waits with 64,000 bytes queued.
 */
START_TEST(pipe_small_writes_fill_64000_bytes)
{
	int p[2];
	long slots, per_page = PAGE / 100, fit;
	char buf[65536];
	struct worker wr = { .fn = write_all_fn, .size = 100 };

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	slots = fcntl(p[1], F_GETPIPE_SZ) / PAGE;
	fit = slots * per_page;
	wr.fd = p[1];
	wr.count = fit + 1;
	worker_start(&wr);
	ck_assert_int_eq(wait_blocked_in(wr.tid, SYS_write), 0);
	drain(p[0], buf, sizeof(buf), 0, (fit + 1) * 100);
	worker_wait_parked(&wr);

	struct ipct_thread t = test_bpf_thread(wr.tid);
	struct ipct_op_stats *o = &t.op[IPCT_PIPE_WRITE];

	ck_assert_int_eq(o->blocked_calls, 1);
	ck_assert_int_eq(o->waits, 1);
	ck_assert_int_eq(o->fill_samples, 1);
	ck_assert_int_eq(o->fill_used_max, slots);
	ck_assert_int_eq(o->fill_bytes_sum, fit * 100);
	ck_assert_int_eq(t.io_syscw, fit + 1);
	if (test_counts_calls())
		ASSERT_SKIPPABLE(o->calls, fit + 1);
	assert_reconciles(&wr);
	worker_finish(&wr);
}
END_TEST

/* one write that must wait twice is one blocked call, two waits */
START_TEST(pipe_one_call_two_waits_vs_two_calls)
{
	int p[2];
	long slots;
	char *buf = malloc(1 << 20);
	struct worker one = { .fn = write_all_fn, .count = 1 };
	struct worker two = { .fn = write_all_fn, .count = 2 };
	struct kcounters k;

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	slots = fcntl(p[1], F_GETPIPE_SZ) / PAGE;

	/* 2 x capacity + 1 page in one call: full, drained, full, drained */
	one.fd = p[1];
	one.size = (2 * slots + 1) * PAGE;
	worker_start(&one);
	ck_assert_int_eq(wait_blocked_in(one.tid, SYS_write), 0);
	ck_assert_int_eq(read_kcounters(one.tid, &k), 0);
	ck_assert_int_eq(read(p[0], buf, 1 << 20), slots * PAGE);
	/* the writer wakes, refills the pipe and sleeps again: nvcsw moves */
	{
		struct kcounters now = k;

		WAIT_UNTIL(read_kcounters(one.tid, &now) == 0 && now.vol != k.vol,
			   "the writer's second wait");
	}
	ck_assert_int_eq(wait_blocked_in(one.tid, SYS_write), 0);
	drain(p[0], buf, 1 << 20, slots * PAGE, (long)one.size);
	worker_wait_parked(&one);

	/* two calls of capacity + 1 page: each waits once */
	two.fd = p[1];
	two.size = (slots + 1) * PAGE;
	worker_start(&two);
	for (long got = 0; got < 2 * (long)two.size;) {
		ssize_t n;

		ck_assert_int_ge(wait_blocked_or_done(two.tid, SYS_write, &two.done), 0);
		n = read(p[0], buf, 1 << 20);
		ck_assert_int_gt(n, 0);
		got += n;
	}
	worker_wait_parked(&two);

	struct ipct_thread t1 = test_bpf_thread(one.tid), t2 = test_bpf_thread(two.tid);

	ck_assert_int_eq(t1.op[IPCT_PIPE_WRITE].blocked_calls, 1);
	ck_assert_int_ge(t1.op[IPCT_PIPE_WRITE].waits, 2);
	ck_assert_int_eq(t2.op[IPCT_PIPE_WRITE].blocked_calls, 2);
	ck_assert_int_ge(t2.op[IPCT_PIPE_WRITE].waits, 2);
	assert_reconciles(&one);
	assert_reconciles(&two);
	worker_finish(&one);
	worker_finish(&two);
	free(buf);
}
END_TEST

/*
 * A reader on an empty pipe waits exactly once, and the write that ends
 * the wait is recorded as a wakeup from the writing thread via a pipe
 * write, with one wakeup-latency sample (PREEMPT_RT: see the end).
 */
static void reader_wakeup_case(bool use_pipe)
{
	int fds[2];
	char msg[100] = { 0 };
	struct worker rd = { .fn = read_bytes_fn, .size = 4096, .count = 100 };
	enum ipct_op rop = use_pipe ? IPCT_PIPE_READ : IPCT_UNIX_READ;
	enum ipct_op wop = use_pipe ? IPCT_PIPE_WRITE : IPCT_UNIX_WRITE;
	struct wake_edge *edges;
	size_t n;
	__u64 via = 0;

	test_watch_self();
	if (use_pipe)
		ck_assert_int_eq(pipe(fds), 0);
	else
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	rd.fd = fds[0];
	worker_start(&rd);
	ck_assert_int_eq(wait_blocked_in(rd.tid, SYS_read), 0);
	ck_assert_int_eq(write(fds[1], msg, sizeof(msg)), sizeof(msg));
	worker_wait_parked(&rd);

	struct ipct_thread t = test_bpf_thread(rd.tid);

	ck_assert_int_eq(t.op[rop].blocked_calls, 1);
	ck_assert_int_eq(t.op[rop].waits, 1);
	ck_assert_int_eq(t.op[rop].fill_samples, 0);	/* readers: no fill */
	ck_assert_int_eq(t.io_syscr, 1);
	if (test_counts_calls()) {
		ASSERT_SKIPPABLE(t.op[rop].calls, 1);
		ASSERT_BYTES(t.op[rop].bytes, sizeof(msg));
	}
	ck_assert_int_eq(tracer_read_wakes(test_tracer, &edges, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (edges[i].key.waker_tid == (__u32)test_gettid() &&
		    edges[i].key.wakee_tid == (__u32)rd.tid)
			via = edges[i].val.via[wop];
	free(edges);
	/*
	 * Every sleep of the read ended by the write: its wait for data and,
	 * on PREEMPT_RT only, a wait for a spinlock the writer held (an
	 * rt_mutex there; 6.1-rt: once in 48 runs of the unix case)
	 */
	ck_assert_int_eq(t.op[rop].other_sleeps, t.op[rop].rtlock_waits);
	ck_assert_int_eq(via, t.op[rop].waits + t.op[rop].other_sleeps);
	assert_reconciles(&rd);
	assert_no_drops();
	worker_finish(&rd);
}

START_TEST(pipe_reader_sleeps_once_woken_by_write)
{
	reader_wakeup_case(true);
}
END_TEST

START_TEST(unix_reader_sleeps_once_woken_by_write)
{
	reader_wakeup_case(false);
}
END_TEST

/*
 * A 1 MiB write into a socketpair nobody reads: one call, blocked; at the
 * first wait the sender's sk_wmem_alloc had reached sk_sndbuf, which is
 * what SO_SNDBUF reports.
 */
START_TEST(unix_big_write_blocks_at_sndbuf)
{
	int sv[2], sndbuf;
	socklen_t len = sizeof(sndbuf);
	char *buf = malloc(1 << 20);
	struct worker wr = { .fn = write_all_fn, .size = 1 << 20, .count = 1 };

	test_watch_self();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len), 0);
	wr.fd = sv[0];
	worker_start(&wr);
	ck_assert_int_eq(wait_blocked_in(wr.tid, SYS_write), 0);
	drain(sv[1], buf, 1 << 20, 0, 1 << 20);
	worker_wait_parked(&wr);

	struct ipct_thread t = test_bpf_thread(wr.tid);
	struct ipct_op_stats *o = &t.op[IPCT_UNIX_WRITE];

	ck_assert_int_eq(wr.bytes, 1 << 20);
	ck_assert_int_eq(o->blocked_calls, 1);
	ck_assert_int_ge(o->waits, 1);
	ck_assert_int_eq(o->fill_samples, o->waits);
	ck_assert_int_eq(o->fill_cap_sum, o->waits * (__u64)sndbuf);
	ck_assert_int_ge(o->fill_used_max, sndbuf);
	ck_assert_int_eq(t.io_syscw, 1);
	if (test_counts_calls()) {
		ASSERT_SKIPPABLE(o->calls, 1);
		ASSERT_BYTES(o->bytes, 1 << 20);
	}
	assert_reconciles(&wr);
	assert_no_drops();
	worker_finish(&wr);
	free(buf);
}
END_TEST

/*
 * 1000-byte writes into a socketpair nobody reads, until one waits: the
 * data queued at that wait is exactly the writes that returned (one skb
 * each; the waiting write allocates its skb before queueing any of it),
 * and the buffer accounting, sk_wmem_alloc, is more: an skb's truesize
 * exceeds its 1000 bytes. Two figures, neither standing in for the other.
 */
START_TEST(unix_fill_is_data_and_accounting)
{
	int sv[2], sndbuf;
	socklen_t len = sizeof(sndbuf);
	struct worker wr = { .fn = write_all_fn, .size = 1000, .count = 1000 };
	char *buf = malloc(1 << 16);
	struct ipct_op_stats o;

	test_watch_self();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len), 0);
	wr.fd = sv[0];
	worker_start(&wr);
	/* off its CPU, so its switch-out (and the sample) has completed */
	ck_assert_int_eq(wait_blocked_in(wr.tid, SYS_write), 0);
	o = test_bpf_thread(wr.tid).op[IPCT_UNIX_WRITE];
	ck_assert_int_eq(o.fill_samples, 1);
	ck_assert_int_eq(o.fill_bytes_sum, __atomic_load_n(&wr.calls, __ATOMIC_ACQUIRE) * 1000);
	ck_assert_int_eq(o.fill_bytes_truncated, 0);
	ck_assert_int_ge(o.fill_used_sum, sndbuf);
	ck_assert_int_gt(o.fill_used_sum, o.fill_bytes_sum);
	drain(sv[1], buf, 1 << 16, 0, 1000 * 1000);
	worker_wait_parked(&wr);
	assert_reconciles(&wr);
	assert_no_drops();
	worker_finish(&wr);
	free(buf);
}
END_TEST

START_TEST(unix_writes_with_room_never_block)
{
	int sv[2];
	struct worker wr = { .fn = write_all_fn, .size = 1000, .count = 20 };

	test_watch_self();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	wr.fd = sv[0];
	worker_start(&wr);
	worker_wait_parked(&wr);

	struct ipct_thread t = test_bpf_thread(wr.tid);

	ck_assert_int_eq(t.op[IPCT_UNIX_WRITE].waits, 0);
	ck_assert_int_eq(t.op[IPCT_UNIX_WRITE].blocked_calls, 0);
	ck_assert_int_eq(t.io_syscw, 20);
	if (test_counts_calls()) {
		ASSERT_SKIPPABLE(t.op[IPCT_UNIX_WRITE].calls, 20);
		ASSERT_BYTES(t.op[IPCT_UNIX_WRITE].bytes, 20000);
	}
	assert_reconciles(&wr);
	worker_finish(&wr);
}
END_TEST

static void spin_fn(struct worker *w)
{
	volatile unsigned long sum = 0;

	for (unsigned long i = 0; i < 20000000; i++)
		sum += i;
	w->calls = (long)(sum & 1);
}

/* a thread that does no IPC has no IPC counters, but its switches count */
START_TEST(no_ipc_no_ipc_counters)
{
	struct worker w = { .fn = spin_fn };

	test_watch_self();
	worker_start(&w);
	worker_wait_parked(&w);

	struct ipct_thread t = test_bpf_thread(w.tid);

	for (int op = 0; op < IPCT_OP_COUNT; op++) {
		ASSERT_SKIPPABLE(t.op[op].calls, 0);
		ck_assert_int_eq(t.op[op].waits, 0);
		ck_assert_int_eq(t.op[op].blocked_calls, 0);
	}
	assert_reconciles(&w);
	worker_finish(&w);
}
END_TEST

/* modes probe calls unavailable: the tracer must really refuse each */
static const struct test_mode *unavailable[8];

START_TEST(probe_says_unavailable_and_attaching_fails)
{
	const struct test_mode *m = unavailable[_i];
	char err[512] = "";
	int ret = test_tracer_start_mode(m, err, sizeof(err));

	test_tracer_stop();
	ck_assert_msg(ret != 0, "probe calls %s unavailable (%s), but the tracer"
		      " started", m->name, test_probe.mode[m->opts.mode].reason);
	ck_assert_msg(err[0], "no reason given for refusing %s", m->name);
}
END_TEST

static void add_counter_tests(TCase *tc)
{
	tcase_add_test(tc, pipe_stream_counts_exact);
	tcase_add_loop_test(tc, pipe_big_write_blocks_once_at_capacity, 0,
			    sizeof(pipe_sizes) / sizeof(pipe_sizes[0]));
	tcase_add_test(tc, pipe_writes_with_room_never_block);
	tcase_add_test(tc, pipe_small_writes_fill_64000_bytes);
	tcase_add_test(tc, pipe_one_call_two_waits_vs_two_calls);
	tcase_add_test(tc, pipe_reader_sleeps_once_woken_by_write);
	tcase_add_test(tc, unix_reader_sleeps_once_woken_by_write);
	tcase_add_test(tc, unix_big_write_blocks_at_sndbuf);
	tcase_add_test(tc, unix_fill_is_data_and_accounting);
	tcase_add_test(tc, unix_writes_with_room_never_block);
	tcase_add_test(tc, no_ipc_no_ipc_counters);
}

static int nunavailable;

static void add_unavailable(TCase *tc, const struct test_mode *m)
{
	if (nunavailable == 8)
		return;
	unavailable[nunavailable] = m;
	tcase_add_loop_test(tc, probe_says_unavailable_and_attaching_fails,
			    nunavailable, nunavailable + 1);
	nunavailable++;
}

int main(int argc, char **argv)
{
	Suite *s = suite_create("counters");

	if (add_mode_cases(s, argc, argv, "test_counters", add_counter_tests,
			   add_unavailable))
		return 2;
	return run_suite_tap(s);
}
