/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_text.h - text from outside (a command line, a path, a process
 * name) as a JSON string. JSON strings are UTF-8 and jansson refuses
 * anything else, which would drop the whole value; bytes that are not
 * UTF-8 are kept readable as \xNN instead.
 */
#ifndef IPCTRACE_JSON_TEXT_H
#define IPCTRACE_JSON_TEXT_H

#include <jansson.h>

json_t *json_text(const char *s);

#endif
