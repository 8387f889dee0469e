// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

/* inverse of ipct_hist_bucket(): exact buckets first, then octaves */
uint64_t hist_bucket_lo(unsigned int b)
{
	unsigned int msb, sub;

	if (b < 2 * IPCT_HIST_SUB)
		return b;
	msb = b / IPCT_HIST_SUB + IPCT_HIST_SUB_BITS - 1;
	sub = b % IPCT_HIST_SUB;
	return (1ULL << msb) + (uint64_t)sub * (1ULL << (msb - IPCT_HIST_SUB_BITS));
}

uint64_t hist_bucket_hi(unsigned int b)
{
	return b + 1 < IPCT_HIST_BUCKETS ? hist_bucket_lo(b + 1) :
					    hist_bucket_lo(b) * 2;
}

uint64_t hist_count(const struct ipct_hist *h)
{
	uint64_t n = 0;

	for (unsigned int b = 0; b < IPCT_HIST_BUCKETS; b++)
		n += h->bucket[b];
	return n;
}

void hist_merge(struct ipct_hist *dst, const struct ipct_hist *src)
{
	for (unsigned int b = 0; b < IPCT_HIST_BUCKETS; b++)
		dst->bucket[b] += src->bucket[b];
}

double hist_percentile(const struct ipct_hist *h, double p)
{
	uint64_t total = hist_count(h), seen = 0;
	double rank;

	if (!total)
		return 0;
	rank = p / 100.0 * (double)total;
	for (unsigned int b = 0; b < IPCT_HIST_BUCKETS; b++) {
		uint64_t c = h->bucket[b];

		if (!c)
			continue;
		if ((double)(seen + c) >= rank) {
			double lo = (double)hist_bucket_lo(b);
			double hi = (double)hist_bucket_hi(b);
			double frac = (rank - (double)seen) / (double)c;

			return lo + (hi - lo) * (frac < 0 ? 0 : frac);
		}
		seen += c;
	}
	return (double)hist_bucket_hi(IPCT_HIST_BUCKETS - 1);
}
