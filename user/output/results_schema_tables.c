// SPDX-License-Identifier: GPL-2.0
/*
 * results_schema_tables.c - the tables that lay out results.json: one per
 * JSON object, each key with the field of the report model it holds, its
 * type, the range a reader accepts, its name in format 1 and the format
 * that added it. Tables of one concern live in files of their own
 * (results_schema_time.c, results_schema_cpu.c); the one writer and
 * reader that walk them all are in results_schema.c.
 */
#include <stddef.h>
#include "results_schema_fields.h"

static const char *tname(int i) { return transport_name((enum transport)i); }
static const char *plname(int i) { return placement_name((enum placement)i); }
static const char *paname(int i) { return pattern_name((enum pattern)i); }
static const char *ioname(int i) { return io_mode_name((enum io_mode)i); }
static const char *const fill_units[] = { "bytes", "slots" };


static json_t *all_wakeups(const void *base)
{
	const struct report_cell *rc = base;

	return real_or_null(rc->s.wake_w2r + rc->s.wake_r2w);
}

#define RC struct report_cell
static const struct field throughput_fields[] = {
	{ .key = "median", .kind = FK_REAL, .off = AT(RC, s.mb_s_med) },
	{ .key = "min", .kind = FK_REAL, .off = AT(RC, s.mb_s_min) },
	{ .key = "max", .kind = FK_REAL, .off = AT(RC, s.mb_s_max) },
	{ .key = "reps", .kind = FK_REALS, .off = AT(RC, rep_mb_s), .cond = AT(RC, nreps) },
	END,
};

/* per MB moved; the glossary in bpf/ipctrace.h says what each counts */
static const struct field per_mb_fields[] = {
	{ .key = "write_calls", .kind = FK_REAL, .off = AT(RC, s.write_calls) },
	{ .key = "read_calls", .kind = FK_REAL, .off = AT(RC, s.read_calls) },
	{ .key = "blocked_writes", .kind = FK_REAL, .off = AT(RC, s.blocked_writes),
	  .v1_key = "blocking_writes" },
	{ .key = "blocked_reads", .kind = FK_REAL, .off = AT(RC, s.blocked_reads), .v1_key = "" },
	{ .key = "writer_epoll_waits", .kind = FK_REAL, .off = AT(RC, s.writer_epoll_waits) },
	{ .key = "reader_epoll_waits", .kind = FK_REAL, .off = AT(RC, s.reader_epoll_waits), .v1_key = "" },
	{ .key = "writer_waits", .kind = FK_REAL, .off = AT(RC, s.writer_waits) },
	{ .key = "reader_waits", .kind = FK_REAL, .off = AT(RC, s.reader_waits), .v1_key = "reader_sleeps" },
	{ .key = "wakeups", .kind = FK_DERIVED, .derive = all_wakeups },
	{ .key = "wakeups_writer_to_reader", .kind = FK_REAL, .off = AT(RC, s.wake_w2r) },
	{ .key = "wakeups_reader_to_writer", .kind = FK_REAL, .off = AT(RC, s.wake_r2w) },
	{ .key = "voluntary_switches", .kind = FK_REAL, .off = AT(RC, s.vol_switches) },
	{ .key = "involuntary_switches", .kind = FK_REAL, .off = AT(RC, s.invol_switches) },
	{ .key = "cpu_ms", .kind = FK_REAL, .off = AT(RC, s.cpu_ms) },
	END,
};

