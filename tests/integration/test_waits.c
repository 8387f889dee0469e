// SPDX-License-Identifier: GPL-2.0
/*
 * test_waits.c - waits by cause, made deterministic: a sleep inside a call
 * that is not its channel being full or empty. A reader's read() stalls
 * inside the channel function with the channel's lock held: it copies into
 * a page registered with userfaultfd, and the copy waits until the test
 * resolves the fault (pipe_read holds pipe->mutex through the copy;
 * unix_stream_read_generic holds u->iolock). A second call that needs the
 * lock meanwhile (a write on the pipe, another read on the socket) must
 * sleep for it: exactly one lock or fault wait, no buffer wait, no blocked
 * call, no fill sample. Every attach mode this host offers is a test case
 * of its own, named after the mode (or those named on the command line);
 * test_counters checks that the others really fail to attach.
 *
 * One more wait is timed here: a read on one CPU woken from the other,
 * whose length must cover the time the test saw it asleep.
 */
#include "tap_suite.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "mode_cases.h"
#include "procfs.h"
#include "testlib.h"

#define PAGE 4096
#define MSG 100

/* ---- a call the test starts in a thread of its own, then parks ---- */

struct call {
	pthread_t thread;
	pid_t tid;
	bool write;
	bool on_cpu1;		/* pinned to CPU 1 before the call */
	int fd;
	void *buf;
	ssize_t ret;
	struct rusage ru;
	int started, done;
	struct park park;
};

static void *call_main(void *arg)
{
	struct call *c = arg;

	if (c->on_cpu1)
		proc_pin_to_cpu(1);
	__atomic_store_n(&c->tid, test_gettid(), __ATOMIC_RELEASE);
	__atomic_store_n(&c->started, 1, __ATOMIC_RELEASE);
	c->ret = c->write ? write(c->fd, c->buf, MSG) : read(c->fd, c->buf, MSG);
	getrusage(RUSAGE_THREAD, &c->ru);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	park_wait(&c->park);
	return NULL;
}

/* start the call and wait until it sleeps inside its system call */
static void call_start(struct call *c)
{
	ck_assert_int_eq(pthread_create(&c->thread, NULL, call_main, c), 0);
	WAIT_UNTIL(__atomic_load_n(&c->started, __ATOMIC_ACQUIRE), "the call's thread");
	ck_assert_msg(wait_blocked_in(c->tid, c->write ? SYS_write : SYS_read) == 0,
		      "thread %d never slept in its %s", c->tid,
		      c->write ? "write" : "read");
}

static void call_wait_parked(struct call *c)
{
	WAIT_UNTIL(__atomic_load_n(&c->done, __ATOMIC_ACQUIRE), "the call to return");
	ck_assert_msg(wait_blocked_in(c->tid, SYS_futex) == 0, "%d never parked", c->tid);
}

static void call_finish(struct call *c)
{
	park_release(&c->park);
	pthread_join(c->thread, NULL);
}

/* ---- a page whose first touch waits for the test ---- */

struct stall {
	int uffd;
	char *page;
};

static void stall_setup(struct stall *s)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	/* as root, faults of the kernel's own copies are handled too */
	s->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ck_assert_msg(s->uffd >= 0, "userfaultfd: %s (needs CONFIG_USERFAULTFD and"
		      " root)", strerror(errno));
	ck_assert_msg(ioctl(s->uffd, UFFDIO_API, &api) == 0, "UFFDIO_API: %s",
		      strerror(errno));
	s->page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(s->page != MAP_FAILED);
	reg.range.start = (unsigned long)s->page;
	reg.range.len = PAGE;
	ck_assert_msg(ioctl(s->uffd, UFFDIO_REGISTER, &reg) == 0,
		      "UFFDIO_REGISTER: %s", strerror(errno));
}

