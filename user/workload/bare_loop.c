// SPDX-License-Identifier: GPL-2.0
/*
 * bench_minimal.c - the plainest possible producer/consumer: two forked
 * processes, a blocking write() loop and a read() loop, nothing else. `ipctrace
 * bench` measures the run harness against it (harness efficiency).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bare_loop.h"
#include "procfs.h"
#include "workload.h"

double minimal_stream_mb_s(enum transport t, uint64_t msg, uint64_t bytes,
			   int wcpu, int rcpu)
{
	struct transport_fds ch;
	struct buffer_grant g;
	char why[256];
	int gate[2];
	uint64_t *t_end = mmap(NULL, sizeof(*t_end), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t w, r;
	uint64_t t0;
	char go = 'g';

	if (t_end == MAP_FAILED || pipe(gate) ||
	    transport_open(t, 0, false, &ch, &g, why, sizeof(why)))
		return 0;
	w = fork();
	if (w == 0) {
		char *buf = calloc(1, msg), c;

		proc_pin_to_cpu(wcpu);
		close(ch.rd);
		if (read(gate[0], &c, 1) != 1)
			_exit(1);
		for (uint64_t done = 0; done < bytes;) {
			ssize_t n = write(ch.wr, buf, msg);

			if (n <= 0)
				_exit(1);
			done += (uint64_t)n;
		}
		_exit(0);
	}
	r = fork();
	if (r == 0) {
		char *buf = calloc(1, msg);

		proc_pin_to_cpu(rcpu);
		close(ch.wr);
		for (uint64_t done = 0; done < bytes;) {
			ssize_t n = read(ch.rd, buf, msg);

			if (n <= 0)
				_exit(1);
			done += (uint64_t)n;
		}
		*t_end = now_ns();
		_exit(0);
	}
	transport_close(&ch);
	t0 = now_ns();
	if (write(gate[1], &go, 1) != 1)
		kill(w, SIGKILL);
	waitpid(w, NULL, 0);
	waitpid(r, NULL, 0);
	close(gate[0]);
	close(gate[1]);
	{
		double s = (double)(*t_end - t0) / 1e9;

		munmap(t_end, sizeof(*t_end));
		return s > 0 ? (double)bytes / 1e6 / s : 0;
	}
}
