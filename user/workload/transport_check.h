/* SPDX-License-Identifier: GPL-2.0 */
/*
 * transport_check.h - every transport and buffer of a run opened once,
 * as the workers will open them, before anything runs.
 */
#ifndef IPCTRACE_TRANSPORT_CHECK_H
#define IPCTRACE_TRANSPORT_CHECK_H

#include "identity.h"
#include "run_config.h"

/* 0, or -1 after printing why a buffer or message size will be refused */
int transport_check(const struct run_config *c, const struct worker_identity *id);

#endif
