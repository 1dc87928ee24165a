/* engine.c: see engine.h. */
#include "sim/engine/engine.h"

int engine_init(engine *eng, int arity, sim_error *err) {
    eng->now_us = 0;
    eng->events_run = 0;
    eng->stopped = 0;
    eng->out_of_memory = 0;
    if (eq_init(&eng->queue, arity) < 0)
        return error_set(err, "event queue: arity must be 2 or 4 (got %d), or out of memory",
                         arity);
    return 0;
}

void engine_free(engine *eng) {
    eq_free(&eng->queue);
}

void engine_lane_at(engine *eng, int lane, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    if (t_us < eng->now_us)
        t_us = eng->now_us;
    if (eq_lane_set(&eng->queue, lane, t_us, fn, obj, arg) < 0)
        eng->out_of_memory = 1;
}

int engine_run(engine *eng, int64_t until_us, sim_error *err) {
    event e;
    eng->stopped = 0;
    for (;;) {
        if (eng->out_of_memory)
            return error_set(err,
                             "event queue full: out of memory, more than %llu events "
                             "pending, or more than %llu events in one run",
                             (unsigned long long)EQ_MAX_PENDING, (unsigned long long)EQ_MAX_SEQ);
        if (eng->stopped || !eq_take_until(&eng->queue, until_us, &e))
            return 0; /* a handler's first engine_at fills the hole eq_take left (hold) */
        eng->now_us = e.t_us;
        eng->events_run++;
        e.fn(eng, e.obj, e.arg);
        eq_settle(&eng->queue);
    }
}
