// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "ipctrace.h"
#include "run_config.h"
#include "sizes.h"

static const char *const transport_names[TR_COUNT] = {
	[TR_PIPE] = "pipe", [TR_SOCKETPAIR] = "socketpair",
	[TR_SEQPACKET] = "seqpacket",
};
static const char *const placement_names[PL_COUNT] = {
	[PL_UNPINNED] = "unpinned", [PL_SAME_CPU] = "same-cpu",
	[PL_CROSS_CPU] = "cross-cpu",
};
static const char *const pattern_names[PAT_COUNT] = {
	[PAT_STREAM] = "stream", [PAT_PINGPONG] = "pingpong", [PAT_LOOP] = "loop",
};
static const char *const pattern_units[PAT_COUNT] = {
	[PAT_STREAM] = "write", [PAT_PINGPONG] = "round", [PAT_LOOP] = "iteration",
};

const char *transport_name(enum transport t)
{
	return t < TR_COUNT ? transport_names[t] : "?";
}

bool transport_ops_traced(enum transport t)
{
	return t != TR_SEQPACKET;
}

int transport_op(enum transport t, bool write)
{
	if (t == TR_PIPE)
		return write ? IPCT_PIPE_WRITE : IPCT_PIPE_READ;
	return write ? IPCT_UNIX_WRITE : IPCT_UNIX_READ;
}

const char *placement_name(enum placement p)
{
	return p < PL_COUNT ? placement_names[p] : "?";
}

const char *pattern_name(enum pattern p)
{
	return p < PAT_COUNT ? pattern_names[p] : "?";
}

const char *pattern_unit_name(enum pattern p)
{
	return p < PAT_COUNT ? pattern_units[p] : "?";
}

unsigned int pattern_workers_per_pair(enum pattern p)
{
	return p == PAT_LOOP ? 1 : 2;
}

const char *io_mode_name(enum io_mode m)
{
	return m == IO_EPOLL ? "epoll" : "blocking";
}

void run_config_defaults(struct run_config *c)
{
	static const uint64_t msgs[] = { 1000, 4096, 65536, 262144 };
	static const uint64_t bufs[] = { 0, 16384, 1048576 };

	memset(c, 0, sizeof(*c));
	c->transports[0] = TR_PIPE;
	c->transports[1] = TR_SOCKETPAIR;
	c->ntransports = 2;
	c->nmsg = sizeof(msgs) / sizeof(msgs[0]);
	c->msg_sizes = malloc(sizeof(msgs));
	memcpy(c->msg_sizes, msgs, sizeof(msgs));
	c->nbuffers = sizeof(bufs) / sizeof(bufs[0]);
	c->buffers = malloc(sizeof(bufs));
	memcpy(c->buffers, bufs, sizeof(bufs));
	c->placements[0] = PL_UNPINNED;
	c->nplacements = 1;
	c->patterns[0] = PAT_STREAM;
	c->npatterns = 1;
	c->loop_small = true;
	c->pairs = 1;
	c->io = IO_BLOCKING;
	c->duration = 0.4;
	c->warmup = 0.15;
	c->repeat = 5;
}

void run_config_free(struct run_config *c)
{
	free(c->msg_sizes);
	free(c->buffers);
	c->msg_sizes = c->buffers = NULL;
}

/* a comma list of names into an array of enum values; a name given twice
 * or an empty item is an error (a repeated cell would be measured twice
 * and compared with itself) */
static int parse_names(const char *s, const char *const *names, int count,
		       int *out, size_t *n, const char *what, char *why,
		       size_t len)
{
	char choices[128] = "";
	const char *p = s;

	for (int i = 0; i < count; i++)
		snprintf(choices + strlen(choices), sizeof(choices) - strlen(choices),
			 "%s%s", i ? ", " : "", names[i]);
	*n = 0;
	for (;;) {
		size_t l = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < count; i++)
			if (strlen(names[i]) == l && !strncmp(p, names[i], l))
				found = i;
		if (l == 0) {
			snprintf(why, len, "%s list '%s' has an empty item: use %s,"
				 " separated by commas", what, QUOTE(s), choices);
			return -1;
		}
		if (found < 0) {
			char tok[64];

			snprintf(tok, sizeof(tok), "%.*s", (int)(l < 63 ? l : 63), p);
			snprintf(why, len, "unknown %s '%s': use %s", what, QUOTE(tok),
				 choices);
			return -1;
		}
		for (size_t j = 0; j < *n; j++) {
			if (out[j] == found) {
				snprintf(why, len, "%s '%s' is listed twice: give each %s"
					 " once", what, names[found], what);
				return -1;
			}
		}
		out[(*n)++] = found;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

int parse_transports(const char *s, struct run_config *c, char *why, size_t len)
{
	int v[TR_COUNT];
	int ret = parse_names(s, transport_names, TR_COUNT, v, &c->ntransports,
			      "transport", why, len);

	for (size_t i = 0; !ret && i < c->ntransports; i++)
		c->transports[i] = v[i];
	return ret;
}

int parse_placements(const char *s, struct run_config *c, char *why, size_t len)
{
	int v[PL_COUNT];
	int ret = parse_names(s, placement_names, PL_COUNT, v, &c->nplacements,
			      "placement", why, len);

	for (size_t i = 0; !ret && i < c->nplacements; i++)
		c->placements[i] = v[i];
	return ret;
}

int parse_patterns(const char *s, struct run_config *c, char *why, size_t len)
{
	int v[PAT_COUNT];
	int ret = parse_names(s, pattern_names, PAT_COUNT, v, &c->npatterns,
			      "pattern", why, len);

	for (size_t i = 0; !ret && i < c->npatterns; i++)
		c->patterns[i] = v[i];
	/* patterns asked for by name replace the default's small loop */
	if (!ret)
		c->loop_small = false;
	return ret;
}

static int by_value(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* a size given twice (4K and 4096 are one): the first repeat, or -1 */
static long long repeated(const uint64_t *v, size_t n)
{
	uint64_t *sorted = malloc((n ? n : 1) * sizeof(*v));
	long long dup = -1;

	if (!sorted)
		return -1;
	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*v), by_value);
	for (size_t i = 1; i < n && dup < 0; i++)
		if (sorted[i] == sorted[i - 1])
			dup = (long long)sorted[i];
	free(sorted);
	return dup;
}

