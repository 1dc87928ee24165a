#!/usr/bin/env bash
# scalesim run with a CronHPA, end to end: the seed's qwen-cronhpa (events.log lines at 10:30:00
# and 12:00:00 Shanghai, the replica column following, summary.json's fires, byte-identical
# reruns), cronhpa-hpa's quirk warnings in the summary and summary.json, the {"manifest": FILE}
# form reading a YAML CronHPA, and an error pointing into that manifest.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

set +e
out=$("$SCALESIM" run "$SRC/scenarios/qwen-cronhpa.json" -o "$tmp/a" 2>&1); rc=$?
set -e
[[ $rc -eq 0 ]] || fail "qwen-cronhpa run: rc=$rc $out"
grep -q "events.log" <<<"$out" || fail "events.log not named: $out"
grep -qE '^t=10h30m +2024-05-13T10:30:00\+08:00 +Normal +Succeed .*cron hpa job scale-up executed successfully\. current replicas:1, desired replicas:2\.$' "$tmp/a/events.log" \
    || fail "no 10:30 event: $(cat "$tmp/a/events.log")"
grep -qE '^t=12h +2024-05-13T12:00:00\+08:00 +Normal +Succeed .*scale-down executed successfully\. current replicas:2, desired replicas:1\.$' "$tmp/a/events.log" \
    || fail "no 12:00 event"
[[ $(grep -c "cron-horizontal-pod-autoscaler" "$tmp/a/events.log") -eq 2 ]] || fail "not exactly two fires"
grep -q "controller TZ Asia/Shanghai" <<<"$out" || fail "summary lacks the zone: $out"
# desired_replicas column (17th... found by name): 1 before 10:30, 2 in the window, 1 after
c=$(head -1 "$tmp/a/timeline.csv" | tr ',' '\n' | grep -nx desired_replicas | cut -d: -f1)
[[ -n "$c" ]] || fail "no desired_replicas column"
v() { awk -F, -v t="$1" -v c="$c" '$1==t {print $c}' "$tmp/a/timeline.csv"; }
[[ $(v 37798) == 1 && $(v 37800) == 2 && $(v 43198) == 2 && $(v 43200) == 1 ]] \
    || fail "replicas do not follow: $(v 37798) $(v 37800) $(v 43198) $(v 43200)"
grep -qE '"wall":[[:space:]]+"2024-05-13T10:30:00\+08:00"' "$tmp/a/summary.json" || fail "summary.json fires"
"$SCALESIM" run "$SRC/scenarios/qwen-cronhpa.json" -o "$tmp/b" >/dev/null 2>&1
for f in timeline.csv events.log summary.json; do
    cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between identical runs"
done

out=$("$SCALESIM" run "$SRC/scenarios/cronhpa-hpa.json" -o "$tmp/h" 2>&1) || fail "cronhpa-hpa: $out"
grep -q "warning: cronhpa (t=10h30m): job scale-up at 2024-05-13T10:30:00+08:00 raised HPA qwen-hpa maxReplicas from 2 to 3" <<<"$out" \
    || fail "no maxReplicas warning: $out"
grep -q 'warning: cronhpa (t=24h30m): job night-once at 2024-05-14T00:30:00+08:00 skipped by excludeDates' <<<"$out" \
    || fail "no excludeDates warning"
grep -q "Max replicas: *3" <<<"$out" || fail "describe hpa does not show the raised max"
grep -qE '"warnings":[[:space:]]+\[' "$tmp/h/summary.json" || fail "summary.json has no warnings"
grep -q 'raised HPA qwen-hpa maxReplicas' "$tmp/h/summary.json" || fail "summary.json warning text"

# the manifest form, YAML as kubectl apply would take it
cat >"$tmp/cronhpa.yaml" <<'YAML'
apiVersion: autoscaling.alibabacloud.com/v1beta1
kind: CronHorizontalPodAutoscaler
metadata:
  name: web-cron
spec:
   scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: web
   jobs:
   - name: "scale-up"
     schedule: "0 30 10 * * *"
     targetSize: 2
YAML
cat >"$tmp/s.json" <<'JSON'
{"duration": "12h", "start": "2024-05-13T00:00:00+08:00",
 "service": {"name": "web", "pod": {"demand": "10ms"}},
 "load": [{"type": "poisson", "rate": 0.1}],
 "cronhpa": {"manifest": "cronhpa.yaml"}}
JSON
out=$("$SCALESIM" run "$tmp/s.json" -o "$tmp/m" 2>&1) || fail "manifest run: $out"
grep -qE '^t=10h30m +2024-05-13T10:30:00\+08:00 .*scale-up' "$tmp/m/events.log" || fail "manifest fire"
sed -i 's/targetSize: 2/targetSize: two/' "$tmp/cronhpa.yaml"
set +e
out=$("$SCALESIM" run "$tmp/s.json" -o "$tmp/m" 2>&1); rc=$?
set -e
[[ $rc -ne 0 ]] || fail "bad manifest accepted"
grep -q "cronhpa.yaml:13:[0-9]*: spec.jobs\[0\].targetSize" <<<"$out" || fail "manifest error position: $out"
echo PASS
