#!/usr/bin/env bash
# A flapping HPA caught by `scalesim check`: no downscale stabilization and load in 90-second
# waves make the HPA rescale again and again; the "no flapping" assertion fails naming the
# rescale count from events.log and the time of the first rescale over the bound, the JUnit
# file validates, and `report` warns about the flapping.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cat > "$tmp/flap.json" <<'JSON'
{
  "name": "flapping",
  "comment": "An HPA that flaps: no downscale stabilization, load alternating every 90 s.",
  "seed": 1,
  "duration": "12m",
  "service": {
    "name": "web",
    "replicas": 1,
    "pod": {"cpu_request": "1", "cpu_limit": "1",
            "demand": {"dist": "lognormal", "mean": "5ms", "cv": 0.5},
            "lifecycle": {"schedule": "0s", "image_pull": {"cold": "0s", "cached": "0s"},
                          "container_start": "2s", "model_load": "3s"}}
  },
  "hpa": {
    "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
      "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
      "minReplicas": 1, "maxReplicas": 10,
      "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                   "target": {"type": "Utilization", "averageUtilization": 50}}}],
      "behavior": {"scaleDown": {"stabilizationWindowSeconds": 0}}
    }
  },
  "load": [{"name": "waves", "type": "poisson",
            "step": [[0, 300], ["90s", 20], ["3m", 300], ["4m30s", 20], ["6m", 300],
                     ["7m30s", 20], ["9m", 300], ["10m30s", 20]]}],
  "expect": [{"rescales_at_most": 4, "name": "no flapping"}]
}
JSON
set +e
out=$("$SCALESIM" check "$tmp/flap.json" --junit "$tmp/flap.xml" -o "$tmp/runs"); rc=$?
set -e
[[ $rc -eq 1 ]] || fail "flapping HPA: check exited $rc: $out"
n=$(grep -c SuccessfulRescale "$tmp/runs/flapping/events.log")
[[ $n -gt 4 ]] || fail "the scenario did not flap ($n rescales)"
[[ $out =~ FAIL\ \ no\ flapping\ \(line\ 28\):\ $n\ rescale\ events\ \(SuccessfulRescale\ in\ events.log\),\ more\ than\ 4:\ the\ 5th\ at\ [0-9ms]+ ]] ||
  fail "message: $out"
if command -v xmllint > /dev/null; then
  xmllint --noout --schema "$SRC/tests/cli/check_junit.xsd" "$tmp/flap.xml" 2> /dev/null || fail "JUnit schema"
fi
grep -q "<failure message=\"$n rescale events" "$tmp/flap.xml" || fail "JUnit failure"
"$SCALESIM" report "$tmp/runs/flapping" -o "$tmp/r.html" -q --no-plots
grep -q "Flapping: the replica count changed direction" "$tmp/r.html" || fail "report: no flapping warning"
echo "check_flapping: all checks passed ($n rescales)"