/* the faulting copy is queued: the reader really waits in the fault */
static void stall_expect_fault(const struct stall *s)
{
	struct pollfd p = { .fd = s->uffd, .events = POLLIN };
	struct uffd_msg msg;

	ck_assert_int_eq(poll(&p, 1, 10000), 1);
	ck_assert_int_eq(read(s->uffd, &msg, sizeof(msg)), sizeof(msg));
	ck_assert_int_eq(msg.event, UFFD_EVENT_PAGEFAULT);
	ck_assert_int_eq(msg.arg.pagefault.address & ~(PAGE - 1UL),
			 (unsigned long)s->page);
}

/* fill the page: the stalled copy goes on */
static void stall_resolve(struct stall *s)
{
	static char src[PAGE] __attribute__((aligned(PAGE)));
	struct uffdio_copy cp = {
		.dst = (unsigned long)s->page, .src = (unsigned long)src, .len = PAGE,
	};

	ck_assert_msg(ioctl(s->uffd, UFFDIO_COPY, &cp) == 0, "UFFDIO_COPY: %s",
		      strerror(errno));
}

static void stall_free(struct stall *s)
{
	munmap(s->page, PAGE);
	close(s->uffd);
}

/* ---- ipctrace's view ---- */

/*
 * The call that waited for the lock: one lock or fault wait in op, and
 * nothing else counted against op; every voluntary switch is classified
 * (the lock wait, the park) and they equal the kernel's nvcsw. On a
 * preemptible kernel the kernel may skip a run of our call hooks
 * (test_skipped_runs()); what those count may then be short.
 */
static void assert_one_lock_wait(const struct call *c, enum ipct_op op)
{
	struct ipct_thread t = test_bpf_thread(c->tid);
	const struct ipct_op_stats *o = &t.op[op];
	unsigned long long sleeps = t.idle_sleeps;
	struct kcounters k;

	ck_assert_int_eq(c->ret, MSG);
	/* a skipped entry leaves the lock wait outside any call: idle */
	ASSERT_SKIPPABLE(o->other_sleeps, 1);
	ck_assert(o->other_sleeps ? o->other_sleep_ns > 0 : o->other_sleep_ns == 0);
	/* the park sleeps in futex(): in no call, even one whose exit the
	 * kernel skipped (the call is from another syscall) */
	ck_assert_int_eq(o->waits, 0);
	ck_assert_int_eq(o->wait_ns, 0);
	ck_assert_int_eq(o->blocked_calls, 0);
	/* fill at block is taken over buffer waits only */
	ck_assert_int_eq(o->fill_samples, 0);
	/* a mutex sleeps TASK_UNINTERRUPTIBLE, on PREEMPT_RT too (rt_mutex) */
	ck_assert_int_eq(o->rtlock_waits, 0);
	if (test_counts_calls())
		ASSERT_SKIPPABLE(o->calls, 1);
	for (int i = 0; i < IPCT_OP_COUNT; i++)
		sleeps += t.op[i].waits + t.op[i].other_sleeps;
	ck_assert_int_eq(read_kcounters(c->tid, &k), 0);
	ck_assert_int_eq(t.vol_switches, k.vol);
	ck_assert_int_eq(t.vol_switches, c->ru.ru_nvcsw + 1);
	ck_assert_int_eq(sleeps, t.vol_switches);
}

/*
 * The stalled reader slept once in its read, in the fault; handle_userfault
 * sleeps TASK_INTERRUPTIBLE for a fault that allows it, as a copy to user
 * space does, so ipctrace's rule (interruptible: a buffer wait) counts it
 * there. What is exact is that it slept once.
 */
static void assert_stalled_once(const struct call *c, enum ipct_op op)
{
	struct ipct_thread t = test_bpf_thread(c->tid);

	ck_assert_int_eq(c->ret, MSG);
	ASSERT_SKIPPABLE(t.op[op].waits + t.op[op].other_sleeps, 1);
}

/* ---- tests ---- */

