// SPDX-License-Identifier: GPL-2.0
/*
 * mechanisms.c - the one table that turns kernel stacks into mechanisms.
 *
 * A sample's kernel stack is read from its innermost frame outwards:
 *
 *  1. A BOUNDARY frame anywhere (interrupt or softirq entry): the sample
 *     is interrupt work done on the thread's CPU, whatever lies above.
 *  2. ARTEFACT frames at the leaf are where interrupts come back on. A
 *     timer sample cannot fire while they are off, so it fires there, and
 *     stands for the interrupts-off region just closed: the context switch
 *     (finish_task_switch) or a wait-queue or runqueue lock (an irqrestore),
 *     whose callers are often gone from the stack by tail calls. Such a
 *     sample goes to the first CONTEXT frame above it, or else to the
 *     artefact row's own mechanism (the switch; the wakeup path).
 *  3. Otherwise the first CONTEXT frame from the leaf names the sample:
 *     a frame that is the purpose of everything it calls (try_to_wake_up,
 *     __schedule, kmem_cache_alloc, the copy routines).
 *  4. With no CONTEXT frame, the innermost LEAF frame does: frames that
 *     are a mechanism themselves but also serve others (a spinlock, the
 *     syscall entry, the pipe's code). Frames no row matches are passed
 *     over; with nothing matched at all, the sample is "other".
 *
 * Rows are matched in order, first match wins, so specific names come
 * before the patterns that would also match them. Names are compared
 * without compiler suffixes (".isra.0"); "_noprof" variants (6.10+
 * allocation tags) match their prefix patterns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mechanisms.h"

#define B CLAIM_BOUNDARY
#define A CLAIM_ARTEFACT
#define C CLAIM_CONTEXT
#define L CLAIM_LEAF

const struct mech_row mech_table[] = {
	/* interrupts and softirqs: not the thread's own work */
	{ "handle_softirqs", MECH_IRQ, B }, { "__do_softirq", MECH_IRQ, B },
	{ "do_softirq*", MECH_IRQ, B }, { "irq_exit_rcu", MECH_IRQ, B },
	{ "__irq_exit_rcu", MECH_IRQ, B }, { "asm_sysvec_*", MECH_IRQ, B },
	{ "sysvec_*", MECH_IRQ, B }, { "__sysvec_*", MECH_IRQ, B },
	{ "asm_common_interrupt", MECH_IRQ, B }, { "common_interrupt", MECH_IRQ, B },

	/* where interrupts come back on (see 2. above); the first is a user
	 * sample at a syscall's return address (kernel/profiler.c) */
	{ "[syscall_return]", MECH_SYSCALL, A },
	{ "finish_task_switch*", MECH_SCHED, A },
	{ "_raw_spin_unlock_irqrestore", MECH_WAKEUP, A },
	{ "_raw_spin_unlock_irq", MECH_WAKEUP, A },
	{ "_raw_read_unlock_irqrestore", MECH_WAKEUP, A },
	{ "_raw_write_unlock_irqrestore", MECH_WAKEUP, A },
	{ "_raw_read_unlock_irq", MECH_WAKEUP, A },
	{ "_raw_write_unlock_irq", MECH_WAKEUP, A },

	/* BPF programs and the tracepoint plumbing that runs them */
	{ "bpf_prog_*", MECH_PROBES, C }, { "bpf_trace_run*", MECH_PROBES, C },
	{ "__bpf_trace_*", MECH_PROBES, C }, { "__traceiter_*", MECH_PROBES, C },
	{ "trace_call_bpf", MECH_PROBES, C }, { "bpf_get_stack*", MECH_PROBES, C },
	{ "__bpf_get_stack*", MECH_PROBES, C }, { "htab_*", MECH_PROBES, C },
	{ "__htab_*", MECH_PROBES, C }, { "bpf_probe_read*", MECH_PROBES, C },

	/* memcg charging, before the allocators that call it */
	{ "*memcg*", MECH_MEMCG, C }, { "*mem_cgroup*", MECH_MEMCG, C },
	{ "obj_cgroup_*", MECH_MEMCG, C },
	{ "page_counter_*", MECH_MEMCG, C }, { "refill_obj_stock", MECH_MEMCG, C },
	{ "drain_obj_stock", MECH_MEMCG, C }, { "consume_obj_stock", MECH_MEMCG, C },
	{ "mod_objcg_state", MECH_MEMCG, C }, { "refill_stock", MECH_MEMCG, C },
	{ "__refill_stock", MECH_MEMCG, C }, { "consume_stock", MECH_MEMCG, C },
	{ "drain_stock", MECH_MEMCG, C }, { "*mod_lruvec_*", MECH_MEMCG, C },
	{ "*lruvec_stat_mod_*", MECH_MEMCG, C },

	/* copying the data */
	{ "_copy_from_iter*", MECH_COPY, C }, { "_copy_to_iter*", MECH_COPY, C },
	{ "copy_page_from_iter*", MECH_COPY, C }, { "copy_page_to_iter*", MECH_COPY, C },
	{ "copy_from_iter*", MECH_COPY, C }, { "copy_to_iter*", MECH_COPY, C },
	{ "copy_user_*", MECH_COPY, C }, { "rep_movs_alternative", MECH_COPY, C },
	{ "_copy_to_user", MECH_COPY, C }, { "_copy_from_user", MECH_COPY, C },
	{ "copy_to_user*", MECH_COPY, C }, { "copy_from_user*", MECH_COPY, C },
	{ "skb_copy_datagram_*", MECH_COPY, C }, { "__skb_datagram_iter", MECH_COPY, C },
	{ "simple_copy_to_iter", MECH_COPY, C }, { "memcpy*", MECH_COPY, C },
	{ "__memcpy*", MECH_COPY, C }, { "memmove*", MECH_COPY, C },
	{ "__memmove*", MECH_COPY, C },

	/* pages: pipe buffers are pages, allocated and recycled */
	{ "anon_pipe_buf_release", MECH_PAGE, C }, { "__alloc_pages*", MECH_PAGE, C },
	{ "__alloc_frozen_pages*", MECH_PAGE, C }, { "alloc_pages*", MECH_PAGE, C },
	{ "folio_alloc*", MECH_PAGE, C }, { "get_page_from_freelist", MECH_PAGE, C },
	{ "rmqueue*", MECH_PAGE, C }, { "__rmqueue*", MECH_PAGE, C },
	{ "prep_new_page", MECH_PAGE, C }, { "post_alloc_hook", MECH_PAGE, C },
	{ "clear_page*", MECH_PAGE, C }, { "free_unref_*", MECH_PAGE, C },
	{ "free_frozen_pages*", MECH_PAGE, C }, { "__free_frozen_pages", MECH_PAGE, C },
	{ "__free_pages*", MECH_PAGE, C }, { "free_pages*", MECH_PAGE, C },
	{ "free_pcppages_bulk", MECH_PAGE, C }, { "__free_one_page", MECH_PAGE, C },
	{ "__folio_put", MECH_PAGE, C }, { "folios_put*", MECH_PAGE, C },
	{ "release_pages", MECH_PAGE, C }, { "exc_page_fault", MECH_PAGE, C },
	{ "asm_exc_page_fault", MECH_PAGE, C }, { "handle_mm_fault", MECH_PAGE, C },

	/* slab objects and the skbs made of them (one per unix stream write) */
	{ "kmem_cache_alloc*", MECH_SLAB, C }, { "kmem_cache_free*", MECH_SLAB, C },
	{ "__kmem_cache_*", MECH_SLAB, C }, { "kmalloc*", MECH_SLAB, C },
	{ "__kmalloc*", MECH_SLAB, C }, { "kfree*", MECH_SLAB, C },
	{ "__kfree*", MECH_SLAB, C }, { "kvfree*", MECH_SLAB, C },
	{ "krealloc*", MECH_SLAB, C }, { "__slab_*", MECH_SLAB, C },
	{ "___slab_alloc*", MECH_SLAB, C }, { "slab_*", MECH_SLAB, C },
	{ "allocate_slab", MECH_SLAB, C }, { "new_slab", MECH_SLAB, C },
	{ "discard_slab", MECH_SLAB, C }, { "get_partial*", MECH_SLAB, C },
	{ "deactivate_slab", MECH_SLAB, C }, { "put_cpu_partial", MECH_SLAB, C },
	{ "__put_partials", MECH_SLAB, C }, { "*sheaf*", MECH_SLAB, C },
	{ "__pcs_*", MECH_SLAB, C }, { "__alloc_skb", MECH_SLAB, C },
	{ "alloc_skb*", MECH_SLAB, C }, { "__build_skb*", MECH_SLAB, C },
	{ "build_skb*", MECH_SLAB, C }, { "sock_alloc_send_*", MECH_SLAB, C },
	{ "skb_release_*", MECH_SLAB, C }, { "skb_free_head", MECH_SLAB, C },
	{ "kfree_skb*", MECH_SLAB, C }, { "__kfree_skb*", MECH_SLAB, C },
	{ "consume_skb", MECH_SLAB, C }, { "__consume_stateless_skb", MECH_SLAB, C },
	{ "skb_attempt_defer_free", MECH_SLAB, C }, { "sk_skb_reason_drop", MECH_SLAB, C },
	{ "sock_wfree", MECH_SLAB, C }, { "skb_set_owner_w", MECH_SLAB, C },
	{ "unix_destruct_scm", MECH_SLAB, C }, { "unix_wfree", MECH_SLAB, C },

	/* waking the peer */
	{ "try_to_wake_up", MECH_WAKEUP, C }, { "wake_up_process", MECH_WAKEUP, C },
	{ "wake_up_state", MECH_WAKEUP, C }, { "wake_up_q", MECH_WAKEUP, C },
	{ "wake_q_add*", MECH_WAKEUP, C }, { "ttwu_*", MECH_WAKEUP, C },
	{ "__wake_up*", MECH_WAKEUP, C }, { "autoremove_wake_function", MECH_WAKEUP, C },
	{ "default_wake_function", MECH_WAKEUP, C },
	{ "woken_wake_function", MECH_WAKEUP, C }, { "pollwake", MECH_WAKEUP, C },
	{ "receiver_wake_function", MECH_WAKEUP, C },
	{ "sock_def_readable", MECH_WAKEUP, C }, { "sock_def_write_space", MECH_WAKEUP, C },
	{ "unix_write_space", MECH_WAKEUP, C }, { "sk_wake_async*", MECH_WAKEUP, C },
	{ "sock_wake_async", MECH_WAKEUP, C }, { "__smp_call_single_queue", MECH_WAKEUP, C },
	{ "*send_call_func*", MECH_WAKEUP, C }, { "*send_IPI*", MECH_WAKEUP, C },
	{ "select_task_rq*", MECH_WAKEUP, C }, { "select_idle_*", MECH_WAKEUP, C },
	{ "wakeup_preempt*", MECH_WAKEUP, C }, { "check_preempt_wakeup*", MECH_WAKEUP, C },
	{ "resched_curr*", MECH_WAKEUP, C },

	/* going to sleep and switching */
	{ "__schedule", MECH_SCHED, C }, { "schedule", MECH_SCHED, C },
	{ "schedule_*", MECH_SCHED, C }, { "preempt_schedule*", MECH_SCHED, C },
	{ "io_schedule*", MECH_SCHED, C }, { "context_switch", MECH_SCHED, C },
	{ "__switch_to*", MECH_SCHED, C }, { "prepare_to_wait*", MECH_SCHED, C },
	{ "finish_wait", MECH_SCHED, C }, { "update_curr*", MECH_SCHED, L },
	{ "pick_next_*", MECH_SCHED, L }, { "put_prev_*", MECH_SCHED, L },
	{ "set_next_*", MECH_SCHED, L }, { "dequeue_*", MECH_SCHED, L },
	{ "enqueue_*", MECH_SCHED, L }, { "update_load_avg", MECH_SCHED, L },
	{ "__update_load_avg*", MECH_SCHED, L }, { "update_cfs_group", MECH_SCHED, L },
	{ "reweight_entity", MECH_SCHED, L }, { "update_rq_clock*", MECH_SCHED, L },
	{ "sched_clock*", MECH_SCHED, L }, { "psi_*", MECH_SCHED, L },
	{ "__cgroup_account_cputime*", MECH_SCHED, L }, { "cpuacct_charge", MECH_SCHED, L },
	{ "place_entity", MECH_SCHED, L }, { "avg_vruntime", MECH_SCHED, L },
	{ "sched_balance_*", MECH_SCHED, L }, { "newidle_balance", MECH_SCHED, L },
	{ "raw_spin_rq_*", MECH_SCHED, L }, { "switch_fpu_return", MECH_SCHED, L },
	{ "restore_fpregs_from_fpstate", MECH_SCHED, L },
	{ "fpregs_restore_userregs", MECH_SCHED, L },

	/* poll, select, epoll; before the syscall entry points */
	{ "do_epoll_*", MECH_POLL, C }, { "ep_*", MECH_POLL, C },
	{ "__ep_*", MECH_POLL, C }, { "epoll_*", MECH_POLL, C },
	{ "do_sys_poll", MECH_POLL, C }, { "do_poll*", MECH_POLL, C },
	{ "do_select", MECH_POLL, C }, { "core_sys_select", MECH_POLL, C },
	{ "poll_*", MECH_POLL, C }, { "__pollwait", MECH_POLL, C },
	{ "pipe_poll", MECH_POLL, C }, { "unix_poll", MECH_POLL, C },
	{ "sock_poll", MECH_POLL, C }, { "__x64_sys_epoll_*", MECH_POLL, C },
	{ "__x64_sys_poll", MECH_POLL, C }, { "__x64_sys_ppoll", MECH_POLL, C },
	{ "__x64_sys_select", MECH_POLL, C }, { "__x64_sys_pselect6", MECH_POLL, C },

	/* locks, as leaves: a lock taken for another mechanism is its cost */
	{ "_raw_spin_*", MECH_LOCK, L }, { "_raw_read_*", MECH_LOCK, L },
	{ "_raw_write_*", MECH_LOCK, L }, { "*queued_spin_*", MECH_LOCK, L },
	{ "__raw_callee_save___pv_*", MECH_LOCK, L }, { "pv_wait*", MECH_LOCK, L },
	{ "pv_kick*", MECH_LOCK, L }, { "mutex_*", MECH_LOCK, L },
	{ "__mutex_*", MECH_LOCK, L }, { "osq_*", MECH_LOCK, L },
	{ "rwsem_*", MECH_LOCK, L }, { "down_*", MECH_LOCK, L },
	{ "up_read", MECH_LOCK, L }, { "up_write", MECH_LOCK, L },
	{ "lock_sock*", MECH_LOCK, L }, { "release_sock", MECH_LOCK, L },
	{ "__release_sock", MECH_LOCK, L }, { "__lock_sock", MECH_LOCK, L },

	/* the pipe's and the socket's own code */
	{ "anon_pipe_*", MECH_CHANNEL, L }, { "pipe_*", MECH_CHANNEL, L },
	{ "fifo_pipe_*", MECH_CHANNEL, L }, { "unix_*", MECH_CHANNEL, L },
	{ "skb_queue_*", MECH_CHANNEL, L }, { "skb_unlink", MECH_CHANNEL, L },
	{ "__skb_unlink", MECH_CHANNEL, L }, { "skb_dequeue*", MECH_CHANNEL, L },
	{ "maybe_add_creds", MECH_CHANNEL, L }, { "scm_*", MECH_CHANNEL, L },
	{ "__scm_*", MECH_CHANNEL, L },

	/* entering and leaving the kernel, the file and socket layers */
	{ "entry_SYSCALL*", MECH_SYSCALL, L }, { "do_syscall_64", MECH_SYSCALL, L },
	{ "x64_sys_call", MECH_SYSCALL, L }, { "__x64_sys_*", MECH_SYSCALL, L },
	{ "ksys_*", MECH_SYSCALL, L }, { "syscall_*", MECH_SYSCALL, L },
	{ "exit_to_user_mode*", MECH_SYSCALL, L }, { "__rseq_*", MECH_SYSCALL, L },
	{ "rseq_*", MECH_SYSCALL, L }, { "vfs_*", MECH_SYSCALL, L },
	{ "rw_verify_area", MECH_SYSCALL, L }, { "security_*", MECH_SYSCALL, L },
	{ "apparmor_*", MECH_SYSCALL, L }, { "selinux_*", MECH_SYSCALL, L },
	{ "bpf_lsm_*", MECH_SYSCALL, L }, { "*fsnotify*", MECH_SYSCALL, L },
	{ "fdget*", MECH_SYSCALL, L }, { "__fdget*", MECH_SYSCALL, L },
	{ "__fget*", MECH_SYSCALL, L }, { "fget*", MECH_SYSCALL, L },
	{ "fput*", MECH_SYSCALL, L }, { "__fput*", MECH_SYSCALL, L },
	{ "__f_unlock_pos", MECH_SYSCALL, L }, { "file_update_time", MECH_SYSCALL, L },
	{ "file_modified*", MECH_SYSCALL, L }, { "inode_needs_update_time", MECH_SYSCALL, L },
	{ "current_time", MECH_SYSCALL, L }, { "ktime_get_coarse*", MECH_SYSCALL, L },
	{ "sock_write_iter", MECH_SYSCALL, L }, { "sock_read_iter", MECH_SYSCALL, L },
	{ "sock_sendmsg*", MECH_SYSCALL, L }, { "sock_recvmsg*", MECH_SYSCALL, L },
	{ "__sock_sendmsg", MECH_SYSCALL, L }, { "*__sys_sendmsg", MECH_SYSCALL, L },
	{ "*__sys_recvmsg", MECH_SYSCALL, L }, { "__sys_sendto", MECH_SYSCALL, L },
	{ "__sys_recvfrom", MECH_SYSCALL, L }, { "new_sync_*", MECH_SYSCALL, L },
	{ "__audit_*", MECH_SYSCALL, L }, { "audit_*", MECH_SYSCALL, L },
	{ "__secure_computing", MECH_SYSCALL, L }, { "__seccomp_filter", MECH_SYSCALL, L },
};
const unsigned int mech_table_len = sizeof(mech_table) / sizeof(mech_table[0]);

