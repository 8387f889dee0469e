// SPDX-License-Identifier: GPL-2.0
/* common_args.c - options every BPF-using subcommand accepts. */
#include <errno.h>
#include "commands.h"
#include "log.h"

error_t common_parse(struct common_args *c, int key, char *arg,
		     struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'a':
		if (attach_mode_parse(arg, &c->attach)) {
			pr_err("unknown --attach value '%s': use auto, fentry,"
			       " kprobe or tracepoint\n", arg);
			return EINVAL;
		}
		return 0;
	case 'v':
		log_level = LOG_DEBUG;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int parse_subcommand_args(const struct argp *argp, int argc, char **argv,
			  void *args, const char *why)
{
	if (!argp_parse(argp, argc, argv, 0, NULL, args))
		return 0;
	if (why[0])
		pr_err("%s\n", why);
	return -1;
}
