/* SPDX-License-Identifier: GPL-2.0 */
/*
 * serve_http.h - the HTTP side of `ipctrace serve`: GET /metrics answers
 * the latest published exposition, in the format the client's Accept
 * header asks for. The server runs in libmicrohttpd's own thread and
 * only ever copies a reference to bodies the main loop rendered: no
 * client, however slow or broken, holds up the snapshots.
 */
#ifndef IPCTRACE_SERVE_HTTP_H
#define IPCTRACE_SERVE_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

struct http_server;

/* Limits against slow, malformed and greedy clients. */
#define HTTP_TIMEOUT_S 10		/* a connection idle this long is closed */
#define HTTP_MAX_CONNECTIONS 64
#define HTTP_MAX_PER_IP 16
#define HTTP_CONNECTION_MEMORY (32 * 1024)	/* request line + headers */

/*
 * Two steps, so that the thread that parses requests never holds the
 * privileges ipctrace started with (capabilities are per thread: one
 * created before serve drops them keeps them all). Bind first, before
 * anything is attached, so that a taken port fails early: 0, or -1 with
 * one line in err (the static build says it has no server).
 */
int http_server_bind(struct http_server **out, const struct sockaddr *addr,
		     socklen_t addrlen, char *err, size_t errlen);
/* then, once privileges are dropped, answer on it: 0, or -1 with err */
int http_server_run(struct http_server *h, char *err, size_t errlen);
/* the bound port (for port 0) */
unsigned int http_server_port(struct http_server *h);
/*
 * Publish the next bodies, taking ownership of both malloc'ed buffers;
 * requests already being answered keep the ones they started with.
 */
void http_server_publish(struct http_server *h, char *prometheus, size_t plen,
			 char *openmetrics, size_t olen);
/* stop answering, close the socket (NULL: nothing) */
void http_server_stop(struct http_server *h);

#endif
