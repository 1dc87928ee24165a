/* request.c: see request.h. */
#include "sim/model/request.h"

#include <stdlib.h>
#include <string.h>

void request_pool_init(request_pool *p) {
    memset(p, 0, sizeof *p);
}

void request_pool_free(request_pool *p) {
    for (size_t i = 0; i < p->n_slabs; i++)
        free(p->slabs[i]);
    free(p->slabs);
    memset(p, 0, sizeof *p);
}

static int grow(request_pool *p) {
    if (p->n_slabs == p->cap_slabs) {
        size_t cap = p->cap_slabs ? p->cap_slabs * 2 : 16;
        request **s = realloc(p->slabs, cap * sizeof *s);
        if (s == NULL)
            return -1;
        p->slabs = s;
        p->cap_slabs = cap;
    }
    request *slab = calloc(REQUEST_SLAB, sizeof *slab);
    if (slab == NULL)
        return -1;
    p->slabs[p->n_slabs++] = slab;
    for (size_t i = REQUEST_SLAB; i-- > 0;) {
        slab[i].qnext = p->free;
        p->free = &slab[i];
    }
    return 0;
}

#if UINTPTR_MAX == UINT64_MAX /* the layout request_new clears field by field (LP64) */
_Static_assert(sizeof(request) == 104, "request has a new field: clear it in request_new");
#endif

request *request_new(request_pool *p) {
    if (p->free == NULL && grow(p) < 0)
        return NULL;
    request *r = p->free;
    p->free = r->qnext;
    /* Every field zero but gen and id, one by one: GCC turns a memset (or a compound literal) of
     * this size into `rep stos`, whose start-up cost was a fifth of the M/M/c benchmark's send.
     * A new field must be added here. */
    r->next = r->prev = r->qnext = r->qprev = NULL;
    r->pod = NULL;
    r->id = p->next_id++;
    r->t_sent_us = r->t_start_us = 0;
    r->demand_core_us = r->tag = 0;
    r->client = NULL;
    r->worker = 0;
    r->client_gone = r->in_central = 0;
    p->live++;
    return r;
}

void request_free(request_pool *p, request *r) {
    r->gen++;
    r->qnext = p->free;
    p->free = r;
    p->live--;
}
