// SPDX-License-Identifier: GPL-2.0
/* common_args.c - options every subcommand accepts, and argp's errors said
 * on one line that names the argument and what to do. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arg_quote.h"
#include "commands.h"
#include "log.h"
#include "sizes.h"

/* not argp_program_version: argp would add its own --version, which
 * under ARGP_NO_ERRS prints and then runs the command */
const char ipctrace_version[] = "ipctrace " IPCTRACE_VERSION " (" IPCTRACE_GIT_REV ")";

/* the parse in progress: where its reason goes, and whether help was asked */
static char *why_buf;
static size_t why_len;
static bool help_shown;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (!why_buf || why_buf[0])
		return;	/* the first reason is the one */
	va_start(ap, fmt);
	vsnprintf(why_buf, why_len, fmt, ap);
	va_end(ap);
}

error_t common_parse(struct common_args *c, int key, char *arg,
		     struct argp_state *state)
{
	switch (key) {
	case 'a':
		if (attach_mode_parse(arg, &c->attach)) {
			say("unknown --attach value '%s': use auto, fentry, kprobe or"
			    " tracepoint", QUOTE(arg));
			return EINVAL;
		}
		return 0;
	case 'v':
		log_level = LOG_DEBUG;
		return 0;
	default:
		return help_parse(key, arg, state);
	}
}

/* the option of the long name (a unique prefix is enough, as for getopt) */
static const struct argp_option *find_long(const struct argp_option *o,
					   const char *name, size_t n, int *found)
{
	const struct argp_option *hit = NULL;

	*found = 0;
	for (; o && (o->name || o->key || o->doc); o++) {
		if (!o->name || strncmp(o->name, name, n))
			continue;
		if (strlen(o->name) == n) {
			*found = 1;
			return o;
		}
		hit = o;
		(*found)++;
	}
	return *found == 1 ? hit : NULL;
}

static const struct argp_option *find_short(const struct argp_option *o, int key)
{
	for (; o && (o->name || o->key || o->doc); o++)
		if (o->key == key && key > 0 && key < 128)
			return o;
	return NULL;
}

/* what getopt did not like in argv[next - 1], as one sentence */
static void diagnose(const struct argp_state *state)
{
	const struct argp_option *opts = state->root_argp->options, *o;
	const char *arg = state->next > 0 && state->next <= state->argc ?
			  state->argv[state->next - 1] : "";
	const char *args_doc = state->root_argp->args_doc;
	char see[96], opt[8];
	double num;

	snprintf(see, sizeof(see), "; see '%s --help'", state->name);
	if (!strncmp(arg, "--", 2)) {
		const char *eq = strchr(arg, '=');
		size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		int found;

		o = find_long(opts, arg + 2, n, &found);
		if (!o && found > 1)
			say("option '%s' is ambiguous: give more of its name%s",
			    QUOTE(arg), see);
		else if (!o)
			say("unknown option '%s'%s", QUOTE(arg), see);
		else if (o->arg && !eq)
			say("option '--%s' needs a value (%s)", o->name, o->arg);
		else if (!o->arg && eq)
			say("option '--%s' takes no value%s", o->name, see);
		return;
	}
	/* "-1": argp took a negative number for an option */
	if (args_doc && strstr(args_doc, "DURATION") && !parse_decimal(arg + 1, &num)) {
		say("DURATION '%s' is below 0: give seconds above 0, or none to trace"
		    " until Ctrl-C", QUOTE(arg));
		return;
	}
	for (const char *c = arg + 1; *c; c++) {
		o = find_short(opts, (unsigned char)*c);
		snprintf(opt, sizeof(opt), "-%c", *c);
		if (!o) {
			say("unknown option '%s'%s", QUOTE(opt), see);
			return;
		}
		if (o->arg) {
			if (!c[1])
				say("option '%s' needs a value (%s)", opt, o->arg);
			return;
		}
	}
	say("cannot parse '%s'%s", QUOTE(arg), see);
}

error_t help_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case '?':
	case OPT_USAGE:
		argp_help(state->root_argp, stdout, key == '?' ? ARGP_HELP_STD_HELP :
			  ARGP_HELP_USAGE, state->name);
		help_shown = true;
		return EINTR;	/* stop parsing: nothing runs after help */
	case 'V':
		printf("%s\n", ipctrace_version);
		help_shown = true;
		return EINTR;
	case ARGP_KEY_ERROR:
		if (!help_shown)
			diagnose(state);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int parse_subcommand_args(const struct argp *argp, int argc, char **argv,
			  void *args, char *why)
{
	int ret;

	why_buf = why;
	why_len = WHY_MIN;
	why[0] = '\0';
	help_shown = false;
	/* no argp messages (two lines, no reason) and no argp exits: errors
	 * come back here, said once by the parsers or diagnose() */
	ret = argp_parse(argp, argc, argv, ARGP_NO_ERRS | ARGP_NO_HELP, NULL, args);
	why_buf = NULL;
	if (help_shown) {
		fflush(stdout);
		return PARSE_HELP_SHOWN;
	}
	if (!ret)
		return 0;
	pr_err("%s\n", why[0] ? why : "cannot parse the command line");
	return 1;
}
