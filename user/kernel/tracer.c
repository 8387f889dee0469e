// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ipctrace.skel.h"
#include "log.h"
#include "prog_stats.h"
#include "sysctl.h"
#include "tracer_internal.h"

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
	bool btf = use_tp_btf(t, pr), cast;
	unsigned int threads = t->opts.max_threads ? t->opts.max_threads : 8192;
	long long pid_max;

	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);

	/* bpf/reads.bpf.h: READS_BTF_CAST, or the variant for 6.1 */
	cast = kf_btf_has_func("bpf_rdonly_cast");
	bpf_program__set_autoload(!btf ? s->progs.raw_tp_sched_switch : cast ?
				  s->progs.tp_btf_sched_switch :
				  s->progs.tp_btf_v61_sched_switch, true);
	bpf_program__set_autoload(!btf ? s->progs.raw_tp_sched_waking : cast ?
				  s->progs.tp_btf_sched_waking :
				  s->progs.tp_btf_v61_sched_waking, true);
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
	/*
	 * trace: unix stream calls, exact and cheap, where the kernel has
	 * them. run knows its workers' calls from the workers themselves and
	 * reconciles task io accounting with them: there even this costs.
	 */
	t->sock_calls = t->calls == IPCT_CALLS_NONE && t->opts.track_channels &&
			kf_tracepoint_nargs("sock_send_length") == 3 &&
			kf_tracepoint_nargs("sock_recv_length") == 3;
	if (t->sock_calls) {
		bpf_program__set_autoload(btf ? s->progs.tp_btf_sock_send_length :
						s->progs.raw_tp_sock_send_length, true);
		bpf_program__set_autoload(btf ? s->progs.tp_btf_sock_recv_length :
						s->progs.raw_tp_sock_recv_length, true);
	}
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
	s->rodata->watch_all = t->opts.watch_all;
	s->rodata->self_tgid = (__u32)getpid();
	s->rodata->fill_hist = t->opts.fill_hist;
	s->rodata->wait_hists = t->opts.wait_hists;

	/* indexed by tgid: as many slots as the kernel has pids */
	pid_max = read_sysctl("/proc/sys/kernel/pid_max");
	if (pid_max < 301)	/* unreadable */
		pid_max = 4194304;	/* PID_MAX_LIMIT on 64-bit */
	bpf_map__set_max_entries(s->maps.watched, (__u32)pid_max + 1);
	bpf_map__set_max_entries(s->maps.tid_slot, (__u32)pid_max + 1);
	/* records by slot; slot 0 means none */
	t->nslots = threads + 1;
	t->nhists = threads * 2 + 1;
	bpf_map__set_max_entries(s->maps.threads, t->nslots);
	bpf_map__set_max_entries(s->maps.tasks, t->nslots);
	bpf_map__set_max_entries(s->maps.free_slots, threads);
	bpf_map__set_max_entries(s->maps.hists, t->nhists);
	bpf_map__set_max_entries(s->maps.free_hists, t->nhists - 1);
	bpf_map__set_max_entries(s->maps.wakes, threads * 4);
	bpf_map__set_max_entries(s->maps.sleeps, threads * 4);
	/*
	 * Channels, one copy per CPU: at most 64 MiB of them (16384 channels
	 * on 2 CPUs, 3500 on 64). Unused maps shrink to nothing: the stack
	 * map alone is 8 MiB.
	 */
	t->nchans = 1;
	if (t->opts.track_channels) {
		int ncpus = libbpf_num_possible_cpus();
		size_t fit = (64u << 20) / (sizeof(struct ipct_chan) *
					    (size_t)(ncpus > 0 ? ncpus : 1));

		t->nchans = (__u32)(fit < 1024 ? 1024 : fit > 16384 ? 16384 : fit) + 1;
	}
	bpf_map__set_max_entries(s->maps.chans, t->nchans);
	bpf_map__set_max_entries(s->maps.chan_slots, t->nchans);
	bpf_map__set_max_entries(s->maps.free_chans, t->nchans);
	if (!t->opts.collect_stacks) {
		bpf_map__set_max_entries(s->maps.stacks, 1);
		bpf_map__set_max_entries(s->maps.stack_times, 1);
	}
	return 0;
}

/*
 * Keep a link and say what it is in the attach report: the program, its
 * kind (the section's prefix: tp_btf, raw_tp, fentry, fexit, kprobe,
 * kretprobe) and what it hooks. This is the only record of what is
 * attached; everything that prints it reads the report.
 */
static int add_link(struct tracer *t, struct bpf_program *prog,
		    const char *target, struct bpf_link *link)
{
	struct attach_report *r = &t->report;
	struct attach_link *l;
	const char *sec = bpf_program__section_name(prog);
	size_t kind_len = strcspn(sec, "/");

	if (!link)
		return -errno;
	if (t->nlinks == ATTACH_MAX_LINKS) {
		bpf_link__destroy(link);
		return -E2BIG;
	}
	t->links[t->nlinks++] = link;
	l = &r->links[r->nlinks++];
	snprintf(l->program, sizeof(l->program), "%s", bpf_program__name(prog));
	snprintf(l->kind, sizeof(l->kind), "%.*s", (int)kind_len, sec);
	if (!target)
		target = sec[kind_len] ? sec + kind_len + 1 : sec;
	snprintf(l->target, sizeof(l->target), "%s", target);
	return 0;
}

