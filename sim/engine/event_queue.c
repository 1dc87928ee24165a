/* event_queue.c: see event_queue.h. One sift-up and one sift-down, written once and inlined
 * with a constant arity, so the 2-ary and 4-ary heaps each get straight-line code. */
#include "sim/engine/event_queue.h"

#include <stdlib.h>

static inline int before(const event *a, const event *b) {
    return a->t_us < b->t_us || (a->t_us == b->t_us && a->seq < b->seq);
}

int eq_init(event_queue *q, int arity) {
    if (arity == 0)
        arity = EQ_DEFAULT_ARITY;
    q->heap = NULL;
    q->n = q->cap = 0;
    q->arity = arity;
    q->hole = 0;
    q->next_seq = 0;
    if (arity != 2 && arity != 4)
        return -1;
    q->cap = 256;
    q->heap = malloc(q->cap * sizeof *q->heap);
    return q->heap ? 0 : -1;
}

void eq_free(event_queue *q) {
    free(q->heap);
    q->heap = NULL;
    q->n = q->cap = 0;
}

static inline void sift_up(event *h, size_t i, event e, const size_t d) {
    while (i > 0) {
        size_t parent = (i - 1) / d;
        if (!before(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static inline void sift_down(event *h, size_t n, event e, const size_t d) {
    size_t i = 0;
    for (;;) {
        size_t first = i * d + 1;
        if (first >= n)
            break;
        size_t best = first;
        size_t last = first + d < n ? first + d : n;
        for (size_t c = first + 1; c < last; c++)
            if (before(&h[c], &h[best]))
                best = c;
        if (!before(&h[best], &e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

int eq_push(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    if (q->hole) { /* the root is free: the new event goes there and sinks */
        event e = {t_us, q->next_seq++, fn, obj, arg};
        q->hole = 0;
        if (q->arity == 4)
            sift_down(q->heap, q->n, e, 4);
        else
            sift_down(q->heap, q->n, e, 2);
        return 0;
    }
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        event *h = realloc(q->heap, cap * sizeof *h);
        if (h == NULL)
            return -1;
        q->heap = h;
        q->cap = cap;
    }
    event e = {t_us, q->next_seq++, fn, obj, arg};
    if (q->arity == 4)
        sift_up(q->heap, q->n, e, 4);
    else
        sift_up(q->heap, q->n, e, 2);
    q->n++;
    return 0;
}

int eq_pop(event_queue *q, event *out) {
    if (q->n == 0)
        return 0;
    *out = q->heap[0];
    q->n--;
    if (q->n > 0) {
        if (q->arity == 4)
            sift_down(q->heap, q->n, q->heap[q->n], 4);
        else
            sift_down(q->heap, q->n, q->heap[q->n], 2);
    }
    return 1;
}

int eq_take(event_queue *q, event *out) {
    if (q->n == 0)
        return 0;
    *out = q->heap[0];
    q->hole = 1;
    return 1;
}

void eq_settle(event_queue *q) {
    if (!q->hole)
        return;
    q->hole = 0;
    q->n--;
    if (q->n > 0) {
        if (q->arity == 4)
            sift_down(q->heap, q->n, q->heap[q->n], 4);
        else
            sift_down(q->heap, q->n, q->heap[q->n], 2);
    }
}
