// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - ipctrace as users meet it: `probe` and its JSON, and bad
 * input or a missing privilege/feature giving one line that names the
 * problem and the fix, a non-zero exit, and no BPF program left behind.
 *
 * $IPCTRACE_EXPECT_MODE / $IPCTRACE_EXPECT_PIPE_WRITE, when set, are what
 * probe must select and resolve here (the VM: fentry and pipe_write).
 */
#include "tap_suite.h"
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <jansson.h>
#include "runcmd.h"

#define CAP_SYS_ADMIN_ 21
#define CAP_PERFMON_ 38
#define CAP_BPF_ 39

static struct cmd_result run2(const char *a1, const char *a2, const char *a3,
			      int (*before)(void))
{
	char *argv[] = { (char *)ipctrace_bin(), (char *)a1, (char *)a2,
			 (char *)a3, NULL };
	struct cmd_result r;

	ck_assert_int_eq(run_cmd(argv, before, &r), 0);
	return r;
}

/* a one-line error (runcmd.h), and nothing left attached */
static void assert_refused(const struct cmd_result *r, int status,
			   const char *needle1, const char *needle2)
{
	assert_one_line_error(r, "ipctrace", status, needle1, needle2);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
}

static json_t *probe_json(void)
{
	struct cmd_result r = run2("probe", "--json", NULL, NULL);
	json_error_t jerr;
	json_t *root;

	ck_assert_msg(r.status == 0, "probe --json exit %d: %s", r.status, r.err);
	root = json_loads(r.out, 0, &jerr);
	ck_assert_msg(root != NULL, "probe --json is not JSON: %s", jerr.text);
	cmd_result_free(&r);
	return root;
}

START_TEST(probe_json_selects_and_resolves)
{
	json_t *root = probe_json(), *modes, *fns, *m;
	const char *expect_mode = getenv("IPCTRACE_EXPECT_MODE");
	const char *expect_pw = getenv("IPCTRACE_EXPECT_PIPE_WRITE");
	const char *name, *first_available = NULL;
	static const char *const order[] = { "fentry", "kprobe", "tracepoint" };

	modes = json_object_get(root, "modes");
	fns = json_object_get(root, "functions");
	ck_assert(json_is_object(modes));
	ck_assert_int_eq(json_object_size(modes), 3);
	for (int i = 0; i < 3; i++) {
		m = json_object_get(modes, order[i]);
		ck_assert_msg(json_is_boolean(json_object_get(m, "available")),
			      "modes.%s.available missing", order[i]);
		ck_assert_msg(strlen(json_string_value(json_object_get(m, "reason"))) > 0,
			      "modes.%s.reason empty", order[i]);
		if (!first_available && json_is_true(json_object_get(m, "available")))
			first_available = order[i];
	}
	/* auto picks the first mode that works, in order of preference */
	name = json_string_value(json_object_get(root, "selected"));
	ck_assert_ptr_nonnull(first_available);
	ck_assert_str_eq(name, first_available);
	if (expect_mode)
		ck_assert_str_eq(name, expect_mode);
	ck_assert_int_eq(json_object_size(fns), 4);
	name = json_string_value(json_object_get(json_object_get(fns, "pipe_write"),
						 "resolved"));
	ck_assert_ptr_nonnull(name);
	if (expect_pw)
		ck_assert_str_eq(name, expect_pw);
	json_decref(root);
	ck_assert_int_eq(count_ipctrace_progs(), 0);
}
END_TEST

START_TEST(probe_text_names_selected_mode)
{
	struct cmd_result r = run2("probe", NULL, NULL, NULL);
	const char *expect_mode = getenv("IPCTRACE_EXPECT_MODE");
	char want[64];

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "attach modes"));
	if (expect_mode) {
		snprintf(want, sizeof(want), "selected: %s\n", expect_mode);
		ck_assert_msg(strstr(r.out, want), "'%s' not in: %s", want, r.out);
	}
	cmd_result_free(&r);
}
END_TEST

