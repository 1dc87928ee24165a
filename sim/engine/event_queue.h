/* event_queue.h: the pending-event set of the engine, a d-ary min-heap (d = 2 or 4).
 *
 * Events are ordered by time, then by insertion sequence, so two events at the same microsecond
 * run in the order they were scheduled and every run is deterministic. The heap is one growing
 * array of 40-byte entries: push and pop never allocate once it has reached its working size.
 * Cancellation is the caller's business (lazy deletion: an event carries a generation in `arg`
 * and its handler ignores it when the owner's generation has moved on). The arity is chosen at
 * init; bench/run measures both on the simulator's own event pattern (bench_sim --arity) and
 * EQ_DEFAULT_ARITY is the faster there, the binary heap (numbers in docs/architecture.md). */
#ifndef SCALESIM_ENGINE_EVENT_QUEUE_H
#define SCALESIM_ENGINE_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define EQ_DEFAULT_ARITY 2

struct engine;
typedef void (*event_fn)(struct engine *eng, void *obj, uint64_t arg);

typedef struct event {
    int64_t t_us;
    uint64_t seq; /* insertion order: the tie-breaker */
    event_fn fn;
    void *obj;
    uint64_t arg;
} event;

typedef struct event_queue {
    event *heap;
    size_t n, cap;
    int arity; /* 2 or 4 */
    int hole;  /* eq_take left the root empty */
    uint64_t next_seq;
} event_queue;

/* arity 0 means EQ_DEFAULT_ARITY. Returns -1 for an arity other than 0, 2, 4 or when out of memory.
 */
int eq_init(event_queue *q, int arity);
void eq_free(event_queue *q);

/* Adds an event; -1 when out of memory (the queue is unchanged). */
int eq_push(event_queue *q, int64_t t_us, event_fn fn, void *obj, uint64_t arg);

/* Removes the earliest event into *out; 0 when the queue is empty. */
int eq_pop(event_queue *q, event *out);

/* The "hold" pair, for the run loop: eq_take copies the earliest event out but leaves its slot
 * as a hole at the root; the next eq_push fills the hole and sifts down once (instead of a
 * sift-down for the removal plus a sift-up for the insertion), and eq_settle removes a hole that
 * no push filled. Between eq_take and eq_settle the queue must not be popped or peeked. */
int eq_take(event_queue *q, event *out);
void eq_settle(event_queue *q);

/* The earliest event, or NULL. */
static inline const event *eq_peek(const event_queue *q) {
    return q->n ? &q->heap[0] : NULL;
}

#endif
