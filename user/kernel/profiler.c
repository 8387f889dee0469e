// SPDX-License-Identifier: GPL-2.0
/*
 * profiler.c - the loader and reader of bpf/profile.bpf.c (see profiler.h).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ksyms.h"
#include "profile.h"
#include "profiler.h"
#include "profile.skel.h"
#include "prog_stats.h"
#include "umaps.h"

#define MAX_CPUS 1024

struct profiler {
	struct profile_bpf *skel;
	struct bpf_link *links[MAX_CPUS];
	int pfds[MAX_CPUS];		/* the links' perf events (they own them) */
	unsigned int nlinks;
	struct ksyms *ksyms;
	unsigned int hz;
	uint64_t t_start_ns;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* the online CPUs, from "0-3,6" in /sys; how many, or -1 */
static int online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	char buf[512], *p, *tok;
	int n = 0;

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (tok = strtok_r(buf, ",\n", &p); tok; tok = strtok_r(NULL, ",\n", &p)) {
		int lo, hi;

		if (sscanf(tok, "%d-%d", &lo, &hi) != 2)
			hi = lo = atoi(tok);
		for (int c = lo; c <= hi && n < max; c++)
			cpus[n++] = c;
	}
	return n;
}

static int open_cpu_clock(int cpu, unsigned int hz)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		/* for the hrtimer-driven software clocks the kernel turns a
		 * frequency into the fixed period 1/hz (perf_swevent_init_hrtimer) */
		.freq = 1,
		.sample_freq = hz,
		.disabled = 1,
	};

	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* every CPU gets one event and the program on it */
static int attach_cpus(struct profiler *p, char *why, size_t len)
{
	static int cpus[MAX_CPUS];
	int n = online_cpus(cpus, MAX_CPUS);

	if (n <= 0) {
		snprintf(why, len, "cannot read"
			 " /sys/devices/system/cpu/online");
		return -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		int fd = open_cpu_clock(cpus[i], p->hz), err;
		struct bpf_link *l;

		if (fd < 0) {
			err = -errno;
			snprintf(why, len, "perf_event_open of the"
				 " software cpu-clock event on CPU %d failed: %s%s", cpus[i],
				 strerror(-err), err == -EACCES || err == -EPERM ?
				 " (needs CAP_PERFMON or root; kernel.perf_event_paranoid)" :
				 err == -ENOENT || err == -ENODEV || err == -ENOSYS ?
				 " (a kernel without perf events?)" : "");
			return err;
		}
		l = bpf_program__attach_perf_event(p->skel->progs.on_cpu_sample, fd);
		if (!l) {
			err = -errno;
			close(fd);
			snprintf(why, len, "attaching the perf_event"
				 " program on CPU %d failed: %s", cpus[i], strerror(-err));
			return err;
		}
		p->pfds[p->nlinks] = fd;
		p->links[p->nlinks++] = l;	/* the link owns fd now */
	}
	return 0;
}

int profiler_start(struct profiler **out, struct tracer *t,
		   const struct profiler_opts *o, char *why, size_t len)
{
	struct profiler *p = calloc(1, sizeof(*p));
	int err;

	*out = NULL;
	if (!p) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	p->hz = o->hz ? o->hz : IPCT_PROF_HZ;
	p->skel = profile_bpf__open();
	if (!p->skel) {
		err = -errno;
		snprintf(why, len, "cannot open its BPF object: %s",
			 strerror(-err));
		goto fail;
	}
	p->skel->rodata->filter_tid = o->filter_tid;
	p->skel->rodata->filter_cgroup = o->filter_cgroup;
	/* what the tracer watches, the profile samples: one array for both */
	err = bpf_map__reuse_fd(p->skel->maps.watched, tracer_watched_map_fd(t));
	if (err) {
		snprintf(why, len, "cannot share the watched"
			 " processes map: %s", strerror(-err));
		goto fail;
	}
	bpf_map__set_max_entries(p->skel->maps.prof_counts, 32768);
	bpf_map__set_max_entries(p->skel->maps.prof_kstacks, 16384);
	bpf_map__set_max_entries(p->skel->maps.prof_ustacks, 16384);
	err = profile_bpf__load(p->skel);
	if (err) {
		snprintf(why, len, "the kernel refused its"
			 " perf_event program: %s (run with -v for the verifier's"
			 " words)", strerror(-err));
		goto fail;
	}
	/* before attaching: the tracer's programs are in kallsyms already */
	p->ksyms = ksyms_load();
	err = attach_cpus(p, why, len);
	if (err)
		goto fail;
	p->t_start_ns = mono_ns();
	*out = p;
	return 0;
fail:
	profiler_stop(p);
	return err;
}

