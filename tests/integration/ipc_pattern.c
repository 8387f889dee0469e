// SPDX-License-Identifier: GPL-2.0
/*
 * ipc_pattern - a program with a known IPC pattern, for `ipctrace trace`
 * tests. A writer thread writes COUNT messages of SIZE bytes into a pipe
 * or a unix socketpair, a reader thread reads them all.
 *
 *   ipc_pattern pipe|socketpair|hotspots|none COUNT SIZE [--wait] [--park] [--fork]
 *               [--exit N] [--quiet] [--timer-waker] [--lockstep]
 *
 *   --wait  create the threads, print "ready writer=T reader=T", then read a
 *           line from stdin before they start (lets a tracer attach)
 *   --park  afterwards, keep every thread alive and asleep (the workers on
 *           a futex, main in read(0)) until stdin closes: a test can read
 *           /proc while nothing moves
 *   --fork  run the pattern in a child process (tests following children)
 *   --exit  exit status (tests that trace -c passes it back)
 *   --quiet print nothing (printing through a pipe is IPC too)
 *   --timer-waker  while the pattern runs, a third thread sleeps in ppoll()
 *           with a 20 us timeout, over and over: hrtimer interrupts wake
 *           it, often while the writer or reader sits in write()/read()
 *   --lockstep  the reader takes message i only once the writer is asleep
 *           in its write i: with SIZE larger than the channel, every
 *           write blocks, exactly once as a blocked call (serve's tests)
 *   none    no IPC: the threads only compute
 *   hotspots a pipe as for "pipe", and a third thread that spins in user
 *           space, no syscall at all, until the writer is done: a known
 *           CPU profile (the spinner all user space, the writer mostly
 *           kernel); its id is printed as spinner=T
 *
 * Prints "pid=P writer=T reader=T spinner=T writes=N reads=N bytes=N" when
 * done (spinner=0 but in hotspots).
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static long count, size;
static const char *kind;
static long writes, reads, bytes;
static pid_t writer_tid, reader_tid, spinner_tid;
static volatile int writer_done;
static int do_park, do_wait, quiet, timer_waker, lockstep;
static long writes_started;	/* --lockstep: the write the writer is in */
static volatile int pattern_over;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
/*
 * What main waits for ("ready", "done") has a condition of its own: a
 * broadcast on cv would also wake the worker already waiting at its start
 * line or in its park, which would then sleep again after a test took the
 * kernel's counters (before the trace attached, or after it read its own):
 * one switch on one side only.
 */
static pthread_cond_t cv_main = PTHREAD_COND_INITIALIZER;
static int done, released, started, ready;

