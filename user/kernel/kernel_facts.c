// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/btf.h>
#include "kernel_facts.h"

#define LOCKDOWN_PATH "/sys/kernel/security/lockdown"

/* "none [integrity] confidentiality" -> "integrity" */
void kf_lockdown_parse(const char *text, char *out, size_t len)
{
	const char *open = strchr(text, '['), *close;

	if (!open || !(close = strchr(open, ']'))) {
		snprintf(out, len, "unknown");
		return;
	}
	snprintf(out, len, "%.*s", (int)(close - open - 1), open + 1);
}

static int read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * Lockdown lives in securityfs, which many systems (this project's CI
 * machines among them) do not mount. Rather than mounting it on the host,
 * mount it in a private mount namespace of a short-lived child.
 */
static int lockdown_via_private_mount(char *buf, size_t len)
{
	int p[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		char text[256];

		close(p[0]);
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("securityfs", "/sys/kernel/security", "securityfs",
			  0, NULL) ||
		    read_small_file(LOCKDOWN_PATH, text, sizeof(text)))
			_exit(1);
		if (write(p[1], text, strlen(text)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], buf, len - 1);
	close(p[0]);
	waitpid(pid, &status, 0);
	if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	buf[n] = '\0';
	return 0;
}

static void collect_lockdown(struct kernel_facts *kf)
{
	char text[256];

	if (read_small_file(LOCKDOWN_PATH, text, sizeof(text)) == 0) {
		kf_lockdown_parse(text, kf->lockdown, sizeof(kf->lockdown));
		snprintf(kf->lockdown_how, sizeof(kf->lockdown_how),
			 "%s", LOCKDOWN_PATH);
		return;
	}
	if (access("/sys/kernel/security", F_OK) != 0) {
		snprintf(kf->lockdown, sizeof(kf->lockdown), "unknown");
		snprintf(kf->lockdown_how, sizeof(kf->lockdown_how),
			 "kernel has no securityfs");
		return;
	}
	if (lockdown_via_private_mount(text, sizeof(text)) == 0) {
		kf_lockdown_parse(text, kf->lockdown, sizeof(kf->lockdown));
		snprintf(kf->lockdown_how, sizeof(kf->lockdown_how),
			 "securityfs mounted in a private mount namespace");
		return;
	}
	snprintf(kf->lockdown, sizeof(kf->lockdown), "unknown");
	snprintf(kf->lockdown_how, sizeof(kf->lockdown_how),
		 "securityfs is not mounted and could not be mounted privately"
		 " (needs root); the kernel may have no lockdown LSM");
}

static void collect_caps(struct kernel_facts *kf)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];

	kf->cap_eff = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "CapEff:", 7) == 0) {
			kf->cap_eff = strtoull(line + 7, NULL, 16);
			break;
		}
	}
	fclose(f);
}

static void collect_kconfig_path(struct kernel_facts *kf)
{
	char boot[160];

	if (access("/proc/config.gz", R_OK) == 0) {
		snprintf(kf->kconfig_path, sizeof(kf->kconfig_path),
			 "/proc/config.gz");
		return;
	}
	snprintf(boot, sizeof(boot), "/boot/config-%s", kf->release);
	if (access(boot, R_OK) == 0)
		snprintf(kf->kconfig_path, sizeof(kf->kconfig_path), "%s", boot);
	else
		kf->kconfig_path[0] = '\0';
}

bool kf_version_says_rt(const char *version)
{
	char copy[256], *tok, *save = NULL;
	bool prev_preempt = false;

	snprintf(copy, sizeof(copy), "%s", version);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "PREEMPT_RT") || (prev_preempt && !strcmp(tok, "RT")))
			return true;
		prev_preempt = !strcmp(tok, "PREEMPT");
	}
	return false;
}

/*
 * PREEMPT_RT at run time, by the first of: /sys/kernel/realtime reading 1
 * (kernel/ksysfs.c of the RT patch set, which Debian's -rt kernels carry;
 * mainline, RT-capable since 6.12, has no such file), the uname version
 * naming PREEMPT_RT (scripts/mkcompile_h puts it into UTS_VERSION), the
 * kernel config saying CONFIG_PREEMPT_RT=y.
 */