#undef B
#undef A
#undef C
#undef L

static const struct {
	const char *name, *label, *title;
} names[MECH_COUNT] = {
	[MECH_COPY] = { "data_copy", "copy", "data copy" },
	[MECH_PAGE] = { "page_alloc", "page", "page allocation/free" },
	[MECH_SLAB] = { "slab_skb", "slab/skb", "slab and skb allocation/free" },
	[MECH_MEMCG] = { "memcg", "memcg", "memcg accounting" },
	[MECH_WAKEUP] = { "wakeup", "wakeup", "wakeup path" },
	[MECH_SCHED] = { "scheduler", "sched", "scheduler and context switch" },
	[MECH_SYSCALL] = { "syscall", "syscall", "syscall entry/exit and file layer" },
	[MECH_LOCK] = { "locking", "lock", "locking" },
	[MECH_POLL] = { "poll_epoll", "poll", "poll/epoll" },
	[MECH_CHANNEL] = { "channel", "channel", "pipe and socket code" },
	[MECH_IRQ] = { "interrupts", "irq", "interrupts and softirqs" },
	[MECH_PROBES] = { "probes", "probes", "BPF probes" },
	[MECH_USER] = { "user", "user", "user space" },
	[MECH_OTHER] = { "other", "other", "other kernel code" },
};

