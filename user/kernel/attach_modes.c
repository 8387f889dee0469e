// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "attach_modes.h"
#include "attach_check.skel.h"

/*
 * Names by kernel version, preferred first. v6.15 renamed the pipe
 * functions (262b2fa99cbe): pipe_write/pipe_read became anon_pipe_write/
 * anon_pipe_read, with fifo_pipe_* wrappers calling them for named FIFOs.
 */
static const char *const candidates[FN_COUNT][3] = {
	[FN_PIPE_WRITE] = { "anon_pipe_write", "pipe_write", NULL },
	[FN_PIPE_READ] = { "anon_pipe_read", "pipe_read", NULL },
	[FN_UNIX_SENDMSG] = { "unix_stream_sendmsg", NULL, NULL },
	[FN_UNIX_RECVMSG] = { "unix_stream_recvmsg", NULL, NULL },
};

static const char *const logical_names[FN_COUNT] = {
	[FN_PIPE_WRITE] = "pipe_write",
	[FN_PIPE_READ] = "pipe_read",
	[FN_UNIX_SENDMSG] = "unix_stream_sendmsg",
	[FN_UNIX_RECVMSG] = "unix_stream_recvmsg",
};

void resolve_functions(struct probe_report *r)
{
	const char *names[FN_COUNT * 2];
	int counts[FN_COUNT * 2];
	size_t n = 0;

	for (int f = 0; f < FN_COUNT; f++)
		for (int c = 0; c < 2 && candidates[f][c]; c++)
			names[n++] = candidates[f][c];
	kf_kallsyms_count(names, counts, n);

	n = 0;
	for (int f = 0; f < FN_COUNT; f++) {
		struct fn_resolution *fr = &r->fn[f];
		int first_listed = -1;

		memset(fr, 0, sizeof(*fr));
		fr->logical = logical_names[f];
		fr->kallsyms = -1;
		for (int c = 0; c < 2 && candidates[f][c]; c++, n++) {
			bool btf = kf_btf_has_func(candidates[f][c]);

			if (!fr->resolved && btf) {
				fr->resolved = candidates[f][c];
				fr->in_btf = true;
				fr->kallsyms = counts[n];
			}
			if (first_listed < 0 && counts[n] > 0)
				first_listed = (int)n;
		}
		/* without BTF, fall back on what kallsyms lists */
		if (!fr->resolved && first_listed >= 0) {
			fr->resolved = names[first_listed];
			fr->kallsyms = counts[first_listed];
		}
	}
}

static const char *errno_name(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "unknown error";
}

static void trigger_pipe_write(void)
{
	int p[2];
	char c = 'x';

	if (pipe(p))
		return;
	if (write(p[1], &c, 1) == 1 && read(p[0], &c, 1) == 1) {
		/* both ends used: pipe_write and pipe_read ran */
	}
	close(p[0]);
	close(p[1]);
}

static void trigger_switch(void)
{
	struct timespec ts = { .tv_nsec = 2 * 1000 * 1000 };

	/* sleeping is a voluntary switch of our own */
	nanosleep(&ts, NULL);
}

/* open the probe object with only `keep` loadable */
static struct attach_check_bpf *open_only(struct bpf_program **keep_out,
					  const char *keep)
{
	struct attach_check_bpf *skel = attach_check_bpf__open();
	struct bpf_program *prog;

	if (!skel)
		return NULL;
	skel->rodata->target_tgid = getpid();
	bpf_object__for_each_program(prog, skel->obj) {
		bool on = strcmp(bpf_program__name(prog), keep) == 0;

		bpf_program__set_autoload(prog, on);
		if (on)
			*keep_out = prog;
	}
	return skel;
}

static void load_failed(struct mode_status *ms, const struct kernel_facts *kf,
			int err)
{
	int n = snprintf(ms->reason, sizeof(ms->reason),
			 "program load refused: %s", errno_name(-err));

	if (err == -EPERM && strcmp(kf->lockdown, "none") != 0 &&
	    strcmp(kf->lockdown, "unknown") != 0 && n > 0)
		snprintf(ms->reason + n, sizeof(ms->reason) - n,
			 " (kernel lockdown: %s)", kf->lockdown);
}

