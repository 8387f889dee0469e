// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "channel.h"
#include "ipctrace.skel.h"
#include "log.h"
#include "tracer.h"

#define MAX_LINKS 32

struct tracer {
	struct ipctrace_bpf *skel;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	struct tracer_opts opts;
	enum ipct_call_source calls;
	char desc[320];
};

/* the function probes of one target function, in both attach flavours */
struct fn_progs {
	enum target_fn fn;
	struct bpf_program *entry_fentry, *exit_fentry;
	struct bpf_program *entry_kprobe, *exit_kprobe;
};

static void fn_progs_of(struct ipctrace_bpf *s, struct fn_progs p[FN_COUNT])
{
	p[FN_PIPE_WRITE] = (struct fn_progs){ FN_PIPE_WRITE,
		s->progs.fentry_pipe_write, s->progs.fexit_pipe_write,
		s->progs.kprobe_pipe_write, s->progs.kretprobe_pipe_write };
	p[FN_PIPE_READ] = (struct fn_progs){ FN_PIPE_READ,
		s->progs.fentry_pipe_read, s->progs.fexit_pipe_read,
		s->progs.kprobe_pipe_read, s->progs.kretprobe_pipe_read };
	p[FN_UNIX_SENDMSG] = (struct fn_progs){ FN_UNIX_SENDMSG,
		s->progs.fentry_unix_stream_sendmsg,
		s->progs.fexit_unix_stream_sendmsg,
		s->progs.kprobe_unix_stream_sendmsg,
		s->progs.kretprobe_unix_stream_sendmsg };
	p[FN_UNIX_RECVMSG] = (struct fn_progs){ FN_UNIX_RECVMSG,
		s->progs.fentry_unix_stream_recvmsg,
		s->progs.fexit_unix_stream_recvmsg,
		s->progs.kprobe_unix_stream_recvmsg,
		s->progs.kretprobe_unix_stream_recvmsg };
}

static bool use_tp_btf(const struct tracer *t, const struct probe_report *pr)
{
	return pr->sched == SCHED_TP_BTF && !t->opts.force_raw_tp;
}