/* a write waits for pipe->mutex, held by a read stalled in its copy */
START_TEST(pipe_write_waits_for_the_mutex)
{
	static char out[MSG], back[MSG];
	struct stall st;
	struct call rd = { .write = false }, wr = { .write = true, .buf = out };
	int p[2];

	test_watch_self();
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], out, MSG), MSG);	/* data for the reader */
	stall_setup(&st);
	rd.fd = p[0];
	rd.buf = st.page;
	call_start(&rd);
	stall_expect_fault(&st);
	wr.fd = p[1];
	call_start(&wr);	/* asleep in write(), the pipe all but empty */
	stall_resolve(&st);
	call_wait_parked(&rd);
	call_wait_parked(&wr);
	ck_assert_int_eq(read(p[0], back, MSG), MSG);
	assert_one_lock_wait(&wr, IPCT_PIPE_WRITE);
	assert_stalled_once(&rd, IPCT_PIPE_READ);
	call_finish(&rd);
	call_finish(&wr);
	stall_free(&st);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* a read waits for the socket's iolock, held by a read stalled in its copy */
START_TEST(unix_read_waits_for_the_iolock)
{
	static char out[2 * MSG], into[MSG];
	struct stall st;
	struct call first = { .write = false }, second = { .write = false, .buf = into };
	int sv[2];

	test_watch_self();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* data for both readers, so the second never waits for data */
	ck_assert_int_eq(write(sv[0], out, sizeof(out)), sizeof(out));
	stall_setup(&st);
	first.fd = second.fd = sv[1];
	first.buf = st.page;
	call_start(&first);
	stall_expect_fault(&st);
	call_start(&second);
	stall_resolve(&st);
	call_wait_parked(&first);
	call_wait_parked(&second);
	assert_one_lock_wait(&second, IPCT_UNIX_READ);
	assert_stalled_once(&first, IPCT_UNIX_READ);
	call_finish(&first);
	call_finish(&second);
	stall_free(&st);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/*
 * A read asleep on CPU 1, woken from CPU 0. The wait lasts at least as
 * long as the test saw the reader asleep (CLOCK_MONOTONIC, the clock of
 * bpf_ktime_get_ns), and it has a wakeup latency, like every sleep but
 * the park. Where the kernel leaves a switch-in untraced (this project's
 * host, bpf/switch_account.bpf.h) ipctrace dates the end from CPU time,
 * within these same bounds; before it did, such a wait had no length.
 */
START_TEST(a_read_woken_from_the_other_cpu_is_timed)
{
	static char out[MSG], into[MSG];
	struct call rd = { .write = false, .on_cpu1 = true, .buf = into };
	unsigned long long seen_asleep, woken;
	struct ipct_thread t;
	cpu_set_t mine;
	int p[2];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("# one CPU: no other CPU to wake a reader from\n");
		return;
	}
	test_watch_self();
	ck_assert_int_eq(sched_getaffinity(0, sizeof(mine), &mine), 0);
	proc_pin_to_cpu(0);
	ck_assert_int_eq(pipe(p), 0);
	rd.fd = p[0];
	call_start(&rd);	/* asleep in read() on CPU 1 */
	seen_asleep = mono_ns();
	ck_assert_int_eq(usleep(2000), 0);	/* a wait worth timing */
	woken = mono_ns();
	ck_assert_int_eq(write(p[1], out, MSG), MSG);
	call_wait_parked(&rd);
	t = test_bpf_thread(rd.tid);
	ck_assert_int_eq(rd.ret, MSG);
	ck_assert_int_eq(t.op[IPCT_PIPE_READ].waits, 1);
	ck_assert_uint_ge(t.op[IPCT_PIPE_READ].wait_ns, woken - seen_asleep);
	ck_assert_int_eq(t.wakeup_lat_samples, t.vol_switches - 1);
	printf("# switch-ins the kernel did not trace: %u\n", t.untraced_switch_ins);
	call_finish(&rd);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(mine), &mine), 0);
	close(p[0]);
	close(p[1]);
}
END_TEST

