/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preflight.h - the checks every BPF-using subcommand makes before touching
 * the kernel, each failing with one line that names the problem and its fix.
 */
#ifndef IPCTRACE_PREFLIGHT_H
#define IPCTRACE_PREFLIGHT_H

#include "attach_modes.h"

/* exit codes shared by all subcommands */
#define EXIT_USAGE 2	/* bad command line */
#define EXIT_ENV 1	/* privileges, kernel features, runtime failures */

/* privileges and BTF; 0 when fine, else prints the error and returns EXIT_ENV */
int preflight_privileges_and_btf(const struct kernel_facts *kf);

/*
 * Resolve --attach against a probe report: the mode to use, or MODE_AUTO
 * after printing why the forced mode (or every mode) is unavailable.
 */
enum attach_mode preflight_pick_mode(const struct probe_report *r,
				     enum attach_mode requested);

#endif