/* switch every program off, then on only what this mode uses */
static int configure(struct tracer *t, const struct probe_report *pr,
		     char *err, size_t errlen)
{
	struct ipctrace_bpf *s = t->skel;
	struct fn_progs fp[FN_COUNT];
	struct bpf_program *prog;
	bool btf = use_tp_btf(t, pr);
	unsigned int threads = t->opts.max_threads ? t->opts.max_threads : 8192;
	long long pid_max;

	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);

	bpf_program__set_autoload(btf ? s->progs.tp_btf_sched_switch :
					s->progs.raw_tp_sched_switch, true);
	bpf_program__set_autoload(btf ? s->progs.tp_btf_sched_waking :
					s->progs.raw_tp_sched_waking, true);
	bpf_program__set_autoload(btf ? s->progs.tp_btf_sched_process_exit :
					s->progs.raw_tp_sched_process_exit, true);
	bpf_program__set_autoload(btf ? s->progs.tp_btf_sched_process_fork :
					s->progs.raw_tp_sched_process_fork, true);
	bpf_program__set_autoload(btf ? s->progs.tp_btf_sched_process_exec :
					s->progs.raw_tp_sched_process_exec, true);

	fn_progs_of(s, fp);
	for (int f = 0; f < FN_COUNT; f++) {
		const char *name = pr->fn[f].resolved;

		if (t->opts.mode == MODE_FENTRY) {
			bpf_program__set_autoload(fp[f].entry_fentry, true);
			bpf_program__set_autoload(fp[f].exit_fentry, true);
			/* pipe_write on old kernels, anon_pipe_write on 6.15+ */
			if (bpf_program__set_attach_target(fp[f].entry_fentry, 0, name) ||
			    bpf_program__set_attach_target(fp[f].exit_fentry, 0, name)) {
				snprintf(err, errlen, "cannot target %s", name);
				return -EINVAL;
			}
		} else if (t->opts.mode == MODE_KPROBE) {
			bpf_program__set_autoload(fp[f].entry_kprobe, true);
			bpf_program__set_autoload(fp[f].exit_kprobe, true);
		}
	}
	if (t->opts.mode == MODE_TRACEPOINT && t->opts.syscall_counts)
		bpf_program__set_autoload(s->progs.raw_tp_sys_exit, true);

	t->calls = t->opts.mode == MODE_TRACEPOINT ?
		(t->opts.syscall_counts ? IPCT_CALLS_SYSCALL : IPCT_CALLS_NONE) :
		IPCT_CALLS_FUNC;
	s->rodata->call_source = t->calls;
	s->rodata->switch_has_prev_state = pr->switch_nargs >= 4;
	s->rodata->tif_sigpending_bit = 2;	/* x86: TIF_SIGPENDING */
	s->rodata->kernel_thread_size = 4 * 4096;	/* x86-64 THREAD_SIZE */
	s->rodata->nr_read = SYS_read;
	s->rodata->nr_readv = SYS_readv;
	s->rodata->nr_recvfrom = SYS_recvfrom;
	s->rodata->nr_recvmsg = SYS_recvmsg;
	s->rodata->nr_write = SYS_write;
	s->rodata->nr_writev = SYS_writev;
	s->rodata->nr_sendto = SYS_sendto;
	s->rodata->nr_sendmsg = SYS_sendmsg;
	s->rodata->nr_poll = SYS_poll;
	s->rodata->nr_ppoll = SYS_ppoll;
	s->rodata->nr_select = SYS_select;
	s->rodata->nr_pselect6 = SYS_pselect6;
	s->rodata->nr_epoll_wait = SYS_epoll_wait;
	s->rodata->nr_epoll_pwait = SYS_epoll_pwait;
	s->rodata->nr_epoll_pwait2 = SYS_epoll_pwait2;
	s->rodata->nr_splice = SYS_splice;
	s->rodata->nr_sendfile = SYS_sendfile;
	s->rodata->track_channels = t->opts.track_channels;
	s->rodata->collect_stacks = t->opts.collect_stacks;
	s->rodata->filter_tid = t->opts.filter_tid;
	s->rodata->filter_cgroup = t->opts.filter_cgroup;
	memcpy((char *)s->rodata->filter_comm, t->opts.filter_comm,
	       sizeof(t->opts.filter_comm));

	/* indexed by tgid: as many slots as the kernel has pids */
	pid_max = read_sysctl("/proc/sys/kernel/pid_max");
	if (pid_max < 301)	/* unreadable */
		pid_max = 4194304;	/* PID_MAX_LIMIT on 64-bit */
	bpf_map__set_max_entries(s->maps.watched, (__u32)pid_max + 1);
	bpf_map__set_max_entries(s->maps.threads, threads);
	bpf_map__set_max_entries(s->maps.tasks, threads);
	bpf_map__set_max_entries(s->maps.hists, threads * 2);
	bpf_map__set_max_entries(s->maps.wakes, threads * 4);
	bpf_map__set_max_entries(s->maps.sleeps, threads * 4);
	/* unused maps shrink to nothing: the stack map alone is 8 MiB */
	if (!t->opts.track_channels)
		bpf_map__set_max_entries(s->maps.chans, 1);
	if (!t->opts.collect_stacks) {
		bpf_map__set_max_entries(s->maps.stacks, 1);
		bpf_map__set_max_entries(s->maps.stack_times, 1);
	}
	return 0;
}

static int add_link(struct tracer *t, struct bpf_link *link)
{
	if (!link)
		return -errno;
	if (t->nlinks == MAX_LINKS) {
		bpf_link__destroy(link);
		return -E2BIG;
	}
	t->links[t->nlinks++] = link;
	return 0;
}

