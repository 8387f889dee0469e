// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "child.h"
#include "gate.h"
#include "log.h"
#include "stop_signal.h"
#include "trace_command.h"

enum { GATE_WAIT = 0, GATE_GO, GATE_ABORT };

/* plain words run directly (no shell in the report); anything else, and a
 * first word that is no program (a builtin: exit, cd), through sh -c */
static void exec_command(const char *cmd)
{
	if (!strpbrk(cmd, "$`\\\"'*?[]|&;<>(){}~\n#=")) {
		char *copy = strdup(cmd), *argv[128], *save = NULL;
		int n = 0;

		for (char *w = strtok_r(copy, " \t", &save); w && n < 127;
		     w = strtok_r(NULL, " \t", &save))
			argv[n++] = w;
		argv[n] = NULL;
		if (n && n < 127)
			execvp(argv[0], argv);
		free(copy);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "ipctrace: cannot run /bin/sh for the command: %s\n",
		strerror(errno));
}

int command_start(struct command *c, const char *cmd)
{
	pid_t parent = getpid();

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->gate = mmap(NULL, sizeof(int32_t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->gate == MAP_FAILED) {
		c->gate = NULL;
		return -1;
	}
	*c->gate = GATE_WAIT;
	/* a shell's foreground job: the command gets the terminal */
	c->terminal = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		setpgid(0, 0);
		/* until the gate opens we hold no BPF fd and die with ipctrace */
		child_close_ipctrace_fds();
		child_die_with(parent);
		/* no read or write before exec: the io counters stay the command's */
		futex_wait_while(c->gate, GATE_WAIT);
		if (__atomic_load_n(c->gate, __ATOMIC_ACQUIRE) != GATE_GO)
			_exit(127);
		/* from here on it is the user's program, with its own life */
		prctl(PR_SET_PDEATHSIG, 0);
		stop_signals_restore();
		signal(SIGTTOU, SIG_DFL);
		exec_command(cmd);
		_exit(127);
	}
	setpgid(c->pid, c->pid);	/* both sides: whoever runs first */
	/* giving and taking the terminal back as a background group */
	signal(SIGTTOU, SIG_IGN);
	return 0;
}

static void give_terminal(struct command *c)
{
	if (c->terminal && tcgetpgrp(STDIN_FILENO) == getpgrp())
		tcsetpgrp(STDIN_FILENO, c->pid);
}

static void take_terminal(struct command *c)
{
	if (c->terminal && tcgetpgrp(STDIN_FILENO) == c->pid)
		tcsetpgrp(STDIN_FILENO, getpgrp());
}

void command_go(struct command *c)
{
	give_terminal(c);
	__atomic_store_n(c->gate, GATE_GO, __ATOMIC_RELEASE);
	futex_wake_all(c->gate);
}

bool command_poll(struct command *c)
{
	int st;
	pid_t got;

	if (c->done)
		return true;
	got = waitpid(c->pid, &st, WNOHANG | WUNTRACED);
	if (got != c->pid)
		return false;
	if (WIFSTOPPED(st)) {
		/* Ctrl-Z stopped our job: stop with it, as a shell would */
		if (c->terminal && !c->forwarded) {
			take_terminal(c);
			kill(getpid(), SIGTSTP);
			/* continued: in the foreground again (fg), or not (bg) */
			give_terminal(c);
			kill(-c->pid, SIGCONT);
		}
		return false;
	}
	c->status = st;
	c->done = true;
	take_terminal(c);
	return true;
}

void command_stop(struct command *c, int sig)
{
	if (c->done || c->forwarded || c->pid <= 0)
		return;
	c->forwarded = sig;
	c->kill_at_ns = now_ns() + (uint64_t)COMMAND_GRACE_S * 1000000000ULL;
	kill(-c->pid, sig);
	/* a stopped command would not see it until continued */
	kill(-c->pid, SIGCONT);
}

bool command_escalate(struct command *c)
{
	if (c->done || !c->forwarded || c->killed || now_ns() < c->kill_at_ns)
		return false;
	c->killed = true;
	kill(-c->pid, SIGKILL);
	pr_warn("the command did not end within %d s of %s: killed its process"
		" group (SIGKILL)\n", COMMAND_GRACE_S, strsignal(c->forwarded));
	return true;
}

int command_wait(struct command *c, volatile sig_atomic_t *stop)
{
	while (!command_poll(c)) {
		struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };

		if (*stop)
			command_stop(c, *stop);
		command_escalate(c);
		nanosleep(&tick, NULL);
	}
	return WIFEXITED(c->status) ? WEXITSTATUS(c->status) :
	       128 + WTERMSIG(c->status);
}

void command_free(struct command *c)
{
	if (c->pid > 0 && !c->done) {
		/* an error before the command ran: it never execs */
		if (c->gate)
			__atomic_store_n(c->gate, GATE_ABORT, __ATOMIC_RELEASE);
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		c->done = true;
	}
	take_terminal(c);
	if (c->gate)
		munmap(c->gate, sizeof(*c->gate));
	c->gate = NULL;
}
