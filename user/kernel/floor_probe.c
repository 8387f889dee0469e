// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"
#include "floor_probe.h"
#include "prog_stats.h"

struct floor_probe {
	struct floor_bpf *skel;
	int stats_fd;		/* BPF_ENABLE_STATS, held while attached */
	bool stats_on;
};

int floor_start(struct floor_probe **out, bool tp_btf, char *err, size_t errlen)
{
	struct floor_probe *f = calloc(1, sizeof(*f));
	int ret;

	*out = NULL;
	if (!f)
		return -ENOMEM;
	f->stats_fd = -1;
	f->skel = floor_bpf__open();
	if (!f->skel) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the floor programs: %s", strerror(-ret));
		goto fail;
	}
	/* the pair of the program type ipctrace itself would load */
	bpf_program__set_autoload(f->skel->progs.floor_tp_btf_sched_switch, tp_btf);
	bpf_program__set_autoload(f->skel->progs.floor_tp_btf_sched_waking, tp_btf);
	bpf_program__set_autoload(f->skel->progs.floor_raw_tp_sched_switch, !tp_btf);
	bpf_program__set_autoload(f->skel->progs.floor_raw_tp_sched_waking, !tp_btf);
	ret = floor_bpf__load(f->skel);
	if (!ret)
		ret = floor_bpf__attach(f->skel);
	if (ret) {
		snprintf(err, errlen, "cannot load or attach the floor programs: %s",
			 strerror(-ret));
		goto fail;
	}
	f->stats_fd = prog_stats_enable(&f->stats_on);
	*out = f;
	return 0;
fail:
	floor_stop(f);
	return ret;
}

void floor_cost(struct floor_probe *f, struct observer_cost *out)
{
	memset(out, 0, sizeof(*out));
	out->measured = f->stats_on;
	/* floor_tp_btf_sched_switch reads as sched_switch in the tables */
	prog_stats_of_object(f->skel->obj, strlen("floor_"), out);
}

void floor_stop(struct floor_probe *f)
{
	if (!f)
		return;
	floor_bpf__destroy(f->skel);
	if (f->stats_fd >= 0)
		close(f->stats_fd);
	free(f);
}
