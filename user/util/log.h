/* SPDX-License-Identifier: GPL-2.0 */
/* log.h - leveled messages on stderr, and libbpf's own output behind -v. */
#ifndef IPCTRACE_LOG_H
#define IPCTRACE_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* route libbpf's messages through log_msg: shown only with -v */
void log_setup_libbpf(void);

#define pr_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