static int attach(struct tracer *t, const struct probe_report *pr,
		  char *err, size_t errlen)
{
	struct fn_progs fp[FN_COUNT];
	struct bpf_program *prog;
	int ret;

	fn_progs_of(t->skel, fp);
	if (t->opts.mode == MODE_KPROBE) {
		/* kprobes attach by the name this kernel uses */
		for (int f = 0; f < FN_COUNT; f++) {
			const char *name = pr->fn[f].resolved;

			ret = add_link(t, bpf_program__attach_kprobe(
						  fp[f].entry_kprobe, false, name));
			if (!ret)
				ret = add_link(t, bpf_program__attach_kprobe(
							  fp[f].exit_kprobe, true, name));
			if (ret) {
				snprintf(err, errlen,
					 "failed to attach kprobe to %s: %s", name,
					 strerror(-ret));
				return ret;
			}
		}
	}
	bpf_object__for_each_program(prog, t->skel->obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!bpf_program__autoload(prog) || strncmp(sec, "kprobe", 6) == 0 ||
		    strncmp(sec, "kretprobe", 9) == 0)
			continue;
		ret = add_link(t, bpf_program__attach(prog));
		if (ret) {
			snprintf(err, errlen, "failed to attach %s (%s): %s",
				 bpf_program__name(prog), sec, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void describe(struct tracer *t, const struct probe_report *pr)
{
	const char *sched = use_tp_btf(t, pr) ? "tp_btf" : "raw_tp";
	int n = 0;

	switch (t->opts.mode) {
	case MODE_FENTRY:
	case MODE_KPROBE:
		n = snprintf(t->desc, sizeof(t->desc), "%s on %s, %s, %s, %s; ",
			     t->opts.mode == MODE_FENTRY ? "fentry/fexit" :
							    "kprobe/kretprobe",
			     pr->fn[FN_PIPE_WRITE].resolved,
			     pr->fn[FN_PIPE_READ].resolved,
			     pr->fn[FN_UNIX_SENDMSG].resolved,
			     pr->fn[FN_UNIX_RECVMSG].resolved);
		break;
	default:
		n = snprintf(t->desc, sizeof(t->desc), "%s",
			     t->opts.syscall_counts ?
				"raw_syscalls:sys_exit for calls; " :
				"no per-call probes (calls from task io accounting); ");
		break;
	}
	snprintf(t->desc + n, sizeof(t->desc) - n,
		 "%s sched_switch, sched_waking, sched_process_fork/exit", sched);
}

int tracer_start(struct tracer **out, const struct tracer_opts *opts,
		 const struct probe_report *pr, char *err, size_t errlen)
{
	struct tracer *t = calloc(1, sizeof(*t));
	int ret;

	*out = NULL;
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	t->opts = *opts;
	if (opts->mode == MODE_AUTO || opts->mode >= MODE_COUNT) {
		snprintf(err, errlen, "internal error: no concrete attach mode");
		ret = -EINVAL;
		goto fail;
	}
	if (pr->sched == SCHED_NONE) {
		snprintf(err, errlen, "scheduler tracepoints unusable: %s",
			 pr->sched_reason);
		ret = -EOPNOTSUPP;
		goto fail;
	}
	t->skel = ipctrace_bpf__open();
	if (!t->skel) {
		ret = -errno;
		snprintf(err, errlen, "failed to open BPF object: %s",
			 strerror(-ret));
		goto fail;
	}
	ret = configure(t, pr, err, errlen);
	if (ret)
		goto fail;
	ret = ipctrace_bpf__load(t->skel);
	if (ret) {
		snprintf(err, errlen,
			 "failed to load BPF object in %s mode: %s (run with -v"
			 " for libbpf's and the verifier's words)",
			 attach_mode_name(opts->mode), strerror(-ret));
		goto fail;
	}
	ret = attach(t, pr, err, errlen);
	if (ret)
		goto fail;
	describe(t, pr);
	*out = t;
	return 0;
fail:
	tracer_stop(t);
	return ret;
}

void tracer_stop(struct tracer *t)
{
	if (!t)
		return;
	for (int i = t->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(t->links[i]);
	ipctrace_bpf__destroy(t->skel);
	free(t);
}

int tracer_watch(struct tracer *t, pid_t tgid, bool follow_children)
{
	__u32 key = tgid;
	__u32 flags = IPCT_WATCH_PROCESS | (follow_children ? IPCT_WATCH_FOLLOW : 0);

	/* E2BIG: a pid above kernel.pid_max as it was at load */
	if (bpf_map__update_elem(t->skel->maps.watched, &key, sizeof(key),
				 &flags, sizeof(flags), BPF_ANY))
		return -errno;
	return 0;
}

int tracer_unwatch(struct tracer *t, pid_t tgid)
{
	__u32 key = tgid, none = 0;

	if (bpf_map__update_elem(t->skel->maps.watched, &key, sizeof(key), &none,
				 sizeof(none), BPF_ANY))
		return -errno;
	return 0;
}

/* delete every key of a map (keys are at most 8 bytes here) */
static void clear_map(struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	char key[16], next[16];

	while (bpf_map_get_next_key(fd, NULL, next) == 0) {
		memcpy(key, next, sizeof(key));
		if (bpf_map_delete_elem(fd, key))
			break;
	}
}

void tracer_reset_counters(struct tracer *t)
{
	clear_map(t->skel->maps.threads);
	clear_map(t->skel->maps.hists);
	clear_map(t->skel->maps.wakes);
	clear_map(t->skel->maps.sleeps);
	clear_map(t->skel->maps.chans);
	clear_map(t->skel->maps.stack_times);
	memset(t->skel->bss->drops, 0, sizeof(t->skel->bss->drops));
}

enum attach_mode tracer_mode(const struct tracer *t)
{
	return t->opts.mode;
}

enum ipct_call_source tracer_call_source(const struct tracer *t)
{
	return t->calls;
}

const char *tracer_call_source_name(const struct tracer *t)
{
	switch (tracer_call_source(t)) {
	case IPCT_CALLS_FUNC:
		return tracer_mode(t) == MODE_FENTRY ? "fexit" : "kretprobe";
	case IPCT_CALLS_SYSCALL:
		return "sys_exit";
	default:
		return NULL;
	}
}

const char *tracer_describe(const struct tracer *t)
{
	return t->desc;
}

__u64 tracer_prog_runtime(struct tracer *t)
{
	struct bpf_program *prog;
	__u64 run_ns = 0;

	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		run_ns += info.run_time_ns;
	}
	return run_ns;
}

/* ---- reading ---- */

/* all key/value pairs of a map into one malloc'ed array of pairs */
static int dump_map(struct bpf_map *map, size_t ksz, size_t vsz, void **out,
		    size_t *n)
{
	int fd = bpf_map__fd(map);
	size_t cap = 64, cnt = 0, rec = ksz + vsz;
	char *buf = malloc(cap * rec), key[64], next[64];
	bool first = true;

	if (!buf)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		first = false;
		memcpy(key, next, ksz);
		if (cnt == cap) {
			char *nb = realloc(buf, 2 * cap * rec);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		memcpy(buf + cnt * rec, key, ksz);
		if (bpf_map_lookup_elem(fd, key, buf + cnt * rec + ksz))
			continue;	/* deleted meanwhile */
		cnt++;
	}
	*out = buf;
	*n = cnt;
	return 0;
}

/* the values of a map whose keys the value repeats (a thread's tid, a
 * channel's inode): dump_map, then drop the keys */
static int dump_values(struct bpf_map *map, size_t ksz, size_t vsz, void **out,
		       size_t *n)
{
	size_t cnt, i;
	char *pairs, *vals;
	int ret;

	ret = dump_map(map, ksz, vsz, (void **)&pairs, &cnt);
	if (ret)
		return ret;
	vals = calloc(cnt ? cnt : 1, vsz);
	if (!vals) {
		free(pairs);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++)
		memcpy(vals + i * vsz, pairs + i * (ksz + vsz) + ksz, vsz);
	free(pairs);
	*out = vals;
	*n = cnt;
	return 0;
}

int tracer_read_threads(struct tracer *t, struct ipct_thread **out, size_t *n)
{
	return dump_values(t->skel->maps.threads, sizeof(__u32),
			   sizeof(struct ipct_thread), (void **)out, n);
}

int tracer_read_thread(struct tracer *t, __u32 tid, struct ipct_thread *out)
{
	if (bpf_map__lookup_elem(t->skel->maps.threads, &tid, sizeof(tid), out,
				 sizeof(*out), 0))
		return -errno;
	return 0;
}

int tracer_read_hist(struct tracer *t, __u32 tid, enum ipct_hist_kind kind,
		     struct ipct_hist *out)
{
	struct ipct_hist_key key = { .tid = tid, .kind = kind };

	if (bpf_map__lookup_elem(t->skel->maps.hists, &key, sizeof(key), out,
				 sizeof(*out), 0)) {
		memset(out, 0, sizeof(*out));
		return errno == ENOENT ? 0 : -errno;
	}
	return 0;
}

int tracer_read_wakes(struct tracer *t, struct wake_edge **out, size_t *n)
{
	return dump_map(t->skel->maps.wakes, sizeof(struct ipct_wake_key),
			sizeof(struct ipct_wake_val), (void **)out, n);
}

int tracer_read_sleeps(struct tracer *t, struct sleep_entry **out, size_t *n)
{
	return dump_map(t->skel->maps.sleeps, sizeof(struct ipct_sleep_key),
			sizeof(struct ipct_sleep_val), (void **)out, n);
}

void tracer_read_drops(struct tracer *t, __u64 drops[IPCT_DROP_COUNT])
{
	/* .bss is memory-mapped: this is the live kernel-side array */
	for (int i = 0; i < IPCT_DROP_COUNT; i++)
		drops[i] = __atomic_load_n(&t->skel->bss->drops[i], __ATOMIC_RELAXED);
}

int tracer_read_chans(struct tracer *t, struct ipct_chan **out, size_t *n)
{
	return dump_values(t->skel->maps.chans, sizeof(__u64),
			   sizeof(struct ipct_chan), (void **)out, n);
}

int tracer_read_stack_times(struct tracer *t, struct stack_time **out, size_t *n)
{
	return dump_map(t->skel->maps.stack_times, sizeof(struct ipct_stack_key),
			sizeof(__u64), (void **)out, n);
}

int tracer_read_stack(struct tracer *t, __s32 stackid, __u64 *ips, int max)
{
	__u64 buf[IPCT_STACK_DEPTH] = { 0 };
	__u32 key = (__u32)stackid;
	int n = 0;

	if (bpf_map__lookup_elem(t->skel->maps.stacks, &key, sizeof(key), buf,
				 sizeof(buf), 0))
		return 0;
	while (n < max && n < IPCT_STACK_DEPTH && buf[n]) {
		ips[n] = buf[n];
		n++;
	}
	return n;
}

const char *tracer_drop_name(enum ipct_drop d)
{
	static const char *const names[IPCT_DROP_COUNT] = {
		[IPCT_DROP_THREAD_MAP_FULL] = "thread map full",
		[IPCT_DROP_TASK_MAP_FULL] = "task state map full",
		[IPCT_DROP_HIST_MAP_FULL] = "histogram map full",
		[IPCT_DROP_WAKE_MAP_FULL] = "wakeup map full",
		[IPCT_DROP_SLEEP_MAP_FULL] = "sleep map full",
		[IPCT_DROP_WATCH_MAP_FULL] = "child pid beyond the watch array (pid_max raised?)",
		[IPCT_DROP_READ_FAULT] = "kernel object read failed",
		[IPCT_DROP_MISSED_EXIT] = "call exits missed (kretprobe maxactive)",
		[IPCT_DROP_CHAN_MAP_FULL] = "channel map full",
		[IPCT_DROP_STACK] = "stacks not captured (stack map bucket taken or full)",
		[IPCT_DROP_STACK_TIME_MAP_FULL] = "stack time map full",
	};
	return d < IPCT_DROP_COUNT ? names[d] : "?";
}
