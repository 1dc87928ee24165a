/* sections.h: the readers of each scenario section (internal to the loader).
 *
 * scenario.c reads the top level and calls one reader per section; each reader validates its
 * subtree with reader.h and fills its part of scenario_cfg, owning nothing on failure. A new
 * section (hpa, metrics, lifecycle...) is a new file with one function declared here and one
 * row in scenario.c's table of top-level keys. */
#ifndef SCALESIM_SCENARIO_SECTIONS_H
#define SCALESIM_SCENARIO_SECTIONS_H

#include <cjson/cJSON.h>

#include "sim/scenario/config.h"
#include "sim/scenario/reader.h"

/* What a distribution describes, for its bounds: DIST_POSITIVE refuses a constant 0. */
typedef enum { DIST_NONNEGATIVE, DIST_POSITIVE } dist_use;

/* A duration distribution: a plain duration (constant) or {"dist": ..., parameters}. */
int read_dist(const sc_reader *r, const cJSON *node, const char *path, dist_use use, dist_cfg *out);
void dist_cfg_free(dist_cfg *d);

/* "service" (node may be NULL: every default). default_name names the service when the file
 * does not. */
int read_service(const sc_reader *r, const cJSON *node, const char *path, const char *default_name,
                 service_cfg *out);

/* "load": the array of load phases. */
int read_loads(const sc_reader *r, const cJSON *node, const char *path, load_cfg **out,
               size_t *n_out);
void load_cfg_free(load_cfg *l);
/* One load phase at `path`, the index-th (its default name is "load[index]"). */
int read_load_phase(const sc_reader *r, const cJSON *node, const char *path, size_t index,
                    load_cfg *out);

/* "controller" (node may be NULL: every default): kube-controller-manager's HPA flags into
 * out->controller, out->sync_period_us and out->sync_phase_us; *scale_to_zero gets the
 * HPAScaleToZero feature gate, which read_hpa's validation needs. */
int read_controller(const sc_reader *r, const cJSON *node, const char *path, hpa_cfg *out,
                    int *scale_to_zero);

/* "hpa": the HorizontalPodAutoscaler object (as kubectl prints it) or {"manifest": FILE,
 * "name": NAME}; its scaleTargetRef must name service_name. Call after read_controller (it
 * keeps out's controller fields, also on failure). */
int read_hpa(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
             int scale_to_zero, hpa_cfg *out);
void hpa_cfg_free(hpa_cfg *cfg);

/* "service.pod.lifecycle" (a new lifecycle_cfg in *out, free with lifecycle_cfg_free) and the
 * top-level "metrics" (node may be NULL: defaults; free out->prom). sim/scenario/lifecycle.c */
int read_lifecycle(const sc_reader *r, const cJSON *node, const char *path, lifecycle_cfg **out);
void lifecycle_cfg_free(lifecycle_cfg *lc);
int read_metric_pipelines(const sc_reader *r, const cJSON *node, const char *path,
                          metrics_cfg *out);
/* "expect": the assertions of `scalesim check` (expect.c). Read after the other sections,
 * whose values supply its defaults (load step and end, minimum replicas). */
int read_expect(const sc_reader *r, const cJSON *node, const char *path, const scenario_cfg *cfg,
                expect_cfg *out);
void expect_cfg_free(expect_cfg *e);

/* "cronhpa" (the CronHPA object or {"manifest": FILE}; its target must be service_name, or
 * hpa_name for kind HorizontalPodAutoscaler, NULL without an HPA), "cronhpa_controller"
 * ({"TZ": zone}, node may be NULL: Asia/Shanghai; call first, read_cronhpa keeps out->tz) and
 * "start" (RFC 3339). sim/scenario/cronhpa_section.c */
int read_cronhpa(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
                 const char *hpa_name, cronhpa_cfg *out);
void cronhpa_cfg_free(cronhpa_cfg *cfg);
int read_cronhpa_controller(const sc_reader *r, const cJSON *node, const char *path,
                            cronhpa_cfg *out);
/* "keda": a ScaledObject whose cron triggers become External metrics of the scenario's HPA
 * (appended to hpa->metrics; minReplicaCount/maxReplicaCount set its range). */
int read_keda(const sc_reader *r, const cJSON *node, const char *path, const char *service_name,
              hpa_cfg *hpa, keda_cfg *out);
void keda_cfg_free(keda_cfg *cfg);
int read_start(const sc_reader *r, const cJSON *node, const char *path, int64_t *out_us);

/* "service.pod.llm": a new llm_cfg in *out (free with llm_cfg_free). sim/scenario/llm_section.c */
struct llm_cfg;
int read_llm(const sc_reader *r, const cJSON *node, const char *path, struct llm_cfg **out);
void llm_cfg_free(struct llm_cfg *c);
/* Whether "service.pod.llm" had "startup"; llm_startup_to_lifecycle then replaces lc's cold
 * image pull and model load with the GPU start-up preset's (llm_presets.h). */
int llm_startup_wanted(const struct llm_cfg *c);
void llm_startup_to_lifecycle(const struct llm_cfg *c, lifecycle_cfg *lc);

/* "tune" (tune_block.h): validated against root (each path must lead into the scenario);
 * out NULL only validates. sim/scenario/tune_section.c */
struct tune_block;
int read_tune(const sc_reader *r, const cJSON *node, const char *path, const cJSON *root,
              struct tune_block *out);

#endif
