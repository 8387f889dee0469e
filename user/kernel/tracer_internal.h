/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracer_internal.h - the loaded BPF side, shared by the loader
 * (tracer.c) and the readers of its maps (counters.c). Nothing outside
 * kernel/ sees this.
 */
#ifndef IPCTRACE_TRACER_INTERNAL_H
#define IPCTRACE_TRACER_INTERNAL_H

#include <bpf/libbpf.h>
#include "tracer.h"

struct tracer {
	struct ipctrace_bpf *skel;
	struct bpf_link *links[ATTACH_MAX_LINKS];
	int nlinks;
	struct tracer_opts opts;
	enum ipct_call_source calls;
	struct attach_report report;
	int stats_fd;		/* BPF_ENABLE_STATS: the kernel times our
				 * programs while it is open; -1 if refused */
	bool stats_on;		/* that, or kernel.bpf_stats_enabled was 1 */
};

#endif