static __u64 missed_exits(void)
{
	__u64 drops[IPCT_DROP_COUNT];

	tracer_read_drops(test_tracer, drops);
	return drops[IPCT_DROP_MISSED_EXIT];
}

/*
 * Many reads asleep at once, each on a socket of its own: one buffer wait
 * each, and the park that follows is a sleep in no call. The kernel does
 * not always run our exit program: a kretprobe has max(10, 2 * CPUs)
 * instances (register_kretprobe), so in kprobe mode the reads past those
 * return unseen; an fexit can be skipped (test_skipped_runs()). Such a
 * call looks open until the thread sleeps in another syscall, its park:
 * a missed exit, not a wait. Every read is a call counted or an exit
 * missed.
 */
#define READERS 64
START_TEST(a_call_whose_exit_is_missed_ends_at_the_next_syscall)
{
	static char out[MSG], into[READERS][MSG];
	static struct call rd[READERS];
	static int sv[READERS][2];
	unsigned long long waits = 0, calls = 0, missed = missed_exits();

	test_watch_self();
	memset(into, 0, sizeof(into));	/* no page fault in the reads */
	for (int i = 0; i < READERS; i++) {
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]), 0);
		rd[i] = (struct call){ .write = false, .fd = sv[i][1], .buf = into[i] };
		call_start(&rd[i]);
	}
	for (int i = 0; i < READERS; i++)
		ck_assert_int_eq(write(sv[i][0], out, MSG), MSG);
	for (int i = 0; i < READERS; i++) {
		struct ipct_thread t;
		const struct ipct_op_stats *o;
		unsigned long long sleeps;
		struct kcounters k;

		call_wait_parked(&rd[i]);
		t = test_bpf_thread(rd[i].tid);
		o = &t.op[IPCT_UNIX_READ];
		ck_assert_int_eq(rd[i].ret, MSG);
		/* at most the one wait: never the park */
		ck_assert_uint_le(o->waits, 1);
		ck_assert_int_eq(o->blocked_calls, o->waits);
		/* no lock or fault to wait for, but on PREEMPT_RT a socket's
		 * spinlock, which the writer may hold (TASK_RTLOCK_WAIT) */
		ck_assert_int_eq(o->other_sleeps, o->rtlock_waits);
		sleeps = t.idle_sleeps + o->waits + o->other_sleeps;
		ck_assert_int_eq(read_kcounters(rd[i].tid, &k), 0);
		ck_assert_int_eq(t.vol_switches, k.vol);
		ck_assert_int_eq(sleeps, t.vol_switches);
		waits += o->waits;
		calls += o->calls;
	}
	missed = missed_exits() - missed;
	printf("# %s: %llu of %d exits missed\n", test_mode.name, missed, READERS);
	/* only a skipped entry leaves a wait outside its call */
	ASSERT_SKIPPABLE(waits, READERS);
	if (test_counts_calls())
		ASSERT_SKIPPABLE(calls + missed, READERS);
	for (int i = 0; i < READERS; i++) {
		call_finish(&rd[i]);
		close(sv[i][0]);
		close(sv[i][1]);
	}
}
END_TEST

static void add_wait_tests(TCase *tc)
{
	tcase_add_test(tc, pipe_write_waits_for_the_mutex);
	tcase_add_test(tc, unix_read_waits_for_the_iolock);
	tcase_add_test(tc, a_read_woken_from_the_other_cpu_is_timed);
	tcase_add_test(tc, a_call_whose_exit_is_missed_ends_at_the_next_syscall);
}

int main(int argc, char **argv)
{
	Suite *s = suite_create("waits");

	if (add_mode_cases(s, argc, argv, "test_waits", add_wait_tests, NULL))
		return 2;
	return run_suite_tap(s);
}
