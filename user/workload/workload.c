// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "child.h"
#include "procfs.h"
#include "workload.h"

static size_t shared_size(unsigned int nworkers)
{
	return sizeof(struct rep_shared) + nworkers * sizeof(struct worker_report);
}

struct rep_shared *rep_shared_create(const struct rep_plan *plan)
{
	unsigned int n = pattern_workers_per_pair(plan->pattern) * plan->pairs;
	struct rep_shared *s = mmap(NULL, shared_size(n), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED)
		return NULL;
	s->plan = *plan;
	s->nworkers = (int32_t)n;
	return s;
}

void rep_shared_destroy(struct rep_shared *s)
{
	if (s)
		munmap(s, shared_size((unsigned int)s->nworkers));
}

/* ---- one worker ---- */

struct worker_ctx {
	struct rep_shared *s;
	struct worker_report *w;
	int in_fd, out_fd;	/* what this worker reads from / writes to */
	int ep_in, ep_out;	/* epoll mode: one instance per direction */
	char *buf;
	bool sock_out;		/* out_fd is a socket: shutdown() to end */
};

static void fail(struct worker_ctx *c, const char *what)
{
	if (!c->w->error) {
		c->w->error = errno ? errno : EIO;
		snprintf(c->w->error_what, sizeof(c->w->error_what), "%s: %s",
			 what, strerror(c->w->error));
	}
}

static bool time_up(const struct worker_ctx *c)
{
	return now_ns() - c->w->t_start_ns >=
	       (uint64_t)(c->s->plan.seconds * 1e9);
}

static void wait_epoll(struct worker_ctx *c, int ep)
{
	struct epoll_event ev;

	c->w->epoll_waits++;
	while (epoll_wait(ep, &ev, 1, -1) < 0 && errno == EINTR)
		c->w->epoll_waits++;
}

/* one write call; returns bytes, 0 after EAGAIN (waited), -1 on error */
static ssize_t one_write(struct worker_ctx *c, size_t len)
{
	ssize_t n = write(c->out_fd, c->buf, len);

	c->w->write_calls++;
	if (n >= 0) {
		c->w->bytes_written += (uint64_t)n;
		return n;
	}
	if (errno == EAGAIN) {
		c->w->eagain++;
		wait_epoll(c, c->ep_out);
		return 0;
	}
	if (errno == EINTR)
		return 0;
	fail(c, "write");
	return -1;
}

/* one read call; bytes, 0 after EAGAIN (waited), -1 on error, -2 at EOF */
static ssize_t one_read(struct worker_ctx *c, size_t len)
{
	ssize_t n = read(c->in_fd, c->buf, len);

	c->w->read_calls++;
	if (n > 0) {
		c->w->bytes_read += (uint64_t)n;
		return n;
	}
	if (n == 0)
		return -2;
	if (errno == EAGAIN) {
		c->w->eagain++;
		wait_epoll(c, c->ep_in);
		return 0;
	}
	if (errno == EINTR)
		return 0;
	fail(c, "read");
	return -1;
}

static int write_full(struct worker_ctx *c, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = one_write(c, len - done);

		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* 0 when len bytes arrived, -2 at EOF, -1 on error */
static int read_full(struct worker_ctx *c, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = one_read(c, len - done);

		if (n < 0)
			return (int)n;
		done += (size_t)n;
	}
	return 0;
}

static void end_output(struct worker_ctx *c)
{
	/* the reader sees EOF only when no write end is left open */
	if (c->sock_out)
		shutdown(c->out_fd, SHUT_WR);
	else
		close(c->out_fd);
	c->out_fd = -1;
}

static void stream_writer(struct worker_ctx *c)
{
	const struct rep_plan *p = &c->s->plan;
	uint64_t target = p->bytes;

	for (uint64_t i = 0;; i++) {
		uint64_t left = target ? target - c->w->bytes_written : p->msg_size;
		size_t len = left < p->msg_size ? (size_t)left : (size_t)p->msg_size;

		if (target && left == 0)
			break;
		if (!target && (i & 15) == 0 && time_up(c))
			break;
		if (one_write(c, len) < 0)
			return;
	}
	if (!target)
		end_output(c);
}

static void stream_reader(struct worker_ctx *c)
{
	const struct rep_plan *p = &c->s->plan;

	for (;;) {
		ssize_t n;

		if (p->bytes && c->w->bytes_read >= p->bytes)
			break;
		n = one_read(c, (size_t)p->msg_size);
		if (n == -2 || n == -1)
			break;
	}
}

static void pingpong_client(struct worker_ctx *c)
{
	const struct rep_plan *p = &c->s->plan;
	uint64_t rounds = p->bytes ? p->bytes / p->msg_size : 0;

	for (;;) {
		uint64_t t0;

		if (rounds ? c->w->rounds >= rounds : time_up(c))
			break;
		t0 = now_ns();
		if (write_full(c, (size_t)p->msg_size) || read_full(c, (size_t)p->msg_size))
			return;
		c->w->rtt.bucket[ipct_hist_bucket(now_ns() - t0)]++;
		c->w->rounds++;
	}
	if (!rounds)
		end_output(c);
}

