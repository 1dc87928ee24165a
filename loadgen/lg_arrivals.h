/* lg_arrivals.h: the instants at which open-loop requests are due, for one event loop.
 *
 * The load is the open-loop phases of a scenario (sim/scenario/config.h: what `--load` reads,
 * or the one phase --rate, --rate-steps or --rate-file stand for, lg_pace.h), and each phase's
 * arrivals come from the simulator's own code (sim/model/rate.h): the same rate at every instant
 * and, for one loop, the same arrival instants as `scalesim run` of that scenario. Phases
 * overlap as in the simulator: their arrivals are merged in time order. A phase runs from its
 * start to its end or the run's horizon (-z), whichever comes first; with L loops each draws the
 * rate x 1/L. Poisson phases draw from the simulator's stream of the phase (seed, name) in loop 0
 * and from a stream named "name#k" in loop k. Times are nanoseconds from the run's start. */
#ifndef SCALESIM_LOADGEN_LG_ARRIVALS_H
#define SCALESIM_LOADGEN_LG_ARRIVALS_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sim/model/rate.h"
#include "sim/scenario/config.h"

typedef struct lg_phase {
    rate_clock clock;
    gsl_rng *rng;
    int64_t next_ns; /* the phase's next arrival; INT64_MAX: none more */
} lg_phase;

typedef struct lg_arrivals {
    lg_phase *ph;
    size_t n;
} lg_arrivals;

/* phases must outlive a. horizon_us: the run's length, 0 for none. Closed-loop phases are an
 * error here (the loader refuses them before). */
int lg_arrivals_init(lg_arrivals *a, const load_cfg *phases, size_t n, int64_t horizon_us,
                     double share, uint64_t seed, int loop, sim_error *err);
/* The next instant a request is due (ns from the run's start), consumed; INT64_MAX: none. */
int64_t lg_arrivals_next(lg_arrivals *a);
void lg_arrivals_free(lg_arrivals *a);

#endif
