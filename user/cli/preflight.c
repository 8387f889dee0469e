// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "preflight.h"

int preflight_privileges_and_btf(const struct kernel_facts *kf)
{
	if (!kf_can_trace(kf)) {
		char missing[64] = "";

		if (!kf_has_cap(kf, KF_CAP_BPF))
			strcat(missing, " CAP_BPF");
		if (!kf_has_cap(kf, KF_CAP_PERFMON))
			strcat(missing, " CAP_PERFMON");
		pr_err("needs root, or CAP_BPF and CAP_PERFMON (missing:%s%s);"
		       " run it with sudo\n", missing,
		       kf->euid ? ", not running as root" : "");
		return EXIT_ENV;
	}
	if (!kf->btf_present) {
		pr_err("%s is missing: this kernel has no BTF type information,"
		       " which ipctrace needs for CO-RE; boot a kernel built with"
		       " CONFIG_DEBUG_INFO_BTF=y (most distribution kernels"
		       " since 2020 are)\n", VMLINUX_BTF_PATH);
		return EXIT_ENV;
	}
	return 0;
}

enum attach_mode preflight_pick_mode(const struct probe_report *r,
				     enum attach_mode requested)
{
	char avail[64] = "";

	if (requested == MODE_AUTO) {
		if (r->selected == MODE_AUTO)
			pr_err("no attach mode works on this kernel: fentry: %s;"
			       " kprobe: %s; tracepoint: %s\n",
			       r->mode[MODE_FENTRY].reason,
			       r->mode[MODE_KPROBE].reason,
			       r->mode[MODE_TRACEPOINT].reason);
		return r->selected;
	}
	if (r->mode[requested].available)
		return requested;
	for (int m = MODE_FENTRY; m < MODE_COUNT; m++) {
		if (!r->mode[m].available)
			continue;
		strcat(avail, avail[0] ? ", " : "");
		strcat(avail, attach_mode_name(m));
	}
	pr_err("--attach %s is not available on this kernel: %s; use --attach"
	       " auto%s%s\n", attach_mode_name(requested),
	       r->mode[requested].reason, avail[0] ? " or one of: " : "", avail);
	return MODE_AUTO;
}
