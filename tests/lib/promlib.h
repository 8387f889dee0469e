/* SPDX-License-Identifier: GPL-2.0 */
/*
 * promlib.h - for serve's tests: a plain HTTP/1.0 client on 127.0.0.1,
 * a free port, and a real Prometheus server (Debian's prometheus) started
 * on loopback with its own scrape config and storage, asked through its
 * HTTP query API.
 */
#ifndef IPCTRACE_PROMLIB_H
#define IPCTRACE_PROMLIB_H

#include <stddef.h>
#include <sys/types.h>

struct http_reply {
	int status;		/* 0: no reply (closed, timed out) */
	char *headers;		/* the status line and headers */
	char *body;
	size_t body_len;
};

/* GET path from 127.0.0.1:port with extra header lines ("Accept: x\r\n"
 * or NULL); 0, or -1 when it could not connect or timed out (30 s) */
int http_get(unsigned int port, const char *path, const char *extra,
	     struct http_reply *r);
/* send raw bytes, read whatever comes back until close (30 s) */
int http_raw(unsigned int port, const char *request, size_t len,
	     struct http_reply *r);
void http_reply_free(struct http_reply *r);
/* the value of a header in r ("Content-Type"), or NULL; malloc'ed */
char *http_header(const struct http_reply *r, const char *name);

/* connect to 127.0.0.1:port: an fd, or -1 */
int tcp_connect(unsigned int port);
/* a port nobody listens on now (bound, then released) */
unsigned int free_port(void);

struct prometheus {
	pid_t pid;
	unsigned int port;
	char dir[256];
};

/* Prometheus scraping 127.0.0.1:target every 500 ms; waits for ready */
int prometheus_start(struct prometheus *p, unsigned int target, const char *dir);
void prometheus_stop(struct prometheus *p);
/*
 * An instant query's first result: its value and the labels as JSON text
 * (malloc'ed, may be NULL). 0, 1 when the result is empty, -1 on errors.
 */
int prometheus_query(const struct prometheus *p, const char *promql,
		     double *value, char **labels);

#endif