static const struct field fill_fields[] = {
	{ .key = "unit", .kind = FK_FLAG_NAMED, .off = AT(RC, s.fill_in_slots), .flag_names = fill_units },
	{ .key = "used_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_used_mean) },
	{ .key = "capacity_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_cap_mean) },
	{ .key = "bytes_mean", .kind = FK_REAL_REQ, .off = AT(RC, s.fill_bytes_mean) },
	END,
};

static const struct field wake_fields[] = {
	{ .key = "p50", .kind = FK_REAL_REQ, .off = AT(RC, s.wake_p50_us) },
	{ .key = "p99", .kind = FK_REAL_REQ, .off = AT(RC, s.wake_p99_us) },
	END,
};

static const struct field rtt_fields[] = {
	{ .key = "p50", .kind = FK_REAL_REQ, .off = AT(RC, s.rtt_p50_us) },
	{ .key = "p99", .kind = FK_REAL_REQ, .off = AT(RC, s.rtt_p99_us) },
	END,
};

static json_t *recon_ok(const void *base)
{
	const struct report_cell *rc = base;

	return rc->s.traced ? json_boolean(rc->s.recon_ok) : json_null();
}

static const struct field recon_fields[] = {
	/* ok: null for an untraced cell; read back below (read_cell_extra) */
	{ .key = "ok", .kind = FK_DERIVED, .derive = recon_ok },
	{ .key = "checks", .kind = FK_U64, .off = AT(RC, checks) },
	{ .key = "failed", .kind = FK_UINT, .off = AT(RC, s.recon_failed) },
	{ .key = "first_failure", .kind = FK_STR_NULL, STR(RC, s.recon_first) },
	{ .key = "lost_events", .kind = FK_U64, .off = AT(RC, s.lost_events) },
	/* format 3: checks that held only as a bound, and why */
	{ .key = "bounded_by_skipped_runs", .kind = FK_UINT, .off = AT(RC, s.recon_bounded),
	  .since = 3 },
	{ .key = "skipped_runs", .kind = FK_U64, .off = AT(RC, s.skipped_runs), .since = 3 },
	END,
};

/*
 * What watching cost (format 4): our programs' kernel-measured time against
 * the workers' CPU, per program
 */
static json_t *prog_ns_per_run(const void *base)
{
	return real_or_null(prog_cost_ns_per_run(base));
}

static const struct field prog_fields[] = {
	{ .key = "program", .kind = FK_STR, STR(struct prog_cost, name) },
	{ .key = "runs", .kind = FK_U64, .off = AT(struct prog_cost, run_cnt) },
	{ .key = "run_ns", .kind = FK_U64, .off = AT(struct prog_cost, run_ns) },
	{ .key = "ns_per_run", .kind = FK_DERIVED, .derive = prog_ns_per_run },
	END,
};

static json_t *observer_share(const void *base)
{
	const struct report_cell *rc = base;

	return real_or_null(observer_cost_pct(&rc->s.observer));
}

static const struct field observer_fields[] = {
	{ .key = "measured", .kind = FK_BOOL, .off = AT(RC, s.observer.measured) },
	{ .key = "workload_cpu_s", .kind = FK_REAL_REQ, .off = AT(RC, s.observer.workload_cpu_s),
	  .max = 1e9 },
	{ .key = "share_pct", .kind = FK_DERIVED, .derive = observer_share },
	{ .key = "programs", .kind = FK_LIST, .off = AT(RC, s.observer.prog),
	  .size = sizeof(struct prog_cost), .cond = AT(RC, s.observer.nprogs),
	  .names = OBS_MAX_PROGS, .sub = prog_fields },
	END,
};

/* what the traced repetitions moved, when the throughput is the untraced ones' */
static const struct field traced_throughput_fields[] = {
	{ .key = "median", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_med) },
	{ .key = "min", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_min) },
	{ .key = "max", .kind = FK_REAL_REQ, .off = AT(RC, s.traced_mb_s_max) },
	END,
};

