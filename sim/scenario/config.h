/* config.h: the plain-data description of one scenario: what the loader (scenario.c) produces
 * and what the model and engine consume. No behaviour lives here.
 *
 * Units, everywhere: time in microseconds (int64, `_us`), CPU in millicores (`_milli`), memory in
 * bytes, rates in requests per second. A scenario_cfg owns every pointer inside it; free it with
 * scenario_cfg_free (scenario.h). Distributions of durations hold their parameters in
 * microseconds. */
#ifndef SCALESIM_SCENARIO_CONFIG_H
#define SCALESIM_SCENARIO_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "sim/control/hpa/hpa.h"

#define CFG_NAME_MAX 64

/* A random quantity (a duration in us, or CPU demand in core-microseconds). */
typedef enum {
    DIST_CONSTANT,    /* value = mean */
    DIST_EXPONENTIAL, /* mean */
    DIST_LOGNORMAL,   /* mean and cv (coefficient of variation = stddev / mean) */
    DIST_GAMMA,       /* mean and cv (shape = 1 / cv^2) */
    DIST_UNIFORM,     /* min, max */
    DIST_EMPIRICAL,   /* samples drawn uniformly from `samples` (read from a CSV column) */
} dist_kind;

typedef struct dist_cfg {
    dist_kind kind;
    double mean, cv, min, max;
    double *samples;
    size_t n_samples;
} dist_cfg;

typedef enum { LOAD_CLOSED, LOAD_OPEN } load_kind;

typedef enum {
    RATE_CONSTANT, /* rate */
    RATE_RAMP,     /* rate_from -> rate_to linearly over [start_us, end_us) */
    RATE_STEP,     /* points: rate holds from each point's time (relative to start) to the next;
                      the first point's rate before the first point (model/rate.h) */
    RATE_DIURNAL,  /* sinusoid: rate(t) = rate_min + (rate_max - rate_min) *
                      (1 + cos(2 pi (t - peak_at_us) / period_us)) / 2, t from the phase's start:
                      rate_max at peak_at_us, rate_min half a period away (at t = 0 by default) */
    RATE_TRACE,    /* points from a CSV file, interpolated as `interpolation` says */
} rate_shape;

typedef enum { ARRIVALS_POISSON, ARRIVALS_UNIFORM } arrival_kind;
typedef enum { INTERP_STEP, INTERP_LINEAR } interp_kind;

typedef struct rate_point {
    int64_t t_us; /* relative to the phase's start */
    double rps;
} rate_point;

/* A header given to hey with -H, kept for loadgen and the report; it does not affect load. */
typedef struct hey_header {
    char *name;
    char *value;
} hey_header;

/* One load phase. Several may overlap; each draws from its own random stream named `name`. */
typedef struct load_cfg {
    char name[CFG_NAME_MAX]; /* user-given, or "load[i]" */
    load_kind kind;
    int64_t start_us;
    int64_t end_us; /* INT64_MAX: until the scenario ends (or, closed loop, until z/n says) */

    /* Closed loop, exactly as hey (rakyll/hey requester.go): */
    int workers;            /* -c */
    double qps_per_worker;  /* -q, 0 = no cap; hey ticks every floor(1e6 / q) microseconds */
    int64_t duration_us;    /* -z, 0 = none (then n applies) */
    int64_t total_requests; /* -n, 0 = none; hey's default is 200 when neither -z nor -n;
                               each worker sends total / workers (hey drops the remainder) */
    int64_t timeout_us;     /* -t, hey's default 20 s; 0 = no timeout. Open loop uses it too. */

    /* Parsed from a verbatim hey command line; NULL/0 when the phase was given field by field. */
    char *hey_command; /* the command line as written */
    char *method;      /* -m, default GET */
    char *url;
    char *body;      /* -d */
    char *body_file; /* -D */
    char *content_type;
    char *host; /* -host */
    hey_header *headers;
    size_t n_headers;

    /* Open loop: */
    rate_shape shape;
    arrival_kind arrivals;
    double rate; /* constant */
    double rate_from, rate_to;
    double rate_min, rate_max;
    int64_t period_us, peak_at_us; /* diurnal */
    rate_point *points;            /* step, trace */
    size_t n_points;
    interp_kind interpolation;
    char *trace_file; /* resolved against the scenario file's folder */

    /* The other hey flags of a verbatim command line, kept for loadgen and reports; they do
     * not shape the load. NULL/0 when not given or when the phase was given field by field. */
    char *accept;     /* -A */
    char *basic_auth; /* -a "user:password" */
    char *user_agent; /* -U */
    char *proxy;      /* -x */
    char *output;     /* -o */
    int h2, disable_compression, disable_keepalive, disable_redirects;
    int cpus; /* -cpus; 0 = not given */
} load_cfg;

