/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attach_mode.h - the ways ipctrace can hook the channel functions
 * (--attach): fentry/fexit, kprobe/kretprobe, or no function hook at all
 * (tracepoint mode). Which one works here is kernel/attach_modes.c's job.
 */
#ifndef IPCTRACE_ATTACH_MODE_H
#define IPCTRACE_ATTACH_MODE_H

enum attach_mode {
	MODE_AUTO = 0,
	MODE_FENTRY,
	MODE_KPROBE,
	MODE_TRACEPOINT,
	MODE_COUNT,
};

const char *attach_mode_name(enum attach_mode m);
/* 0 and *out set on success, -1 for an unknown name */
int attach_mode_parse(const char *s, enum attach_mode *out);

#endif
