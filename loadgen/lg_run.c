/* lg_run.c: threads, the trace writer and the summary of one run (lg_run.h). */
#include "loadgen/lg_run.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/hey_report.h"
#include "loadgen/lg_engine.h"
#include "sim/scenario/scenario.h"
#include "loadgen/lg_seconds.h"
#include "loadgen/lg_trace.h"

typedef struct worker {
    pthread_t th;
    lg_engine_cfg cfg;
    lg_engine_result res;
    sim_error err;
    int rc;
} worker;

static void *worker_main(void *p) {
    worker *w = p;
    w->rc = lg_engine_run(&w->cfg, &w->res, &w->err);
    if (w->cfg.seconds)
        lg_seconds_loop_done(w->cfg.seconds);
    return NULL;
}

static void free_arrivals(lg_arrivals *arr, int64_t n) {
    for (int64_t k = 0; k < n; k++)
        lg_arrivals_free(&arr[k]);
    free(arr);
}

static void progress_line(FILE *f, int64_t sec, const lg_second *s, const lg_stats *total) {
    fprintf(f, "\r%5lld s  sent %llu  rps %llu  failed %llu  in flight %lld  p99 ", (long long)sec,
            (unsigned long long)total->sent, (unsigned long long)s->sent,
            (unsigned long long)total->failed, (long long)s->in_flight);
    if (s->latency.count)
        fprintf(f, "%.2f ms   ", histogram_percentile(&s->latency, 0.99) / 1e3);
    else
        fputs("-        ", f);
    fflush(f);
}