static void probe_fentry(struct probe_report *r)
{
	struct mode_status *ms = &r->mode[MODE_FENTRY];
	const struct fn_resolution *pw = &r->fn[FN_PIPE_WRITE];
	struct attach_check_bpf *skel = NULL;
	struct bpf_program *prog = NULL;
	struct bpf_link *link = NULL;
	int err;

	if (!r->kf.btf_present) {
		snprintf(ms->reason, sizeof(ms->reason),
			 "needs kernel BTF (%s)", VMLINUX_BTF_PATH);
		return;
	}
	for (int f = 0; f < FN_COUNT; f++) {
		if (!r->fn[f].in_btf) {
			snprintf(ms->reason, sizeof(ms->reason),
				 "%s is not a function in kernel BTF (inlined"
				 " or renamed)", r->fn[f].logical);
			return;
		}
	}
	skel = open_only(&prog, "probe_fentry");
	if (!skel || !prog) {
		snprintf(ms->reason, sizeof(ms->reason), "cannot open BPF object");
		goto out;
	}
	bpf_program__set_attach_target(prog, 0, pw->resolved);
	err = attach_check_bpf__load(skel);
	if (err) {
		load_failed(ms, &r->kf, err);
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		snprintf(ms->reason, sizeof(ms->reason), "attach refused: %s",
			 errno_name(errno));
		goto out;
	}
	trigger_pipe_write();
	if (skel->bss->fentry_hits == 0) {
		snprintf(ms->reason, sizeof(ms->reason),
			 "fentry on %s attached but did not fire on a pipe write",
			 pw->resolved);
		goto out;
	}
	ms->available = true;
	snprintf(ms->reason, sizeof(ms->reason),
		 "fentry on %s attached and fired", pw->resolved);
out:
	bpf_link__destroy(link);
	attach_check_bpf__destroy(skel);
}

static void probe_kprobe(struct probe_report *r)
{
	struct mode_status *ms = &r->mode[MODE_KPROBE];
	const struct fn_resolution *pw = &r->fn[FN_PIPE_WRITE];
	struct attach_check_bpf *skel = NULL;
	struct bpf_program *prog = NULL;
	struct bpf_link *link = NULL;
	char kprobes = kf_kconfig(&r->kf, "CONFIG_KPROBES");
	int err;

	if (kprobes == 'n') {
		snprintf(ms->reason, sizeof(ms->reason),
			 "kernel built without CONFIG_KPROBES (%s)",
			 r->kf.kconfig_path);
		return;
	}
	for (int f = 0; f < FN_COUNT; f++) {
		const struct fn_resolution *fr = &r->fn[f];

		if (!fr->resolved || fr->kallsyms == 0) {
			snprintf(ms->reason, sizeof(ms->reason),
				 "%s is not in /proc/kallsyms", fr->logical);
			return;
		}
		if (fr->kallsyms > 1) {
			snprintf(ms->reason, sizeof(ms->reason),
				 "%s appears %d times in /proc/kallsyms: a kprobe"
				 " by name could hit the wrong copy",
				 fr->resolved, fr->kallsyms);
			return;
		}
	}
	skel = open_only(&prog, "probe_kprobe");
	if (!skel || !prog) {
		snprintf(ms->reason, sizeof(ms->reason), "cannot open BPF object");
		goto out;
	}
	err = attach_check_bpf__load(skel);
	if (err) {
		load_failed(ms, &r->kf, err);
		goto out;
	}
	link = bpf_program__attach_kprobe(prog, false, pw->resolved);
	if (!link) {
		err = errno;
		snprintf(ms->reason, sizeof(ms->reason),
			 "kprobe on %s refused: %s%s", pw->resolved,
			 errno_name(err),
			 kprobes ? "" : " (no kernel config found to say why)");
		goto out;
	}
	trigger_pipe_write();
	if (skel->bss->kprobe_hits == 0) {
		snprintf(ms->reason, sizeof(ms->reason),
			 "kprobe on %s attached but did not fire on a pipe write",
			 pw->resolved);
		goto out;
	}
	ms->available = true;
	snprintf(ms->reason, sizeof(ms->reason),
		 "kprobe on %s attached and fired", pw->resolved);
out:
	bpf_link__destroy(link);
	attach_check_bpf__destroy(skel);
}

