// SPDX-License-Identifier: GPL-2.0
/* cmd_probe.c - `ipctrace probe`: what this kernel offers ipctrace. */
#include <argp.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "arg_quote.h"
#include "commands.h"
#include "log.h"
#include "preflight.h"

struct probe_args {
	struct common_args common;
	bool json;
	char why[WHY_MIN];
};

static const struct argp_option probe_options[] = {
	{ "json", 'j', NULL, 0, "Print one JSON document", 0 },
	COMMON_OPTIONS,
	{ 0 },
};

static error_t probe_parse(int key, char *arg, struct argp_state *state)
{
	struct probe_args *a = state->input;

	switch (key) {
	case 'j':
		a->json = true;
		return 0;
	case ARGP_KEY_ARG:
		snprintf(a->why, sizeof(a->why), "unexpected argument '%s': probe takes"
			 " options only", QUOTE(arg));
		return EINVAL;
	default:
		return common_parse(&a->common, key, arg, state);
	}
}

static const char probe_doc[] =
	"Show what the running kernel offers ipctrace.\n"
	"\n"
	"Prints the kernel release, BTF, lockdown and capabilities; each kernel"
	" function ipctrace probes and the name it has on this kernel; and each"
	" attach mode, proven by loading and attaching a tiny program and"
	" watching it fire, with the exact reason when it fails.\n"
	"\v"
	"Examples:\n"
	"  sudo ipctrace probe            # human-readable\n"
	"  sudo ipctrace probe --json     # one JSON document\n";

static const char *caps_text(const struct kernel_facts *kf, char *buf,
			     size_t len)
{
	static const struct { int cap; const char *name; } caps[] = {
		{ KF_CAP_BPF, "CAP_BPF" },
		{ KF_CAP_PERFMON, "CAP_PERFMON" },
		{ KF_CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
		{ KF_CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE" },
		{ KF_CAP_NET_ADMIN, "CAP_NET_ADMIN" },
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (kf_has_cap(kf, caps[i].cap))
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      caps[i].name);
	if (!n)
		snprintf(buf, len, "none of CAP_BPF CAP_PERFMON CAP_SYS_ADMIN");
	return buf;
}

static const char *sched_name(enum sched_flavour s)
{
	return s == SCHED_TP_BTF ? "tp_btf" : s == SCHED_RAW_TP ? "raw_tp" : "none";
}

static void print_text(const struct probe_report *r)
{
	const struct kernel_facts *kf = &r->kf;
	char caps[160];

	printf("kernel        %s (%s)\n", kf->release, kf->machine);
	printf("BTF           %s\n", kf->btf_present ? "yes (" VMLINUX_BTF_PATH ")" :
						    "no (" VMLINUX_BTF_PATH " missing)");
	printf("lockdown      %s (%s)\n", kf->lockdown, kf->lockdown_how);
	printf("capabilities  %s (euid %u)\n", caps_text(kf, caps, sizeof(caps)),
	       kf->euid);
	printf("kernel config %s\n", kf->kconfig_path[0] ? kf->kconfig_path :
				      "not found (/proc/config.gz, /boot/config-*)");
	printf("\nfunctions\n");
	for (int f = 0; f < FN_COUNT; f++) {
		const struct fn_resolution *fr = &r->fn[f];
		char ks[48];

		if (fr->kallsyms < 0)
			snprintf(ks, sizeof(ks), "kallsyms unreadable");
		else
			snprintf(ks, sizeof(ks), "kallsyms %d%s", fr->kallsyms,
				 fr->kallsyms == 1 ? " (unique)" : "");
		printf("  %-20s -> %-20s BTF %-3s  %s\n", fr->logical,
		       fr->resolved ? fr->resolved : "(not found)",
		       fr->in_btf ? "yes" : "no", ks);
	}
	printf("\nscheduler     %s sched_switch (prev_state argument: %s)\n"
	       "              %s\n",
	       sched_name(r->sched), r->switch_nargs >= 4 ? "yes" : "no",
	       r->sched_reason);
	printf("syscalls      %s: %s\n", r->sys_exit_ok ? "yes" : "no",
	       r->sys_exit_reason);
	printf("\nattach modes\n");
	for (int m = MODE_FENTRY; m < MODE_COUNT; m++)
		printf("  %-11s %-4s %s\n", attach_mode_name(m),
		       r->mode[m].available ? "yes" : "no", r->mode[m].reason);
	printf("\nselected: %s\n", r->selected == MODE_AUTO ? "none" :
			       attach_mode_name(r->selected));
}

static int print_json(const struct probe_report *r)
{
	const struct kernel_facts *kf = &r->kf;
	json_t *root = json_object(), *fns = json_object(), *modes = json_object();
	char caps[160];
	int ret;

	json_object_set_new(root, "kernel", json_pack(
		"{s:s, s:s, s:b, s:s, s:s, s:s, s:I, s:s?}",
		"release", kf->release, "machine", kf->machine,
		"btf", kf->btf_present, "lockdown", kf->lockdown,
		"lockdown_source", kf->lockdown_how,
		"capabilities", caps_text(kf, caps, sizeof(caps)),
		"euid", (json_int_t)kf->euid,
		"kernel_config", kf->kconfig_path[0] ? kf->kconfig_path : NULL));
	for (int f = 0; f < FN_COUNT; f++) {
		const struct fn_resolution *fr = &r->fn[f];

		json_object_set_new(fns, fr->logical, json_pack(
			"{s:s?, s:b, s:i, s:b}", "resolved", fr->resolved,
			"in_btf", fr->in_btf, "kallsyms", fr->kallsyms,
			"unique", fr->kallsyms == 1));
	}
	json_object_set_new(root, "functions", fns);
	json_object_set_new(root, "scheduler", json_pack(
		"{s:s, s:b, s:s}", "flavour", sched_name(r->sched),
		"prev_state_arg", r->switch_nargs >= 4, "reason", r->sched_reason));
	json_object_set_new(root, "syscall_tracepoints", json_pack(
		"{s:b, s:s}", "available", r->sys_exit_ok, "reason",
		r->sys_exit_reason));
	for (int m = MODE_FENTRY; m < MODE_COUNT; m++)
		json_object_set_new(modes, attach_mode_name(m), json_pack(
			"{s:b, s:s}", "available", r->mode[m].available,
			"reason", r->mode[m].reason));
	json_object_set_new(root, "modes", modes);
	json_object_set_new(root, "selected", r->selected == MODE_AUTO ?
			    json_null() : json_string(attach_mode_name(r->selected)));
	ret = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
	return ret ? EXIT_ENV : 0;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_args a = { .common = COMMON_DEFAULTS };
	struct argp argp = { probe_options, probe_parse, NULL, probe_doc,
			     NULL, NULL, NULL };
	struct probe_report r;
	int ret;

	ret = parse_subcommand_args(&argp, argc, argv, &a, a.why);
	if (ret)
		return ret == PARSE_HELP_SHOWN ? 0 : EXIT_USAGE;
	kf_collect(&r.kf);
	ret = preflight_privileges_and_btf(&r.kf);
	if (ret)
		return ret;
	probe_kernel(&r);
	/* a forced mode that cannot work is an error here too */
	if (a.common.attach != MODE_AUTO &&
	    preflight_pick_mode(&r, a.common.attach) == MODE_AUTO)
		return EXIT_ENV;
	if (a.json)
		ret = print_json(&r);
	else
		print_text(&r);
	if (ret)
		return ret;
	return r.selected == MODE_AUTO ? EXIT_ENV : 0;
}
