// SPDX-License-Identifier: GPL-2.0
/* test_kernel_facts.c - parsing what the kernel's files say */
#include <string.h>
#include "attach_modes.h"
#include "kernel_facts.h"
#include "tap_suite.h"

START_TEST(kconfig_lines)
{
	ck_assert_int_eq(kf_kconfig_parse_line("CONFIG_KPROBES=y\n", "CONFIG_KPROBES"), 'y');
	ck_assert_int_eq(kf_kconfig_parse_line("CONFIG_KPROBES=m\n", "CONFIG_KPROBES"), 'm');
	ck_assert_int_eq(kf_kconfig_parse_line("# CONFIG_KPROBES is not set\n",
					       "CONFIG_KPROBES"), 'n');
	/* a longer option with the same prefix is a different option */
	ck_assert_int_eq(kf_kconfig_parse_line("CONFIG_KPROBES_ON_FTRACE=y\n",
					       "CONFIG_KPROBES"), 0);
	ck_assert_int_eq(kf_kconfig_parse_line("# CONFIG_KPROBES_SANITY_TEST is not set\n",
					       "CONFIG_KPROBES"), 0);
	ck_assert_int_eq(kf_kconfig_parse_line("CONFIG_HZ=250\n", "CONFIG_HZ"), 'n');
}
END_TEST

/* PREEMPT_RT from the uname version: whole words only */
START_TEST(rt_from_the_uname_version)
{
	ck_assert(kf_version_says_rt("#1 SMP PREEMPT_RT Debian 6.1.158-1 (2025-11-09)"));
	ck_assert(kf_version_says_rt("#1 SMP PREEMPT RT Fri Jan 1 00:00:00 UTC 2021"));
	ck_assert(!kf_version_says_rt("#1 SMP PREEMPT_DYNAMIC @0"));
	ck_assert(!kf_version_says_rt("#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1"));
	ck_assert(!kf_version_says_rt("#1 SMP PREEMPT Debian RTX"));
	ck_assert(!kf_version_says_rt(""));
}
END_TEST

START_TEST(kallsyms_lines)
{
	char type, name[64];

	ck_assert_int_eq(kf_kallsyms_parse_line("ffffffff816c9250 t anon_pipe_write\n",
						&type, name, sizeof(name)), 0);
	ck_assert_int_eq(type, 't');
	ck_assert_str_eq(name, "anon_pipe_write");
	ck_assert_int_eq(kf_kallsyms_parse_line("0000000000000000 T unix_stream_sendmsg\t[unix]\n",
						&type, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "unix_stream_sendmsg");
	ck_assert_int_ne(kf_kallsyms_parse_line("garbage\n", &type, name, sizeof(name)), 0);
	ck_assert_int_ne(kf_kallsyms_parse_line("ffff t\n", &type, name, sizeof(name)), 0);
}
END_TEST

START_TEST(lockdown_text)
{
	char out[32];

	kf_lockdown_parse("none [integrity] confidentiality\n", out, sizeof(out));
	ck_assert_str_eq(out, "integrity");
	kf_lockdown_parse("[none] integrity confidentiality\n", out, sizeof(out));
	ck_assert_str_eq(out, "none");
	kf_lockdown_parse("weird\n", out, sizeof(out));
	ck_assert_str_eq(out, "unknown");
}
END_TEST

START_TEST(attach_mode_names_round_trip)
{
	enum attach_mode m;

	for (int i = 0; i < MODE_COUNT; i++) {
		ck_assert_int_eq(attach_mode_parse(attach_mode_name(i), &m), 0);
		ck_assert_int_eq(m, i);
	}
	ck_assert_int_ne(attach_mode_parse("kprobes", &m), 0);
	ck_assert_int_ne(attach_mode_parse("", &m), 0);
}
END_TEST

START_TEST(capability_logic)
{
	struct kernel_facts kf = { 0 };

	ck_assert(!kf_can_trace(&kf));
	kf.cap_eff = 1ULL << KF_CAP_BPF;
	ck_assert(!kf_can_trace(&kf));
	kf.cap_eff |= 1ULL << KF_CAP_PERFMON;
	ck_assert(kf_can_trace(&kf));
	kf.cap_eff = 1ULL << KF_CAP_SYS_ADMIN;	/* kernels before 5.8 */
	ck_assert(kf_can_trace(&kf));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kernel_facts");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, kconfig_lines);
	tcase_add_test(tc, rt_from_the_uname_version);
	tcase_add_test(tc, kallsyms_lines);
	tcase_add_test(tc, lockdown_text);
	tcase_add_test(tc, attach_mode_names_round_trip);
	tcase_add_test(tc, capability_logic);
	suite_add_tcase(s, tc);
	return run_suite_tap(s);
}