/* load + attach one probe program; hits read back after trigger() */
static int try_program(const struct kernel_facts *kf, const char *name,
		       void (*trigger)(void), char *why, size_t len)
{
	struct attach_check_bpf *skel;
	struct bpf_program *prog = NULL;
	struct bpf_link *link = NULL;
	__u64 hits = 0;
	int err;

	skel = open_only(&prog, name);
	if (!skel || !prog) {
		snprintf(why, len, "cannot open BPF object");
		attach_check_bpf__destroy(skel);
		return -1;
	}
	err = attach_check_bpf__load(skel);
	if (err) {
		struct mode_status ms;

		load_failed(&ms, kf, err);
		snprintf(why, len, "%s", ms.reason);
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		err = -errno;
		snprintf(why, len, "attach refused: %s", errno_name(errno));
		goto out;
	}
	trigger();
	if (strcmp(name, "probe_tp_btf") == 0)
		hits = skel->bss->tp_btf_hits;
	else if (strcmp(name, "probe_raw_tp") == 0)
		hits = skel->bss->raw_tp_hits;
	else
		hits = skel->bss->sys_exit_hits;
	err = hits ? 0 : -1;
	if (!hits)
		snprintf(why, len, "attached but did not fire");
out:
	bpf_link__destroy(link);
	attach_check_bpf__destroy(skel);
	return err;
}

static void probe_sched(struct probe_report *r)
{
	char why_btf[256] = "", why_raw[256] = "";

	r->switch_nargs = kf_tracepoint_nargs("sched_switch");
	if (r->kf.btf_present &&
	    try_program(&r->kf, "probe_tp_btf", trigger_switch, why_btf,
			sizeof(why_btf)) == 0) {
		r->sched = SCHED_TP_BTF;
		snprintf(r->sched_reason, sizeof(r->sched_reason),
			 "tp_btf sched_switch attached and fired");
		return;
	}
	if (try_program(&r->kf, "probe_raw_tp", trigger_switch, why_raw,
			sizeof(why_raw)) == 0) {
		r->sched = SCHED_RAW_TP;
		snprintf(r->sched_reason, sizeof(r->sched_reason),
			 "raw_tp sched_switch attached and fired (tp_btf: %s)",
			 r->kf.btf_present ? why_btf : "no kernel BTF");
		return;
	}
	r->sched = SCHED_NONE;
	snprintf(r->sched_reason, sizeof(r->sched_reason),
		 "sched_switch: tp_btf: %s; raw_tp: %s",
		 r->kf.btf_present ? why_btf : "no kernel BTF", why_raw);
}

static void probe_sys_exit(struct probe_report *r)
{
	char why[256] = "";

	r->sys_exit_ok = try_program(&r->kf, "probe_sys_exit",
				     trigger_pipe_write, why, sizeof(why)) == 0;
	snprintf(r->sys_exit_reason, sizeof(r->sys_exit_reason), "%s",
		 r->sys_exit_ok ? "raw_syscalls:sys_exit attached and fired" : why);
}

void probe_kernel(struct probe_report *r)
{
	resolve_functions(r);
	memset(r->mode, 0, sizeof(r->mode));

	probe_sched(r);
	probe_sys_exit(r);
	probe_fentry(r);
	probe_kprobe(r);

	/* every mode counts switches with the scheduler tracepoints */
	if (r->sched == SCHED_NONE) {
		for (int m = MODE_FENTRY; m < MODE_COUNT; m++) {
			if (!r->mode[m].available && r->mode[m].reason[0])
				continue;
			r->mode[m].available = false;
			snprintf(r->mode[m].reason, sizeof(r->mode[m].reason),
				 "scheduler tracepoints unusable: %.150s",
				 r->sched_reason);
		}
	} else {
		r->mode[MODE_TRACEPOINT].available = true;
		snprintf(r->mode[MODE_TRACEPOINT].reason,
			 sizeof(r->mode[MODE_TRACEPOINT].reason), "%s",
			 r->sched_reason);
	}

	r->selected = MODE_AUTO;
	for (int m = MODE_FENTRY; m < MODE_COUNT; m++) {
		if (r->mode[m].available) {
			r->selected = m;
			break;
		}
	}
}