/* a worker registers, then waits for main's go */
static void start_line(void)
{
	pthread_mutex_lock(&mu);
	ready++;
	pthread_cond_signal(&cv_main);
	while (!started)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

/* a finished worker says so, then (--park) sleeps on a futex, no channel */
static void finish(void)
{
	pthread_mutex_lock(&mu);
	done++;
	pthread_cond_signal(&cv_main);
	while (do_park && !released)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

static void *writer(void *arg)
{
	char *buf = calloc(1, (size_t)size);
	volatile unsigned long sum = 0;

	(void)arg;
	writer_tid = (pid_t)syscall(SYS_gettid);
	start_line();
	for (long i = 0; i < count; i++) {
		if (!strcmp(kind, "none")) {
			for (int k = 0; k < 1000; k++)
				sum += (unsigned long)k * i;
			continue;
		}
		__atomic_store_n(&writes_started, i + 1, __ATOMIC_RELEASE);
		if (write(fds[1], buf, (size_t)size) != size)
			exit(3);
		writes++;
	}
	if (strcmp(kind, "none"))
		shutdown(fds[1], SHUT_WR), close(fds[1]);
	writer_done = 1;
	free(buf);
	finish();
	return NULL;
}

/*
 * --lockstep: is the writer asleep in write(2)? /proc/.../syscall answers
 * with the syscall number only for a task off its CPU and not runnable
 * (task_current_syscall -> wait_task_inactive), "running" otherwise.
 */
static int writer_asleep_in_write(void)
{
	char path[64], line[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", writer_tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return line[0] >= '0' && line[0] <= '9' && atol(line) == SYS_write;
}

/* --lockstep: message i only once write i sleeps; every message whole */
static void read_lockstep(char *buf)
{
	for (long i = 0; i < count; i++) {
		struct timespec tick = { .tv_nsec = 100000 };
		long got = 0;

		while (__atomic_load_n(&writes_started, __ATOMIC_ACQUIRE) <= i ||
		       !writer_asleep_in_write())
			nanosleep(&tick, NULL);
		while (got < size) {
			ssize_t n = read(fds[0], buf, (size_t)(size - got));

			reads++;
			if (n <= 0)
				exit(6);
			got += n;
			bytes += n;
		}
	}
	reads++;
	if (read(fds[0], buf, 1) != 0)	/* then the end of the stream */
		exit(6);
}

/* hotspots: user space only, until the writer has written everything */
static void *spinner(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	spinner_tid = (pid_t)syscall(SYS_gettid);
	start_line();
	while (!writer_done)
		for (int k = 0; k < 1000; k++)
			x += (unsigned long)k;
	finish();
	return NULL;
}

static void *reader(void *arg)
{
	char *buf = calloc(1, (size_t)size);

	(void)arg;
	reader_tid = (pid_t)syscall(SYS_gettid);
	start_line();
	if (lockstep && strcmp(kind, "none"))
		read_lockstep(buf);
	while (!lockstep && strcmp(kind, "none")) {
		ssize_t n = read(fds[0], buf, (size_t)size);

		reads++;
		if (n <= 0)
			break;
		bytes += n;
	}
	free(buf);
	finish();
	return NULL;
}

/* woken by a timer interrupt, not by anyone's write() or read() */
static void *timer_wakee(void *arg)
{
	struct timespec ts = { .tv_nsec = 20000 };

	(void)arg;
	while (!pattern_over)
		ppoll(NULL, 0, &ts, NULL);
	return NULL;
}

static int pattern(void)
{
	pthread_t w, r, t, sp;
	int hot = !strcmp(kind, "hotspots"), workers = hot ? 3 : 2;
	char c;

	if (!strcmp(kind, "pipe") || hot ? pipe(fds) :
	    !strcmp(kind, "socketpair") ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : 0)
		return 2;
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	if (hot)
		pthread_create(&sp, NULL, spinner, NULL);
	pthread_mutex_lock(&mu);
	while (ready < workers)
		pthread_cond_wait(&cv_main, &mu);
	pthread_mutex_unlock(&mu);
	if (do_wait) {
		char line[64];

		printf("ready pid=%d writer=%d reader=%d spinner=%d\n", getpid(),
		       writer_tid, reader_tid, spinner_tid);
		fflush(stdout);
		/* read(2): stdio would buffer what follows the line */
		if (read(0, line, sizeof(line)) <= 0)
			exit(4);
	}
	if (timer_waker)
		pthread_create(&t, NULL, timer_wakee, NULL);
	pthread_mutex_lock(&mu);
	started = 1;
	pthread_cond_broadcast(&cv);
	while (done < workers)
		pthread_cond_wait(&cv_main, &mu);
	pthread_mutex_unlock(&mu);
	if (timer_waker) {
		pattern_over = 1;
		pthread_join(t, NULL);
	}
	if (!quiet) {
		printf("pid=%d writer=%d reader=%d spinner=%d writes=%ld reads=%ld"
		       " bytes=%ld\n", getpid(), writer_tid, reader_tid, spinner_tid,
		       writes, reads, bytes);
		fflush(stdout);
	}
	/* --park: hold every thread still until the test closes our stdin */
	while (do_park && read(0, &c, 1) > 0)
		;
	pthread_mutex_lock(&mu);
	released = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	if (hot)
		pthread_join(sp, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int do_fork = 0, status = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: ipc_pattern pipe|socketpair|hotspots|none COUNT SIZE"
				" [--wait] [--park] [--fork] [--exit N] [--quiet]"
				" [--timer-waker] [--lockstep]\n");
		return 2;
	}
	kind = argv[1];
	count = atol(argv[2]);
	size = atol(argv[3]);
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--wait"))
			do_wait = 1;
		else if (!strcmp(argv[i], "--park"))
			do_park = 1;
		else if (!strcmp(argv[i], "--fork"))
			do_fork = 1;
		else if (!strcmp(argv[i], "--exit") && i + 1 < argc)
			status = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--timer-waker"))
			timer_waker = 1;
		else if (!strcmp(argv[i], "--lockstep"))
			lockstep = 1;
	}
	if (do_fork) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(pattern());
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return 5;
		return status;
	}
	if (pattern())
		return 2;
	return status;
}
