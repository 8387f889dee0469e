/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_command.h - the command `ipctrace trace -c` starts, and its life:
 * started stopped on a futex gate until the tracer watches it, in a
 * process group of its own (holding the terminal, as a shell's job does,
 * when ipctrace holds it), stop signals passed on to that group and
 * SIGKILL when it does not end within COMMAND_GRACE_S, and its exit status.
 */
#ifndef IPCTRACE_TRACE_COMMAND_H
#define IPCTRACE_TRACE_COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define COMMAND_GRACE_S 3

struct command {
	pid_t pid;		/* the command's first process; -1 none */
	int32_t *gate;		/* it waits on this until command_go() */
	bool terminal;		/* it holds stdin's terminal while it runs */
	bool done;		/* reaped; status holds how it ended */
	int status;
	int forwarded;		/* the stop signal passed on, 0 none */
	uint64_t kill_at_ns;	/* SIGKILL its group then, once forwarded */
	bool killed;
};

/* fork the command, waiting at its gate: 0, or -1 with errno */
int command_start(struct command *c, const char *cmd);
/* give it the terminal (if ours) and open the gate */
void command_go(struct command *c);
/*
 * Reap it if it ended (true), without waiting. Follows job control: when
 * the command holding the terminal is stopped (Ctrl-Z), ipctrace stops
 * too, and continues it when continued.
 */
bool command_poll(struct command *c);
/* pass a stop signal on to its process group (once), SIGKILL after the grace */
void command_stop(struct command *c, int sig);
/* kill its group if the grace is over; true when it did */
bool command_escalate(struct command *c);
/* wait for the end, passing on stop signals; the exit status ipctrace gives:
 * the command's, or 128 + the signal that ended it */
int command_wait(struct command *c, volatile sig_atomic_t *stop);
/* take the terminal back; SIGKILL the command if it has not run (errors) */
void command_free(struct command *c);

#endif
