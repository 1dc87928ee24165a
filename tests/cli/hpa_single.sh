#!/usr/bin/env bash
# hpa_single.sh: `scalesim hpa CASE.json` explains one decision readably (per-metric proposals,
# stabilised and limited values, conditions, event) and says PASS against its expect.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The seed's GPU HPA at rest: one pod at SM utilization 0 against a target of 50 on 1..2.
cat >"$dir/case.json" <<'JSON'
{"id": 1, "name": "seed qwen-hpa at rest", "kind": "controller",
 "input": {"config": {"tolerance": 0.1, "scale_up_limit_factor": 2.0},
   "hpa": {"min_replicas": 1, "max_replicas": 2, "behavior": null,
     "metrics": [{"type": "Pods", "pods": {"metric": "DCGM_CUSTOM_PROCESS_SM_UTIL",
       "target": {"type": "AverageValue", "average_value_milli": 50000}}}],
     "status": {"current_replicas": 1, "desired_replicas": 1}},
   "scale": {"spec_replicas": 1, "status_replicas": 1},
   "recommendations": [{"replicas": 0, "age_s": 15}], "scale_up_events": [], "scale_down_events": [],
   "pods": [{"name": "qwen-0", "phase": "Running", "ready": "True", "ready_last_transition_s": -900,
     "start_time_s": -1000, "deleted": false, "containers": [{"name": "kserve-container", "request_milli": 4000}]}],
   "pod_metric_values": [{"pod": "qwen-0", "value_milli": 0}]},
 "expect": {"desired_replicas": 1, "scale_updated": false,
   "conditions": {"AbleToScale": ["True", "ReadyForNewScale"], "ScalingActive": ["True", "ValidMetricFound"],
                  "ScalingLimited": ["True", "TooFewReplicas"]}}}
JSON
out=$("$SCALESIM" hpa "$dir/case.json")
for want in \
    "metric 0: pods metric DCGM_CUSTOM_PROCESS_SM_UTIL -> 0 replicas" \
    "stabilized: 0 (ReadyForNewScale)" \
    "limited: 1 (TooFewReplicas: the desired replica count is less than the minimum replica count)" \
    "ScalingLimited True  TooFewReplicas" \
    "scale written: no" \
    "PASS"; do
    if ! grep -qF -- "$want" <<<"$out"; then
        echo "FAIL: missing '$want' in:"
        echo "$out"
        exit 1
    fi
done
# A wrong expectation makes the command fail with exit 1 (and FAIL), not pass silently.
sed 's/"desired_replicas": 1, "scale_updated"/"desired_replicas": 2, "scale_updated"/' \
    "$dir/case.json" >"$dir/wrong.json"
rc=0
out=$("$SCALESIM" hpa "$dir/wrong.json") || rc=$?
[ "$rc" -eq 1 ] && grep -q '^FAIL$' <<<"$out" || { echo "FAIL: wrong expect gave rc=$rc"; exit 1; }
echo ok
