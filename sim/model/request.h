/* request.h: one HTTP request's record, and the pool that recycles them.
 *
 * A record lives from the client's send until both sides are done with it: the server has
 * completed it (or it was refused), and the client has either read the response or given up at its
 * timeout (then `client_gone` is set and the server still finishes the work, as a real server
 * does). Records come from slabs of REQUEST_SLAB and go back to a free list, so the hot path never
 * calls malloc once the pool has grown to the peak number of live requests; `gen` is bumped on
 * every free so an event that still points at a recycled record can tell (lazy cancellation). */
#ifndef SCALESIM_MODEL_REQUEST_H
#define SCALESIM_MODEL_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define REQUEST_SLAB 1024

struct pod;

typedef struct request {
    struct request *next, *prev; /* the client's in-flight list, in send order (timeout only) */
    struct request *qnext;       /* FIFO link: central queue, pod queue, free list */
    struct request *qprev;       /* central queue only: O(1) removal when the client gives up */
    struct pod *pod;             /* the pod serving or queueing it */
    uint64_t id;                 /* send order over the whole run: tie-breaker */
    int64_t t_sent_us;           /* client sent it */
    int64_t t_start_us;          /* service started (left every queue) */
    double demand_core_us;       /* CPU it needs, in microseconds of one full core */
    double tag;                  /* processor-sharing finish tag (pod virtual time) */
    uint32_t gen;                /* bumped when freed */
    void *client;                /* the load source that sent it */
    int32_t worker;              /* closed-loop worker, -1 for open loop */
    uint8_t client_gone;         /* the client timed out; the server still works on it */
    uint8_t in_central;          /* waiting in the Service's central queue */
} request;

typedef struct request_pool {
    request *free;
    request **slabs;
    size_t n_slabs, cap_slabs;
    uint64_t live;    /* records handed out and not yet freed */
    uint64_t next_id; /* ids handed out so far */
} request_pool;

void request_pool_init(request_pool *p);
void request_pool_free(request_pool *p);

/* A zeroed record with a fresh id, or NULL when out of memory. */
request *request_new(request_pool *p);
void request_free(request_pool *p, request *r);

#endif
