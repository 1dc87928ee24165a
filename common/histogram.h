/* histogram.h: fixed-size log-bucket histogram of non-negative int64 values (latencies in us).
 *
 * Values below 128 have a bucket each; above, every power of two is split into 128 equal
 * buckets, so a bucket is at most 1/128 of its value wide and a reported percentile (the bucket
 * midpoint, clamped to the observed min and max) is within 0.4% of the true value. Values beyond
 * 2^37 us (38 h) share the last bucket. Memory is constant (about 32 KiB) whatever is recorded;
 * reset touches only the buckets that were used, so a per-second histogram stays cheap. */
#ifndef SCALESIM_COMMON_HISTOGRAM_H
#define SCALESIM_COMMON_HISTOGRAM_H

#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB      (1 << HIST_SUB_BITS)
#define HIST_MAX_EXP  37
#define HIST_BUCKETS  (HIST_SUB + (HIST_MAX_EXP - HIST_SUB_BITS + 1) * HIST_SUB)

typedef struct histogram {
    uint64_t count;
    int64_t min, max; /* valid when count > 0 */
    double sum;
    int lo, hi; /* range of buckets that may be nonzero (lo > hi when empty) */
    uint64_t buckets[HIST_BUCKETS];
} histogram;

void histogram_init(histogram *h);
void histogram_reset(histogram *h);
void histogram_merge(histogram *into, const histogram *from);

/* q in [0, 1]: the value at rank ceil(q * count) (nearest-rank); 0 when empty. */
int64_t histogram_percentile(const histogram *h, double q);
/* out[i] = histogram_percentile(h, q[i]) for n quantiles in ascending order, in one pass over the
 * buckets (the timeline asks for three every simulated second). */
void histogram_percentiles(const histogram *h, const double *q, int64_t *out, int n);
double histogram_mean(const histogram *h);

/* The bucket of a value (inline: every response is recorded). */
static inline int histogram_bucket_inline(int64_t value) {
    if (value < HIST_SUB)
        return value < 0 ? 0 : (int)value;
    int exp = 63 - __builtin_clzll((unsigned long long)value);
    if (exp > HIST_MAX_EXP)
        return HIST_BUCKETS - 1;
    int sub = (int)((value >> (exp - HIST_SUB_BITS)) & (HIST_SUB - 1));
    return HIST_SUB + (exp - HIST_SUB_BITS) * HIST_SUB + sub;
}

/* Adds one value (negative values count as 0); inline: it runs once per simulated response. */
static inline void histogram_record(histogram *h, int64_t value) {
    if (value < 0)
        value = 0;
    int b = histogram_bucket_inline(value);
    h->buckets[b]++;
    if (b < h->lo)
        h->lo = b;
    if (b > h->hi)
        h->hi = b;
    if (h->count == 0 || value < h->min)
        h->min = value;
    if (h->count == 0 || value > h->max)
        h->max = value;
    h->count++;
    h->sum += (double)value;
}

/* Bucket helpers, exposed for tests and for exporting the distribution. */
int histogram_bucket_of(int64_t value);
int64_t histogram_bucket_low(int bucket);
int64_t histogram_bucket_high(int bucket); /* exclusive */

#endif
