// SPDX-License-Identifier: GPL-2.0
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel_facts.h"
#include "serve_caps.h"

int serve_drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	__u64 keep = (1ULL << KF_CAP_BPF) | (1ULL << KF_CAP_PERFMON), have;

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	have = (__u64)data[0].permitted | (__u64)data[1].permitted << 32;
	keep &= have;
	data[0].effective = data[0].permitted = (__u32)keep;
	data[1].effective = data[1].permitted = (__u32)(keep >> 32);
	data[0].inheritable = data[1].inheritable = 0;
	/* ambient capabilities would pass to a program it exec()ed */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}