int lg_run(const hey_args *a, const lg_options *o, lg_outcome *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    lg_stats_init(&out->stats);
    if (a->output && strcmp(a->output, "csv") != 0)
        return error_set(err,
                         "loadgen: -o %s: only csv is supported (hey's other outputs are "
                         "templates it does not document)",
                         a->output);
    int flags = (o->rate != NULL) + (o->rate_file != NULL) + (o->rate_steps != NULL);
    int open = flags + (o->load != NULL);
    if (open > 1)
        return error_set(err, "loadgen: give one of --load, --rate, --rate-steps, --rate-file");
    if (o->poisson && !flags)
        return error_set(err, o->load ? "loadgen: --arrivals goes with --rate, --rate-steps and "
                                        "--rate-file; with --load each phase's type (\"poisson\" "
                                        "or \"uniform\") says how its arrivals are spaced"
                                      : "loadgen: --arrivals poisson needs a rate (--rate, "
                                        "--rate-steps or --rate-file)");
    if (open && a->q > 0)
        return error_set(err, "loadgen: -q paces hey's closed loop; with --rate it means nothing");
    scenario_cfg load = {0};
    uint64_t seed = o->seed;
    int64_t horizon_us = a->z_us > 0 ? a->z_us : 0;
    if (o->load) {
        if (lg_pace_read_load(o->load, &load, err) != 0)
            return -1;
        if (!o->seed_set)
            seed = load.seed; /* a scenario's own seed: the simulator's arrivals */
        if (horizon_us == 0)
            horizon_us = load.duration_us; /* the scenario's duration plays -z */
    } else if (flags && lg_pace_load(o->rate, o->rate_steps, o->rate_file, o->poisson, a->z_us,
                                     &load, err) != 0) {
        return -1;
    }
    if (lg_target_init(&out->target, a, err) != 0) {
        scenario_cfg_free(&load);
        return -1;
    }
    int64_t nloops = a->cpus > 0 ? a->cpus : 1;
    if (nloops > a->c)
        nloops = a->c;
    if (nloops > 256)
        nloops = 256;
    lg_tls_ctx *tls = NULL;
    if (out->target.https && (tls = lg_tls_ctx_new(out->target.h2, err)) == NULL) {
        scenario_cfg_free(&load);
        lg_target_free(&out->target);
        return -1;
    }
    worker *w = calloc((size_t)nloops, sizeof *w);
    lg_arrivals *arr = open ? calloc((size_t)nloops, sizeof *arr) : NULL;
    lg_seconds *secs = calloc(1, sizeof *secs);
    lg_second *row = malloc(sizeof *row);
    int bad = 0;
    if (w == NULL || secs == NULL || row == NULL || (open && arr == NULL))
        bad = error_set(err, "loadgen: out of memory");
    for (int64_t k = 0; !bad && open && k < nloops; k++) /* each loop draws 1/nloops */
        bad = lg_arrivals_init(&arr[k], load.loads, load.n_loads, horizon_us, 1.0 / (double)nloops,
                               seed, (int)k, err);
    if (bad) {
        free_arrivals(arr, open ? nloops : 0);
        free(w), free(secs), free(row);
        lg_tls_ctx_free(tls);
        lg_target_free(&out->target);
        scenario_cfg_free(&load);
        return -1;
    }
    lg_trace trace = {0};
    lg_watch *watch = NULL;
    int64_t t0 = lg_now_ns();
    if (o->watch) {
        lg_watch_cfg wc = *o->watch;
        wc.t0_ns = t0;
        if ((wc.hpa || wc.nqueries > 0) && !o->trace_path)
            bad = error_set(err, "loadgen: --watch-hpa and --query record into the trace: "
                                 "give --trace");
        else
            bad = lg_watch_start(&watch, &wc, err);
    }
    if (!bad && o->trace_path)
        bad =
            lg_trace_open(&trace, o->trace_path, lg_watch_names(watch), lg_watch_ncols(watch), err);
    if (bad) {
        lg_watch_stop(watch, NULL, 0);
        free_arrivals(arr, open ? nloops : 0);
        free(w), free(secs), free(row);
        scenario_cfg_free(&load);
        lg_target_free(&out->target);
        lg_tls_ctx_free(tls);
        return -1;
    }
    const char *cells[LG_MAX_QUERIES + 8];
    lg_seconds_init(secs, (int)nloops);
    pthread_mutex_t csv_lock = PTHREAD_MUTEX_INITIALIZER;
    int csv = a->output && strcmp(a->output, "csv") == 0;
    if (csv) {
        static const char head[] = "response-time,DNS+dialup,DNS,Request-write,Response-delay,"
                                   "Response-read,status-code,offset\n";
        if (write(o->csv_fd, head, sizeof head - 1) < 0) {
            /* nothing to do: the rows will fail the same way and the run still counts */
        }
    }
    int64_t started = 0;
    for (int64_t k = 0; k < nloops; k++) {
        lg_engine_cfg *c = &w[k].cfg;
        c->target = &out->target;
        c->conns = a->c / nloops + (k < a->c % nloops);
        c->duration_us = open ? horizon_us : a->z_us > 0 ? a->z_us : 0;
        c->per_worker_requests = !open && c->duration_us == 0 ? a->n / a->c : 0;
        c->timeout_us = a->t_s > 0 ? a->t_s * 1000000 : 0;
        c->qps = a->q;
        c->rate = open ? &arr[k] : NULL;
        if (open && horizon_us <= 0)
            c->open_requests = a->n / nloops + (k < a->n % nloops);
        c->csv_fd = csv ? o->csv_fd : -1;
        c->csv_lock = &csv_lock;
        c->seconds = secs;
        c->stop = o->stop;
        c->t0_ns = t0;
        c->tls = tls;
        if (pthread_create(&w[k].th, NULL, worker_main, &w[k]) != 0) {
            error_set(err, "loadgen: cannot start a thread");
            if (o->stop)
                *o->stop = 1;
            secs->nloops = (int)k;
            break;
        }
        started++;
    }
    lg_stats running;
    lg_stats_init(&running);
    for (int64_t sec = 0; started > 0;) {
        int64_t deadline = t0 + (sec + 1) * 1000000000 + 250000000;
        int64_t now = lg_now_ns();
        if (deadline < now + 50000000)
            deadline = now + 50000000;
        int rc = lg_seconds_take(secs, sec, deadline, row);
        if (rc < 0)
            break;
        if (rc == 0)
            continue;
        running.sent += row->sent;
        running.failed += row->failed;
        if (trace.f) {
            if (watch)
                lg_watch_take(watch, sec, cells);
            lg_trace_row(&trace, sec, row, watch ? cells : NULL);
        }
        if (o->progress)
            progress_line(o->progress, sec, row, &running);
        out->seconds = ++sec;
    }
    if (o->progress)
        fputc('\n', o->progress);
    int rc = started == nloops ? 0 : -1;
    int64_t t_end = t0;
    for (int64_t k = 0; k < started; k++) {
        pthread_join(w[k].th, NULL);
        if (w[k].rc != 0 && rc == 0) {
            *err = w[k].err;
            rc = -1;
        }
        lg_stats_merge(&out->stats, &w[k].res.stats);
        out->in_flight_at_stop += w[k].res.in_flight_at_stop;
        if (w[k].res.t_end_ns > t_end)
            t_end = w[k].res.t_end_ns;
    }
    out->total_us = (t_end - t0) / 1000;
    out->watch_failures = lg_watch_stop(watch, out->watch_error, sizeof out->watch_error);
    out->dropped = secs->dropped;
    if (lg_trace_close(&trace, rc == 0 ? err : NULL) != 0)
        rc = -1;
    lg_seconds_destroy(secs);
    lg_tls_ctx_free(tls);
    free_arrivals(arr, open ? nloops : 0);
    free(w), free(secs), free(row);
    scenario_cfg_free(&load);
    return rc;
}