/*
 * Disabling a CPU's event runs on that CPU with interrupts off, after any
 * firing of its timer there has finished: once every ioctl has returned,
 * no sample is in flight and the counts are final.
 */
void profiler_pause(struct profiler *p)
{
	for (unsigned int i = 0; p && i < p->nlinks; i++)
		ioctl(p->pfds[i], PERF_EVENT_IOC_DISABLE, 0);
}

void profiler_stop(struct profiler *p)
{
	if (!p)
		return;
	for (unsigned int i = 0; i < p->nlinks; i++)
		bpf_link__destroy(p->links[i]);
	profile_bpf__destroy(p->skel);
	ksyms_free(p->ksyms);
	free(p);
}

/* every key of a hash map, collected first, so deleting cannot skip any */
static int map_keys(int fd, size_t ksz, char **keys, size_t *n)
{
	size_t cap = 256;
	char *k = malloc(cap * ksz), *prev = NULL;

	*n = 0;
	while (k) {
		if (*n == cap) {
			char *nk = realloc(k, 2 * cap * ksz);

			if (!nk)
				break;
			k = nk;
			cap *= 2;
		}
		prev = *n ? k + (*n - 1) * ksz : NULL;
		if (bpf_map_get_next_key(fd, prev, k + *n * ksz))
			break;
		(*n)++;
	}
	*keys = k;
	return k ? 0 : -ENOMEM;
}

static void clear_map(struct bpf_map *m)
{
	int fd = bpf_map__fd(m);
	size_t ksz = bpf_map__key_size(m), n;
	char *keys;

	if (map_keys(fd, ksz, &keys, &n))
		return;
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(fd, keys + i * ksz);
	free(keys);
}

void profiler_reset(struct profiler *p)
{
	clear_map(p->skel->maps.prof_counts);
	clear_map(p->skel->maps.prof_kstacks);
	clear_map(p->skel->maps.prof_ustacks);
}

/* append s to a growing ';'-joined string */
static int join(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t sl = strlen(s), need = *len + sl + 2;

	if (need > *cap) {
		size_t ncap = *cap ? *cap : 256;
		char *nb;

		while (ncap < need)
			ncap *= 2;
		nb = realloc(*buf, ncap);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	if (*len)
		(*buf)[(*len)++] = ';';
	memcpy(*buf + *len, s, sl + 1);
	*len += sl;
	return 0;
}

/* kernel frames, root first; "" when the stack is gone */
static char *kernel_frames(struct profiler *p, __u64 hash)
{
	struct ipct_prof_kstack ks;
	char *buf = NULL, hex[24];
	size_t len = 0, cap = 0;

	if (!hash || bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.prof_kstacks),
					 &hash, &ks))
		return strdup("");
	for (int i = (int)(ks.n < IPCT_PROF_KDEPTH ? ks.n : IPCT_PROF_KDEPTH) - 1;
	     i >= 0; i--) {
		const char *name = p->ksyms ? ksyms_name(p->ksyms, ks.ip[i]) : NULL;

		if (!name) {
			snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)ks.ip[i]);
			name = hex;
		}
		if (join(&buf, &len, &cap, name)) {
			free(buf);
			return NULL;
		}
	}
	return buf ? buf : strdup("");
}

/* the user stack of hash, looked up once per sample key; false if gone */
static bool user_stack(struct profiler *p, __u64 hash, struct ipct_prof_ustack *us)
{
	return hash && !bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.prof_ustacks),
					    &hash, us);
}

/*
 * User frames, root first. The first (the sampled instruction, or the
 * syscall's return address) is always kept; a later one that lies in no
 * executable mapping ends the walk: without frame pointers it is noise.
 * Each frame is named once, leaf first, then joined root first.
 */
