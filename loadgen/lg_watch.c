/* lg_watch.c: the watcher thread and its hand-over to the trace writer (lg_watch.h). */
#include "loadgen/lg_watch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loadgen/lg_kubectl.h"
#include "loadgen/lg_prom.h"

#define HPA_COLS 5
#define MAX_COLS (HPA_COLS + LG_MAX_QUERIES)
/* Samples of this many seconds wait for their rows: the trace writer takes second s's row
 * only once every loop has flushed s, which a loaded machine can delay past the next look; a
 * single slot would then lose s's sample to the next second's. Within one second the latest
 * sample replaces the earlier ones (a row holds one). */
#define QUEUE 4

typedef struct sample {
    int64_t sec;
    char cells[MAX_COLS][LG_WATCH_CELL];
} sample;

struct lg_watch {
    lg_watch_cfg cfg;
    pthread_t th;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int quit;
    lg_prom *prom;
    int ncols;
    char names[MAX_COLS][80];
    const char *name_ptrs[MAX_COLS];
    sample queue[QUEUE]; /* samples not yet taken, oldest first */
    int nqueued;
    char taken[MAX_COLS][LG_WATCH_CELL]; /* what lg_watch_take handed out */
    uint64_t failures;
    char first_err[SIM_ERROR_MAX];
};

static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void failed(lg_watch *w, const sim_error *e) {
    pthread_mutex_lock(&w->lock);
    if (w->failures++ == 0)
        snprintf(w->first_err, sizeof w->first_err, "%s", e->msg);
    pthread_mutex_unlock(&w->lock);
}

static void look(lg_watch *w) {
    char cells[MAX_COLS][LG_WATCH_CELL];
    memset(cells, 0, sizeof cells);
    int c = 0;
    sim_error err;
    if (w->cfg.hpa) {
        lg_hpa_sample s;
        if (lg_kubectl_get_hpa(w->cfg.kubectl, w->cfg.hpa, w->cfg.ns, 10000, &s, &err) == 0) {
            snprintf(cells[0], LG_WATCH_CELL, "%s", s.desired);
            snprintf(cells[1], LG_WATCH_CELL, "%s", s.current);
            snprintf(cells[2], LG_WATCH_CELL, "%s", s.metrics);
            snprintf(cells[3], LG_WATCH_CELL, "%s", s.conditions);
        } else {
            snprintf(cells[4], LG_WATCH_CELL, "%.500s", err.msg);
            failed(w, &err);
        }
        c = HPA_COLS;
    }
    for (int q = 0; q < w->cfg.nqueries; q++, c++)
        if (lg_prom_query(w->prom, w->cfg.queries[q], cells[c], LG_WATCH_CELL, &err) != 0)
            failed(w, &err);
    int64_t sec = (mono_ns() - w->cfg.t0_ns) / 1000000000;
    if (sec < 0)
        sec = 0;
    pthread_mutex_lock(&w->lock);
    if (w->nqueued == 0 || w->queue[w->nqueued - 1].sec != sec) {
        if (w->nqueued == QUEUE) { /* the writer is QUEUE seconds behind: drop the oldest */
            memmove(&w->queue[0], &w->queue[1], (QUEUE - 1) * sizeof w->queue[0]);
            w->nqueued--;
        }
        w->nqueued++;
    }
    sample *q = &w->queue[w->nqueued - 1];
    q->sec = sec;
    memcpy(q->cells, cells, sizeof cells);
    pthread_mutex_unlock(&w->lock);
}

static void *watch_main(void *p) {
    lg_watch *w = p;
    int64_t next = w->cfg.t0_ns;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->quit && mono_ns() < next) {
            struct timespec ts = {next / 1000000000, next % 1000000000};
            pthread_cond_timedwait(&w->cond, &w->lock, &ts);
        }
        int quit = w->quit;
        pthread_mutex_unlock(&w->lock);
        if (quit)
            break;
        look(w);
        next += w->cfg.every_us * 1000;
        int64_t now = mono_ns();
        if (next < now) /* a look took longer than the interval: skip the missed ones */
            next = now + w->cfg.every_us * 1000 - (now - w->cfg.t0_ns) % (w->cfg.every_us * 1000);
    }
    return NULL;
}

int lg_watch_start(lg_watch **out, const lg_watch_cfg *cfg, sim_error *err) {
    *out = NULL;
    if (cfg->hpa == NULL && cfg->nqueries == 0) {
        if (cfg->prom_url)
            return error_set(err, "loadgen: --prometheus needs at least one --query NAME=PROMQL");
        return 0;
    }
    if (cfg->nqueries > 0 && cfg->prom_url == NULL)
        return error_set(err, "loadgen: --query needs --prometheus URL");
    if (cfg->every_us < 100000)
        return error_set(err, "loadgen: --every must be at least 100ms");
    lg_watch *w = calloc(1, sizeof *w);
    if (w == NULL)
        return error_set(err, "loadgen: out of memory");
    w->cfg = *cfg;
    if (cfg->hpa) {
        static const char *hpa_cols[HPA_COLS] = {"hpa_desired", "hpa_current", "hpa_metrics",
                                                 "hpa_conditions", "hpa_error"};
        for (int i = 0; i < HPA_COLS; i++)
            snprintf(w->names[w->ncols++], sizeof w->names[0], "%s", hpa_cols[i]);
    }
    for (int q = 0; q < cfg->nqueries; q++)
        snprintf(w->names[w->ncols++], sizeof w->names[0], "prom_%s", cfg->qnames[q]);
    for (int i = 0; i < w->ncols; i++)
        w->name_ptrs[i] = w->names[i];
    if (cfg->nqueries > 0 && (w->prom = lg_prom_new(cfg->prom_url, 5000, err)) == NULL) {
        free(w);
        return -1;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&w->th, NULL, watch_main, w) != 0) {
        lg_prom_free(w->prom);
        free(w);
        return error_set(err, "loadgen: cannot start the watcher thread");
    }
    *out = w;
    return 0;
}

int lg_watch_ncols(const lg_watch *w) {
    return w ? w->ncols : 0;
}

const char *const *lg_watch_names(const lg_watch *w) {
    return w ? w->name_ptrs : NULL;
}

void lg_watch_take(lg_watch *w, int64_t sec, const char **cells) {
    pthread_mutex_lock(&w->lock);
    int have = 0; /* how many queued samples are of sec or before: the last of them is sec's */
    while (have < w->nqueued && w->queue[have].sec <= sec)
        have++;
    for (int i = 0; i < w->ncols; i++) {
        if (have)
            memcpy(w->taken[i], w->queue[have - 1].cells[i], LG_WATCH_CELL);
        else
            w->taken[i][0] = 0;
        cells[i] = w->taken[i];
    }
    memmove(&w->queue[0], &w->queue[have], (size_t)(w->nqueued - have) * sizeof w->queue[0]);
    w->nqueued -= have;
    pthread_mutex_unlock(&w->lock);
}

uint64_t lg_watch_stop(lg_watch *w, char *first_err, size_t size) {
    if (w == NULL)
        return 0;
    pthread_mutex_lock(&w->lock);
    w->quit = 1;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->th, NULL);
    uint64_t n = w->failures;
    if (first_err)
        snprintf(first_err, size, "%s", w->first_err);
    lg_prom_free(w->prom);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    free(w);
    return n;
}
