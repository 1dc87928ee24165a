/* llm_section.c (scenario): reads "service.pod.llm", which makes the pod an LLM server
 * (sim/model/llm.h) instead of the CPU model. Every key but "preset" overrides the preset's
 * value (llm_presets.c; docs/scenario.md has the full list):
 *
 *   "llm": {"preset": "qwen-7b-gptq-int8-v100",
 *           "gpu_memory_utilization": 0.95, "max_model_len": 6144, "max_num_seqs": 256,
 *           "max_num_batched_tokens": 6144, "chunked_prefill": false, "kv_cache_tokens": 0,
 *           "host_overhead": "8ms", "weight_read": "15.1ms", "prefill_tokens_per_s": 3000,
 *           "prompt_tokens": 10,
 *           "output_tokens": {"dist": "lognormal", "mean": 182, "cv": 1},
 *           "sm_active": {"prefill": 0.95, "min": 0.65, "max": 0.9, "batch_sat": 8},
 *           "sm_occupancy": {"min": 0.1, "max": 0.45, "tokens_sat": 128},
 *           "startup": {"image_size": "10G", "pull_bandwidth": "100M",
 *                       "load_bandwidth": "250M", "compile": "29s", "cuda_graphs": "17s",
 *                       "server_start": "5s"}}
 *
 * Token counts are plain numbers: a distribution's parameters, or the cells of an empirical
 * CSV column ({"dist": "empirical", "file": ..., "column": "ContextTokens"}), are counts, not
 * durations. "startup" (a lifecycle preset; {} takes the preset's values) replaces
 * service.pod.lifecycle's cold image pull (image / pull bandwidth) and model load (weights /
 * load bandwidth + compile + CUDA graphs + server start); it needs a lifecycle section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/llm_cfg.h"
#include "sim/model/llm_presets.h"
#include "sim/scenario/sections.h"

static const char *const llm_keys[] = {"preset",
                                       "gpu_memory_utilization",
                                       "max_model_len",
                                       "max_num_seqs",
                                       "max_num_batched_tokens",
                                       "chunked_prefill",
                                       "kv_cache_tokens",
                                       "host_overhead",
                                       "weight_read",
                                       "prefill_tokens_per_s",
                                       "prompt_tokens",
                                       "output_tokens",
                                       "sm_active",
                                       "sm_occupancy",
                                       "startup"};
static const char *const startup_keys[] = {"image_size", "pull_bandwidth", "load_bandwidth",
                                           "compile",    "cuda_graphs",    "server_start"};
static const char *const sm_keys[] = {"prefill", "min", "max", "batch_sat"};
static const char *const occ_keys[] = {"min", "max", "tokens_sat"};

void llm_cfg_free(struct llm_cfg *c) {
    if (c == NULL)
        return;
    dist_cfg_free(&c->prompt_tokens);
    dist_cfg_free(&c->output_tokens);
    free(c);
}

int llm_startup_wanted(const struct llm_cfg *c) {
    return c->startup.present;
}

void llm_startup_to_lifecycle(const struct llm_cfg *c, lifecycle_cfg *lc) {
    dist_cfg_free(&lc->pull_cold_us);
    dist_cfg_free(&lc->model_load_us);
    llm_startup_apply(c, lc);
}

/* A token count distribution: a number, or a distribution object whose parameters are numbers. */
static int read_tokens(const sc_reader *r, const cJSON *node, const char *path, dist_cfg *out) {
    char p[RD_PATH_MAX];
    if (cJSON_IsNumber(node)) {
        double v;
        if (rd_number(r, node, path, 1, 0, 1e7, &v) < 0)
            return -1;
        memset(out, 0, sizeof *out);
        out->kind = DIST_CONSTANT;
        out->mean = v;
        return 0;
    }
    if (!cJSON_IsObject(node))
        return rd_fail(r, node, path, "expected a token count or a distribution object");
    static const char *const params[] = {"value", "mean", "min", "max"};
    for (int i = 0; i < 4; i++) {
        const cJSON *m = rd_get(node, params[i]);
        if (m != NULL && !cJSON_IsNumber(m))
            return rd_fail(r, m, rd_join(p, path, params[i]),
                           "expected a number of tokens (not a duration)");
    }
    if (rd_get(node, "unit") != NULL)
        return rd_fail(r, rd_get(node, "unit"), rd_join(p, path, "unit"),
                       "token counts have no unit");
    dist_cfg d;
    memset(&d, 0, sizeof d);
    if (read_dist(r, node, path, DIST_POSITIVE, &d) < 0)
        return -1;
    /* read_dist reads plain numbers as seconds and stores microseconds */
    d.mean *= 1e-6;
    d.min *= 1e-6;
    d.max *= 1e-6;
    for (size_t i = 0; i < d.n_samples; i++)
        d.samples[i] *= 1e-6;
    *out = d;
    return 0;
}

