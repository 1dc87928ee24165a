/* engine.h: the simulated clock and the run loop.
 *
 * Time is an int64 count of microseconds from the start of the scenario (`now_us`), never a
 * double, so every run with the same inputs makes the same decisions. engine_at schedules a
 * handler `fn(eng, obj, arg)` at an absolute time not before now; engine_run pops events in
 * (time, insertion) order and runs them until the queue is empty, the next event lies beyond
 * `until_us`, or a handler called engine_stop. Handlers schedule further events; a handler that
 * wants cancellation keeps a generation counter and passes it in `arg`. If the queue cannot grow
 * (out of memory) the engine remembers it and engine_run returns -1 at the next step. */
#ifndef SCALESIM_ENGINE_ENGINE_H
#define SCALESIM_ENGINE_ENGINE_H

#include <stdint.h>

#include "common/error.h"
#include "sim/engine/event_queue.h"

typedef struct engine {
    int64_t now_us;
    event_queue queue;
    uint64_t events_run;
    int stopped;
    int out_of_memory;
} engine;

/* arity: the event queue's (0 = default). */
int engine_init(engine *eng, int arity, sim_error *err);
void engine_free(engine *eng);

/* Schedules fn at t_us (clamped to now when earlier, which a caller must not rely on). Inline:
 * a pod's completion is scheduled once per request, and the sorted array's insertion
 * (eq_push) is short next to a call that saves and restores the caller's registers. */
static inline void engine_at(engine *eng, int64_t t_us, event_fn fn, void *obj, uint64_t arg) {
    if (t_us < eng->now_us)
        t_us = eng->now_us;
    if (eq_push(&eng->queue, t_us, fn, obj, arg) < 0)
        eng->out_of_memory = 1;
}

static inline void engine_after(engine *eng, int64_t delay_us, event_fn fn, void *obj,
                                uint64_t arg) {
    engine_at(eng, eng->now_us + delay_us, fn, obj, arg);
}

/* A lane (event_queue.h): one pending event owned by a source that reschedules it itself, kept
 * out of the heap. -1 when none is left; the source then uses engine_at. */
static inline int engine_lane_new(engine *eng) {
    return eq_lane_new(&eng->queue);
}

/* Schedules the lane's one event at t_us (clamped to now), replacing any it had pending. */
void engine_lane_at(engine *eng, int lane, int64_t t_us, event_fn fn, void *obj, uint64_t arg);

/* Runs events with time <= until_us. Leaves now_us at the last event's time (it does not jump to
 * until_us). Returns 0, or -1 with err filled when the queue ran out of memory. */
int engine_run(engine *eng, int64_t until_us, sim_error *err);

/* Makes engine_run return after the current handler. */
static inline void engine_stop(engine *eng) {
    eng->stopped = 1;
}

#endif