/*
 * The loop: write a message, read it back, again and again, one thread on
 * one channel. The channel is empty before every write, so a message that
 * fits goes in whole; a bigger one goes in as far as it fits and is read
 * back piece by piece: the fds are non-blocking (loop_fds()), or a message
 * larger than the buffer would wait forever for a reader that is itself.
 * A write that finds no room in an empty channel is an error, not a wait.
 */
static int loop_read_back(struct worker_ctx *c, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = read(c->in_fd, c->buf, len - done);

		c->w->read_calls++;
		if (n <= 0) {
			if (n == 0)
				errno = EPIPE;
			fail(c, "read back");
			return -1;
		}
		c->w->bytes_read += (uint64_t)n;
		done += (size_t)n;
	}
	return 0;
}

static void loop_worker(struct worker_ctx *c)
{
	const struct rep_plan *p = &c->s->plan;
	uint64_t rounds = p->bytes ? p->bytes / p->msg_size : 0;

	for (;;) {
		if (rounds ? c->w->rounds >= rounds :
		    (c->w->rounds & 15) == 0 && time_up(c))
			break;
		for (size_t done = 0; done < p->msg_size;) {
			ssize_t n = write(c->out_fd, c->buf, (size_t)p->msg_size - done);

			c->w->write_calls++;
			if (n <= 0) {
				fail(c, "write into the empty channel");
				return;
			}
			c->w->bytes_written += (uint64_t)n;
			done += (size_t)n;
			if (loop_read_back(c, (size_t)n))
				return;
		}
		c->w->rounds++;
	}
}

/* the loop's two ends: writes go in at wr, come back out at rd */
static void loop_fds(struct worker_ctx *c)
{
	int fds[2] = { c->in_fd, c->out_fd };

	for (int i = 0; i < 2; i++)
		if (fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK))
			fail(c, "O_NONBLOCK");
}

static void pingpong_server(struct worker_ctx *c)
{
	const struct rep_plan *p = &c->s->plan;
	uint64_t rounds = p->bytes ? p->bytes / p->msg_size : 0;

	for (uint64_t r = 0; !rounds || r < rounds; r++) {
		if (read_full(c, (size_t)p->msg_size) ||
		    write_full(c, (size_t)p->msg_size))
			break;
	}
}

static int make_epoll(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		return -1;
	}
	return ep;
}

static void pin(const struct rep_plan *p, enum role role)
{
	if (p->placement == PL_UNPINNED)
		return;
	proc_pin_to_cpu((p->placement == PL_CROSS_CPU && role == ROLE_READER) ?
			p->cpu_b : p->cpu_a);
}

/* pick this worker's fds out of its pair's channel */
static void wire(struct worker_ctx *c, const struct transport_fds *ch)
{
	const struct rep_plan *p = &c->s->plan;
	bool pipe_t = p->transport == TR_PIPE;
	bool writer = c->w->role == ROLE_WRITER;

	c->in_fd = c->out_fd = -1;
	if (p->pattern == PAT_LOOP) {
		c->out_fd = ch->wr;
		c->in_fd = ch->rd;
	} else if (p->pattern == PAT_STREAM) {
		if (writer)
			c->out_fd = ch->wr;
		else
			c->in_fd = ch->rd;
	} else if (writer) {	/* client: sends forward, reads the reply */
		c->out_fd = ch->wr;
		c->in_fd = pipe_t ? ch->back_rd : ch->wr;
	} else {		/* server */
		c->in_fd = ch->rd;
		c->out_fd = pipe_t ? ch->back_wr : ch->rd;
	}
	c->sock_out = !pipe_t;
}

/* a worker process closes the ends it does not use, or EOF never comes */
static void close_unused(const struct worker_ctx *c, const struct transport_fds *ch)
{
	int fds[] = { ch->wr, ch->rd, ch->back_wr, ch->back_rd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0 && fds[i] != c->in_fd && fds[i] != c->out_fd)
			close(fds[i]);
}