const struct field cell_fields[] = {
	{ .key = "transport", .kind = FK_ENUM, .off = AT(RC, cell.transport), .name_of = tname,
	  .names = TR_COUNT },
	{ .key = "msg_size", .kind = FK_U64, .off = AT(RC, cell.msg_size), .min = 1, .max = MAX_MSG_SIZE },
	{ .key = "buffer_requested", .kind = FK_U64_0NULL, .off = AT(RC, cell.buffer), .max = 1ULL << 40 },
	{ .key = "buffer_granted", .kind = FK_U64, .off = AT(RC, grant.granted), .max = 1ULL << 40 },
	{ .key = "buffer_slots", .kind = FK_U64, .off = AT(RC, grant.capacity_slots), .max = 1ULL << 28 },
	{ .key = "buffer_note", .kind = FK_STR_NULL, STR(RC, grant.note) },
	{ .key = "buffer_clamped", .kind = FK_BOOL, .off = AT(RC, grant.clamped) },
	{ .key = "placement", .kind = FK_ENUM, .off = AT(RC, cell.placement), .name_of = plname,
	  .names = PL_COUNT },
	{ .key = "pattern", .kind = FK_ENUM, .off = AT(RC, cell.pattern), .name_of = paname,
	  .names = PAT_COUNT },
	{ .key = "group", .kind = FK_INT, .off = AT(RC, cell.group), .max = 1e6 },
	{ .key = "repetitions", .kind = FK_UINT, .off = AT(RC, nreps), .max = 1000 },
	{ .key = "finished", .kind = FK_BOOL, .off = AT(RC, finished) },
	{ .key = "bytes_per_rep", .kind = FK_U64, .off = AT(RC, bytes_per_rep), .max = 1e18 },
	{ .key = "throughput_mb_s", .kind = FK_OBJ, .sub = throughput_fields },
	/* format 4: the throughput above is of untraced repetitions run next
	 * to the traced ones; this is what the traced ones moved */
	{ .key = "throughput_untraced", .kind = FK_BOOL, .off = AT(RC, s.untraced), .since = 4 },
	{ .key = "throughput_traced_mb_s", .kind = FK_OBJ_IF_NUM,
	  .sub = traced_throughput_fields, .since = 4 },
	{ .key = "observer", .kind = FK_OBJ, .sub = observer_fields, .since = 4 },
	/* format 5: how the observer changed the scheduling it counts */
	{ .key = "switches_traced_vs_untraced", .kind = FK_REAL, .off = AT(RC, s.switch_ratio),
	  .max = 1e6, .since = 5 },
	{ .key = "per_mb", .kind = FK_OBJ, .sub = per_mb_fields },
	{ .key = "fill_at_block", .kind = FK_OBJ_IF, .sub = fill_fields, .cond = AT(RC, s.have_fill) },
	{ .key = "writer_wait_us_mean", .kind = FK_REAL, .off = AT(RC, s.wait_us_mean) },
	{ .key = "wakeup_latency_us", .kind = FK_OBJ_IF_NUM, .sub = wake_fields },
	{ .key = "rtt_us", .kind = FK_OBJ_IF_NUM, .sub = rtt_fields },
	{ .key = "total_mb", .kind = FK_REAL_REQ, .off = AT(RC, s.total_mb) },
	{ .key = "seconds", .kind = FK_REAL_REQ, .off = AT(RC, s.seconds) },
	{ .key = "traced", .kind = FK_BOOL, .off = AT(RC, s.traced) },
	{ .key = "ops_traced", .kind = FK_BOOL, .off = AT(RC, s.ops_traced) },
	{ .key = "reconciliation", .kind = FK_OBJ, .sub = recon_fields },
	{ .key = "waits_by_cause", .kind = FK_OBJ, .sub = schema_waits_fields, .since = 3 },
	{ .key = "time_us_per_message", .kind = FK_OBJ, .sub = schema_time_fields,
	  .since = 3 },
	{ .key = "cpu", .kind = FK_OBJ_IF, .sub = results_cpu_fields, .cond = AT(RC, s.cpu.have),
	  .optional = true },
	END,
};
#undef RC

#define RM struct report_model
static const struct field settings_fields[] = {
	{ .key = "io", .kind = FK_ENUM, .off = AT(RM, set.io), .name_of = ioname, .names = 2 },
	{ .key = "pairs", .kind = FK_UINT, .off = AT(RM, set.pairs), .min = 1, .max = 4096 },
	{ .key = "threads", .kind = FK_BOOL, .off = AT(RM, set.threads) },
	{ .key = "repeat", .kind = FK_UINT, .off = AT(RM, set.repeat), .min = 1, .max = 1000 },
	{ .key = "duration_s", .kind = FK_REAL_REQ, .off = AT(RM, set.duration), .max = 1e6 },
	{ .key = "bytes", .kind = FK_U64_0NULL, .off = AT(RM, set.bytes), .max = 1e18 },
	{ .key = "warmup_s", .kind = FK_REAL_REQ, .off = AT(RM, set.warmup), .max = 1e6 },
	END,
};

/* the top level; format, attach, cells and verdicts are handled apart */
const struct field doc_fields[] = {
	{ .key = "kernel", .kind = FK_STR, STR(RM, meta.kernel) },
	{ .key = "kernel_preempt_rt", .kind = FK_BOOL, .off = AT(RM, meta.preempt_rt), .since = 3 },
	{ .key = "workers", .kind = FK_STR, STR(RM, meta.identity) },
	{ .key = "command", .kind = FK_STR, STR(RM, meta.cmdline) },
	{ .key = "settings", .kind = FK_OBJ, .sub = settings_fields },
	{ .key = "interrupted", .kind = FK_BOOL, .off = AT(RM, interrupted) },
	{ .key = "error", .kind = FK_STR_NULL, STR(RM, error) },
	{ .key = "elapsed_s", .kind = FK_REAL_REQ, .off = AT(RM, elapsed_s), .max = 1e9 },
	{ .key = "profile", .kind = FK_OBJ, .sub = results_profile_fields, .optional = true },
	END,
};
#undef RM
