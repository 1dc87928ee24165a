/* name_index.c: string -> int open-addressing hash index; see name_index.h. */
#include "sim/control/hpa/name_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int name_index_init(name_index *ix, int capacity, sim_error *err) {
    unsigned n = 16;
    while (n < 2u * (unsigned)(capacity > 0 ? capacity : 1))
        n *= 2;
    ix->slots = calloc(n, sizeof *ix->slots);
    ix->mask = n - 1;
    if (ix->slots == NULL)
        return error_set(err, "out of memory");
    return 0;
}

void name_index_free(name_index *ix) {
    free(ix->slots);
    ix->slots = NULL;
}

/* The slot holding key, or the empty slot where it belongs. Never loops forever: the table is
 * at most half full. */
static name_slot *find(const name_index *ix, const char *key) {
    unsigned i = fnv1a(key) & ix->mask;
    while (ix->slots[i].key != NULL && strcmp(ix->slots[i].key, key) != 0)
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

void name_index_put(name_index *ix, const char *key, int value) {
    name_slot *s = find(ix, key);
    s->key = key;
    s->value = value;
}

int name_index_get(const name_index *ix, const char *key) {
    const name_slot *s = find(ix, key);
    return s->key != NULL ? s->value : -1;
}