const char *mech_name(enum mechanism m)
{
	return m < MECH_COUNT ? names[m].name : "?";
}

const char *mech_label(enum mechanism m)
{
	return m < MECH_COUNT ? names[m].label : "?";
}

const char *mech_title(enum mechanism m)
{
	return m < MECH_COUNT ? names[m].title : "?";
}

int mech_by_name(const char *name)
{
	for (int m = 0; m < MECH_COUNT; m++)
		if (!strcmp(names[m].name, name))
			return m;
	return -1;
}

/* does s[0..n) match the pattern: "name", "prefix*" or "*part*" */
static bool match(const char *pat, const char *s, size_t n)
{
	size_t pl = strlen(pat);

	if (pat[0] == '*' && pl > 1 && pat[pl - 1] == '*') {
		size_t k = pl - 2;

		for (size_t i = 0; k <= n && i + k <= n; i++)
			if (!memcmp(s + i, pat + 1, k))
				return true;
		return false;
	}
	if (pat[0] == '*') {
		size_t k = pl - 1;

		return k <= n && !memcmp(s + n - k, pat + 1, k);
	}
	if (pat[pl - 1] == '*')
		return pl - 1 <= n && !memcmp(s, pat, pl - 1);
	return pl == n && !memcmp(s, pat, n);
}

