// SPDX-License-Identifier: GPL-2.0
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_view.h"

void trace_thread_view(const struct ipct_thread *th, const struct trace_info *info,
		       struct tview *v)
{
	const struct ipct_op_stats *o = th->op;

	if (info->calls_counted) {
		v->writes = o[IPCT_PIPE_WRITE].calls + o[IPCT_UNIX_WRITE].calls;
		v->reads = o[IPCT_PIPE_READ].calls + o[IPCT_UNIX_READ].calls;
		v->bytes_written = o[IPCT_PIPE_WRITE].bytes + o[IPCT_UNIX_WRITE].bytes;
		v->bytes_read = o[IPCT_PIPE_READ].bytes + o[IPCT_UNIX_READ].bytes;
	} else {
		/* task io accounting: every write/read-family call, any fd */
		v->writes = th->io_syscw;
		v->reads = th->io_syscr;
		v->bytes_written = th->io_wchar;
		v->bytes_read = th->io_rchar;
	}
	v->blocked_writes = o[IPCT_PIPE_WRITE].blocked_calls +
			     o[IPCT_UNIX_WRITE].blocked_calls;
	v->blocked_reads = o[IPCT_PIPE_READ].blocked_calls + o[IPCT_UNIX_READ].blocked_calls;
}

const char *trace_calls_scope(const struct trace_info *info)
{
	return info->calls_counted ? "calls on pipes and unix stream sockets only" :
	       "write/read-family calls on any fd (files too)";
}

static bool active(const struct ipct_op_stats *o)
{
	return o && (o->calls || o->waits || o->blocked_calls || o->other_sleeps);
}

int trace_chan_dirs(const struct chan_view *v, struct chan_dir dirs[2])
{
	const struct ipct_chan *a = v->ends[0], *b = v->ends[1];
	int n = 0;

	if (!b) {
		/* a pipe, or a socket whose peer no traced thread used */
		dirs[0] = (struct chan_dir){ &a->w, &a->r, 0, 0 };
		return 1;
	}
	/* written into a socket, read from its peer */
	if (active(&a->w) || active(&b->r))
		dirs[n++] = (struct chan_dir){ &a->w, &b->r, a->ino, b->ino };
	if (active(&b->w) || active(&a->r))
		dirs[n++] = (struct chan_dir){ &b->w, &a->r, b->ino, a->ino };
	if (!n)
		dirs[n++] = (struct chan_dir){ &a->w, &b->r, a->ino, b->ino };
	return n;
}

void trace_chan_sum(const struct chan_view *v, struct ipct_op_stats *w,
		    struct ipct_op_stats *r, __u64 *wakeups)
{
	memset(w, 0, sizeof(*w));
	memset(r, 0, sizeof(*r));
	*wakeups = 0;
	for (int e = 0; e < 2 && v->ends[e]; e++) {
		op_stats_add(w, &v->ends[e]->w);
		op_stats_add(r, &v->ends[e]->r);
		*wakeups += v->ends[e]->wakeups;
	}
}

bool trace_op_counted(const struct ipct_chan *c, bool write,
		      const struct trace_info *info)
{
	int op = c->kind == IPCT_CHAN_PIPE ? (write ? IPCT_PIPE_WRITE : IPCT_PIPE_READ) :
		 (write ? IPCT_UNIX_WRITE : IPCT_UNIX_READ);

	return info->op_counted[op];
}

bool trace_chan_has(const struct chan_view *v, __u64 ino)
{
	return ino && (v->ends[0]->ino == ino || (v->ends[1] && v->ends[1]->ino == ino));
}

/*
 * libseccomp knows every syscall of every architecture, kept with the
 * kernel's tables; the BPF side records the number the build's
 * architecture uses (bpf/syscall.bpf.h), so that is the one to resolve.
 */
const char *trace_syscall_name(long nr, char *buf, size_t len)
{
	char *name;

	if (nr < 0)
		return "(no syscall: fault or kernel)";
	name = nr <= 0x7fffffff ? seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
								   (int)nr) : NULL;
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall %ld", nr);
	free(name);
	return buf;
}

const char *trace_comm_of(const struct trace_snapshot *s, __u32 tid)
{
	const struct ipct_thread *th = tid ? trace_snapshot_thread(s, tid) : NULL;

	return th ? th->comm : tid ? "?" : "irq/idle";
}

__u64 trace_edge_total(const struct wake_edge *e)
{
	__u64 n = 0;

	for (int v = 0; v <= IPCT_OP_COUNT; v++)
		n += e->val.via[v];
	return n;
}

unsigned long long trace_thread_calls(const struct ipct_thread *th,
				      const struct trace_info *info)
{
	struct tview v;

	trace_thread_view(th, info, &v);
	return v.writes + v.reads;
}