typedef enum {
    LB_RANDOM,         /* kube-proxy iptables mode: uniform random ready endpoint */
    LB_ROUND_ROBIN,    /* kube-proxy IPVS rr */
    LB_LEAST_REQUESTS, /* fewest in-flight requests; ties to the lowest pod index */
    LB_QUEUE,          /* a central FIFO (gateway, activator) dispatching when a pod has room */
} balancer_kind;

typedef struct pod_cfg {
    dist_cfg startup_us; /* delay from creation to Ready */
    int64_t cpu_request_milli;
    int64_t cpu_limit_milli; /* 0: no limit (each request may use one full core) */
    int64_t cpu_idle_milli;  /* baseline usage of an idle pod */
    int64_t memory_request_bytes;
    int64_t memory_base_bytes;
    int64_t memory_per_request_bytes;
    int concurrency; /* max requests in service at once; 0 = unlimited. Extra ones wait in FIFO */
    dist_cfg demand; /* CPU per request, in core-microseconds (time on one full core) */
    int64_t response_bytes;          /* body size of a response, for hey's "Size/request" */
    struct lifecycle_cfg *lifecycle; /* NULL: `startup_us` alone makes a new pod Ready (owned) */
    struct llm_cfg *llm; /* non-NULL: an LLM server pod (sim/model/llm_cfg.h), owned; the CPU
                            fields then describe the host side only */
} pod_cfg;

typedef struct service_cfg {
    char name[CFG_NAME_MAX];
    int replicas;
    balancer_kind balancer;
    pod_cfg pod;
} service_cfg;

/* A HorizontalPodAutoscaler (autoscaling/v2) acting on the service, and the controller-manager
 * that runs it. The spec is as the API server hands it to the controller (defaults applied:
 * minReplicas 1, an empty metric list -> cpu Utilization 80); every string and array inside
 * `spec` (metrics, their names, behavior policies) is owned by the scenario_cfg. */
typedef struct hpa_cfg {
    int present;             /* 0: no HPA, the replica count stays as the service says */
    char name[CFG_NAME_MAX]; /* metadata.name, for events and describe */
    char namespace_name[CFG_NAME_MAX];
    char *manifest_path; /* the YAML/JSON manifest it came from, NULL when inline */
    hpa_spec spec;
    hpa_metric_spec *metrics; /* = spec.metrics, owned */
    hpa_config controller;    /* --horizontal-pod-autoscaler-* flags (hpa_config_default) */
    int64_t sync_period_us;   /* --horizontal-pod-autoscaler-sync-period, default 15 s */
    int64_t sync_phase_us;    /* first sync at this offset into the run, default 0 */
} hpa_cfg;

/* The stages a new pod goes through (service.pod.lifecycle), each with its own delay. Pending:
 * scheduling (with node capacity pods beyond it stay Pending, as without a cluster autoscaler),
 * then the image pull (cold on a node that never ran the image, cached after), still Pending;
 * container start makes it Running (Ready=False); the model loads; the readiness probe
 * (initialDelaySeconds, periodSeconds, successThreshold) makes it Ready. Deleted pods leave the
 * Service at once and drain for up to termination_grace_us. Defaults: docs/model.md. */
typedef struct lifecycle_cfg {
    dist_cfg schedule_us;           /* creation -> bound to a node */
    dist_cfg pull_cold_us;          /* image pull on a node without the image */
    dist_cfg pull_cached_us;        /* on a node that has it (imagePullPolicy IfNotPresent) */
    dist_cfg start_us;              /* container create and start -> Running */
    dist_cfg model_load_us;         /* Running -> the server would pass its readiness probe */
    int64_t probe_initial_delay_us; /* readinessProbe.initialDelaySeconds, default 0 */
    int64_t probe_period_us;        /* periodSeconds, default 10 s */
    int probe_success_threshold;    /* successThreshold, default 1 */
    int64_t termination_grace_us;   /* terminationGracePeriodSeconds, default 30 s */
    int nodes;                      /* 0: unlimited capacity and the image cached everywhere */
    int pods_per_node; /* how many of these pods fit on a node (e.g. GPUs per node), >= 1 */
} lifecycle_cfg;