static void collect_preempt_rt(struct kernel_facts *kf, const char *version)
{
	FILE *f = fopen("/sys/kernel/realtime", "re");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) == 1 && v == 1) {
			kf->preempt_rt = true;
			snprintf(kf->preempt_rt_how, sizeof(kf->preempt_rt_how),
				 "/sys/kernel/realtime");
		}
		fclose(f);
	}
	if (!kf->preempt_rt && kf_version_says_rt(version)) {
		kf->preempt_rt = true;
		snprintf(kf->preempt_rt_how, sizeof(kf->preempt_rt_how),
			 "uname version");
	}
	if (!kf->preempt_rt && kf_kconfig(kf, "CONFIG_PREEMPT_RT") == 'y') {
		kf->preempt_rt = true;
		snprintf(kf->preempt_rt_how, sizeof(kf->preempt_rt_how),
			 "kernel config");
	}
}

void kf_collect(struct kernel_facts *kf)
{
	struct utsname u;

	memset(kf, 0, sizeof(*kf));
	if (uname(&u) == 0) {
		snprintf(kf->release, sizeof(kf->release), "%s", u.release);
		snprintf(kf->machine, sizeof(kf->machine), "%s", u.machine);
	}
	kf->btf_present = access(VMLINUX_BTF_PATH, R_OK) == 0;
	kf->euid = geteuid();
	collect_caps(kf);
	collect_lockdown(kf);
	collect_kconfig_path(kf);
	collect_preempt_rt(kf, uname(&u) == 0 ? u.version : "");
}

bool kf_has_cap(const struct kernel_facts *kf, int cap)
{
	return (kf->cap_eff >> cap) & 1;
}

bool kf_can_trace(const struct kernel_facts *kf)
{
	return kf_has_cap(kf, KF_CAP_SYS_ADMIN) ||
	       (kf_has_cap(kf, KF_CAP_BPF) && kf_has_cap(kf, KF_CAP_PERFMON));
}

char kf_kconfig_parse_line(const char *line, const char *option)
{
	size_t olen = strlen(option);

	if (strncmp(line, "# ", 2) == 0 && strncmp(line + 2, option, olen) == 0 &&
	    strncmp(line + 2 + olen, " is not set", 11) == 0)
		return 'n';
	if (strncmp(line, option, olen) == 0 && line[olen] == '=') {
		char v = line[olen + 1];

		return (v == 'y' || v == 'm') ? v : 'n';
	}
	return 0;
}

char kf_kconfig(const struct kernel_facts *kf, const char *option)
{
	char line[512], found = 0;
	gzFile gz;

	if (!kf->kconfig_path[0])
		return 0;
	/* zlib reads plain text transparently, so /boot/config-* works too */
	gz = gzopen(kf->kconfig_path, "rb");
	if (!gz)
		return 0;
	while (!found && gzgets(gz, line, sizeof(line)))
		found = kf_kconfig_parse_line(line, option);
	gzclose(gz);
	return found ? found : 'n';
}

int kf_kallsyms_parse_line(const char *line, char *type, char *name,
			   size_t name_len)
{
	const char *p = strchr(line, ' '), *end;

	if (!p || !p[1] || p[2] != ' ')
		return -1;
	*type = p[1];
	p += 3;
	end = p + strcspn(p, " \t\n");
	if (end == p || (size_t)(end - p) >= name_len)
		return -1;
	memcpy(name, p, end - p);
	name[end - p] = '\0';
	return 0;
}

void kf_kallsyms_count(const char *const *names, int *counts, size_t n)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], name[256], type;
	size_t i;

	for (i = 0; i < n; i++)
		counts[i] = f ? 0 : -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (kf_kallsyms_parse_line(line, &type, name, sizeof(name)))
			continue;
		if (type != 't' && type != 'T')
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(name, names[i]) == 0)
				counts[i]++;
	}
	fclose(f);
}

static struct btf *vmlinux_btf;
static bool vmlinux_btf_tried;

static struct btf *kf_btf(void)
{
	if (!vmlinux_btf_tried) {
		vmlinux_btf_tried = true;
		/* libbpf 1.x: NULL and errno on failure */
		vmlinux_btf = btf__load_vmlinux_btf();
	}
	return vmlinux_btf;
}

bool kf_btf_has_func(const char *name)
{
	struct btf *btf = kf_btf();

	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

int kf_tracepoint_nargs(const char *tp)
{
	struct btf *btf = kf_btf();
	const struct btf_type *t;
	char name[128];
	int id;

	if (!btf)
		return -1;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, id);		/* typedef */
	t = btf__type_by_id(btf, t->type);	/* pointer */
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);	/* func proto: (void *, args...) */
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t) - 1;
}

void kf_btf_release(void)
{
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
	vmlinux_btf_tried = false;
}