static void worker_run(struct rep_shared *s, int idx,
		       const struct transport_fds *ch, bool own_process)
{
	struct worker_report *w = &s->w[idx];
	const struct rep_plan *p = &s->plan;
	struct worker_ctx c = { .s = s, .w = w, .ep_in = -1, .ep_out = -1 };

	w->pid = getpid();
	w->tid = (int32_t)syscall(SYS_gettid);
	w->uid = getuid();
	wire(&c, ch);
	if (own_process)
		close_unused(&c, ch);
	pin(p, (enum role)w->role);
	c.buf = malloc((size_t)p->msg_size);
	if (!c.buf) {
		fail(&c, "malloc");
	} else {
		memset(c.buf, 'x', (size_t)p->msg_size);
	}
	if (p->pattern == PAT_LOOP)
		loop_fds(&c);	/* it never waits: epoll has nothing to do */
	else if (p->io == IO_EPOLL) {
		if (c.in_fd >= 0) {
			fcntl(c.in_fd, F_SETFL, fcntl(c.in_fd, F_GETFL) | O_NONBLOCK);
			c.ep_in = make_epoll(c.in_fd, EPOLLIN);
		}
		if (c.out_fd >= 0) {
			fcntl(c.out_fd, F_SETFL, fcntl(c.out_fd, F_GETFL) | O_NONBLOCK);
			c.ep_out = make_epoll(c.out_fd, EPOLLOUT);
		}
		if ((c.in_fd >= 0 && c.ep_in < 0) || (c.out_fd >= 0 && c.ep_out < 0))
			fail(&c, "epoll");
	}

	/* the barrier: ipctrace reads our counters while we sleep here */
	__atomic_add_fetch(&s->nready, 1, __ATOMIC_ACQ_REL);
	futex_wake_all(&s->nready);
	futex_wait_while(&s->go, 0);

	getrusage(RUSAGE_THREAD, &w->ru_start);
	w->t_start_ns = now_ns();
	if (!w->error) {
		if (p->pattern == PAT_LOOP)
			loop_worker(&c);
		else if (p->pattern == PAT_STREAM && w->role == ROLE_WRITER)
			stream_writer(&c);
		else if (p->pattern == PAT_STREAM)
			stream_reader(&c);
		else if (w->role == ROLE_WRITER)
			pingpong_client(&c);
		else
			pingpong_server(&c);
	}
	w->t_end_ns = now_ns();
	getrusage(RUSAGE_THREAD, &w->ru_end);

	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&s->ndone, 1, __ATOMIC_ACQ_REL);
	futex_wake_all(&s->ndone);
	futex_wait_while(&s->release, 0);	/* parked: one voluntary switch */

	if (c.ep_in >= 0)
		close(c.ep_in);
	if (c.ep_out >= 0)
		close(c.ep_out);
	free(c.buf);
}

/* ---- the leader: identity, channels, workers ---- */

struct thread_arg {
	struct rep_shared *s;
	int idx;
	const struct transport_fds *ch;
};

static void *worker_thread(void *arg)
{
	struct thread_arg *a = arg;

	worker_run(a->s, a->idx, a->ch, false);
	return NULL;
}

static void leader_fail(struct rep_shared *s, const char *msg)
{
	snprintf(s->leader_error, sizeof(s->leader_error), "%s", msg);
	__atomic_store_n(&s->leader_failed, 1, __ATOMIC_RELEASE);
	futex_wake_all(&s->nready);
	_exit(1);
}

void leader_main(struct rep_shared *s, pid_t ipctrace)
{
	const struct rep_plan *p = &s->plan;
	unsigned int n = (unsigned int)s->nworkers, pairs = p->pairs;
	struct transport_fds *ch = calloc(pairs, sizeof(*ch));
	char why[256] = "";
	pid_t *pids = calloc(n, sizeof(*pids));
	pthread_t *th = calloc(n, sizeof(*th));
	struct thread_arg *args = calloc(n, sizeof(*args));
	pid_t self = getpid();

	signal(SIGPIPE, SIG_IGN);
	if (!ch || !pids || !th || !args)
		leader_fail(s, "out of memory");
	futex_wait_while(&s->go_setup, 0);
	if (identity_apply(&p->id)) {
		snprintf(why, sizeof(why), "cannot switch the workers to %s: %s",
			 p->id.desc, strerror(errno));
		leader_fail(s, why);
	}
	/* the new uid cleared the death signal rep_run's child set */
	child_die_with(ipctrace);
	for (unsigned int i = 0; i < pairs; i++) {
		struct buffer_grant g;

		if (transport_open(p->transport, p->buffer, p->pattern == PAT_PINGPONG,
				 &ch[i], &g, why, sizeof(why)) < 0)
			leader_fail(s, why);
		if (i == 0)
			s->grant = g;
	}
	/* a writer and a reader per pair; the loop's one thread is a writer */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int per = pattern_workers_per_pair(p->pattern);

		s->w[i].role = (int32_t)(per == 1 ? ROLE_WRITER : i % per);
		s->w[i].pair = (int32_t)(i / per);
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned int pair = (unsigned int)s->w[i].pair;
		const struct transport_fds *mine = &ch[pair];

		if (p->threads) {
			args[i] = (struct thread_arg){ s, (int)i, mine };
			if (pthread_create(&th[i], NULL, worker_thread, &args[i]))
				leader_fail(s, "cannot create a worker thread");
			continue;
		}
		pids[i] = fork();
		if (pids[i] < 0)
			leader_fail(s, "cannot fork a worker");
		if (pids[i] == 0) {
			child_die_with(self);
			/* keep only our pair's channel: EOF needs the others closed */
			for (unsigned int j = 0; j < pairs; j++)
				if (j != pair)
					transport_close(&ch[j]);
			worker_run(s, (int)i, mine, true);
			_exit(0);
		}
	}
	if (p->threads) {
		for (unsigned int i = 0; i < n; i++)
			pthread_join(th[i], NULL);
	} else {
		for (unsigned int j = 0; j < pairs; j++)
			transport_close(&ch[j]);
		for (unsigned int i = 0; i < n; i++)
			waitpid(pids[i], NULL, 0);
	}
	_exit(0);
}