/* A metric delivered through Prometheus (exporter -> scrape -> adapter query), for a Pods,
 * Object or External metric of the HPA; `name` is the metric name the HPA spec uses. */
typedef enum {
    SERIES_BUSY_PCT, /* per pod: CPU used / CPU limit (request without a limit), percent,
                        averaged over the exporter interval (stand-in for GPU SM utilisation) */
    SERIES_INFLIGHT, /* per pod: requests in flight (gauge) */
    SERIES_REQUESTS, /* requests arrived at the service (counter; the adapter takes its rate) */
    SERIES_QUEUE,    /* requests waiting in the service's queues (gauge) */
    /* LLM pods (sim/model/gpu_metrics.h, llm.h); averages over the exporter interval: */
    SERIES_GPU_UTIL,        /* DCGM_FI_DEV_GPU_UTIL, percent */
    SERIES_SM_ACTIVE,       /* DCGM_FI_PROF_SM_ACTIVE, 0..1 */
    SERIES_SM_OCCUPANCY,    /* DCGM_FI_PROF_SM_OCCUPANCY, 0..1 */
    SERIES_PROCESS_SM_UTIL, /* ACK DCGM_CUSTOM_PROCESS_SM_UTIL, percent */
    SERIES_LLM_RUNNING,     /* vllm:num_requests_running (gauge) */
    SERIES_LLM_WAITING,     /* vllm:num_requests_waiting (gauge) */
} series_source;

typedef struct prom_metric_cfg {
    char name[CFG_NAME_MAX];
    series_source source;
    int64_t exporter_interval_us; /* the exporter refreshes its value (dcgm-exporter 30 s) */
    int64_t scrape_interval_us;   /* Prometheus scrape (15 s) */
    int64_t query_window_us;      /* 0: instant query; else avg_over_time / rate over it */
    int64_t relist_us;            /* adapter discovery of new series (1 m Helm), 0: at once */
} prom_metric_cfg;

/* The metric pipelines (top-level "metrics"). Defaults: docs/model.md. */
typedef struct metrics_cfg {
    int64_t housekeeping_us; /* cAdvisor housekeeping base: gap = base * (1 + U[0,1)), 10 s */
    int64_t resolution_us;   /* metrics-server --metric-resolution, 15 s */
    prom_metric_cfg *prom;   /* owned */
    size_t n_prom;
} metrics_cfg;
/* The "expect" section: assertions `scalesim check` evaluates on a run's output files
 * (sim/output/check.h says exactly how each is computed; docs/check.md has an example of
 * each). Times are simulated microseconds from the run's start. */
typedef enum {
    EXPECT_REPLICAS_AT,        /* replicas == value at at_us */
    EXPECT_REPLICAS_AT_MOST,   /* replicas <= value over [from_us, to_us) */
    EXPECT_REPLICAS_AT_LEAST,  /* replicas >= value over [from_us, to_us) */
    EXPECT_SCALE_UP_WITHIN,    /* first scale-up at or after at_us comes within hi_us */
    EXPECT_BACK_TO_MIN,        /* replicas back to `value` (and staying) lo_us..hi_us after at_us */
    EXPECT_RESCALES_AT_MOST,   /* rescale events <= value */
    EXPECT_LATENCY_AT_MOST,    /* latency percentile <= value ms (whole run, or every window) */
    EXPECT_SLO_AT_LEAST,       /* SLO attainment >= value percent */
    EXPECT_ERROR_RATE_AT_MOST, /* failed / (completed + failed) <= value percent */
    EXPECT_POD_HOURS_AT_MOST,  /* summary.json pods.pod_hours <= value */
    EXPECT_GPU_HOURS_AT_MOST,  /* summary.json gpu_hours (or pods.gpu_hours) <= value */
    EXPECT_GOLDEN,             /* timeline equals a golden timeline within tolerances */
} expect_kind;

/* A golden-timeline tolerance for one column ("*": every other column): |a - b| <= abs, or
 * |a - b| <= rel_pct% of |golden| when rel_pct >= 0 was given as "N%". */
