/* lg_pace.c: hey's ticker and the open-loop flags as load phases (lg_pace.h). */
#include "loadgen/lg_pace.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/duration.h"
#include "common/options.h"
#include "sim/scenario/scenario.h"

#define MAX_RATE 1e7 /* the scenario loader's bound (sim/scenario/load.c) */

static int parse_rate(const char *text, int64_t duration_us, load_cfg *l, sim_error *err) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
    double a, b = 0;
    if (opts_parse_double(buf, &a) != 0 || (colon && opts_parse_double(colon + 1, &b) != 0))
        return error_set(err, "loadgen: --rate \"%s\": expected R or FROM:TO (requests/s)", text);
    if (!(a >= 0 && a <= MAX_RATE) || !(b >= 0 && b <= MAX_RATE))
        return error_set(err, "loadgen: --rate \"%s\": rates must be within 0..1e7", text);
    if (colon && duration_us <= 0)
        return error_set(err, "loadgen: --rate %s: a ramp needs -z (its length)", text);
    if (!colon && a <= 0)
        return error_set(err, "loadgen: --rate must be > 0");
    if (colon) {
        l->shape = RATE_RAMP;
        l->rate_from = a;
        l->rate_to = b;
        l->end_us = duration_us;
    } else {
        l->shape = RATE_CONSTANT;
        l->rate = a;
    }
    return 0;
}

static int parse_steps(const char *text, load_cfg *l, sim_error *err) {
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    l->shape = RATE_STEP;
    l->interpolation = INTERP_STEP;
    l->points = calloc(cap, sizeof *l->points);
    if (l->points == NULL)
        return error_set(err, "loadgen: out of memory");
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ",");
        char item[128], *eq;
        snprintf(item, sizeof item, "%.*s", (int)(n < 127 ? n : 127), p);
        eq = strchr(item, '=');
        double rate, secs;
        int64_t t_us;
        sim_error e2;
        if (eq == NULL)
            return error_set(err, "loadgen: --rate-steps \"%s\": expected TIME=RATE, got \"%s\"",
                             text, item);
        *eq = 0;
        if (opts_parse_double(item, &secs) == 0 && secs >= 0 && secs < 1e9)
            t_us = (int64_t)llround(secs * 1e6);
        else if (duration_parse(item, &t_us, &e2) != 0 || t_us < 0)
            return error_set(err, "loadgen: --rate-steps: \"%s\" is not a time >= 0", item);
        if (opts_parse_double(eq + 1, &rate) != 0 || !(rate >= 0 && rate <= MAX_RATE))
            return error_set(err, "loadgen: --rate-steps: \"%s\" is not a rate within 0..1e7",
                             eq + 1);
        if (l->n_points > 0 && t_us <= l->points[l->n_points - 1].t_us)
            return error_set(err, "loadgen: --rate-steps: times must increase (%s)", item);
        l->points[l->n_points++] = (rate_point){t_us, rate};
        p += n;
        if (*p == ',')
            p++;
    }
    if (l->n_points == 0)
        return error_set(err, "loadgen: --rate-steps: no steps");
    return 0;
}

int lg_pace_load(const char *rate, const char *steps, const char *file, int poisson,
                 int64_t duration_us, scenario_cfg *out, sim_error *err) {
    memset(out, 0, sizeof *out);
    out->seed = 1;
    out->loads = calloc(1, sizeof *out->loads);
    if (out->loads == NULL)
        return error_set(err, "loadgen: out of memory");
    out->n_loads = 1;
    load_cfg *l = out->loads;
    snprintf(l->name, sizeof l->name, "load[0]"); /* the loader's default name */
    l->kind = LOAD_OPEN;
    l->arrivals = poisson ? ARRIVALS_POISSON : ARRIVALS_UNIFORM;
    l->end_us = INT64_MAX;
    l->timeout_us = 20 * 1000000;
    int rc;
    if (rate)
        rc = parse_rate(rate, duration_us, l, err);
    else if (steps)
        rc = parse_steps(steps, l, err);
    else {
        l->shape = RATE_TRACE;
        l->interpolation = INTERP_STEP;
        rc = scenario_read_trace(file, 1.0, l, err);
        if (rc != 0)
            error_prefix(err, "loadgen: --rate-file");
    }
    if (rc != 0)
        scenario_cfg_free(out);
    return rc;
}

int lg_pace_read_load(const char *arg, scenario_cfg *out, sim_error *err) {
    const char *p = arg + strspn(arg, " \t\r\n");
    if (*p == 0)
        return error_set(err, "loadgen: --load: expected a scenario file or JSON, got \"%s\"", arg);
    int rc = *p == '{' || *p == '['
                 ? scenario_open_loads_text(arg, strlen(arg), "--load", "", out, err)
                 : scenario_open_loads(arg, out, err);
    if (rc != 0)
        error_prefix(err, "loadgen");
    return rc;
}

void lg_ticker_init(lg_ticker *t, int64_t start_us, double qps) {
    t->start_us = start_us;
    /* hey: time.Tick(time.Duration(1e6/(b.QPS)) * time.Microsecond) */
    t->interval_us = qps > 0 ? (int64_t)(1e6 / qps) : 0;
    if (t->interval_us <= 0)
        t->interval_us = 1;
    t->next_us = start_us + t->interval_us;
}

int64_t lg_ticker_take(lg_ticker *t, int64_t now_us) {
    int64_t at = t->next_us > now_us ? t->next_us : now_us;
    /* the tick after the one taken is the first grid point after `at` */
    int64_t k = (at - t->start_us) / t->interval_us + 1;
    t->next_us = t->start_us + k * t->interval_us;
    return at;
}
