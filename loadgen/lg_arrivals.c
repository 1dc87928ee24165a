/* lg_arrivals.c: merged arrival instants of open-loop phases (lg_arrivals.h). */
#include "loadgen/lg_arrivals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/rng.h"

static void advance(lg_phase *p) {
    if (rate_clock_next(&p->clock, p->rng)) {
        double ns = p->clock.clock_us * 1000.0;
        p->next_ns = ns < 9e18 ? (int64_t)ns : INT64_MAX;
    } else {
        p->next_ns = INT64_MAX;
    }
}

int lg_arrivals_init(lg_arrivals *a, const load_cfg *phases, size_t n, int64_t horizon_us,
                     double share, uint64_t seed, int loop, sim_error *err) {
    memset(a, 0, sizeof *a);
    a->ph = calloc(n ? n : 1, sizeof *a->ph);
    if (a->ph == NULL)
        return error_set(err, "loadgen: out of memory");
    a->n = n;
    for (size_t i = 0; i < n; i++) {
        const load_cfg *c = &phases[i];
        lg_phase *p = &a->ph[i];
        if (c->kind != LOAD_OPEN) {
            lg_arrivals_free(a);
            return error_set(err, "loadgen: %s is a closed loop, not an open-loop phase", c->name);
        }
        /* the simulator's window (load.c): end 0 or INT64_MAX is none; the horizon cuts it */
        int64_t stop = c->end_us > 0 ? c->end_us : INT64_MAX;
        if (horizon_us > 0 && horizon_us < stop)
            stop = horizon_us;
        rate_clock_init(&p->clock, c, c->start_us, stop, share);
        char name[CFG_NAME_MAX + 16];
        if (loop == 0)
            snprintf(name, sizeof name, "%s", c->name);
        else
            snprintf(name, sizeof name, "%s#%d", c->name, loop);
        p->rng = rng_stream_new(seed, name);
        if (p->rng == NULL) {
            lg_arrivals_free(a);
            return error_set(err, "loadgen: out of memory");
        }
        if (c->start_us < stop)
            advance(p);
        else
            p->next_ns = INT64_MAX;
    }
    return 0;
}

int64_t lg_arrivals_next(lg_arrivals *a) {
    lg_phase *first = NULL;
    for (size_t i = 0; i < a->n; i++)
        if (a->ph[i].next_ns != INT64_MAX && (first == NULL || a->ph[i].next_ns < first->next_ns))
            first = &a->ph[i];
    if (first == NULL)
        return INT64_MAX;
    int64_t t = first->next_ns;
    advance(first);
    return t;
}

void lg_arrivals_free(lg_arrivals *a) {
    for (size_t i = 0; i < a->n; i++)
        if (a->ph[i].rng)
            gsl_rng_free(a->ph[i].rng);
    free(a->ph);
    memset(a, 0, sizeof *a);
}