static int read_fraction(const sc_reader *r, const cJSON *obj, const char *path, const char *key,
                         double *dst) {
    char p[RD_PATH_MAX];
    const cJSON *m = rd_get(obj, key);
    if (m == NULL)
        return 0;
    return rd_number(r, m, rd_join(p, path, key), 0, 0, 1, dst);
}

static int read_fields(const sc_reader *r, const cJSON *node, const char *path, llm_cfg *c) {
    char p[RD_PATH_MAX], q[RD_PATH_MAX];
    const cJSON *m;
    int64_t v;
    double d;
    if (read_fraction(r, node, path, "gpu_memory_utilization", &c->gpu_memory_utilization) < 0)
        return -1;
    const struct {
        const char *key;
        int *dst;
        int64_t max;
    } ints[] = {{"max_model_len", &c->max_model_len, 10000000},
                {"max_num_seqs", &c->max_num_seqs, 100000},
                {"max_num_batched_tokens", &c->max_num_batched_tokens, 10000000}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if ((m = rd_get(node, ints[i].key)) != NULL) {
            if (rd_int(r, m, rd_join(p, path, ints[i].key), 1, ints[i].max, &v) < 0)
                return -1;
            *ints[i].dst = (int)v;
        }
    if ((m = rd_get(node, "chunked_prefill")) != NULL) {
        if (!cJSON_IsBool(m))
            return rd_fail(r, m, rd_join(p, path, "chunked_prefill"), "expected true or false");
        c->chunked_prefill = cJSON_IsTrue(m);
    }
    if ((m = rd_get(node, "kv_cache_tokens")) != NULL) {
        if (rd_int(r, m, rd_join(p, path, "kv_cache_tokens"), 0, INT64_C(1) << 40, &v) < 0)
            return -1;
        c->kv_budget_tokens = v;
    }
    if ((m = rd_get(node, "host_overhead")) != NULL) {
        if (rd_duration(r, m, rd_join(p, path, "host_overhead"), 0, 0, 10000000, &v) < 0)
            return -1;
        c->host_us = (double)v;
    }
    if ((m = rd_get(node, "weight_read")) != NULL) {
        if (rd_duration(r, m, rd_join(p, path, "weight_read"), 0, 1, 10000000, &v) < 0)
            return -1;
        c->weight_read_us = (double)v;
    }
    if ((m = rd_get(node, "prefill_tokens_per_s")) != NULL) {
        if (rd_number(r, m, rd_join(p, path, "prefill_tokens_per_s"), 0, 1, 1e9, &d) < 0)
            return -1;
        c->prefill_us_per_token = 1e6 / d;
    }
    if ((m = rd_get(node, "sm_active")) != NULL) {
        const char *sp = rd_join(q, path, "sm_active");
        if (rd_object(r, m, sp, sm_keys, 4, NULL, NULL) < 0 ||
            read_fraction(r, m, sp, "prefill", &c->metrics.sm_prefill) < 0 ||
            read_fraction(r, m, sp, "min", &c->metrics.sm_min) < 0 ||
            read_fraction(r, m, sp, "max", &c->metrics.sm_max) < 0)
            return -1;
        const cJSON *b = rd_get(m, "batch_sat");
        if (b &&
            rd_number(r, b, rd_join(p, sp, "batch_sat"), 0, 1, 1e6, &c->metrics.sm_batch_sat) < 0)
            return -1;
    }
    if ((m = rd_get(node, "sm_occupancy")) != NULL) {
        const char *sp = rd_join(q, path, "sm_occupancy");
        if (rd_object(r, m, sp, occ_keys, 3, NULL, NULL) < 0 ||
            read_fraction(r, m, sp, "min", &c->metrics.occ_min) < 0 ||
            read_fraction(r, m, sp, "max", &c->metrics.occ_max) < 0)
            return -1;
        const cJSON *b = rd_get(m, "tokens_sat");
        if (b &&
            rd_number(r, b, rd_join(p, sp, "tokens_sat"), 0, 1, 1e7, &c->metrics.occ_batch_sat) < 0)
            return -1;
    }
    if ((m = rd_get(node, "startup")) != NULL) {
        const char *sp = rd_join(q, path, "startup");
        if (rd_object(r, m, sp, startup_keys, 6, NULL, NULL) < 0)
            return -1;
        llm_startup *st = &c->startup;
        st->present = 1;
        const cJSON *k;
        if ((k = rd_get(m, "image_size")) != NULL &&
            rd_bytes(r, k, rd_join(p, sp, "image_size"), &st->image_bytes) < 0)
            return -1;
        const char *bw[] = {"pull_bandwidth", "load_bandwidth"};
        double *bwd[] = {&st->pull_bytes_per_s, &st->load_bytes_per_s};
        for (int i = 0; i < 2; i++)
            if ((k = rd_get(m, bw[i])) != NULL) {
                if (rd_bytes(r, k, rd_join(p, sp, bw[i]), &v) < 0)
                    return -1;
                if (v <= 0)
                    return rd_fail(r, k, p, "expected bytes per second > 0");
                *bwd[i] = (double)v;
            }
        const char *du[] = {"compile", "cuda_graphs", "server_start"};
        int64_t *dud[] = {&st->compile_us, &st->cuda_graphs_us, &st->server_us};
        for (int i = 0; i < 3; i++)
            if ((k = rd_get(m, du[i])) != NULL &&
                rd_duration(r, k, rd_join(p, sp, du[i]), 0, 0, INT64_C(86400000000), dud[i]) < 0)
                return -1;
    }
    if ((m = rd_get(node, "prompt_tokens")) != NULL) {
        dist_cfg t;
        if (read_tokens(r, m, rd_join(p, path, "prompt_tokens"), &t) < 0)
            return -1;
        c->prompt_tokens = t;
    }
    if ((m = rd_get(node, "output_tokens")) != NULL) {
        dist_cfg t;
        if (read_tokens(r, m, rd_join(p, path, "output_tokens"), &t) < 0)
            return -1;
        c->output_tokens = t;
    }
    int64_t budget = llm_kv_budget_tokens(c);
    if (budget < c->max_model_len)
        return rd_fail(r, node, path,
                       "the KV cache holds %lld tokens (preset \"%s\"), fewer than max_model_len "
                       "%d: vLLM would refuse to start; raise gpu_memory_utilization or "
                       "kv_cache_tokens, or lower max_model_len",
                       (long long)budget, c->preset, c->max_model_len);
    if (!c->chunked_prefill && c->max_num_batched_tokens < c->max_model_len)
        return rd_fail(r, node, path,
                       "without chunked_prefill, max_num_batched_tokens (%d) must be at least "
                       "max_model_len (%d), as vLLM requires",
                       c->max_num_batched_tokens, c->max_model_len);
    return 0;
}

int read_llm(const sc_reader *r, const cJSON *node, const char *path, struct llm_cfg **out) {
    char p[RD_PATH_MAX];
    const cJSON *m;
    const char *name;
    *out = NULL;
    if (rd_object(r, node, path, llm_keys, (int)(sizeof llm_keys / sizeof llm_keys[0]), NULL,
                  NULL) < 0)
        return -1;
    if (rd_require(r, node, path, "preset", "the model and GPU the pod serves with", &m) < 0 ||
        rd_string(r, m, rd_join(p, path, "preset"), &name) < 0)
        return -1;
    llm_cfg *c = calloc(1, sizeof *c);
    if (c == NULL)
        return rd_fail(r, node, path, "out of memory");
    if (llm_preset_apply(c, name) < 0) {
        free(c);
        char list[512];
        size_t n = 0;
        list[0] = 0;
        for (int i = 0; llm_preset_names[i] && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
                                  llm_preset_names[i]);
        return rd_fail(r, m, rd_join(p, path, "preset"), "unknown preset \"%.60s\" (known: %s)",
                       name, list);
    }
    if (read_fields(r, node, path, c) < 0) {
        llm_cfg_free(c);
        return -1;
    }
    *out = c;
    return 0;
}
