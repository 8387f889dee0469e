// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <jansson.h>
#include "promlib.h"

int tcp_connect(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

unsigned int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned int port = 0;

	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* everything until the peer closes, or 30 s */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 4096;
	time_t end = time(NULL) + 30;

	*len = 0;
	*buf = malloc(cap + 1);
	if (!*buf)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (time(NULL) > end)
			return -1;
		if (poll(&p, 1, 1000) <= 0)
			continue;
		if (*len == cap) {
			char *nb = realloc(*buf, (cap *= 2) + 1);

			if (!nb)
				return -1;
			*buf = nb;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = '\0';
	return 0;
}

static void parse_reply(char *raw, size_t len, struct http_reply *r)
{
	char *end = strstr(raw, "\r\n\r\n");

	memset(r, 0, sizeof(*r));
	if (sscanf(raw, "HTTP/%*s %d", &r->status) != 1)
		r->status = 0;
	if (!end) {
		r->headers = raw;
		r->body = strdup("");
		return;
	}
	*end = '\0';
	r->headers = raw;
	r->body_len = len - (size_t)(end + 4 - raw);
	r->body = malloc(r->body_len + 1);
	if (r->body) {
		memcpy(r->body, end + 4, r->body_len);
		r->body[r->body_len] = '\0';
	}
}

/*
 * half_close: say we are done sending. Not for real requests: Go's HTTP
 * server (Prometheus) reads a half-close as a client gone and cancels.
 */
static int exchange(unsigned int port, const char *request, size_t len,
		    bool half_close, struct http_reply *r)
{
	int fd = tcp_connect(port);
	size_t got;
	char *raw;

	memset(r, 0, sizeof(*r));
	if (fd < 0)
		return -1;
	/* the server may answer and close before it has read everything */
	if (write(fd, request, len) < 0 && errno != EPIPE && errno != ECONNRESET) {
		close(fd);
		return -1;
	}
	if (half_close)
		shutdown(fd, SHUT_WR);
	if (read_all(fd, &raw, &got)) {
		close(fd);
		return -1;
	}
	close(fd);
	parse_reply(raw, got, r);
	return 0;
}

int http_raw(unsigned int port, const char *request, size_t len,
	     struct http_reply *r)
{
	return exchange(port, request, len, true, r);
}

int http_get(unsigned int port, const char *path, const char *extra,
	     struct http_reply *r)
{
	char req[2048];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n",
			 path, extra ? extra : "");

	return exchange(port, req, (size_t)n, false, r);
}

void http_reply_free(struct http_reply *r)
{
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

char *http_header(const struct http_reply *r, const char *name)
{
	const char *p = r->headers;
	size_t n = strlen(name);

	while (p && (p = strstr(p, "\r\n"))) {
		p += 2;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			return strndup(v, strcspn(v, "\r\n"));
		}
	}
	return NULL;
}

int prometheus_start(struct prometheus *p, unsigned int target, const char *dir)
{
	char cfg[300], data[300], listen[64], cfgarg[320], dataarg[320];
	FILE *f;

	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", dir);
	snprintf(data, sizeof(data), "%s/data", dir);
	f = fopen(cfg, "w");
	if (!f)
		return -1;
	fprintf(f, "global:\n  scrape_interval: 500ms\n  scrape_timeout: 400ms\n"
		   "scrape_configs:\n  - job_name: ipctrace\n    static_configs:\n"
		   "      - targets: ['127.0.0.1:%u']\n", target);
	fclose(f);
	for (int attempt = 0; attempt < 5; attempt++) {
		struct http_reply r;
		time_t end = time(NULL) + 60;

		p->port = free_port();
		snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%u", p->port);
		snprintf(cfgarg, sizeof(cfgarg), "--config.file=%s", cfg);
		snprintf(dataarg, sizeof(dataarg), "--storage.tsdb.path=%s", data);
		p->pid = fork();
		if (p->pid == 0) {
			char *argv[] = { "prometheus", cfgarg, dataarg, listen,
					 "--log.level=warn", NULL };

			/* its logs would interleave with TAP: keep them in dir */
			snprintf(cfg, sizeof(cfg), "%s/prometheus.log", dir);
			if (!freopen(cfg, "a", stderr) || !freopen("/dev/null", "w", stdout))
				_exit(126);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (p->pid < 0)
			return -1;
		while (time(NULL) < end) {
			struct timespec t = { .tv_nsec = 100 * 1000 * 1000 };

			if (waitpid(p->pid, NULL, WNOHANG) == p->pid)
				break;	/* exited: the port was taken after all */
			if (http_get(p->port, "/-/ready", NULL, &r) == 0 && r.status == 200) {
				http_reply_free(&r);
				return 0;
			}
			http_reply_free(&r);
			nanosleep(&t, NULL);
		}
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	p->pid = 0;
	return -1;
}

void prometheus_stop(struct prometheus *p)
{
	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
}

/* %-escape a query for the URL */
static void url_encode(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s && n + 4 < len; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-_.~", *s))
			out[n++] = *s;
		else
			n += (size_t)snprintf(out + n, len - n, "%%%02X", (unsigned char)*s);
	}
	out[n] = '\0';
}

int prometheus_query(const struct prometheus *p, const char *promql,
		     double *value, char **labels)
{
	char enc[2048], path[2200];
	struct http_reply r;
	json_error_t jerr;
	json_t *doc, *res, *first;
	int ret = -1;

	url_encode(promql, enc, sizeof(enc));
	snprintf(path, sizeof(path), "/api/v1/query?query=%s", enc);
	if (labels)
		*labels = NULL;
	if (http_get(p->port, path, NULL, &r) || r.status != 200) {
		fprintf(stderr, "# query %s: HTTP %d %s\n", promql, r.status,
			r.body ? r.body : "");
		http_reply_free(&r);
		return -1;
	}
	doc = json_loads(r.body, 0, &jerr);
	http_reply_free(&r);
	if (!doc)
		return -1;
	res = json_object_get(json_object_get(doc, "data"), "result");
	first = json_array_get(res, 0);
	if (json_is_array(res) && !first) {
		ret = 1;
	} else if (first) {
		*value = atof(json_string_value(json_array_get(json_object_get(first, "value"), 1)));
		if (labels)
			*labels = json_dumps(json_object_get(first, "metric"), JSON_SORT_KEYS);
		ret = 0;
	}
	json_decref(doc);
	return ret;
}