int mech_row_of(const char *frame, unsigned int len)
{
	const char *dot = memchr(frame, '.', len);
	size_t n = dot ? (size_t)(dot - frame) : len;

	for (unsigned int r = 0; r < mech_table_len; r++)
		if (match(mech_table[r].pattern, frame, n))
			return (int)r;
	return -1;
}

/* ---- the cache: frame name -> row ---- */

struct memo {
	char *name;
	int row;
};

struct mech_classifier {
	struct memo *slot;
	size_t nslot, used;
};

struct mech_classifier *mech_classifier_new(void)
{
	struct mech_classifier *c = calloc(1, sizeof(*c));

	if (c) {
		c->nslot = 1024;
		c->slot = calloc(c->nslot, sizeof(*c->slot));
		if (!c->slot) {
			free(c);
			return NULL;
		}
	}
	return c;
}

void mech_classifier_free(struct mech_classifier *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nslot; i++)
		free(c->slot[i].name);
	free(c->slot);
	free(c);
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void memo_put(struct mech_classifier *c, char *name, int row);

static void grow(struct mech_classifier *c)
{
	struct memo *old = c->slot;
	size_t n = c->nslot;

	c->slot = calloc(2 * n, sizeof(*c->slot));
	if (!c->slot) {
		c->slot = old;
		return;
	}
	c->nslot = 2 * n;
	c->used = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i].name)
			memo_put(c, old[i].name, old[i].row);
	free(old);
}

