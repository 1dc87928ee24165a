/* test_llm_section.c: the scenario's "service.pod.llm" section (sim/scenario/llm_section.c):
 * presets and overrides load, token counts as numbers and distributions, the startup preset
 * rewrites the lifecycle, and every bad input fails with file:line:col, the JSON path and what
 * was expected. */
#include "cu.h"

#include <stdio.h>
#include <string.h>

#include "sim/model/llm_cfg.h"
#include "sim/model/llm_presets.h"
#include "sim/scenario/scenario.h"

static int load(const char *llm, const char *lifecycle, scenario_cfg *cfg, sim_error *err) {
    char text[4096];
    snprintf(text, sizeof text,
             "{\"duration\": \"1m\",\n \"service\": {\"pod\": {%s%s\n  \"llm\": %s}},\n"
             " \"load\": [{\"name\": \"l\", \"type\": \"poisson\", \"rate\": 1}]}\n",
             lifecycle ? "\"lifecycle\": " : "", lifecycle ? lifecycle : "", llm);
    char fixed[4200];
    /* a comma after the lifecycle object when there is one */
    if (lifecycle) {
        const char *at = strstr(text, "\n  \"llm\"");
        size_t n = (size_t)(at - text);
        memcpy(fixed, text, n);
        fixed[n] = ',';
        strcpy(fixed + n + 1, at);
    } else {
        strcpy(fixed, text);
    }
    return scenario_load_text(fixed, strlen(fixed), "s.json", NULL, cfg, err);
}

static void bad(const char *llm, const char *lifecycle, const char *want1, const char *want2) {
    scenario_cfg cfg;
    sim_error err;
    int rc = load(llm, lifecycle, &cfg, &err);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc == 0) {
        printf("\n  accepted: %s\n", llm);
        scenario_cfg_free(&cfg);
        return;
    }
    int ok =
        strncmp(err.msg, "s.json:", 7) == 0 && strstr(err.msg, want1) && strstr(err.msg, want2);
    if (!ok)
        printf("\n  %s\n  got: %s\n", llm, err.msg);
    CU_ASSERT(ok);
}

static void test_loads(void) {
    scenario_cfg cfg;
    sim_error err;
    int rc = load("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"max_num_seqs\": 64, "
                  "\"chunked_prefill\": false, \"max_num_batched_tokens\": 4096, "
                  "\"host_overhead\": \"2ms\", \"prefill_tokens_per_s\": 10000, "
                  "\"prompt_tokens\": 100, "
                  "\"output_tokens\": {\"dist\": \"lognormal\", \"mean\": 182, \"cv\": 1}, "
                  "\"sm_active\": {\"min\": 0.5}, \"startup\": {\"load_bandwidth\": \"1G\"}}",
                  "{\"nodes\": 2, \"pods_per_node\": 1}", &cfg, &err);
    if (rc)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const llm_cfg *c = cfg.service.pod.llm;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c->preset, "llama2-7b-fp16-a100-80gb");
    CU_ASSERT_EQUAL(c->max_num_seqs, 64);
    CU_ASSERT_EQUAL(c->chunked_prefill, 0);
    CU_ASSERT_DOUBLE_EQUAL(c->host_us, 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c->prefill_us_per_token, 100, 1e-9);
    CU_ASSERT_EQUAL(c->prompt_tokens.kind, DIST_CONSTANT);
    CU_ASSERT_DOUBLE_EQUAL(c->prompt_tokens.mean, 100, 1e-9);
    CU_ASSERT_EQUAL(c->output_tokens.kind, DIST_LOGNORMAL);
    CU_ASSERT_DOUBLE_EQUAL(c->output_tokens.mean, 182, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c->metrics.sm_min, 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c->metrics.sm_max, 0.9, 1e-12); /* the preset's */
    /* startup: 10 GB at 100 MB/s; 12.55 GiB at 1 GB/s + 29 + 17 + 5 s */
    const lifecycle_cfg *lc = cfg.service.pod.lifecycle;
    CU_ASSERT_DOUBLE_EQUAL(lc->pull_cold_us.mean, 100e6, 1);
    double load_s = 12.55 * 1073741824.0 / 1e9 + 29 + 17 + 5;
    CU_ASSERT_DOUBLE_EQUAL(lc->model_load_us.mean / 1e6, load_s, 1e-3);
    scenario_cfg_free(&cfg);
}

