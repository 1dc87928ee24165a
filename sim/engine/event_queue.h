/* event_queue.h: the pending-event set of the engine. Three parts, one order:
 *
 * - the calendar: events due within EQ_CAL_BUCKETS buckets of 2^EQ_CAL_SHIFT us (131 ms) of the
 *   latest event taken (a completion, a wake-up, the next request of a closed loop). A bucket
 *   holds a list in key order (nearly always one event); two levels of bitmaps find the earliest
 *   bucket with a few bit operations. Inserting is an index computation, where a sorted array
 *   had to find the new event's place among the pending ones with a scan whose exit the branch
 *   predictor could not learn (a random completion time lands anywhere among them);
 * - the far events (per-second rows, controller periods, start-ups, long requests): a sorted
 *   array while few are pending, a d-ary min-heap (d = 2 or 4) beyond EQ_SORTED_MAX;
 * - lanes: a source that always has exactly one event pending and reschedules it from its own
 *   handler (an open-loop arrival stream) can own one (EQ_LANES in all).
 *
 * Events are ordered by time, then by insertion sequence, so two events at the same microsecond
 * run in the order they were scheduled and every run is deterministic (and independent of which
 * part holds an event, the array's mode and arity: the take compares the earliest of each part by
 * the same key). Keys are 16 bytes, the handlers wait in a side table of slots: push and pop never
 * allocate once it has reached its working size. Cancellation is the caller's business (lazy
 * deletion: an event carries a generation in `arg` and its handler ignores it when the owner's
 * generation has moved on). The arity is chosen at init; bench/run measures both on 200 pods
 * (bench_sim --arity), and EQ_DEFAULT_ARITY is the faster there, the 4-ary heap (numbers in
 * docs/architecture.md). */
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

/* The calendar: 1,024 buckets of 128 us. The window (131 ms) holds the service times of most
 * web requests; a bucket of 128 us holds one event at a time up to a few thousand events per
 * second, beyond which its list takes the rest in order. */
#define EQ_CAL_SHIFT   7
#define EQ_CAL_BUCKETS 1024
#define EQ_CAL_WORDS   (EQ_CAL_BUCKETS / 64) /* level-1 words; cal_l0 has a bit for each */

typedef struct event_queue {
    eq_key *heap;
    size_t n, cap;     /* n: the far events, in heap[] */
    eq_payload *slots; /* cap entries */
    uint32_t *free;    /* free slot numbers */
    size_t n_free, n_slots;
    int arity;  /* 2 or 4 */
    int hole;   /* eq_take left the root empty (heap mode only: never while sorted) */
    int sorted; /* heap[0..n) is sorted by key, earliest last, instead of a heap */
    uint64_t next_seq;
    eq_lane lanes[EQ_LANES];
    int n_lanes;
    /* The calendar. An event of bucket number t >> EQ_CAL_SHIFT = k sits in bucket
     * k mod EQ_CAL_BUCKETS when cal_base <= k < cal_base + EQ_CAL_BUCKETS at its push; cal_base
     * only grows (events are taken in order and pushed no earlier than the last taken), so every
     * calendar event stays in that range and the first bucket at or after cal_base, going round,
     * is the earliest. */
    int64_t cal_base;                  /* bucket number of the latest event taken */
    size_t cal_n;                      /* events in the calendar */
    uint32_t cal_head[EQ_CAL_BUCKETS]; /* 1 + slot of the bucket's earliest event; 0: empty */
    uint64_t cal_l1[EQ_CAL_WORDS];     /* bit b of word w: bucket 64 w + b holds an event */
    uint32_t cal_l0;                   /* bit w: cal_l1[w] != 0 */
    eq_key cal_min;                    /* the calendar's earliest key; later than all when empty */
    uint32_t cal_min_bucket;           /* and its bucket */
    uint32_t *cal_next; /* per slot (cap): 1 + the next slot in its bucket; 0: none */
    eq_key *slot_key;   /* per slot (cap): the key of a calendar event */
    int lane_next;      /* the armed lane with the earliest key, -1 when none is armed */
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

/* Events pending in all three parts. */
static inline size_t eq_size(const event_queue *q) {
    size_t armed = 0;
    for (int i = 0; i < q->n_lanes; i++)
        armed += (size_t)q->lanes[i].armed;
    return q->n + q->cal_n + armed;
}

/* Whether an event of bucket number t >> EQ_CAL_SHIFT belongs in the calendar: within its window
 * from cal_base (an earlier or negative one, which the engine never pushes, wraps to a huge
 * unsigned difference and goes to the far part). */
static inline int eq_cal_window(const event_queue *q, int64_t bucket_no) {
    return (uint64_t)(bucket_no - q->cal_base) < EQ_CAL_BUCKETS;
}

/* A bucket that already holds events: the slot goes into its list, in key order, unless it would
 * come after EQ_CAL_LIST_MAX of them (then into the far part: a burst of events due within one
 * bucket, such as a thousand requests started together with a constant service time, costs the
 * heap's log n each instead of a walk along a list). */
#define EQ_CAL_LIST_MAX 8
void eq_cal_collide(event_queue *q, uint32_t bucket, uint32_t slot);

/* The calendar's insertion (the key is in slot_key[slot] already): an empty bucket, the common
 * case, is two stores and two bits. */
static inline void eq_cal_add(event_queue *q, int64_t bucket_no, uint32_t slot) {
    uint32_t b = (uint32_t)bucket_no & (EQ_CAL_BUCKETS - 1);
    if (q->cal_head[b] != 0) {
        eq_cal_collide(q, b, slot);
        return;
    }
    q->cal_n++;
    q->cal_head[b] = slot + 1;
    q->cal_next[slot] = 0;
    q->cal_l1[b >> 6] |= UINT64_C(1) << (b & 63);
    q->cal_l0 |= UINT32_C(1) << (b >> 6);
    /* An event of the same time would share the bucket, so the time decides; cal_n == 1: the
     * calendar was empty (cal_min is a placeholder, even for an event at INT64_MAX). */
    if (q->cal_n == 1 || q->slot_key[slot].t_us < q->cal_min.t_us) {
        q->cal_min = q->slot_key[slot];
        q->cal_min_bucket = b;
    }
}

/* eq_push_slow's calendar case, inline (every completion of the M/M/c and 20-pod benchmarks):
 * a recycled payload slot and the calendar's insertion. Same slot, same sequence number, same
 * place as eq_push_slow. */
static inline int eq_push(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    int64_t bucket_no = t_us >> EQ_CAL_SHIFT;
    if (!eq_cal_window(q, bucket_no) || q->n_free == 0 || q->next_seq >= EQ_MAX_SEQ)
        return eq_push_slow(q, t_us, fn, obj, arg);
    uint32_t slot = q->free[--q->n_free];
    q->slots[slot] = (eq_payload){fn, obj, arg};
    q->slot_key[slot] = (eq_key){t_us, q->next_seq++ << EQ_SLOT_BITS | slot};
    eq_cal_add(q, bucket_no, slot);
    return 0;
}

/* Time of the earliest event (any part); 0 when the queue is empty. Not between eq_take and
 * eq_settle. */
int eq_peek_time(const event_queue *q, int64_t *t_us);

#endif
