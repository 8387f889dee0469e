// SPDX-License-Identifier: GPL-2.0
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "json_text.h"
#include "meta.h"
#include "results_schema.h"
#include "sysctl.h"

const char *const meta_sysctls[] = {
	"fs/pipe-max-size", "fs/pipe-user-pages-soft", "net/core/wmem_default",
	"net/core/wmem_max", "net/core/rmem_default", "net/core/rmem_max", NULL,
};

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
}

void meta_virtualization(char *buf, size_t len)
{
	unsigned int a, b, c, d;
	char vendor[13];

	/* CPUID.1:ECX bit 31: running under a hypervisor */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31))) {
		snprintf(buf, len, "none");
		return;
	}
	__cpuid(0x40000000, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	vendor[12] = '\0';
	if (!strcmp(vendor, "KVMKVMKVM"))
		snprintf(buf, len, "kvm");
	else if (!strcmp(vendor, "TCGTCGTCGTCG"))
		snprintf(buf, len, "qemu-tcg");
	else if (!strcmp(vendor, "Microsoft Hv"))
		snprintf(buf, len, "hyperv");
	else if (!strcmp(vendor, "VMwareVMware"))
		snprintf(buf, len, "vmware");
	else if (!strcmp(vendor, "XenVMMXenVMM"))
		snprintf(buf, len, "xen");
	else
		snprintf(buf, len, "hypervisor '%s'", vendor);
}

json_t *meta_json(const struct run_meta *m, const char *started, bool partial)
{
	json_t *o = json_object(), *sys = json_object();
	char cmdline[4096], model[256], virt[64], host[256] = "";
	struct utsname u;

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	cpu_model(model, sizeof(model));
	meta_virtualization(virt, sizeof(virt));
	for (int i = 0; meta_sysctls[i]; i++) {
		char path[128], name[64];

		snprintf(path, sizeof(path), "/proc/sys/%s", meta_sysctls[i]);
		snprintf(name, sizeof(name), "%s", meta_sysctls[i]);
		for (char *p = name; *p; p++)
			if (*p == '/')
				*p = '.';
		json_object_set_new(sys, name, json_integer(read_sysctl(path)));
	}
	json_object_set_new(o, "format", json_string("ipctrace-meta"));
	json_object_set_new(o, "format_version", json_integer(RESULTS_FORMAT_VERSION));
	json_object_set_new(o, "ipctrace_version", json_string(IPCTRACE_VERSION));
	json_object_set_new(o, "git_revision", json_string(IPCTRACE_GIT_REV));
	json_object_set_new(o, "host", json_text(host));
	json_object_set_new(o, "kernel", json_pack("{s:o, s:o, s:o, s:o}",
		"release", json_text(u.release), "version", json_text(u.version),
		"machine", json_text(u.machine), "cmdline", json_text(cmdline)));
	json_object_set_new(o, "cpu", json_pack("{s:o, s:I, s:I}", "model", json_text(model),
		"cores_online", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN),
		"cores_configured", (json_int_t)sysconf(_SC_NPROCESSORS_CONF)));
	json_object_set_new(o, "virtualization", json_string(virt));
	json_object_set_new(o, "attach", attach_report_json(&m->attach));
	json_object_set_new(o, "sysctls", sys);
	json_object_set_new(o, "command_line", json_text(m->cmdline));
	json_object_set_new(o, "workers", json_text(m->identity));
	json_object_set_new(o, "started", json_string(started));
	json_object_set_new(o, "partial", json_boolean(partial));
	return o;
}