void lg_print_summary(FILE *f, const hey_args *a, const lg_outcome *out) {
    const char *method = a->method ? a->method : "GET";
    char op[32];
    size_t k = 0;
    for (; k < sizeof op - 1 && method[k]; k++) /* Go's url.Error Op: "Get", "Post" */
        op[k] = k == 0 ? (char)toupper((unsigned char)method[k])
                       : (char)tolower((unsigned char)method[k]);
    op[k] = 0;
    char texts[2 * LG_NERR][700];
    hey_error_line lines[2 * LG_NERR];
    const lg_stats *st = &out->stats;
    for (int i = 0; i < LG_NERR; i++) {
        /* the first hop's errors name the URL as Go's client does (stripPassword) */
        const char *url = out->target.url_named ? out->target.url_named : a->url;
        lg_err_text((lg_err)i, op, url, out->target.dial_addr, texts[i], sizeof texts[i]);
        char q[600];
        if (i == LG_ERR_PROXY && st->proxy_status) { /* which status, as Go says it */
            lg_url_quote(url, q, sizeof q);
            snprintf(texts[i], sizeof texts[i], "%s %s: proxy refused CONNECT: status %d", op, q,
                     st->proxy_status);
        }
        /* Go's url.Error for a redirect names the Location (client.go: ue.URL = loc) */
        if (i == LG_ERR_REDIRECT_LIMIT && st->redirect_loc[0])
            lg_err_text((lg_err)i, op, st->redirect_loc, out->target.dial_addr, texts[i],
                        sizeof texts[i]);
        if (i == LG_ERR_REDIRECT_HOST && st->redirect_why[0])
            snprintf(texts[i], sizeof texts[i], "%s %s", op, st->redirect_why);
        /* an error on a redirect hop names that hop's URL (client.go, uerr: req.URL) */
        char *hop = texts[LG_NERR + i];
        hop[0] = 0;
        if (st->hop_errors[i] > 0 && i != LG_ERR_REDIRECT_LIMIT && i != LG_ERR_REDIRECT_HOST) {
            lg_err_text((lg_err)i, op, st->hop_url[i], st->hop_dial[i], hop, sizeof texts[i]);
            if (i == LG_ERR_PROXY && st->proxy_status) {
                lg_url_quote(st->hop_url[i], q, sizeof q);
                snprintf(hop, sizeof texts[i], "%s %s: proxy refused CONNECT: status %d", op, q,
                         st->proxy_status);
            }
        }
        uint64_t on_hops = hop[0] ? st->hop_errors[i] : 0;
        lines[i].text = texts[i];
        lines[i].count = st->errors[i] - on_hops;
        lines[LG_NERR + i].text = hop;
        lines[LG_NERR + i].count = on_hops;
        if (on_hops && strcmp(hop, texts[i]) == 0) { /* one text, one line */
            lines[i].count += on_hops;
            lines[LG_NERR + i].count = 0;
        }
    }
    /* go1.19 transport.go dialConn, wrapErr: through a proxy a failed dial is a
     * net.OpError{Op: "proxyconnect", Net: "tcp"}: `proxyconnect tcp: dial tcp ...` */
    for (int i = 0; i < 2 * LG_NERR && out->target.proxy; i++) {
        int kind = i % LG_NERR;
        char *at = strstr(texts[i], "\": dial tcp");
        if ((kind == LG_ERR_REFUSED || kind == LG_ERR_DIAL) && at != NULL) {
            char rest[sizeof texts[i]];
            snprintf(rest, sizeof rest, "%s", at + 3);
            snprintf(at + 3, sizeof texts[i] - (size_t)(at + 3 - texts[i]), "proxyconnect tcp: %s",
                     rest);
        }
    }
    hey_view v = {.latency = &out->stats.latency,
                  .total_us = out->total_us,
                  .method = method,
                  .url = a->url,
                  .phases = out->stats.phases,
                  .status_counts = out->stats.status,
                  .errors = lines,
                  .n_errors = 2 * LG_NERR,
                  .size_total = out->stats.size_total};
    hey_report_print(f, &v);
}

void lg_outcome_free(lg_outcome *out) {
    lg_target_free(&out->target);
}
