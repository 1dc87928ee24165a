/* lg_seconds.h: per-second figures handed from the event loops to the trace writer.
 *
 * Each loop flushes its lg_second for second s (counted from the run's start) when its clock
 * passes the end of s; the writer takes second s once every loop has flushed it (or at the
 * end of the run). A ring of LG_SECONDS_RING slots bounds memory; a writer that falls that far
 * behind loses the oldest second, and says so (dropped). Thread-safe. */
#ifndef SCALESIM_LOADGEN_LG_SECONDS_H
#define SCALESIM_LOADGEN_LG_SECONDS_H

#include <pthread.h>
#include <stdint.h>

#include "loadgen/lg_stats.h"

#define LG_SECONDS_RING 8

typedef struct lg_seconds {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int nloops;
    int loops_done; /* loops that have ended */
    struct {
        int64_t sec; /* -1: empty */
        int flushes;
        lg_second data;
    } slot[LG_SECONDS_RING];
    uint64_t dropped;
} lg_seconds;

void lg_seconds_init(lg_seconds *s, int nloops);
void lg_seconds_destroy(lg_seconds *s);
void lg_seconds_flush(lg_seconds *s, int64_t sec, const lg_second *data);
void lg_seconds_loop_done(lg_seconds *s);
/* Waits until second sec is complete (all loops flushed it), every loop ended, or
 * deadline_ns (CLOCK_MONOTONIC) passed; copies it into out and frees its slot. Returns 1 when
 * out holds second sec (perhaps partial after the end), 0 at the deadline with nothing,
 * -1 when all loops ended and nothing remains at or after sec. */
int lg_seconds_take(lg_seconds *s, int64_t sec, int64_t deadline_ns, lg_second *out);

#endif
