/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mechanisms.h - what an on-CPU sample was doing, from its kernel stack:
 * one table of function-name patterns (mechanisms.c), each naming a
 * mechanism and how the frame claims a sample. The README's "CPU
 * profile" section prints the same table in words.
 */
#ifndef IPCTRACE_MECHANISMS_H
#define IPCTRACE_MECHANISMS_H

#include <stdbool.h>

enum mechanism {
	MECH_COPY = 0,		/* copying the data between user and kernel */
	MECH_PAGE,		/* page allocation and freeing (pipe pages) */
	MECH_SLAB,		/* slab and skb allocation and freeing */
	MECH_MEMCG,		/* memory cgroup charging and statistics */
	MECH_WAKEUP,		/* waking the peer: wait queues, try_to_wake_up */
	MECH_SCHED,		/* going to sleep, the context switch */
	MECH_SYSCALL,		/* syscall entry and exit, the file layer */
	MECH_LOCK,		/* taking and releasing locks */
	MECH_POLL,		/* poll, select, epoll */
	MECH_CHANNEL,		/* the pipe's and the socket's own code */
	MECH_IRQ,		/* interrupts and softirqs on the thread's CPU */
	MECH_PROBES,		/* BPF programs: ipctrace's own, and others' */
	MECH_USER,		/* sampled in user space */
	MECH_OTHER,		/* kernel code the table does not name */
	MECH_COUNT,
};

/* the key in JSON: "slab_skb" */
const char *mech_name(enum mechanism m);
/* a short label for tables: "slab/skb" */
const char *mech_label(enum mechanism m);
/* in words, for verdicts: "slab and skb allocation/free" */
const char *mech_title(enum mechanism m);
/* by JSON key; -1 when unknown */
int mech_by_name(const char *name);

/* how a table row's frame claims a sample (see mechanisms.c) */
enum mech_claim {
	CLAIM_BOUNDARY,		/* interrupt entry: all above it is irq work */
	CLAIM_ARTEFACT,		/* where interrupts come back on */
	CLAIM_CONTEXT,		/* names the purpose of everything it calls */
	CLAIM_LEAF,		/* names a mechanism when nothing calls it for one */
};

struct mech_row {
	const char *pattern;	/* "name", "prefix*" or "*part*" */
	enum mechanism mech;
	enum mech_claim claim;
};

/* the table, and its length */
extern const struct mech_row mech_table[];
extern const unsigned int mech_table_len;

/*
 * The row a frame matches, first match in table order; -1 for none.
 * Compiler suffixes (".isra.0", ".constprop.0", ".cold") are ignored.
 */
int mech_row_of(const char *frame, unsigned int len);

/* remembers the row of each frame name seen: symbols repeat a lot */
struct mech_classifier;
struct mech_classifier *mech_classifier_new(void);
void mech_classifier_free(struct mech_classifier *c);

/*
 * The mechanism of one sample. kframes: its kernel frames, root first,
 * ';'-joined (as struct prof_stack holds them); user_mode: it was taken
 * in user space. *via_artefact (may be NULL) tells that the innermost
 * frame was an interrupts-on point whose sample went to the code it
 * closes. c may be NULL (slower: no cache).
 */
enum mechanism mech_classify(struct mech_classifier *c, const char *kframes,
			     bool user_mode, bool *via_artefact);

#endif
