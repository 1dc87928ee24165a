/* name_index.h: a small string -> int hash index (open addressing, FNV-1a), so that matching
 * pods, metric samples and requests by name stays linear in the number of pods.
 *
 * Contract: keys are borrowed (the caller keeps the strings alive while the index is used);
 * putting an existing key replaces its value (map semantics, the later entry wins). The table
 * never grows: name_index_init sizes it for at most `capacity` distinct keys. Lookups of a
 * key never put return -1. */
#ifndef SCALESIM_HPA_NAME_INDEX_H
#define SCALESIM_HPA_NAME_INDEX_H

#include "common/error.h"

typedef struct name_slot {
    const char *key;
    int value;
} name_slot;

typedef struct name_index {
    name_slot *slots;
    unsigned mask; /* number of slots - 1 (a power of two, at least twice the capacity) */
} name_index;

int name_index_init(name_index *ix, int capacity, sim_error *err);
void name_index_free(name_index *ix);
void name_index_put(name_index *ix, const char *key, int value);
int name_index_get(const name_index *ix, const char *key);

#endif
