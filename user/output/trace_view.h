/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_view.h - what the trace report (text and JSON) shows of a
 * snapshot: a thread's calls as this attach mode counts them, a channel's
 * two directions, names of syscalls and threads. Internal to the trace
 * report (trace_report.c, trace_report_json.c).
 */
#ifndef IPCTRACE_TRACE_VIEW_H
#define IPCTRACE_TRACE_VIEW_H

#include "trace_report.h"

/* one thread, as reported */
struct tview {
	unsigned long long writes, blocked_writes, reads, blocked_reads;
	unsigned long long bytes_written, bytes_read;
};

void trace_thread_view(const struct ipct_thread *th, const struct trace_info *info,
		       struct tview *v);
/* what the writes and reads columns count, for the report's header */
const char *trace_calls_scope(const struct trace_info *info);

/*
 * One direction of a channel: data written into one end (a pipe's write
 * end, a socket) and read at the other (the pipe's read end, the peer
 * socket). A pipe has one direction; a socket pair two.
 */
struct chan_dir {
	const struct ipct_op_stats *w, *r;	/* NULL: that side unseen */
	__u64 from, to;				/* socket inodes; pipe: 0 */
};
/* the directions of v with anything in them, at least one; how many */
int trace_chan_dirs(const struct chan_view *v, struct chan_dir dirs[2]);
/* both ends added up: writes and reads, fill, wakeups */
void trace_chan_sum(const struct chan_view *v, struct ipct_op_stats *w,
		    struct ipct_op_stats *r, __u64 *wakeups);
/* are calls and bytes of a channel of c's kind, in this direction,
 * counted in this mode (trace_info.op_counted)? */
bool trace_op_counted(const struct ipct_chan *c, bool write,
		      const struct trace_info *info);
/* is a wakeup on inode ino one of this channel's? */
bool trace_chan_has(const struct chan_view *v, __u64 ino);

/* "read", "epoll_wait": the build architecture's name of a syscall */
const char *trace_syscall_name(long nr, char *buf, size_t len);
const char *trace_comm_of(const struct trace_snapshot *s, __u32 tid);
__u64 trace_edge_total(const struct wake_edge *e);

#endif
