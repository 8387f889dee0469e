/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - reading the log-linear histograms of bpf/ipctrace.h back:
 * bucket bounds, counts and percentiles.
 */
#ifndef IPCTRACE_HIST_H
#define IPCTRACE_HIST_H

#include <stdint.h>
#include "ipctrace.h"

/* [lo, hi) of bucket b; the last bucket also holds everything above */
uint64_t hist_bucket_lo(unsigned int b);
uint64_t hist_bucket_hi(unsigned int b);
uint64_t hist_count(const struct ipct_hist *h);
void hist_merge(struct ipct_hist *dst, const struct ipct_hist *src);
/*
 * The value below which p percent (0 < p <= 100) of the samples fall,
 * interpolated linearly inside its bucket; 0 for an empty histogram.
 * Within one bucket width of the truth: at most 1/4 octave (19%).
 */
double hist_percentile(const struct ipct_hist *h, double p);

#endif