/* the function a fentry/fexit program was retargeted to, or NULL */
static const char *fn_target_of(struct tracer *t, const struct probe_report *pr,
				struct bpf_program *prog)
{
	struct fn_progs fp[FN_COUNT];

	fn_progs_of(t->skel, fp);
	for (int f = 0; f < FN_COUNT; f++)
		if (prog == fp[f].entry_fentry || prog == fp[f].exit_fentry)
			return pr->fn[f].resolved;
	return NULL;
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

			ret = add_link(t, fp[f].entry_kprobe, name,
				       bpf_program__attach_kprobe(fp[f].entry_kprobe,
								  false, name));
			if (!ret)
				ret = add_link(t, fp[f].exit_kprobe, name,
					       bpf_program__attach_kprobe(fp[f].exit_kprobe,
									  true, name));
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
		/* fentry/fexit were retargeted: name what they attach to */
		ret = add_link(t, prog, fn_target_of(t, pr, prog),
			       bpf_program__attach(prog));
		if (ret) {
			snprintf(err, errlen, "failed to attach %s (%s): %s",
				 bpf_program__name(prog), sec, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void report_header(struct tracer *t, const struct probe_report *pr)
{
	struct attach_report *r = &t->report;

	snprintf(r->mode, sizeof(r->mode), "%s", attach_mode_name(t->opts.mode));
	switch (t->calls) {
	case IPCT_CALLS_FUNC:
		snprintf(r->calls, sizeof(r->calls), "%s",
			 t->opts.mode == MODE_FENTRY ? "fexit" : "kretprobe");
		break;
	case IPCT_CALLS_SYSCALL:
		snprintf(r->calls, sizeof(r->calls), "raw_syscalls:sys_exit");
		break;
	default:
		/* pipes: task io accounting stands in */
		snprintf(r->calls, sizeof(r->calls), "%s", t->sock_calls ?
			 "sock:sock_send_length/sock_recv_length (unix)" : "");
	}
	r->nfunctions = FN_COUNT;
	for (int f = 0; f < FN_COUNT; f++) {
		snprintf(r->functions[f].logical, sizeof(r->functions[f].logical),
			 "%s", pr->fn[f].logical);
		snprintf(r->functions[f].resolved, sizeof(r->functions[f].resolved),
			 "%s", pr->fn[f].resolved ? pr->fn[f].resolved : "");
	}
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
	t->probe = *pr;
	t->stats_fd = -1;
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
	ret = slots_init(t);
	if (ret) {
		snprintf(err, errlen, "failed to set up the thread records: %s",
			 strerror(-ret));
		goto fail;
	}
	report_header(t, pr);
	/* before attaching: the first event is timed too */
	t->stats_fd = prog_stats_enable(&t->stats_on);
	ret = attach(t, pr, err, errlen);
	if (ret)
		goto fail;
	*out = t;
	return 0;
fail:
	tracer_stop(t);
	return ret;
}

/* -v: which programs the kernel skipped runs of, and how many */
static void log_misses(struct tracer *t)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.recursion_misses)
			pr_debug("%s: %llu runs skipped by the kernel (recursion)\n",
				 bpf_program__name(prog),
				 (unsigned long long)info.recursion_misses);
	}
}

/* detach every link and stop the kernel's timing: nothing of ours runs */
int tracer_pause(struct tracer *t)
{
	for (int i = t->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(t->links[i]);
	t->nlinks = 0;
	if (t->stats_fd >= 0)
		close(t->stats_fd);
	t->stats_fd = -1;
	return 0;
}

/* attach again what tracer_start attached; the report comes out the same */
int tracer_resume(struct tracer *t, char *err, size_t errlen)
{
	t->report.nlinks = 0;
	t->stats_fd = prog_stats_enable(&t->stats_on);
	return attach(t, &t->probe, err, errlen);
}

void tracer_stop(struct tracer *t)
{
	if (!t)
		return;
	if (t->skel)
		log_misses(t);
	for (int i = t->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(t->links[i]);
	slots_fini(t);
	ipctrace_bpf__destroy(t->skel);
	if (t->stats_fd >= 0)
		close(t->stats_fd);
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

int tracer_watched_map_fd(const struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.watched);
}

int tracer_unwatch(struct tracer *t, pid_t tgid)
{
	__u32 key = tgid, none = 0;

	if (bpf_map__update_elem(t->skel->maps.watched, &key, sizeof(key), &none,
				 sizeof(none), BPF_ANY))
		return -errno;
	return 0;
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

const char *tracer_op_call_source_name(const struct tracer *t, int op)
{
	if (t->calls != IPCT_CALLS_NONE)
		return tracer_call_source_name(t);
	if (t->sock_calls && op == IPCT_UNIX_WRITE)
		return "sock_send_length";
	if (t->sock_calls && op == IPCT_UNIX_READ)
		return "sock_recv_length";
	return NULL;
}

const struct attach_report *tracer_attach_report(const struct tracer *t)
{
	return &t->report;
}

__u64 tracer_prog_misses(struct tracer *t)
{
	struct bpf_program *prog;
	__u64 misses = 0;

	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		misses += info.recursion_misses;
	}
	return misses;
}

void tracer_observer_cost(struct tracer *t, struct observer_cost *out)
{
	memset(out, 0, sizeof(*out));
	out->measured = t->stats_on;
	prog_stats_of_object(t->skel->obj, 0, out);
}
