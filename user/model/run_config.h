/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run_config.h - what `ipctrace run` measures: the matrix of transports,
 * message sizes, buffer sizes, placements and patterns, and how long.
 */
#ifndef IPCTRACE_RUN_CONFIG_H
#define IPCTRACE_RUN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum transport { TR_PIPE = 0, TR_SOCKETPAIR, TR_SEQPACKET, TR_COUNT };
enum placement { PL_UNPINNED = 0, PL_SAME_CPU, PL_CROSS_CPU, PL_COUNT };
/*
 * stream: a writer and a reader, concurrently, one way; pingpong: a client
 * writes, the server answers; loop: one thread writes a message and reads
 * it back, again and again, on the same channel (no second task at all).
 */
enum pattern { PAT_STREAM = 0, PAT_PINGPONG, PAT_LOOP, PAT_COUNT };
enum io_mode { IO_BLOCKING = 0, IO_EPOLL };

const char *transport_name(enum transport t);
const char *placement_name(enum placement p);
const char *pattern_name(enum pattern p);
const char *io_mode_name(enum io_mode m);
/* what one message is in a pattern: "write", "round", "iteration" */
const char *pattern_unit_name(enum pattern p);
/* worker threads per pair: 1 for loop, else a writer and a reader */
unsigned int pattern_workers_per_pair(enum pattern p);
/* seqpacket goes through unix_seqpacket_*, which ipctrace does not probe */
bool transport_ops_traced(enum transport t);
/* the IPCT_* operation of a write (or read) on transport t */
int transport_op(enum transport t, bool write);

#define MAX_PAIRS_PER_CPU 4
#define MAX_MSG_SIZE (64ULL << 20)
#define MAX_BUFFER_SIZE (1ULL << 30)	/* pipe size and SO_SNDBUF are ints */
#define MAX_BYTES (1ULL << 40)		/* --bytes per pair and repetition */
#define MAX_CELLS 100000		/* cells of one run */
#define PAGE_BYTES 4096ULL

struct run_config {
	enum transport transports[TR_COUNT];
	size_t ntransports;
	uint64_t *msg_sizes;
	size_t nmsg;
	uint64_t *buffers;	/* 0: leave the kernel's default */
	size_t nbuffers;
	enum placement placements[PL_COUNT];
	size_t nplacements;
	enum pattern patterns[PAT_COUNT];
	size_t npatterns;
	/* without --pattern: loop cells too, at the smallest message size
	 * and the first buffer only (runner.c) */
	bool loop_small;
	unsigned int pairs;
	bool threads;		/* writer/reader as threads of one process */
	enum io_mode io;
	double duration;	/* seconds a repetition should take */
	uint64_t bytes;		/* per pair and repetition; 0: calibrate */
	double warmup;		/* seconds of discarded run per cell */
	unsigned int repeat;
	bool keep_root;		/* workers stay root under sudo */
	bool syscall_counts;	/* tracepoint mode: also count at sys_exit */
	bool no_profile;	/* no CPU profile of the workers */
	bool no_untraced;	/* no untraced twin of each traced repetition:
				 * throughput and CPU are then the traced ones' */
	bool csv, json;
	const char *outdir;
};

/* the default matrix; frees nothing, so call once */
void run_config_defaults(struct run_config *c);
void run_config_free(struct run_config *c);

/* "pipe,socketpair" into c->transports; -1 and why on bad input */
int parse_transports(const char *s, struct run_config *c, char *why, size_t len);
int parse_placements(const char *s, struct run_config *c, char *why, size_t len);
int parse_patterns(const char *s, struct run_config *c, char *why, size_t len);

/*
 * Everything that can be known wrong before running: 0, or -1 with one
 * sentence that names the problem and how to fix it. ncpus: CPUs this
 * process may run on.
 */
int run_config_validate(const struct run_config *c, int ncpus, char *why,
			size_t len);

#endif
