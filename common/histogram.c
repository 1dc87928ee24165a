/* histogram.c: see histogram.h. The bucket layout is the one HdrHistogram uses with 7
 * significant bits, flattened into one array. */
#include "common/histogram.h"

#include <string.h>

void histogram_init(histogram *h) {
    memset(h, 0, sizeof *h);
    h->lo = HIST_BUCKETS;
    h->hi = -1;
}

void histogram_reset(histogram *h) {
    if (h->lo <= h->hi)
        memset(&h->buckets[h->lo], 0, (size_t)(h->hi - h->lo + 1) * sizeof h->buckets[0]);
    h->count = 0;
    h->min = h->max = 0;
    h->sum = 0.0;
    h->lo = HIST_BUCKETS;
    h->hi = -1;
}

int histogram_bucket_of(int64_t value) {
    return histogram_bucket_inline(value);
}

int64_t histogram_bucket_low(int bucket) {
    if (bucket < HIST_SUB)
        return bucket;
    int exp = (bucket - HIST_SUB) / HIST_SUB + HIST_SUB_BITS;
    int sub = (bucket - HIST_SUB) % HIST_SUB;
    return ((int64_t)HIST_SUB + sub) << (exp - HIST_SUB_BITS);
}

int64_t histogram_bucket_high(int bucket) {
    if (bucket < HIST_SUB)
        return bucket + 1;
    int exp = (bucket - HIST_SUB) / HIST_SUB + HIST_SUB_BITS;
    return histogram_bucket_low(bucket) + ((int64_t)1 << (exp - HIST_SUB_BITS));
}

void histogram_merge(histogram *into, const histogram *from) {
    if (from->count == 0)
        return;
    for (int b = from->lo; b <= from->hi; b++)
        into->buckets[b] += from->buckets[b];
    if (from->lo < into->lo)
        into->lo = from->lo;
    if (from->hi > into->hi)
        into->hi = from->hi;
    if (into->count == 0 || from->min < into->min)
        into->min = from->min;
    if (into->count == 0 || from->max > into->max)
        into->max = from->max;
    into->count += from->count;
    into->sum += from->sum;
}

/* The reported value of bucket b: its midpoint, clamped to the observed range. */
static int64_t bucket_value(const histogram *h, int b) {
    int64_t low = histogram_bucket_low(b), high = histogram_bucket_high(b);
    int64_t mid = low + (high - 1 - low) / 2;
    if (high - low == 1)
        mid = low;
    if (mid < h->min)
        mid = h->min;
    if (mid > h->max)
        mid = h->max;
    return mid;
}

/* Nearest rank of q (0 < q < 1): ceil(q * count), at least 1. */
static uint64_t rank_of(const histogram *h, double q) {
    uint64_t rank = (uint64_t)(q * (double)h->count);
    if ((double)rank < q * (double)h->count)
        rank++;
    return rank == 0 ? 1 : rank;
}

int64_t histogram_percentile(const histogram *h, double q) {
    int64_t v;
    histogram_percentiles(h, &q, &v, 1);
    return v;
}

void histogram_percentiles(const histogram *h, const double *q, int64_t *out, int n) {
    int i = 0;
    for (; i < n && (h->count == 0 || q[i] <= 0.0); i++)
        out[i] = h->count == 0 ? 0 : h->min;
    uint64_t seen = 0, want = i < n && q[i] < 1.0 ? rank_of(h, q[i]) : 0;
    for (int b = h->lo; b <= h->hi && want > 0; b++) {
        seen += h->buckets[b];
        while (want > 0 && seen >= want) {
            out[i++] = bucket_value(h, b);
            want = i < n && q[i] < 1.0 ? rank_of(h, q[i]) : 0;
        }
    }
    for (; i < n; i++)
        out[i] = h->max;
}

double histogram_mean(const histogram *h) {
    return h->count ? h->sum / (double)h->count : 0.0;
}
