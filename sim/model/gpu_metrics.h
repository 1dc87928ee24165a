/* gpu_metrics.h: GPU activity counters of one pod, integrated over time, from which the DCGM
 * fields are computed as dcgm-exporter reports them (an average over its collect interval).
 *
 * An engine step is a kernel stretch of `kernel_us` followed by a host gap (GPU idle). During the
 * kernel stretch the GPU counts as busy (GPU_UTIL and the per-process SM util are time shares:
 * "at least one kernel ran", NVML), SM_ACTIVE accrues at sm_active_frac and SM_OCCUPANCY at
 * sm_occupancy_frac (cycle-based DCGM profiling fields). The counters are cumulative microseconds
 * (busy) and fraction-microseconds, like cAdvisor's CPU counter: a reader takes the difference
 * between two readings and divides by the elapsed time.
 *
 * Field meanings and sources (R1 = shared reference metric-pipelines-gpu-kpa.md §2.1, §3.1):
 *   DCGM_FI_DEV_GPU_UTIL          % of time a kernel ran        -> busy share, 0..100
 *   DCGM_FI_PROF_SM_ACTIVE        cycles with >= 1 warp per SM  -> 0..1
 *   DCGM_FI_PROF_SM_OCCUPANCY     resident warps / max warps    -> 0..1
 *   DCGM_CUSTOM_PROCESS_SM_UTIL   ACK, per-process NVML smUtil  -> busy share of the pod's
 *                                 process, 0..100 [assumption, R1 §2.3: no official definition] */
#ifndef SCALESIM_MODEL_GPU_METRICS_H
#define SCALESIM_MODEL_GPU_METRICS_H

#include <stdint.h>

#include "sim/model/llm_cfg.h"

typedef struct gpu_activity {
    double busy_us;      /* kernel-resident time */
    double sm_active_us; /* integral of SM_ACTIVE */
    double sm_occ_us;    /* integral of SM_OCCUPANCY */
} gpu_activity;

/* SM_ACTIVE during a step with `batch` sequences of which some hold prefill tokens:
 * s_pre with prefill, else s_min + (s_max - s_min) * min(1, batch / B_sat). */
double gpu_sm_active_frac(const gpu_metric_cfg *m, int batch, int prefill_tokens);

/* SM_OCCUPANCY during a step that processes `tokens` tokens:
 * o_min + (o_max - o_min) * min(1, tokens / occ_batch_sat). */
double gpu_sm_occupancy_frac(const gpu_metric_cfg *m, int tokens);

/* The metric a Prometheus source reads from two readings `a` (older, at ta) and `b` (at tb):
 * GPU_UTIL / process SM util in percent, SM_ACTIVE and SM_OCCUPANCY as 0..1. */
typedef enum { GPU_FIELD_UTIL, GPU_FIELD_SM_ACTIVE, GPU_FIELD_SM_OCCUPANCY } gpu_field;
double gpu_field_average(gpu_field f, const gpu_activity *a, const gpu_activity *b, int64_t dt_us);

#endif
