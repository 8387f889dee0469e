// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "prog_stats.h"
#include "sysctl.h"

int prog_stats_enable(bool *on)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	*on = fd >= 0 || read_sysctl("/proc/sys/kernel/bpf_stats_enabled") == 1;
	return fd;
}

void prog_stats_append(const struct bpf_program *prog, const char *name,
		       struct observer_cost *out)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(prog);
	struct prog_cost *p;

	if (fd < 0 || out->nprogs == OBS_MAX_PROGS ||
	    bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	p = &out->prog[out->nprogs++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->run_ns = info.run_time_ns;
	p->run_cnt = info.run_cnt;
}

void prog_stats_of_object(const struct bpf_object *obj, size_t strip,
			  struct observer_cost *out)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		prog_stats_append(prog, strlen(name) > strip ? name + strip : name, out);
	}
}
