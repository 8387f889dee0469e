// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "trace_snapshot.h"

void trace_snapshot_free(struct trace_snapshot *s)
{
	free(s->threads);
	free(s->wait_hist);
	free(s->wake_hist);
	free(s->chans);
	free(s->wakes);
	free(s->sleeps);
	free(s->open_chans);
	for (size_t i = 0; i < s->nstacks; i++)
		free(s->stacks[i].frames);
	free(s->stacks);
	memset(s, 0, sizeof(*s));
}

const char *drop_name(enum ipct_drop d)
{
	static const char *const names[IPCT_DROP_COUNT] = {
		[IPCT_DROP_THREAD_MAP_FULL] = "thread map full",
		[IPCT_DROP_TASK_MAP_FULL] = "task state map full",
		[IPCT_DROP_HIST_MAP_FULL] = "histogram map full",
		[IPCT_DROP_WAKE_MAP_FULL] = "wakeup map full",
		[IPCT_DROP_SLEEP_MAP_FULL] = "sleep map full",
		[IPCT_DROP_WATCH_MAP_FULL] = "child pid beyond the watch array (pid_max raised?)",
		[IPCT_DROP_READ_FAULT] = "kernel object read failed",
		[IPCT_DROP_MISSED_EXIT] = "call exits missed (kretprobe maxactive)",
		[IPCT_DROP_CHAN_MAP_FULL] = "channel map full",
		[IPCT_DROP_STACK] = "stacks not captured (stack map bucket taken or full)",
		[IPCT_DROP_STACK_TIME_MAP_FULL] = "stack time map full",
	};
	return d < IPCT_DROP_COUNT ? names[d] : "?";
}