static void memo_put(struct mech_classifier *c, char *name, int row)
{
	size_t i = hash(name, strlen(name)) & (c->nslot - 1);

	while (c->slot[i].name)
		i = (i + 1) & (c->nslot - 1);
	c->slot[i] = (struct memo){ name, row };
	c->used++;
}

static int row_cached(struct mech_classifier *c, const char *f, size_t n)
{
	size_t i;
	char *name;
	int row;

	if (!c)
		return mech_row_of(f, (unsigned int)n);
	for (i = hash(f, n) & (c->nslot - 1); c->slot[i].name;
	     i = (i + 1) & (c->nslot - 1))
		if (!strncmp(c->slot[i].name, f, n) && !c->slot[i].name[n])
			return c->slot[i].row;
	row = mech_row_of(f, (unsigned int)n);
	if (2 * (c->used + 1) > c->nslot)
		grow(c);
	name = strndup(f, n);
	if (name && 2 * (c->used + 1) <= c->nslot)
		memo_put(c, name, row);
	else
		free(name);
	return row;
}

/* ---- classifying one stack ---- */

#define MAX_FRAMES 256

enum mechanism mech_classify(struct mech_classifier *c, const char *kframes,
			     bool user_mode, bool *via_artefact)
{
	int rows[MAX_FRAMES], n = 0, i = 0, leaf = -1;
	enum mechanism dflt = MECH_OTHER;
	bool artefact = false;

	if (via_artefact)
		*via_artefact = false;
	if (user_mode)
		return MECH_USER;
	/* root first in the string: rows[] ends up leaf last */
	for (const char *p = kframes; p && *p && n < MAX_FRAMES;) {
		size_t len = strcspn(p, ";");

		rows[n++] = row_cached(c, p, len);
		p += len;
		if (*p == ';')
			p++;
	}
	for (int k = 0; k < n; k++)
		if (rows[k] >= 0 && mech_table[rows[k]].claim == CLAIM_BOUNDARY)
			return MECH_IRQ;
	/* from the leaf: interrupts-on points first */
	for (i = n - 1; i >= 0 && rows[i] >= 0 &&
	     mech_table[rows[i]].claim == CLAIM_ARTEFACT; i--) {
		if (!artefact)
			dflt = mech_table[rows[i]].mech;
		artefact = true;
	}
	if (via_artefact)
		*via_artefact = artefact;
	for (; i >= 0; i--) {
		const struct mech_row *r;

		if (rows[i] < 0)
			continue;
		r = &mech_table[rows[i]];
		if (r->claim == CLAIM_CONTEXT)
			return r->mech;
		if (r->claim == CLAIM_LEAF && leaf < 0)
			leaf = rows[i];
	}
	/* a lock or the pipe's code does not own an interrupts-off region
	 * it called into: the artefact row's own mechanism does */
	if (artefact)
		return dflt;
	return leaf >= 0 ? mech_table[leaf].mech : MECH_OTHER;
}