static char *user_frames(struct umaps *um, pid_t tgid,
			 const struct ipct_prof_ustack *us)
{
	char *buf = NULL, names[IPCT_PROF_UDEPTH][96];
	size_t len = 0, cap = 0;
	int n = 0;

	if (!us)
		return strdup("");
	for (int i = 0; i < (int)us->n && i < IPCT_PROF_UDEPTH; i++, n++)
		if (!umaps_name(um, tgid, us->ip[i], names[i], sizeof(names[i])) && i > 0)
			break;
	for (int i = n - 1; i >= 0; i--) {
		if (join(&buf, &len, &cap, names[i])) {
			free(buf);
			return NULL;
		}
	}
	return buf ? buf : strdup("");
}

/*
 * A user-mode sample at the instruction right after a `syscall` (0f 05):
 * the timer expired while the kernel returned to user space with
 * interrupts off, and fired at the first instruction they were on again.
 * It stands for the syscall's exit, not for user code: such samples get
 * the pseudo kernel frame "[syscall_return]" (user/analysis/mechanisms.c).
 */
static bool at_syscall_return(pid_t tgid, __u64 ip)
{
	unsigned char insn[2];
	struct iovec local = { insn, sizeof(insn) };
	struct iovec remote = { (void *)(uintptr_t)(ip - 2), sizeof(insn) };

	if (ip < 2 || process_vm_readv(tgid, &local, 1, &remote, 1, 0) != 2)
		return false;
	return insn[0] == 0x0f && insn[1] == 0x05;
}

int profiler_read(struct profiler *p, int (*keep)(__u32 tid, void *arg),
		  void *arg, bool by_thread, struct prof_samples *out)
{
	int cfd = bpf_map__fd(p->skel->maps.prof_counts);
	struct umaps *um = umaps_new();
	struct ipct_prof_key *keys;
	size_t n;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!um || map_keys(cfd, sizeof(*keys), (char **)&keys, &n)) {
		umaps_free(um);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n && !ret; i++) {
		struct prof_stack st = { .tgid = keys[i].tgid, .tid = keys[i].tid,
					 .role = -1, .user_mode = keys[i].user_mode };
		struct ipct_prof_ustack us;
		bool have_us;
		__u64 count;

		if (keep) {
			st.role = keep(keys[i].tid, arg);
			if (st.role < -1)
				continue;
		}
		if (bpf_map_lookup_elem(cfd, &keys[i], &count))
			continue;
		st.samples = count;
		have_us = user_stack(p, keys[i].ustack, &us);
		if (st.user_mode && have_us && us.n &&
		    at_syscall_return((pid_t)st.tgid, us.ip[0])) {
			st.user_mode = false;
			st.kframes = strdup("[syscall_return]");
		} else {
			st.kframes = kernel_frames(p, keys[i].kstack);
		}
		st.uframes = user_frames(um, (pid_t)keys[i].tgid, have_us ? &us : NULL);
		if (!st.kframes || !st.uframes || prof_samples_add(out, &st, by_thread))
			ret = -1;
		free(st.kframes);
		free(st.uframes);
	}
	free(keys);
	umaps_free(um);
	if (ret)
		errno = ENOMEM;
	return ret;
}

void profiler_info(struct profiler *p, struct profile_info *out)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(p->skel->progs.on_cpu_sample);

	memset(out, 0, sizeof(*out));
	out->requested = out->available = true;
	out->hz = p->hz;
	out->frames_unnamed = p->ksyms == NULL;
	out->ncpus = p->nlinks;
	out->ticks = __atomic_load_n(&p->skel->bss->prof_ticks, __ATOMIC_RELAXED);
	out->samples = __atomic_load_n(&p->skel->bss->prof_samples, __ATOMIC_RELAXED);
	out->sample_ns = __atomic_load_n(&p->skel->bss->prof_sample_ns, __ATOMIC_RELAXED);
	for (int d = 0; d < IPCT_PROF_DROP_COUNT; d++)
		out->lost += __atomic_load_n(&p->skel->bss->prof_drops[d],
					     __ATOMIC_RELAXED);
	out->seconds = (double)(mono_ns() - p->t_start_ns) / 1e9;
	if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len)) {
		out->run_ns = info.run_time_ns;
		out->run_cnt = info.run_cnt;
	}
}

void profiler_observer_cost(struct profiler *p, struct observer_cost *out)
{
	prog_stats_append(p->skel->progs.on_cpu_sample,
			  bpf_program__name(p->skel->progs.on_cpu_sample), out);
}
