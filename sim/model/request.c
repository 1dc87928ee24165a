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

request *request_new(request_pool *p) {
    if (p->free == NULL && grow(p) < 0)
        return NULL;
    request *r = p->free;
    p->free = r->qnext;
    uint32_t gen = r->gen;
    memset(r, 0, sizeof *r);
    r->gen = gen;
    r->id = p->next_id++;
    p->live++;
    return r;
}

void request_free(request_pool *p, request *r) {
    r->gen++;
    r->qnext = p->free;
    p->free = r;
    p->live--;
}
