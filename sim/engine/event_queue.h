/* event_queue.h: the pending-event set of the engine: a sorted array while few events are
 * pending, a d-ary min-heap (d = 2 or 4) beyond EQ_SORTED_MAX.
 *
 * Events are ordered by time, then by insertion sequence, so two events at the same microsecond
 * run in the order they were scheduled and every run is deterministic (and independent of the
 * array's mode and arity). The array holds 16-byte keys, the handlers wait in a side table:
 * push and pop never allocate once it has reached its working size. Cancellation is the
 * caller's business (lazy deletion: an event carries a generation in `arg` and its handler
 * ignores it when the owner's generation has moved on). The arity is chosen at init; bench/run
 * measures both on 200 pods, where the queue is a heap (bench_sim --arity), and EQ_DEFAULT_ARITY
 * is the faster there, the 4-ary heap (numbers in docs/architecture.md). *
 * Lanes: a source that always has exactly one event pending and reschedules it from its own
 * handler (an open-loop arrival stream) can own a lane instead of going through the heap. A lane
 * holds at most one event, ordered against the heap and the other lanes by the same (time,
 * insertion sequence) key, so the order in which events run is exactly what it would be with the
 * heap alone; it only saves the sift-up of a near-future event through the whole heap (the
 * arrival is usually the next event but one) and the sift-down of its removal. */
#ifndef SCALESIM_ENGINE_EVENT_QUEUE_H
#define SCALESIM_ENGINE_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define EQ_DEFAULT_ARITY 4

struct engine;
typedef void (*event_fn)(struct engine *eng, void *obj, uint64_t arg);

typedef struct event {
    int64_t t_us;
    uint64_t seq; /* insertion order: the tie-breaker */
    event_fn fn;
    void *obj;
    uint64_t arg;
} event;

/* The heap holds 16-byte keys; the handler and its arguments wait in a side table, in the slot
 * named by the key's low bits, so sifting moves a quarter of the bytes. */
#define EQ_SLOT_BITS   24
#define EQ_MAX_PENDING (UINT64_C(1) << EQ_SLOT_BITS)        /* 16.7 M events pending at once */
#define EQ_MAX_SEQ     (UINT64_C(1) << (64 - EQ_SLOT_BITS)) /* 1.1e12 events in one run */

typedef struct eq_key {
    int64_t t_us;
    uint64_t seq_slot; /* seq << EQ_SLOT_BITS | slot: orders ties by seq */
} eq_key;

typedef struct eq_payload {
    event_fn fn;
    void *obj;
    uint64_t arg;
} eq_payload;

/* Up to EQ_SORTED_MAX pending events the array is sorted instead of a heap (event_queue.c);
 * a heap that drains to EQ_SORTED_BACK becomes sorted again. */
#define EQ_SORTED_MAX  32
#define EQ_SORTED_BACK 8

/* At most this many lanes per queue; a source that gets none uses the heap (eq_push). */
#define EQ_LANES 8

typedef struct eq_lane {
    eq_key key; /* seq_slot = seq << EQ_SLOT_BITS */
    eq_payload p;
    int armed;
} eq_lane;

typedef struct event_queue {
    eq_key *heap;
    size_t n, cap;
    eq_payload *slots; /* cap entries */
    uint32_t *free;    /* free slot numbers */
    size_t n_free, n_slots;
    int arity;  /* 2 or 4 */
    int hole;   /* eq_take left the root empty (heap mode only: never while sorted) */
    int sorted; /* heap[0..n) is sorted by key, earliest last, instead of a heap */
    uint64_t next_seq;
    eq_lane lanes[EQ_LANES];
    int n_lanes;
    int lane_next; /* the armed lane with the earliest key, -1 when none is armed */
} event_queue;

/* arity 0 means EQ_DEFAULT_ARITY. Returns -1 for an arity other than 0, 2, 4 or when out of memory.
 */
int eq_init(event_queue *q, int arity);
void eq_free(event_queue *q);

/* Adds an event; -1 when out of memory or past EQ_MAX_PENDING / EQ_MAX_SEQ (the queue is
 * unchanged). eq_push_slow does every case; eq_push, below, the common one inline. */
int eq_push_slow(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg);

/* A new lane, or -1 when all EQ_LANES are taken (the caller then uses eq_push). */
int eq_lane_new(event_queue *q);

/* Schedules the lane's one event, replacing any it had pending; -1 past EQ_MAX_SEQ (unchanged). */
int eq_lane_set(event_queue *q, int lane, int64_t t_us, event_fn fn, void *obj, uint64_t arg);

/* Removes the earliest event (heap or lane) into *out; 0 when the queue is empty. */
int eq_pop(event_queue *q, event *out);

/* The "hold" pair, for the run loop: eq_take copies the earliest event out; when it came from
 * the heap it leaves its slot as a hole at the root; the next eq_push fills the hole and sifts down
 * once (instead of a sift-down for the removal plus a sift-up for the insertion), and eq_settle
 * removes a hole that no push filled. Between eq_take and eq_settle the queue must not be popped or
 * peeked. */
int eq_take(event_queue *q, event *out);
void eq_settle(event_queue *q);
/* eq_take, but only an event with time <= until_us (0 and nothing taken otherwise): the run
 * loop's one call per event. */
int eq_take_until(event_queue *q, int64_t until_us, event *out);

/* Bitwise, not short-circuit: no branch, as the heap's choice between two children is a coin
 * flip a branch predictor cannot learn. */
static inline int eq_key_before(const eq_key *a, const eq_key *b) {
    return (a->t_us < b->t_us) | ((a->t_us == b->t_us) & (a->seq_slot < b->seq_slot));
}

/* eq_push_slow's sorted-array case, inline (the M/M/c and 20-pod benchmarks' every insertion):
 * a recycled payload slot, then the scan from the earliest end that the sentinel in front of the
 * array stops (event_queue.c). Same slot, same sequence number, same place as eq_push_slow. */
static inline int eq_push(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    /* (a hole is left in heap mode only: sorted means no hole) */
    if (!q->sorted || q->n >= EQ_SORTED_MAX || q->n_free == 0 || t_us == INT64_MAX ||
        q->next_seq >= EQ_MAX_SEQ)
        return eq_push_slow(q, t_us, fn, obj, arg);
    uint64_t slot = q->free[--q->n_free];
    q->slots[slot] = (eq_payload){fn, obj, arg};
    eq_key *h = q->heap;
    size_t i = q->n;
    while (h[i - 1].t_us <= t_us) { /* the new event's sequence number is the largest: see .c */
        h[i] = h[i - 1];
        i--;
    }
    h[i] = (eq_key){t_us, q->next_seq++ << EQ_SLOT_BITS | slot};
    q->n++;
    return 0;
}

/* The earliest key in the array (n > 0, no hole). */
static inline const eq_key *eq_min_key(const event_queue *q) {
    return q->sorted ? &q->heap[q->n - 1] : &q->heap[0];
}

/* Time of the earliest event (array or lane); 0 when the queue is empty. */
static inline int eq_peek_time(const event_queue *q, int64_t *t_us) {
    int l = q->lane_next;
    if (q->n == 0) {
        if (l < 0)
            return 0;
        *t_us = q->lanes[l].key.t_us;
        return 1;
    }
    if (l >= 0 && eq_key_before(&q->lanes[l].key, eq_min_key(q)))
        *t_us = q->lanes[l].key.t_us;
    else
        *t_us = eq_min_key(q)->t_us;
    return 1;
}

#endif
