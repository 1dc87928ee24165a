#!/usr/bin/env bash
# hpa_errors.sh: bad case files exit 2 with a message naming the file, the case id, the JSON
# path and what was expected; a failing case exits 1 with "N passed, M failed".
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

expect_error() { # file, expected substring
    local rc=0 err
    err=$("$SCALESIM" hpa --cases "$1" 2>&1 >/dev/null) || rc=$?
    if [ "$rc" -ne 2 ] || ! grep -qF -- "$2" <<<"$err"; then
        echo "FAIL: $1: rc=$rc, stderr: $err (wanted: $2)"
        exit 1
    fi
}

printf '[{"id": 7, "kind": "clamp_legacy", "input": {"current_replicas": 3}}]' >"$dir/a.json"
expect_error "$dir/a.json" "a.json: case 7: input.desired_replicas: missing (required)"

printf '[{"id": 8, "kind": "group_pods", "input": {"cpu_initialization_period_s": 1,
  "delay_of_initial_readiness_status_s": 1, "pods": [{"name": "p", "phase": "Runnin"}]}}]' >"$dir/b.json"
expect_error "$dir/b.json" 'case 8: input.pods[0].phase: expected one of "Running", "Pending", "Succeeded", "Failed", got "Runnin"'

printf '[{"id": 9, "kind": "clamp_legacy", "input": {"current_replicas": 3, "desired_replicas": 4294967296,
  "min_replicas": 1, "max_replicas": 5}}]' >"$dir/c.json"
expect_error "$dir/c.json" "case 9: input.desired_replicas: expected an int32, got 4294967296"

printf '[{"id": 10, "kind": "nope", "input": {}}]' >"$dir/d.json"
expect_error "$dir/d.json" 'case 10: kind: expected one of "replica_calc"'

printf '[{"id": 11,\n "kind": }]' >"$dir/e.json"
expect_error "$dir/e.json" "e.json:2:"

printf '{"id": 1}' >"$dir/f.json"
expect_error "$dir/f.json" "expected an array of cases"

expect_error "$dir/missing.json" "missing.json: cannot open"

# Each kind of field names what it expected and what it got.
rc13='"kind": "replica_calc", "input": {"method": "GetObjectMetricReplicas", "current_replicas": 3,
  "cpu_initialization_period_s": 120, "delay_of_initial_readiness_status_s": 10,'
printf '[{"id": 20, %s "tolerance": {"scale_down": "0.1", "scale_up": 0.1}}}]' "$rc13" >"$dir/k1.json"
expect_error "$dir/k1.json" "case 20: input.tolerance.scale_down: expected a number, got a string"
printf '[{"id": 21, %s "tolerance": [], "pods": []}}]' "$rc13" >"$dir/k2.json"
expect_error "$dir/k2.json" "case 21: input.tolerance: expected an object, got an array"
printf '[{"id": 22, %s "tolerance": {"scale_down": 0.1, "scale_up": 0.1},
  "pod_level_resources_enabled": 1}}]' "$rc13" >"$dir/k3.json"
expect_error "$dir/k3.json" "case 22: input.pod_level_resources_enabled: expected true or false, got a number"
printf '[{"id": 23, "kind": "group_pods", "input": {"cpu_initialization_period_s": 1,
  "delay_of_initial_readiness_status_s": 1, "pods": {}}}]' >"$dir/k4.json"
expect_error "$dir/k4.json" "case 23: input.pods: expected an array, got an object"
printf '[{"id": 24, "kind": "group_pods", "input": {"cpu_initialization_period_s": 1,
  "delay_of_initial_readiness_status_s": 1, "pods": [{"name": 5}]}}]' >"$dir/k5.json"
expect_error "$dir/k5.json" "case 24: input.pods[0].name: expected a string, got a number"
printf '[{"id": 25, "kind": "group_pods", "input": {"cpu_initialization_period_s": 1,
  "delay_of_initial_readiness_status_s": 1, "pods": [5]}}]' >"$dir/k6.json"
expect_error "$dir/k6.json" "case 25: input.pods[0]: expected an object"
printf '[{"id": 26, "kind": "group_pods", "input": {"cpu_initialization_period_s": 1,
  "delay_of_initial_readiness_status_s": 1, "pods": [{"name": "p", "containers": [{}, 7]}]}}]' >"$dir/k7.json"
expect_error "$dir/k7.json" "case 26: input.pods[0].containers[1]: expected an object"

printf '[{"id": 12, "kind": "controller", "input": {"hpa": {"max_replicas": 3, "metrics": [{"type": "Pods"}]},
  "scale": {"spec_replicas": 1}}}]' >"$dir/g.json"
expect_error "$dir/g.json" "case 12: input.hpa.metrics[0].pods: missing (required)"

# int64 quantities are read exactly: 2^63-2 is not rounded to 2^63 on its way in or out.
printf '[{"id": 13, "kind": "replica_calc", "input": {"method": "GetObjectMetricReplicas",
  "current_replicas": 3, "tolerance": {"scale_down": 0.1, "scale_up": 0.1},
  "cpu_initialization_period_s": 120, "delay_of_initial_readiness_status_s": 10,
  "pods": [{"name": "p", "phase": "Running", "ready": "True"}],
  "target_value_milli": 9223372036854775806, "object_value_milli": 9223372036854775806},
  "expect": {"replicas": 3, "usage_milli": 9223372036854775806}}]' >"$dir/h.json"
out=$("$SCALESIM" hpa --cases "$dir/h.json")
grep -qx '{"id": 13, "got": {"replicas": 3, "usage_milli": 9223372036854775806}}' <<<"$out" ||
    { echo "FAIL: int64 round trip: $out"; exit 1; }

# A case whose expect disagrees: exit 1 and the count says so.
sed 's/"replicas": 3, "usage_milli"/"replicas": 4, "usage_milli"/' "$dir/h.json" >"$dir/i.json"
rc=0
out=$("$SCALESIM" hpa --cases "$dir/i.json") || rc=$?
[ "$rc" -eq 1 ] && [ "$(tail -n 1 <<<"$out")" = "0 passed, 1 failed" ] ||
    { echo "FAIL: mismatch gave rc=$rc: $out"; exit 1; }
echo ok
