// SPDX-License-Identifier: GPL-2.0
/*
 * results_schema_cpu.c - the tables of the CPU profile in results.json:
 * each cell's "cpu" (CPU per write and its split by mechanism) and the
 * document's "profile" (how it was taken). Both were added within format
 * 2 and are optional: an older file loads, without them.
 */
#include "mechanisms.h"
#include "report_model.h"
#include "results_schema_fields.h"

static const char *mname(int i) { return mech_name((enum mechanism)i); }

#define MS struct mech_share
static const struct field mech_fields[] = {
	{ .key = "name", .kind = FK_ENUM, .off = AT(MS, mech), .name_of = mname,
	  .names = MECH_COUNT },
	{ .key = "samples", .kind = FK_U64, .off = AT(MS, samples) },
	{ .key = "share", .kind = FK_REAL_REQ, .off = AT(MS, share), .min = 0, .max = 1 },
	{ .key = "us_per_write", .kind = FK_REAL_REQ, .off = AT(MS, us_per_write) },
	{ .key = "se_us", .kind = FK_REAL_REQ, .off = AT(MS, se_us) },
	END,
};
#undef MS

/* a cell's CPU per write and its split (analysis/cpu_split.h) */
#define RC struct report_cell
const struct field results_cpu_fields[] = {
	{ .key = "us_per_write", .kind = FK_REAL_REQ, .off = AT(RC, s.cpu.us_per_write) },
	{ .key = "writer_us_per_write", .kind = FK_REAL, .off = AT(RC, s.cpu.writer_us) },
	{ .key = "reader_us_per_write", .kind = FK_REAL, .off = AT(RC, s.cpu.reader_us) },
	{ .key = "us_per_write_min", .kind = FK_REAL, .off = AT(RC, s.cpu.us_min) },
	{ .key = "us_per_write_max", .kind = FK_REAL, .off = AT(RC, s.cpu.us_max) },
	{ .key = "samples", .kind = FK_U64, .off = AT(RC, s.cpu.samples) },
	{ .key = "samples_at_irq_enable", .kind = FK_U64, .off = AT(RC, s.cpu.artefact_samples) },
	{ .key = "by_mechanism", .kind = FK_LIST, .off = AT(RC, s.cpu.by), .sub = mech_fields,
	  .size = sizeof(struct mech_share), .names = MECH_COUNT, .cond = AT(RC, s.cpu.nmech) },
	END,
};
#undef RC

/* how the profile was taken (model/cpu_profile.h) */
#define PI struct report_model
const struct field results_profile_fields[] = {
	{ .key = "requested", .kind = FK_BOOL, .off = AT(PI, meta.profile.requested) },
	{ .key = "available", .kind = FK_BOOL, .off = AT(PI, meta.profile.available) },
	{ .key = "unavailable_reason", .kind = FK_STR_NULL, STR(PI, meta.profile.reason) },
	{ .key = "hz", .kind = FK_UINT, .off = AT(PI, meta.profile.hz) },
	{ .key = "cpus", .kind = FK_UINT, .off = AT(PI, meta.profile.ncpus) },
	{ .key = "ticks", .kind = FK_U64, .off = AT(PI, meta.profile.ticks) },
	{ .key = "samples", .kind = FK_U64, .off = AT(PI, meta.profile.samples) },
	{ .key = "lost", .kind = FK_U64, .off = AT(PI, meta.profile.lost) },
	{ .key = "seconds", .kind = FK_REAL_REQ, .off = AT(PI, meta.profile.seconds) },
	{ .key = "sample_ns", .kind = FK_U64, .off = AT(PI, meta.profile.sample_ns) },
	{ .key = "kernel_frames_unnamed", .kind = FK_BOOL,
	  .off = AT(PI, meta.profile.frames_unnamed) },
	{ .key = "program_run_ns", .kind = FK_U64, .off = AT(PI, meta.profile.run_ns) },
	{ .key = "program_runs", .kind = FK_U64, .off = AT(PI, meta.profile.run_cnt) },
	END,
};
#undef PI
