// SPDX-License-Identifier: GPL-2.0
/*
 * serve_http.c - /metrics over HTTP with libmicrohttpd. A library, not
 * hand-written HTTP: request parsing (pipelining, chunked bodies, header
 * limits, half-sent requests) is where servers break, and libmicrohttpd
 * handles it with the timeouts and limits set below, in one internal
 * thread polling every connection (epoll), so a slow client costs a
 * socket, not a thread.
 *
 * The static build (the VM's) has no libmicrohttpd: Debian's
 * libmicrohttpd.a needs gnutls, which needs p11-kit, shipped without a
 * static library. There this file compiles to a stub that says so, and
 * `serve --listen none --textfile DIR` still works.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve_http.h"

#ifdef IPCTRACE_NO_HTTP

int http_server_bind(struct http_server **out, const struct sockaddr *addr,
		     socklen_t addrlen, char *err, size_t errlen)
{
	(void)addr;
	(void)addrlen;
	*out = NULL;
	snprintf(err, errlen, "this static build of ipctrace has no HTTP server"
		 " (libmicrohttpd cannot be linked statically on Debian: gnutls"
		 " needs p11-kit, which has no static library); use the dynamic"
		 " build, or --listen none --textfile DIR");
	return -1;
}

int http_server_run(struct http_server *h, char *err, size_t errlen)
{
	(void)h;
	snprintf(err, errlen, "no HTTP server in this build");
	return -1;
}

unsigned int http_server_port(struct http_server *h)
{
	(void)h;
	return 0;
}

void http_server_publish(struct http_server *h, char *prometheus, size_t plen,
			 char *openmetrics, size_t olen)
{
	(void)h;
	(void)plen;
	(void)olen;
	free(prometheus);
	free(openmetrics);
}

void http_server_stop(struct http_server *h)
{
	(void)h;
}

#else

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include "exposition.h"
#include "log.h"

/* a rendered exposition, shared by the requests answering it */
struct body {
	int refs;
	size_t len;
	char *data;
};

struct http_server {
	struct MHD_Daemon *d;		/* NULL until http_server_run() */
	int fd;				/* the listening socket; MHD's once it runs */
	sa_family_t family;
	unsigned int port;
	pthread_mutex_t lock;
	struct body *cur[2];		/* by enum exposition_format */
};

static void body_put(void *cls)
{
	struct body *b = cls;

	if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(b->data);
		free(b);
	}
}

static struct body *body_get(struct http_server *h, enum exposition_format f)
{
	struct body *b;

	pthread_mutex_lock(&h->lock);
	b = h->cur[f];
	if (b)
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&h->lock);
	return b;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status,
				  const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_size, void **req)
{
	struct http_server *h = cls;
	enum exposition_format f;
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct body *b;

	(void)version;
	(void)upload_data;
	(void)req;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "ipctrace serves GET /metrics only\n");
	if (*upload_size)
		return reply_text(c, MHD_HTTP_BAD_REQUEST, "a GET has no body\n");
	if (!strcmp(url, "/"))
		return reply_text(c, MHD_HTTP_OK, "ipctrace: metrics at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
	f = exposition_negotiate(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_ACCEPT));
	b = body_get(h, f);
	if (!b)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot yet\n");
	r = MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data,
								   body_put, b);
	if (!r) {
		body_put(b);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				exposition_content_type(f));
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* libmicrohttpd's own complaints (a bad request, a refused connection) */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	pr_debug("http: %s%s", line, line[0] && line[strlen(line) - 1] == '\n' ? "" : "\n");
}

/* "is the port taken?" only where that can be why */
static void bind_failed(char *err, size_t errlen, const char *what, int e)
{
	snprintf(err, errlen, "cannot serve HTTP on that address: %s: %s%s", what,
		 strerror(e), e == EADDRINUSE ? " (is the port taken? see ss -ltnp;"
		 " or give another with --listen ADDR:PORT)" : e == EACCES ?
		 " (a port below 1024 needs CAP_NET_BIND_SERVICE)" : "");
}

int http_server_bind(struct http_server **out, const struct sockaddr *addr,
		     socklen_t addrlen, char *err, size_t errlen)
{
	struct http_server *h = calloc(1, sizeof(*h));
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	int one = 1;

	*out = NULL;
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* as libmicrohttpd would have: reuse the address, IPv6 only on [::] */
	h->fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0) {
		bind_failed(err, errlen, "socket", errno);
		free(h);
		return -1;
	}
	setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->sa_family == AF_INET6)
		setsockopt(h->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(h->fd, addr, addrlen) || listen(h->fd, SOMAXCONN) ||
	    getsockname(h->fd, (struct sockaddr *)&bound, &blen)) {
		bind_failed(err, errlen, "bind", errno);
		close(h->fd);
		free(h);
		return -1;
	}
	h->port = ntohs(bound.ss_family == AF_INET6 ?
			((struct sockaddr_in6 *)&bound)->sin6_port :
			((struct sockaddr_in *)&bound)->sin_port);
	h->family = addr->sa_family;
	pthread_mutex_init(&h->lock, NULL);
	*out = h;
	return 0;
}

int http_server_run(struct http_server *h, char *err, size_t errlen)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			     MHD_USE_ERROR_LOG;

	if (h->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)h->fd,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_PER_IP,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errlen, "cannot start the HTTP server: %s",
			 strerror(errno ? errno : EINVAL));
		return -1;
	}
	return 0;
}

unsigned int http_server_port(struct http_server *h)
{
	return h->port;
}

void http_server_publish(struct http_server *h, char *prometheus, size_t plen,
			 char *openmetrics, size_t olen)
{
	struct body *nb[2] = { calloc(1, sizeof(struct body)),
			       calloc(1, sizeof(struct body)) }, *old[2];

	if (!nb[0] || !nb[1]) {
		/* keep serving the previous bodies */
		free(nb[0]);
		free(nb[1]);
		free(prometheus);
		free(openmetrics);
		return;
	}
	*nb[0] = (struct body){ 1, plen, prometheus };
	*nb[1] = (struct body){ 1, olen, openmetrics };
	pthread_mutex_lock(&h->lock);
	old[0] = h->cur[EXPO_PROMETHEUS];
	old[1] = h->cur[EXPO_OPENMETRICS];
	h->cur[EXPO_PROMETHEUS] = nb[0];
	h->cur[EXPO_OPENMETRICS] = nb[1];
	pthread_mutex_unlock(&h->lock);
	body_put(old[0]);
	body_put(old[1]);
}

void http_server_stop(struct http_server *h)
{
	if (!h)
		return;
	/* joins the server's thread: no request runs after this; it closes
	 * the listening socket it was given */
	if (h->d)
		MHD_stop_daemon(h->d);
	else
		close(h->fd);
	body_put(h->cur[0]);
	body_put(h->cur[1]);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

#endif
