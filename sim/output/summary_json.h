/* summary_json.h: summary.json, the whole run in one JSON object (cJSON_Print: tab-indented).
 *
 * Fields: scenario, seed, duration_s (the timeline), drain_end_s; requests {offered, completed,
 * failed, timeouts, refused, unfinished}; throughput_rps (completed / duration); latency_ms
 * {p50, p90, p95, p99, p999, mean, max} of successful responses; server {completed,
 * mean_wait_ms, mean_response_ms}; pods {ready_at_end, total_at_end, pod_seconds, pod_hours,
 * cpu_util_pct, mem_util_pct}; loads[] {name, kind, sent, ok, timeouts, refused, total_s,
 * requests_per_s, latency_ms {...}}; with an HPA, autoscaling {hpa, syncs, rescales,
 * first_scale_up_s, last_rescale_s, max_replicas, desired_at_end, pods_created, pods_deleted,
 * requests_past_grace, events}; with LLM pods, llm {preset, completed, prompt_tokens,
 * output_tokens, output_tokens_per_s, steps, preemptions, ttft_ms, tpot_ms, e2e_ms {...}} over
 * every pod; events (engine events run). No wall-clock figures, so the
 * file is byte-identical for the same scenario and seed. */
#ifndef SCALESIM_OUTPUT_SUMMARY_JSON_H
#define SCALESIM_OUTPUT_SUMMARY_JSON_H

#include "sim/model/sim.h"

/* Returns a malloc'd string (free with free()), or NULL when out of memory. */
char *summary_json(const scenario_cfg *cfg, const sim_model *m);

#endif
