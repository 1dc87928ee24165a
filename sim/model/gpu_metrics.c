/* gpu_metrics.c: see gpu_metrics.h. The curves are R1 §3.1's [assumption]; no measured
 * SM_ACTIVE-vs-batch curve for vLLM was found (R1 §7). */
#include "sim/model/gpu_metrics.h"

static double ramp(double lo, double hi, double x, double sat) {
    double f = sat > 0 ? x / sat : 1;
    if (f > 1)
        f = 1;
    if (f < 0)
        f = 0;
    return lo + (hi - lo) * f;
}

double gpu_sm_active_frac(const gpu_metric_cfg *m, int batch, int prefill_tokens) {
    if (prefill_tokens > 0)
        return m->sm_prefill;
    return ramp(m->sm_min, m->sm_max, batch, m->sm_batch_sat);
}

double gpu_sm_occupancy_frac(const gpu_metric_cfg *m, int tokens) {
    return ramp(m->occ_min, m->occ_max, tokens, m->occ_batch_sat);
}

double gpu_field_average(gpu_field f, const gpu_activity *a, const gpu_activity *b, int64_t dt_us) {
    if (dt_us <= 0)
        return 0;
    switch (f) {
    case GPU_FIELD_UTIL:
        return 100.0 * (b->busy_us - a->busy_us) / (double)dt_us;
    case GPU_FIELD_SM_ACTIVE:
        return (b->sm_active_us - a->sm_active_us) / (double)dt_us;
    case GPU_FIELD_SM_OCCUPANCY:
        return (b->sm_occ_us - a->sm_occ_us) / (double)dt_us;
    }
    return 0;
}