static int check_lists(const struct run_config *c, char *why, size_t len)
{
	long long d;
	char a[32];
	double cells = (double)c->nmsg * (double)c->nbuffers *
		       (double)c->nplacements * (double)c->npatterns *
		       (double)c->ntransports;

	if ((d = repeated(c->msg_sizes, c->nmsg)) >= 0) {
		format_size((uint64_t)d, a, sizeof(a));
		snprintf(why, len, "--msg-size lists %s twice (4096 and 4K are one"
			 " size): give each size once", a);
		return -1;
	}
	if ((d = repeated(c->buffers, c->nbuffers)) >= 0) {
		if (d)
			format_size((uint64_t)d, a, sizeof(a));
		snprintf(why, len, "--buffer-size lists %s twice: give each size"
			 " once", d ? a : "default");
		return -1;
	}
	if (cells > MAX_CELLS) {
		snprintf(why, len, "the matrix has %.0f cells, more than the %d one"
			 " run measures: give fewer sizes, placements or patterns",
			 cells, MAX_CELLS);
		return -1;
	}
	return 0;
}

int run_config_validate(const struct run_config *c, int ncpus, char *why,
			size_t len)
{
	char a[32];

	if (check_lists(c, why, len))
		return -1;

	for (size_t i = 0; i < c->nmsg; i++) {
		if (c->msg_sizes[i] == 0) {
			snprintf(why, len, "message size 0: every write must carry at"
				 " least 1 byte; use e.g. --msg-size 1000,4K");
			return -1;
		}
		if (c->msg_sizes[i] > MAX_MSG_SIZE) {
			format_size(c->msg_sizes[i], a, sizeof(a));
			snprintf(why, len, "message size %s is above the 64M ipctrace"
				 " supports; use a smaller --msg-size", a);
			return -1;
		}
	}
	for (size_t i = 0; i < c->nbuffers; i++) {
		if (c->buffers[i] && c->buffers[i] < PAGE_BYTES) {
			format_size(c->buffers[i], a, sizeof(a));
			snprintf(why, len, "buffer size %s is under one page (4096"
				 " bytes), the smallest pipe there is; use 4K or"
				 " more, or 'default'", a);
			return -1;
		}
		/* F_SETPIPE_SZ takes an int and SO_SNDBUF an int the kernel
		 * doubles: a bigger request would wrap, not grow */
		if (c->buffers[i] > MAX_BUFFER_SIZE) {
			format_size(c->buffers[i], a, sizeof(a));
			snprintf(why, len, "buffer size %s is above the 1G ipctrace"
				 " supports (pipes and socket buffers take an int);"
				 " use a smaller --buffer-size", a);
			return -1;
		}
	}
	if (c->pairs == 0) {
		snprintf(why, len, "--pairs 0: need at least one writer/reader pair");
		return -1;
	}
	if (c->pairs > (unsigned int)(MAX_PAIRS_PER_CPU * ncpus)) {
		snprintf(why, len, "--pairs %u on %d CPU%s: more than %d pairs (%d"
			 " per CPU) would measure the scheduler's queueing rather"
			 " than IPC; use --pairs %d or fewer", c->pairs, ncpus,
			 ncpus == 1 ? "" : "s", MAX_PAIRS_PER_CPU * ncpus,
			 MAX_PAIRS_PER_CPU, MAX_PAIRS_PER_CPU * ncpus);
		return -1;
	}
	for (size_t i = 0; i < c->nplacements; i++) {
		if (c->placements[i] == PL_CROSS_CPU && ncpus < 2) {
			snprintf(why, len, "--placement cross-cpu needs two CPUs and"
				 " this process may use only %d; use same-cpu or"
				 " unpinned", ncpus);
			return -1;
		}
	}
	if (c->repeat < 1 || c->repeat > 1000) {
		snprintf(why, len, "--repeat %u: use 1 to 1000 repetitions (3 or"
			 " more to tell a difference from noise)", c->repeat);
		return -1;
	}
	if (!(c->duration > 0) || c->duration > 3600) {
		snprintf(why, len, "--duration must be above 0 and at most 3600 seconds");
		return -1;
	}
	if (c->warmup < 0 || c->warmup > 600) {
		snprintf(why, len, "--warmup must be 0 to 600 seconds");
		return -1;
	}
	if (c->bytes > MAX_BYTES) {
		format_size(c->bytes, a, sizeof(a));
		snprintf(why, len, "--bytes %s is above the %s ipctrace supports per"
			 " repetition", a, "1T");
		return -1;
	}
	if (c->bytes) {
		for (size_t i = 0; i < c->nmsg; i++) {
			if (c->bytes < c->msg_sizes[i]) {
				format_size(c->bytes, a, sizeof(a));
				snprintf(why, len, "--bytes %s is less than one message;"
					 " raise --bytes or lower --msg-size", a);
				return -1;
			}
		}
	}
	return 0;
}
