/* event_queue.c: see event_queue.h. The calendar is at the end of the file. The far part: while
 * few events are pending (at most EQ_SORTED_MAX) the array is kept sorted, earliest last: taking
 * the earliest is n--, and an insertion moves the entries earlier than the new one up by one,
 * which for a couple of dozen 16-byte keys costs fewer instructions than a heap's sift-up plus
 * the later sift-down. Past EQ_SORTED_MAX the array is reversed, which makes it a
 * valid heap, and it stays a heap until it has drained to EQ_SORTED_BACK (hysteresis, so a queue
 * hovering at the threshold does not convert back and forth). Either way events come out in
 * (time, sequence) order, so the mode never changes what a run does. One sift-up and one sift-down,
 * written once and inlined with a constant arity, so the 2-ary and 4-ary heaps each get
 * straight-line code. The sift-down is Floyd's bottom-up one: the element that replaces the root
 * (the last one, or a new event scheduled further ahead than most) nearly always belongs near the
 * bottom, so the hole is first walked down to a leaf along the smaller children (d - 1 comparisons
 * a level instead of d) and the element then climbs the few levels back up. */
#include "sim/engine/event_queue.h"

#include <stdlib.h>
#include <string.h>

#define before eq_key_before

int eq_init(event_queue *q, int arity) {
    if (arity == 0)
        arity = EQ_DEFAULT_ARITY;
    q->heap = NULL;
    q->slots = NULL;
    q->free = NULL;
    q->n = q->cap = q->n_free = q->n_slots = 0;
    q->arity = arity;
    q->hole = 0;
    q->sorted = 1;
    q->next_seq = 0;
    q->n_lanes = 0;
    q->lane_next = -1;
    q->cal_base = 0;
    q->cal_n = 0;
    q->cal_l0 = 0;
    q->cal_min = (eq_key){INT64_MAX, UINT64_MAX};
    q->cal_min_bucket = 0;
    memset(q->cal_head, 0, sizeof q->cal_head);
    memset(q->cal_l1, 0, sizeof q->cal_l1);
    q->cal_next = NULL;
    q->slot_key = NULL;
    if (arity != 2 && arity != 4)
        return -1;
    return 0;
}

