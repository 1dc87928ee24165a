/* lg_seconds.c: the per-second hand-over between loops and the trace writer (lg_seconds.h). */
#include "loadgen/lg_seconds.h"

#include <string.h>
#include <time.h>

void lg_seconds_init(lg_seconds *s, int nloops) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    s->nloops = nloops;
    for (int i = 0; i < LG_SECONDS_RING; i++) {
        s->slot[i].sec = -1;
        lg_second_init(&s->slot[i].data);
    }
}

void lg_seconds_destroy(lg_seconds *s) {
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
}

void lg_seconds_flush(lg_seconds *s, int64_t sec, const lg_second *data) {
    pthread_mutex_lock(&s->lock);
    int i = (int)(sec % LG_SECONDS_RING);
    if (s->slot[i].sec != sec) {
        if (s->slot[i].sec >= 0)
            s->dropped++;
        s->slot[i].sec = sec;
        s->slot[i].flushes = 0;
        lg_second_init(&s->slot[i].data);
    }
    lg_second_merge(&s->slot[i].data, data);
    s->slot[i].flushes++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void lg_seconds_loop_done(lg_seconds *s) {
    pthread_mutex_lock(&s->lock);
    s->loops_done++;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

int lg_seconds_take(lg_seconds *s, int64_t sec, int64_t deadline_ns, lg_second *out) {
    pthread_mutex_lock(&s->lock);
    int i = (int)(sec % LG_SECONDS_RING);
    int rc = 0;
    for (;;) {
        int all_done = s->loops_done >= s->nloops;
        if (s->slot[i].sec == sec && (s->slot[i].flushes >= s->nloops || all_done)) {
            *out = s->slot[i].data;
            s->slot[i].sec = -1;
            rc = 1;
            break;
        }
        if (all_done) {
            rc = -1; /* nothing for sec; is anything later left? */
            for (int k = 0; k < LG_SECONDS_RING; k++)
                if (s->slot[k].sec > sec)
                    rc = 0;
            if (rc == 0) { /* an empty second between flushed ones */
                lg_second_init(out);
                rc = 1;
            }
            break;
        }
        struct timespec ts = {deadline_ns / 1000000000, deadline_ns % 1000000000};
        if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) != 0)
            break;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}