START_TEST(unknown_attach_value)
{
	struct cmd_result r = run2("probe", "--attach", "bogus", NULL);

	assert_refused(&r, 2, "unknown --attach value 'bogus'",
			      "auto, fentry, kprobe or tracepoint");
	cmd_result_free(&r);
}
END_TEST

START_TEST(unknown_command)
{
	struct cmd_result r = run2("frobnicate", NULL, NULL, NULL);

	assert_refused(&r, 2, "unknown command 'frobnicate'",
			      "ipctrace --help");
	cmd_result_free(&r);
}
END_TEST

/* forcing each mode: the unavailable ones fail with probe's reason */
START_TEST(forced_modes_work_or_fail_clearly)
{
	json_t *root = probe_json(), *modes = json_object_get(root, "modes");
	static const char *const order[] = { "fentry", "kprobe", "tracepoint" };

	for (int i = 0; i < 3; i++) {
		json_t *m = json_object_get(modes, order[i]);
		struct cmd_result r = run2("probe", "--attach", order[i], NULL);

		if (json_is_true(json_object_get(m, "available"))) {
			ck_assert_msg(r.status == 0, "--attach %s: exit %d: %s",
				      order[i], r.status, r.err);
		} else {
			char want[300];

			snprintf(want, sizeof(want), "--attach %s is not available on"
				 " this kernel: %s", order[i],
				 json_string_value(json_object_get(m, "reason")));
			assert_refused(&r, 1, want, "use --attach auto");
		}
		cmd_result_free(&r);
	}
	json_decref(root);
}
END_TEST

START_TEST(not_root)
{
	struct cmd_result r = run2("probe", NULL, NULL, become_nobody);

	assert_refused(&r, 1, "needs root, or CAP_BPF and CAP_PERFMON",
			      "run it with sudo");
	cmd_result_free(&r);
}
END_TEST

/* root, but CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN out of the bounding set:
 * exec then grants root everything except them */
static int drop_bpf_caps(void)
{
	return prctl(PR_CAPBSET_DROP, CAP_BPF_, 0, 0, 0) ||
	       prctl(PR_CAPBSET_DROP, CAP_PERFMON_, 0, 0, 0) ||
	       prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN_, 0, 0, 0);
}

START_TEST(root_without_bpf_caps)
{
	struct cmd_result r = run2("probe", "--json", NULL, drop_bpf_caps);

	assert_refused(&r, 1, "missing: CAP_BPF CAP_PERFMON", "sudo");
	cmd_result_free(&r);
}
END_TEST

/* hide /sys/kernel/btf in a private mount namespace of the child */
static int hide_btf(void)
{
	return unshare(CLONE_NEWNS) ||
	       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	       mount("none", "/sys/kernel/btf", "tmpfs", 0, NULL);
}

START_TEST(no_btf)
{
	struct cmd_result r = run2("probe", NULL, NULL, hide_btf);

	assert_refused(&r, 1, "/sys/kernel/btf/vmlinux is missing",
			      "CONFIG_DEBUG_INFO_BTF=y");
	cmd_result_free(&r);
}
END_TEST

START_TEST(version_and_help)
{
	struct cmd_result r = run2("--version", NULL, NULL, NULL);

	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "ipctrace "));
	cmd_result_free(&r);
	r = run2("probe", "--help", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--attach"));
	cmd_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 600);	/* a hang guard for slow emulated VMs */
	tcase_add_test(tc, probe_json_selects_and_resolves);
	tcase_add_test(tc, probe_text_names_selected_mode);
	tcase_add_test(tc, unknown_attach_value);
	tcase_add_test(tc, unknown_command);
	tcase_add_test(tc, forced_modes_work_or_fail_clearly);
	tcase_add_test(tc, not_root);
	tcase_add_test(tc, root_without_bpf_caps);
	tcase_add_test(tc, no_btf);
	tcase_add_test(tc, version_and_help);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