void eq_free(event_queue *q) {
    if (q->heap)
        free(q->heap - 1); /* the sentinel's entry (grow) */
    free(q->slots);
    free(q->free);
    free(q->cal_next);
    free(q->slot_key);
    q->cal_next = NULL;
    q->slot_key = NULL;
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

/* Fills the hole at the root of the binary heap h[0..n) with e (the child choice as
 * arithmetic). */
static inline void sift_down2(eq_key *h, size_t n, eq_key e) {
    size_t i = 0, c = 1;
    while (c + 1 < n) { /* two children */
        c += (size_t)before(&h[c + 1], &h[c]);
        h[i] = h[c];
        i = c;
        c = 2 * i + 1;
    }
    if (c < n) { /* one child, the last entry */
        h[i] = h[c];
        i = c;
    }
    sift_up(h, i, e, 2);
}

/* The same for the 4-ary heap: the smallest of four children by a two-round tournament, no
 * branches. */
static inline void sift_down4(eq_key *h, size_t n, eq_key e) {
    size_t i = 0, c = 1;
    while (c + 3 < n) { /* four children */
        size_t a = c + (size_t)before(&h[c + 1], &h[c]);
        size_t b = c + 2 + (size_t)before(&h[c + 3], &h[c + 2]);
        c = before(&h[b], &h[a]) ? b : a;
        h[i] = h[c];
        i = c;
        c = 4 * i + 1;
    }
    if (c < n) { /* one to three children, all leaves */
        size_t best = c;
        for (size_t k = c + 1; k < n; k++)
            best = before(&h[k], &h[best]) ? k : best;
        h[i] = h[best];
        i = best;
    }
    sift_up(h, i, e, 4);
}

static inline void sink_root(event_queue *q, eq_key e) {
    if (q->arity == 4)
        sift_down4(q->heap, q->n, e);
    else
        sift_down2(q->heap, q->n, e);
}

/* Room for one more pending event: heap entry and payload slot. */
static int grow(event_queue *q) {
    size_t cap = q->cap ? q->cap * 2 : 256;
    if (cap > EQ_MAX_PENDING)
        cap = EQ_MAX_PENDING;
    if (cap <= q->cap)
        return -1;
    /* One entry more, in front: a sentinel later than any event, which stops the sorted
     * insertion's scan without a bounds check (eq_push). */
    eq_key *h = realloc(q->heap ? q->heap - 1 : NULL, (cap + 1) * sizeof *h);
    if (h == NULL)
        return -1;
    h[0] = (eq_key){INT64_MAX, UINT64_MAX};
    q->heap = h + 1;
    /* the per-slot tables; one that cannot grow leaves the queue as it was (cap unchanged) */
#define GROW_TO_CAP(arr)                                                                           \
    do {                                                                                           \
        void *grown = realloc((arr), cap * sizeof *(arr));                                         \
        if (grown == NULL)                                                                         \
            return -1;                                                                             \
        (arr) = grown;                                                                             \
    } while (0)
    GROW_TO_CAP(q->slots);
    GROW_TO_CAP(q->free);
    GROW_TO_CAP(q->cal_next);
    GROW_TO_CAP(q->slot_key);
#undef GROW_TO_CAP
    q->cap = cap;
    return 0;
}

/* Sorted (earliest last) -> heap: reversed, a sorted array is a heap of any arity. */
static void to_heap(event_queue *q) {
    eq_key *h = q->heap;
    for (size_t i = 0, j = q->n; i + 1 < j; i++, j--) {
        eq_key t = h[i];
        h[i] = h[j - 1];
        h[j - 1] = t;
    }
    q->sorted = 0;
}

/* Heap (no hole) -> sorted, earliest last, by insertion. */
static void to_sorted(event_queue *q) {
    eq_key *h = q->heap;
    for (size_t k = 1; k < q->n; k++) {
        eq_key e = h[k];
        size_t i = k;
        while (i > 0 && before(&h[i - 1], &e)) {
            h[i] = h[i - 1];
            i--;
        }
        h[i] = e;
    }
    q->sorted = 1;
}

/* Adds e (the newest key: the largest sequence number) to the far part. */
static void far_insert(event_queue *q, eq_key e) {
    if (q->hole) { /* the root is free: the new event goes there and sinks */
        q->hole = 0;
        sink_root(q, e);
        return;
    }
    if (q->sorted) {
        if (q->n < EQ_SORTED_MAX) {
            /* e has the largest sequence number of all, so an entry comes before it exactly
             * when its time is not later: one comparison per entry instead of the full key's. */
            eq_key *h = q->heap;
            size_t i = q->n;
            if (e.t_us == INT64_MAX) { /* as late as the sentinel: bound the scan */
                while (i > 0 && h[i - 1].t_us <= e.t_us) {
                    h[i] = h[i - 1];
                    i--;
                }
            } else { /* h[-1], the sentinel, stops the scan */
                while (h[i - 1].t_us <= e.t_us) {
                    h[i] = h[i - 1];
                    i--;
                }
            }
            h[i] = e;
            q->n++;
            return;
        }
        to_heap(q);
    }
    if (q->arity == 4)
        sift_up(q->heap, q->n, e, 4);
    else
        sift_up(q->heap, q->n, e, 2);
    q->n++;
}

int eq_push_slow(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
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
    int64_t bucket_no = t_us >> EQ_CAL_SHIFT;
    if (eq_cal_window(q, bucket_no)) {
        q->slot_key[slot] = e;
        eq_cal_add(q, bucket_no, (uint32_t)slot);
    } else {
        far_insert(q, e);
    }
    return 0;
}

int eq_lane_new(event_queue *q) {
    if (q->n_lanes == EQ_LANES)
        return -1;
    q->lanes[q->n_lanes].armed = 0;
    return q->n_lanes++;
}

/* lane_next after the lanes changed. */
static void lanes_rescan(event_queue *q) {
    int best = -1;
    for (int i = 0; i < q->n_lanes; i++)
        if (q->lanes[i].armed && (best < 0 || before(&q->lanes[i].key, &q->lanes[best].key)))
            best = i;
    q->lane_next = best;
}

/* eq_lane_set with more than one lane (out of line: the common case is one open-loop phase). */
static __attribute__((noinline)) void lanes_order(event_queue *q, int lane) {
    eq_lane *l = &q->lanes[lane];
    if (q->lane_next < 0 || (q->lane_next != lane && before(&l->key, &q->lanes[q->lane_next].key)))
        q->lane_next = lane;
    else if (q->lane_next == lane)
        lanes_rescan(q); /* it may have moved later than another lane */
}

int eq_lane_set(event_queue *q, int lane, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    if (q->next_seq >= EQ_MAX_SEQ)
        return -1;
    eq_lane *l = &q->lanes[lane];
    l->key = (eq_key){t_us, q->next_seq++ << EQ_SLOT_BITS};
    l->p = (eq_payload){fn, obj, arg};
    l->armed = 1;
    if (q->n_lanes == 1) /* one open-loop phase, the common case: nothing to compare */
        q->lane_next = lane;
    else
        lanes_order(q, lane);
    return 0;
}

/* Copies the event of key k out and frees its payload slot. */
static inline void read_key(event_queue *q, eq_key k, event *out) {
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
    if (!eq_take_until(q, INT64_MAX, out))
        return 0;
    eq_settle(q);
    return 1;
}

int eq_take(event_queue *q, event *out) {
    return eq_take_until(q, INT64_MAX, out);
}

/* The armed lane's event, taken (eq_take_until). */
static inline int take_lane(event_queue *q, int l, int64_t until_us, event *out) {
    eq_lane *ln = &q->lanes[l];
    if (ln->key.t_us > until_us)
        return 0;
    out->t_us = ln->key.t_us;
    out->seq = ln->key.seq_slot >> EQ_SLOT_BITS;
    out->fn = ln->p.fn;
    out->obj = ln->p.obj;
    out->arg = ln->p.arg;
    ln->armed = 0;
    if (q->n_lanes == 1)
        q->lane_next = -1;
    else
        lanes_rescan(q);
    q->cal_base = out->t_us >> EQ_CAL_SHIFT;
    return 1;
}

/* Key a before key b, short-circuit, for the take's choices between the parts: whether the next
 * event is the arrival or a completion is the branch a predictor cannot learn, and it is taken
 * once on the times; equal times are rare, so the second test is predictable (the heap's bitwise
 * eq_key_before would add its instructions to the same mispredicted branch). */
static inline int lane_before(const eq_key *a, const eq_key *b) {
    if (a->t_us != b->t_us)
        return a->t_us < b->t_us;
    return a->seq_slot < b->seq_slot;
}

void eq_cal_collide(event_queue *q, uint32_t bucket, uint32_t slot) {
    const eq_key *k = &q->slot_key[slot];
    uint32_t *link = &q->cal_head[bucket];
    int steps = 0;
    while (*link != 0 && before(&q->slot_key[*link - 1], k)) {
        if (++steps == EQ_CAL_LIST_MAX) { /* a crowd in one bucket: the heap's log n instead */
            far_insert(q, *k);
            return;
        }
        link = &q->cal_next[*link - 1];
    }
    q->cal_next[slot] = *link;
    *link = slot + 1;
    q->cal_n++;
    if (before(k, &q->cal_min)) {
        q->cal_min = *k;
        q->cal_min_bucket = bucket;
    }
}

/* The calendar's earliest bucket (cal_n > 0): the first one at or after cal_base's, going round.
 * Nearly always in cal_base's own word of 64 buckets (8 ms); otherwise the next word that holds
 * any, found by rotating cal_l0 so that the word after cal_base's is bit 0. When that comes back
 * round to cal_base's word, what it holds lies before cal_base's bucket in the ring, which is
 * the far end of the window. (The branch on the first case is well predicted: computing both and
 * selecting without it measured 6% slower, the second case's loads then being on every path.) */
static inline uint32_t cal_first(const event_queue *q) {
    uint32_t base = (uint32_t)q->cal_base & (EQ_CAL_BUCKETS - 1);
    uint32_t w = base >> 6;
    uint64_t here = q->cal_l1[w] & (~UINT64_C(0) << (base & 63));
    if (here != 0)
        return (w << 6) | (uint32_t)__builtin_ctzll(here);
    uint32_t from = (w + 1) % EQ_CAL_WORDS, l0 = q->cal_l0;
    uint32_t rot = (l0 >> from) | (uint32_t)((uint64_t)l0 << (EQ_CAL_WORDS - from));
    rot &= (uint32_t)((UINT64_C(1) << EQ_CAL_WORDS) - 1); /* != 0: bit w is set (cal_n > 0) */
    uint32_t word = (from + (uint32_t)__builtin_ctz(rot)) % EQ_CAL_WORDS;
    return (word << 6) | (uint32_t)__builtin_ctzll(q->cal_l1[word]);
}

/* The far part's earliest key, NULL when it is empty (no hole). */
static inline const eq_key *far_min(const event_queue *q) {
    if (q->n == 0)
        return NULL;
    return q->sorted ? &q->heap[q->n - 1] : &q->heap[0];
}

int eq_peek_time(const event_queue *q, int64_t *t_us) {
    const eq_key *best = far_min(q);
    if (q->cal_n > 0 && (best == NULL || before(&q->cal_min, best)))
        best = &q->cal_min;
    if (q->lane_next >= 0 && (best == NULL || before(&q->lanes[q->lane_next].key, best)))
        best = &q->lanes[q->lane_next].key;
    if (best == NULL)
        return 0;
    *t_us = best->t_us;
    return 1;
}

/* Takes the calendar's earliest event, in bucket b (its list's head). */
static inline void take_near(event_queue *q, uint32_t b, event *out) {
    uint32_t slot = q->cal_head[b] - 1;
    const eq_key *k = &q->slot_key[slot];
    const eq_payload *p = &q->slots[slot];
    out->t_us = k->t_us;
    out->seq = k->seq_slot >> EQ_SLOT_BITS;
    out->fn = p->fn;
    out->obj = p->obj;
    out->arg = p->arg;
    q->free[q->n_free++] = slot;
    uint32_t next = q->cal_next[slot];
    q->cal_head[b] = next;
    if (next == 0) { /* the bucket is empty now; its word may be too (no branch on that) */
        uint64_t word = q->cal_l1[b >> 6] & ~(UINT64_C(1) << (b & 63));
        q->cal_l1[b >> 6] = word;
        q->cal_l0 &= ~((uint32_t)(word == 0) << (b >> 6));
    }
    q->cal_n--;
}

/* The earliest of the three parts' earliest events. The choice between a lane and the rest (an
 * arrival or a completion next) is the coin flip; the calendar against the far part is nearly
 * always the calendar. Every event taken moves cal_base to its bucket. */
int eq_take_until(event_queue *q, int64_t until_us, event *out) {
    int l = q->lane_next;
    const eq_key *far = far_min(q);
    if (q->cal_n > 0) {
        const eq_key *near = &q->cal_min;
        if (far == NULL || lane_before(near, far)) {
            if (l >= 0 && lane_before(&q->lanes[l].key, near))
                return take_lane(q, l, until_us, out);
            if (near->t_us > until_us)
                return 0;
            take_near(q, q->cal_min_bucket, out);
            q->cal_base = out->t_us >> EQ_CAL_SHIFT;
            if (q->cal_n > 0) {
                uint32_t b = cal_first(q);
                q->cal_min = q->slot_key[q->cal_head[b] - 1];
                q->cal_min_bucket = b;
            } else {
                q->cal_min = (eq_key){INT64_MAX, UINT64_MAX};
            }
            return 1;
        }
    }
    if (l >= 0 && (far == NULL || lane_before(&q->lanes[l].key, far)))
        return take_lane(q, l, until_us, out);
    if (far == NULL || far->t_us > until_us)
        return 0;
    read_key(q, *far, out);
    q->cal_base = out->t_us >> EQ_CAL_SHIFT;
    if (q->sorted)
        q->n--;
    else
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
    if (q->n <= EQ_SORTED_BACK)
        to_sorted(q);
}
