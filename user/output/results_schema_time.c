// SPDX-License-Identifier: GPL-2.0
/*
 * results_schema_time.c - the tables of results.json for waits by cause and
 * the time per message of each cell (format 3; results_schema.c walks
 * them). Numbers unmeasured are null.
 */
#include "results_schema_fields.h"

#define RC struct report_cell
/* waits by cause (format 3): per MB, and the mean length of one in us */
const struct field schema_waits_fields[] = {
	{ .key = "write_buffer_waits", .kind = FK_REAL, .off = AT(RC, s.write_buffer_waits) },
	{ .key = "write_buffer_wait_us", .kind = FK_REAL, .off = AT(RC, s.write_buffer_wait_us) },
	{ .key = "write_lock_fault_waits", .kind = FK_REAL, .off = AT(RC, s.write_lock_waits) },
	{ .key = "write_lock_fault_wait_us", .kind = FK_REAL, .off = AT(RC, s.write_lock_wait_us) },
	{ .key = "write_spinlock_waits", .kind = FK_REAL, .off = AT(RC, s.write_rtlock_waits) },
	{ .key = "read_buffer_waits", .kind = FK_REAL, .off = AT(RC, s.read_buffer_waits) },
	{ .key = "read_buffer_wait_us", .kind = FK_REAL, .off = AT(RC, s.read_buffer_wait_us) },
	{ .key = "read_lock_fault_waits", .kind = FK_REAL, .off = AT(RC, s.read_lock_waits) },
	{ .key = "read_lock_fault_wait_us", .kind = FK_REAL, .off = AT(RC, s.read_lock_wait_us) },
	{ .key = "read_spinlock_waits", .kind = FK_REAL, .off = AT(RC, s.read_rtlock_waits) },
	END,
};

static json_t *writer_preempted(const void *base)
{
	return real_or_null(role_time_preempted(&((const RC *)base)->s.time[ROLE_WRITER]));
}

static json_t *reader_preempted(const void *base)
{
	return real_or_null(role_time_preempted(&((const RC *)base)->s.time[ROLE_READER]));
}

static json_t *unit_name(const void *base)
{
	return json_string(pattern_unit_name(((const RC *)base)->cell.pattern));
}

/* where a role's time went, us per message (format 3) */
#define ROLE_TIME_FIELDS(r, preempted) {					\
	{ .key = "busy", .kind = FK_REAL, .off = AT(RC, s.time[r].busy) },	\
	{ .key = "cpu_user", .kind = FK_REAL, .off = AT(RC, s.time[r].cpu_user) }, \
	{ .key = "cpu_system", .kind = FK_REAL, .off = AT(RC, s.time[r].cpu_sys) }, \
	{ .key = "buffer_waits", .kind = FK_REAL, .off = AT(RC, s.time[r].buffer_waits) }, \
	{ .key = "lock_fault_waits", .kind = FK_REAL, .off = AT(RC, s.time[r].lock_waits) }, \
	{ .key = "other_sleeps", .kind = FK_REAL, .off = AT(RC, s.time[r].other_sleeps) }, \
	{ .key = "preempted", .kind = FK_DERIVED, .derive = preempted },	\
	END,								\
}
static const struct field writer_time_fields[] = ROLE_TIME_FIELDS(ROLE_WRITER, writer_preempted);
static const struct field reader_time_fields[] = ROLE_TIME_FIELDS(ROLE_READER, reader_preempted);

const struct field schema_time_fields[] = {
	{ .key = "unit", .kind = FK_DERIVED, .derive = unit_name },
	{ .key = "messages_per_mb", .kind = FK_REAL, .off = AT(RC, s.messages) },
	{ .key = "cpu_all_workers", .kind = FK_REAL, .off = AT(RC, s.cpu_us_per_msg) },
	{ .key = "writer", .kind = FK_OBJ, .sub = writer_time_fields },
	{ .key = "reader", .kind = FK_OBJ, .sub = reader_time_fields },
	END,
};

#undef RC
