// SPDX-License-Identifier: GPL-2.0
/*
 * test_fastpath.c - the BPF side's early exit for tasks nobody watches, in
 * every attach mode this kernel offers (tp_btf and the raw_tp fallback
 * both). A busy process pair of its own, a writer and a reader on their
 * own pipe, runs beside a watched one; the scheduler programs demonstrably
 * run for its switches (the kernel's run count grows by at least as many
 * switches as it made), yet nothing of it is counted anywhere: no thread
 * record, no wakeup edge, no sleep entry. The watched pair, meanwhile, is
 * counted, so the test would notice a tracer that counts nothing at all.
 */
#include "tap_suite.h"
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib.h"

#define BUSY_WRITES 20000
#define BUSY_SIZE 512

/*
 * What the test and the busy pair share, in memory and never through a
 * syscall that could wake one by the other: a wakeup between a watched
 * and an unwatched task is the watched one's to count.
 */
struct shared {
	pid_t reader;
	int go;
};

static void spin_until(const int *flag)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		sched_yield();
}

/* the busy pair: writer (this child) and reader (its child) on a pipe */
static void busy_pair(struct shared *sh)
{
	char buf[BUSY_SIZE] = { 0 };
	int p[2];
	pid_t reader;

	if (pipe(p))
		_exit(1);
	reader = fork();
	if (reader == 0) {
		close(p[1]);
		while (read(p[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	__atomic_store_n(&sh->reader, reader, __ATOMIC_RELEASE);
	spin_until(&sh->go);
	for (int i = 0; i < BUSY_WRITES; i++) {
		if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
			_exit(1);
		if (i % 16 == 0)
			sched_yield();
	}
	close(p[1]);
	waitpid(reader, NULL, 0);
	_exit(0);
}

/* reap without sleeping in wait4, which the child's exit would end */
static int reap(pid_t pid)
{
	struct timespec tick = { .tv_nsec = 1000 * 1000 };
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0)
		nanosleep(&tick, NULL);
	return status;
}

/* the watched pair: two threads of this process */
struct watched {
	int fd;
	pid_t tid;
	long bytes;
};

static void *watched_writer(void *arg)
{
	struct watched *w = arg;
	char buf[1000] = { 0 };

	w->tid = test_gettid();
	for (int i = 0; i < 4000; i++)
		w->bytes += write(w->fd, buf, sizeof(buf));
	close(w->fd);
	return NULL;
}

static void *watched_reader(void *arg)
{
	struct watched *w = arg;
	char buf[4096];
	ssize_t n;

	w->tid = test_gettid();
	while ((n = read(w->fd, buf, sizeof(buf))) > 0)
		w->bytes += n;
	return NULL;
}

static __u64 runs_of(struct tracer *t, const char *hook)
{
	struct observer_cost c;

	tracer_observer_cost(t, &c);
	for (unsigned int i = 0; i < c.nprogs; i++)
		if (!strcmp(prog_cost_short_name(c.prog[i].name), hook))
			return c.prog[i].run_cnt;
	return 0;
}

static bool busy(__u32 tid, const pid_t *pids)
{
	return tid == (__u32)pids[0] || tid == (__u32)pids[1];
}

/* one of the watched process's threads: main, writer or reader */
static bool watched_tid(__u32 tid, const struct watched *w, const struct watched *r)
{
	return tid == (__u32)getpid() || tid == (__u32)w->tid || tid == (__u32)r->tid;
}

static const struct test_mode *modes[16];

START_TEST(unwatched_busy_process_counted_nowhere)
{
	const struct test_mode *m = modes[_i];
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int p[2];
	struct watched w = { 0 }, r = { 0 };
	pthread_t wt, rt;
	pid_t pids[2];
	struct rusage ru;
	char err[512];
	struct ipct_thread *th = NULL, rec;
	struct wake_edge *edges = NULL;
	struct sleep_entry *sl = NULL;
	size_t nth = 0, nedges = 0, nsl = 0;
	__u64 switches0;
	sigset_t chld;

	ck_assert_msg(test_tracer_start_mode(m, err, sizeof(err)) == 0, "%s: %s",
		      m->name, err);
	ck_assert_int_eq(tracer_watch(test_tracer, getpid(), false), 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	/* the busy pair's exit signals us: blocked, it wakes nobody */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &chld, NULL), 0);
	pids[0] = fork();
	if (pids[0] == 0)
		busy_pair(sh);
	WAIT_UNTIL(__atomic_load_n(&sh->reader, __ATOMIC_ACQUIRE), "the busy reader");
	pids[1] = sh->reader;
	switches0 = runs_of(test_tracer, "sched_switch");

	/* both pairs at once */
	ck_assert_int_eq(pipe(p), 0);
	w.fd = p[1];
	r.fd = p[0];
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	ck_assert_int_eq(pthread_create(&rt, NULL, watched_reader, &r), 0);
	ck_assert_int_eq(pthread_create(&wt, NULL, watched_writer, &w), 0);
	pthread_join(wt, NULL);
	pthread_join(rt, NULL);
	ck_assert_int_eq(reap(pids[0]), 0);
	ck_assert_int_eq(r.bytes, 4000 * 1000);

	/* the programs ran for the busy pair's switches (both are reaped:
	 * RUSAGE_CHILDREN holds them) ... */
	ck_assert_int_eq(getrusage(RUSAGE_CHILDREN, &ru), 0);
	ck_assert_int_gt(ru.ru_nvcsw + ru.ru_nivcsw, 100);
	ck_assert_msg(runs_of(test_tracer, "sched_switch") - switches0 >=
		      (__u64)(ru.ru_nvcsw + ru.ru_nivcsw),
		      "sched_switch ran fewer times than the busy pair switched");
	/* ... and counted none of it */
	ck_assert_int_eq(tracer_read_threads(test_tracer, &th, &nth), 0);
	for (size_t i = 0; i < nth; i++)
		ck_assert_msg(!busy(th[i].tid, pids) && !busy(th[i].tgid, pids),
			      "a record for unwatched thread %u", th[i].tid);
	ck_assert_int_eq(tracer_read_wakes(test_tracer, &edges, &nedges), 0);
	/*
	 * No wakeup of the pair is recorded. One of ours may name the pair as
	 * its waker: a wakeup is charged to the task whose context it ran in,
	 * and on PREEMPT_RT softirq work (such as a timer ending our sleep)
	 * runs in task context (seen once on 6.1-rt: the pair's first process
	 * "woke" the test's main thread). That edge is the watched thread's.
	 */
	for (size_t i = 0; i < nedges; i++)
		ck_assert_msg(!busy(edges[i].key.wakee_tid, pids) &&
			      (!busy(edges[i].key.waker_tid, pids) ||
			       watched_tid(edges[i].key.wakee_tid, &w, &r)),
			      "a wakeup edge %u -> %u (x%llu) of the unwatched pair %d, %d"
			      " (test %d, writer %d, reader %d)",
			      edges[i].key.waker_tid, edges[i].key.wakee_tid,
			      (unsigned long long)edges[i].val.via[IPCT_OP_COUNT], pids[0],
			      pids[1], getpid(), w.tid, r.tid);
	ck_assert_int_eq(tracer_read_sleeps(test_tracer, &sl, &nsl), 0);
	for (size_t i = 0; i < nsl; i++)
		ck_assert_msg(!busy(sl[i].key.tid, pids),
			      "a sleep entry of unwatched thread %u", sl[i].key.tid);
	/* while the watched pair was counted */
	ck_assert_int_eq(tracer_read_thread(test_tracer, (__u32)w.tid, &rec), 0);
	ck_assert_int_gt(rec.vol_switches + rec.invol_switches, 0);
	ck_assert_int_eq(tracer_read_thread(test_tracer, (__u32)r.tid, &rec), 0);
	ck_assert_int_gt(rec.vol_switches, 0);
	free(th);
	free(edges);
	free(sl);
	munmap(sh, sizeof(*sh));
	test_tracer_stop();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fastpath");
	int n = 0;

	test_probe_kernel();
	for (const struct test_mode *m = test_modes; m->name && n < 16; m++) {
		TCase *tc;

		if (!test_mode_available(m))
			continue;
		modes[n] = m;
		tc = tcase_create(m->name);
		tcase_set_timeout(tc, 600);	/* a hang guard for slow emulated VMs */
		tcase_add_loop_test(tc, unwatched_busy_process_counted_nowhere, n, n + 1);
		suite_add_tcase(s, tc);
		n++;
	}
	return run_suite_tap(s);
}
