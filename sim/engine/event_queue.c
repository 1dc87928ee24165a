/* event_queue.c: see event_queue.h. One sift-up and one sift-down, written once and inlined
 * with a constant arity, so the 2-ary and 4-ary heaps each get straight-line code. */
#include "sim/engine/event_queue.h"

#include <stdlib.h>

static inline int before(const eq_key *a, const eq_key *b) {
    return a->t_us < b->t_us || (a->t_us == b->t_us && a->seq_slot < b->seq_slot);
}

int eq_init(event_queue *q, int arity) {
    if (arity == 0)
        arity = EQ_DEFAULT_ARITY;
    q->heap = NULL;
    q->slots = NULL;
    q->free = NULL;
    q->n = q->cap = q->n_free = q->n_slots = 0;
    q->arity = arity;
    q->hole = 0;
    q->next_seq = 0;
    if (arity != 2 && arity != 4)
        return -1;
    return 0;
}

void eq_free(event_queue *q) {
    free(q->heap);
    free(q->slots);
    free(q->free);
    q->heap = NULL;
    q->slots = NULL;
    q->free = NULL;
    q->n = q->cap = q->n_free = q->n_slots = 0;
}

static inline void sift_up(eq_key *h, size_t i, eq_key e, const size_t d) {
    while (i > 0) {
        size_t parent = (i - 1) / d;
        if (!before(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static inline void sift_down(eq_key *h, size_t n, eq_key e, const size_t d) {
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

static inline void sink_root(event_queue *q, eq_key e) {
    if (q->arity == 4)
        sift_down(q->heap, q->n, e, 4);
    else
        sift_down(q->heap, q->n, e, 2);
}

/* Room for one more pending event: heap entry and payload slot. */
static int grow(event_queue *q) {
    size_t cap = q->cap ? q->cap * 2 : 256;
    if (cap > EQ_MAX_PENDING)
        cap = EQ_MAX_PENDING;
    if (cap <= q->cap)
        return -1;
    eq_key *h = realloc(q->heap, cap * sizeof *h);
    if (h == NULL)
        return -1;
    q->heap = h;
    eq_payload *s = realloc(q->slots, cap * sizeof *s);
    if (s == NULL)
        return -1;
    q->slots = s;
    uint32_t *f = realloc(q->free, cap * sizeof *f);
    if (f == NULL)
        return -1;
    q->free = f;
    q->cap = cap;
    return 0;
}

int eq_push(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    if (q->next_seq >= EQ_MAX_SEQ)
        return -1;
    uint64_t slot;
    if (q->n_free > 0) {
        slot = q->free[--q->n_free];
    } else {
        if (q->n_slots == q->cap && grow(q) < 0)
            return -1;
        slot = q->n_slots++;
    }
    q->slots[slot] = (eq_payload){fn, obj, arg};
    eq_key e = {t_us, q->next_seq++ << EQ_SLOT_BITS | slot};
    if (q->hole) { /* the root is free: the new event goes there and sinks */
        q->hole = 0;
        sink_root(q, e);
        return 0;
    }
    if (q->arity == 4)
        sift_up(q->heap, q->n, e, 4);
    else
        sift_up(q->heap, q->n, e, 2);
    q->n++;
    return 0;
}

/* Copies the root's event out and frees its payload slot. */
static void read_root(event_queue *q, event *out) {
    eq_key k = q->heap[0];
    uint32_t slot = (uint32_t)(k.seq_slot & (EQ_MAX_PENDING - 1));
    const eq_payload *p = &q->slots[slot];
    out->t_us = k.t_us;
    out->seq = k.seq_slot >> EQ_SLOT_BITS;
    out->fn = p->fn;
    out->obj = p->obj;
    out->arg = p->arg;
    q->free[q->n_free++] = slot;
}

int eq_pop(event_queue *q, event *out) {
    if (q->n == 0)
        return 0;
    read_root(q, out);
    q->n--;
    if (q->n > 0)
        sink_root(q, q->heap[q->n]);
    return 1;
}

int eq_take(event_queue *q, event *out) {
    if (q->n == 0)
        return 0;
    read_root(q, out);
    q->hole = 1;
    return 1;
}

void eq_settle(event_queue *q) {
    if (!q->hole)
        return;
    q->hole = 0;
    q->n--;
    if (q->n > 0)
        sink_root(q, q->heap[q->n]);
}