/* Token counts from a CSV column, e.g. the Azure trace's ContextTokens. */
static void test_empirical_csv(void) {
    const char *csv = cu_write_temp(".csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                            "0,1020,129\n1,300,20\n2,4000,700\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    char llm[1024];
    snprintf(llm, sizeof llm,
             "{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"prompt_tokens\": {\"dist\": "
             "\"empirical\", \"file\": \"%s\", \"column\": \"ContextTokens\"}}",
             csv);
    scenario_cfg cfg;
    sim_error err;
    int rc = load(llm, NULL, &cfg, &err);
    if (rc)
        printf("\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    const dist_cfg *d = &cfg.service.pod.llm->prompt_tokens;
    CU_ASSERT_EQUAL(d->kind, DIST_EMPIRICAL);
    CU_ASSERT_EQUAL_FATAL(d->n_samples, 3);
    CU_ASSERT_DOUBLE_EQUAL(d->samples[0], 1020, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(d->samples[2], 4000, 1e-9);
    scenario_cfg_free(&cfg);
    snprintf(llm, sizeof llm,
             "{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"prompt_tokens\": {\"dist\": "
             "\"empirical\", \"file\": \"%s\", \"column\": \"ContextTokens\", \"unit\": "
             "\"ms\"}}",
             csv);
    bad(llm, NULL, "service.pod.llm.prompt_tokens.unit", "token counts have no unit");
}

static void test_errors(void) {
    bad("{}", NULL, "service.pod.llm.preset: missing", "the model and GPU");
    bad("{\"preset\": \"llama-9000\"}", NULL, "service.pod.llm.preset: unknown preset",
        "qwen-7b-gptq-int8-v100");
    bad("{\"preset\": \"qwen-7b-gptq-int8-v100\", \"max_num_seq\": 3}", NULL, "max_num_seq",
        "max_num_seqs");
    bad("{\"preset\": \"qwen-7b-gptq-int8-v100\", \"prompt_tokens\": \"10s\"}", NULL,
        "service.pod.llm.prompt_tokens", "token count");
    bad("{\"preset\": \"qwen-7b-gptq-int8-v100\", \"output_tokens\": {\"dist\": \"lognormal\", "
        "\"mean\": \"1s\", \"cv\": 1}}",
        NULL, "service.pod.llm.output_tokens.mean", "number of tokens");
    bad("{\"preset\": \"qwen-7b-gptq-int8-v100\", \"max_model_len\": 8192}", NULL,
        "service.pod.llm", "fewer than max_model_len 8192");
    bad("{\"preset\": \"qwen-7b-gptq-int8-v100\", \"gpu_memory_utilization\": 1.5}", NULL,
        "service.pod.llm.gpu_memory_utilization", "");
    bad("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"chunked_prefill\": false}", NULL,
        "max_num_batched_tokens (2048)", "max_model_len (4096)");
    bad("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"chunked_prefill\": 1}", NULL,
        "service.pod.llm.chunked_prefill", "true or false");
    bad("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"startup\": {}}", NULL,
        "service.pod.llm.startup", "need service.pod.lifecycle");
    bad("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"startup\": {\"pull_bandwidth\": 0}}", "{}",
        "pull_bandwidth", "> 0");
    bad("{\"preset\": \"llama2-7b-fp16-a100-80gb\", \"sm_active\": {\"max\": 2}}", NULL,
        "service.pod.llm.sm_active.max", "");
}

int main(void) {
    static const cu_test tests[] = {
        {"loads", test_loads},
        {"empirical_csv", test_empirical_csv},
        {"errors", test_errors},
        {NULL, NULL},
    };
    cu_add_suite("llm_section", tests);
    return cu_run_all();
}