typedef struct expect_tolerance {
    char column[CFG_NAME_MAX];
    double abs;
    double rel_pct; /* < 0: absolute */
} expect_tolerance;

typedef struct expect_assert {
    expect_kind kind;
    char name[128];    /* for messages and JUnit; given, or generated from the kind */
    int line;          /* line in the scenario file, for messages */
    double value;      /* replicas, events, ms, percent or hours, as the kind says */
    int64_t at_us;     /* REPLICAS_AT: when; SCALE_UP/BACK_TO_MIN: the load step or end */
    int64_t from_us;   /* time range, [from_us, to_us) */
    int64_t to_us;     /* INT64_MAX: to the end of the run */
    int64_t lo_us;     /* BACK_TO_MIN: earliest allowed */
    int64_t hi_us;     /* SCALE_UP: at most; BACK_TO_MIN: latest allowed */
    double percentile; /* LATENCY, SLO: 50, 90, 95, 99 or 99.9 */
    int64_t window_us; /* LATENCY: 0 = whole run from summary.json; else per window */
    double slo_ms;     /* SLO: the latency objective */
    char *golden_path; /* GOLDEN: resolved against the scenario's folder, owned */
    expect_tolerance *tolerances; /* GOLDEN, owned */
    size_t n_tolerances;
} expect_assert;

typedef struct expect_cfg {
    expect_assert *asserts; /* owned */
    size_t n;
} expect_cfg;

/* An ACK CronHorizontalPodAutoscaler (autoscaling.alibabacloud.com/v1beta1) and its controller
 * (top-level "cronhpa", "cronhpa_controller"; sim/scenario/cronhpa_section.c). Strings owned. */
typedef struct cronhpa_job_cfg {
    char name[CFG_NAME_MAX];
    char *schedule; /* as written; parsed by the model (a bad one makes the job Failed) */
    int32_t target_size;
    int run_once;
} cronhpa_job_cfg;

typedef struct cronhpa_cfg {
    int present;
    char name[CFG_NAME_MAX];
    char namespace_name[CFG_NAME_MAX];
    char *manifest_path;
    char target_api_version[CFG_NAME_MAX];
    char target_kind[CFG_NAME_MAX]; /* "Deployment", "HorizontalPodAutoscaler", ... */
    char target_name[CFG_NAME_MAX];
    cronhpa_job_cfg *jobs;
    size_t n_jobs;
    char **exclude_dates;
    size_t n_exclude_dates;
    char tz[CFG_NAME_MAX]; /* the controller's TZ env, default Asia/Shanghai (upstream's chart) */
} cronhpa_cfg;

/* KEDA's cron triggers (top-level "keda": a ScaledObject, keda.sh/v1alpha1). The scenario's
 * "hpa" stands for the HPA KEDA creates (its other triggers' metrics); each cron trigger is
 * appended to it as an External metric (AverageValue 1) that KEDA's metrics server answers. */
typedef struct keda_cron_cfg {
    char timezone[CFG_NAME_MAX];
    char *start, *end; /* 5-field standard cron lines */
    int32_t desired_replicas;
    int metric; /* index of its External metric in hpa.spec.metrics */
} keda_cron_cfg;

typedef struct keda_cfg {
    int present;
    char name[CFG_NAME_MAX]; /* the ScaledObject's metadata.name */
    keda_cron_cfg *crons;
    size_t n_crons;
} keda_cfg;

typedef struct scenario_cfg {
    char *path; /* file it was read from */
    char *name;
    char *comment;
    uint64_t seed;
    int64_t duration_us; /* simulated horizon */
    service_cfg service;
    load_cfg *loads;
    size_t n_loads;
    hpa_cfg hpa;
    metrics_cfg metrics; /* zero: the defaults (metrics_cfg_defaults in pipeline.h) */
    expect_cfg expect;   /* "expect": what `scalesim check` asserts */
    cronhpa_cfg cronhpa;
    /* The simulated wall clock: t = 0 is this instant (top-level "start", RFC 3339; default
     * 2024-01-01T00:00:00 in the CronHPA controller's zone, UTC without a CronHPA). */
    int64_t start_unix_us;
    int has_start;
    keda_cfg keda;
} scenario_cfg;

#endif
