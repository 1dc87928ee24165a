/* history.c: recommendation and scale-event bookkeeping; see history.h. */
#include "sim/control/hpa/history.h"

#include <stdlib.h>
#include <string.h>

void hpa_state_init(hpa_state *st) {
    memset(st, 0, sizeof *st);
}

void hpa_state_free(hpa_state *st) {
    free(st->recs);
    free(st->up);
    free(st->down);
    memset(st, 0, sizeof *st);
}

/* Makes room for one more element of size `size` in *arr (count n, capacity *cap). */
static int grow(void **arr, int n, int *cap, size_t size, sim_error *err) {
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, (size_t)ncap * size);
    if (p == NULL)
        return error_set(err, "out of memory growing the HPA history");
    *arr = p;
    *cap = ncap;
    return 0;
}

int hpa_state_push_recommendation(hpa_state *st, hpa_recommendation r, sim_error *err) {
    if (grow((void **)&st->recs, st->nrecs, &st->cap_recs, sizeof *st->recs, err) < 0)
        return -1;
    st->recs[st->nrecs++] = r;
    st->has_history = 1;
    return 0;
}

int hpa_state_push_event(hpa_state *st, int up, hpa_scale_event e, sim_error *err) {
    if (up) {
        if (grow((void **)&st->up, st->nup, &st->cap_up, sizeof *st->up, err) < 0)
            return -1;
        st->up[st->nup++] = e;
    } else {
        if (grow((void **)&st->down, st->ndown, &st->cap_down, sizeof *st->down, err) < 0)
            return -1;
        st->down[st->ndown++] = e;
    }
    return 0;
}

int hpa_state_record_initial(hpa_state *st, int32_t current, int64_t now_us, sim_error *err) {
    if (st->has_history)
        return 0;
    return hpa_state_push_recommendation(st, (hpa_recommendation){current, now_us}, err);
}

/* Overwrites slot `reuse` (>= 0) or appends. */
static int store_rec(hpa_state *st, int reuse, hpa_recommendation r, sim_error *err) {
    if (reuse >= 0) {
        st->recs[reuse] = r;
        st->has_history = 1;
        return 0;
    }
    return hpa_state_push_recommendation(st, r, err);
}

int hpa_stabilize_legacy(hpa_state *st, int32_t desired, int64_t window_us, int64_t now_us,
                         int32_t *out, sim_error *err) {
    int32_t best = desired;
    int reuse = -1;
    int64_t cutoff = now_us - window_us;
    for (int i = 0; i < st->nrecs; i++) {
        if (st->recs[i].at_us < cutoff)
            reuse = i; /* timestamp.Before(cutoff): older than the window */
        else if (st->recs[i].replicas > best)
            best = st->recs[i].replicas;
    }
    *out = best;
    return store_rec(st, reuse, (hpa_recommendation){desired, now_us}, err);
}

int hpa_stabilize_behavior(hpa_state *st, int32_t current, int32_t desired, int64_t up_window_us,
                           int64_t down_window_us, int64_t now_us, int32_t *out, sim_error *err) {
    int32_t up = desired, down = desired;
    int64_t up_cutoff = now_us - up_window_us, down_cutoff = now_us - down_window_us;
    int reuse = -1;
    for (int i = 0; i < st->nrecs; i++) {
        const hpa_recommendation *r = &st->recs[i];
        if (r->at_us > up_cutoff && r->replicas < up)
            up = r->replicas;
        if (r->at_us > down_cutoff && r->replicas > down)
            down = r->replicas;
        if (r->at_us < up_cutoff && r->at_us < down_cutoff)
            reuse = i;
    }
    int32_t rec = current;
    if (rec < up)
        rec = up;
    if (rec > down)
        rec = down;
    *out = rec;
    return store_rec(st, reuse, (hpa_recommendation){desired, now_us}, err);
}

int64_t hpa_events_change_in_period(const hpa_scale_event *ev, int n, int64_t period_us,
                                    int64_t now_us) {
    int64_t cutoff = now_us - period_us, sum = 0;
    for (int i = 0; i < n; i++)
        if (ev[i].at_us > cutoff)
            sum += ev[i].change;
    return sum;
}

int hpa_store_scale_event(hpa_state *st, const hpa_rules *up_rules, const hpa_rules *down_rules,
                          int32_t prev, int32_t next, int64_t now_us, sim_error *err) {
    if (up_rules == NULL || down_rules == NULL)
        return 0; /* no behaviour: the events would never be read */
    int up = next > prev;
    const hpa_rules *rules = up ? up_rules : down_rules;
    hpa_scale_event *ev = up ? st->up : st->down;
    int n = up ? st->nup : st->ndown;
    int64_t cutoff = now_us - (int64_t)hpa_rules_longest_period(rules) * 1000000;
    int reuse = -1;
    for (int i = 0; i < n; i++) {
        if (ev[i].at_us < cutoff)
            ev[i].outdated = 1;
        if (ev[i].outdated)
            reuse = i;
    }
    int64_t change = up ? (int64_t)next - prev : (int64_t)prev - next;
    hpa_scale_event e = {change > INT32_MAX ? INT32_MAX : (int32_t)change, now_us, 0};
    if (reuse >= 0) {
        ev[reuse] = e;
        return 0;
    }
    return hpa_state_push_event(st, up, e, err);
}
