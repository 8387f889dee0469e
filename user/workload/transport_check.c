// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "log.h"
#include "transport.h"
#include "transport_check.h"

/*
 * Open every transport x buffer once, as the workers will (their identity,
 * in a child), before anything runs: a refused buffer is an error now, not
 * half-way through the matrix.
 */
int transport_check(const struct run_config *c, const struct worker_identity *id)
{
	for (size_t t = 0; t < c->ntransports; t++) {
		for (size_t b = 0; b < c->nbuffers; b++) {
			int p[2], status;
			char why[400] = "";
			pid_t pid;
			ssize_t n;

			if (pipe(p))
				return -1;
			pid = fork();
			if (pid == 0) {
				struct transport_fds fds;
				struct buffer_grant g;

				close(p[0]);
				if (identity_apply(id)) {
					snprintf(why, sizeof(why), "cannot run the workers as"
						 " %s: %s", id->desc, strerror(errno));
				} else if (transport_open(c->transports[t], c->buffers[b],
							false, &fds, &g, why,
							sizeof(why)) == 0) {
					why[0] = '\0';
					/* a seqpacket message must fit in the send buffer */
					for (size_t m = 0; c->transports[t] == TR_SEQPACKET &&
						      m < c->nmsg && !why[0]; m++) {
						char *buf = calloc(1, c->msg_sizes[m]);

						if (buf && send(fds.wr, buf, c->msg_sizes[m],
								MSG_DONTWAIT) < 0 &&
						    errno == EMSGSIZE)
							snprintf(why, sizeof(why), "seqpacket"
								 " messages of %llu bytes do"
								 " not fit a %llu-byte send"
								 " buffer (EMSGSIZE); use a"
								 " larger --buffer-size or"
								 " smaller --msg-size",
								 (unsigned long long)c->msg_sizes[m],
								 (unsigned long long)g.granted);
						free(buf);
					}
					transport_close(&fds);
				}
				if (write(p[1], why, strlen(why)) < 0)
					_exit(2);
				_exit(0);
			}
			close(p[1]);
			n = read(p[0], why, sizeof(why) - 1);
			close(p[0]);
			waitpid(pid, &status, 0);
			if (n > 0) {
				why[n] = '\0';
				pr_err("%s\n", why);
				return -1;
			}
		}
	}
	return 0;
}

