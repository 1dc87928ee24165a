#!/usr/bin/env bash
# scalesim run with an HPA, end to end from the scenario files: the seed's sklearn-iris
# (1 -> 10 -> 1, the last step only after the 5-minute stabilisation) and qwen (1 -> 2 -> 1)
# HPAs; events.log in kubectl's form, timeline columns, the describe block, byte-identical
# reruns.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

set +e
out=$("$SCALESIM" run "$SRC/scenarios/qwen.json" -o "$tmp/q" 2>&1); rc=$?
set -e
[[ $rc -eq 0 ]] || fail "qwen run: rc=$rc $out"

# column of a timeline header name
col() { head -1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }

check_cycle() { # dir max_expected
    local tl=$1/timeline.csv d
    d=$(col "$tl" desired_replicas)
    [[ -n $d ]] || fail "$tl: no desired_replicas column"
    local max last
    max=$(awk -F, -v c="$d" 'NR>1 && $c>m {m=$c} END {print m}' "$tl")
    last=$(tail -1 "$tl" | cut -d, -f"$d")
    [[ $max -eq $2 ]] || fail "$tl: max desired $max, expected $2"
    [[ $last -eq 1 ]] || fail "$tl: desired at the end $last, expected 1"
}

check_cycle "$tmp/q" 2
grep -q 'SuccessfulRescale  .*horizontal-pod-autoscaler  New size: 2; reason: pods metric DCGM_CUSTOM_PROCESS_SM_UTIL above target$' "$tmp/q/events.log" \
    || fail "qwen scale-up event missing: $(cat "$tmp/q/events.log")"
grep -q 'New size: 1; reason: All metrics below target$' "$tmp/q/events.log" || fail "qwen scale-down event missing"
grep -q '^  "DCGM_CUSTOM_PROCESS_SM_UTIL" on pods:' <<<"$out" || fail "qwen describe: no Pods metric line"
head -1 "$tmp/q/timeline.csv" | grep -q 'DCGM_CUSTOM_PROCESS_SM_UTIL_true,DCGM_CUSTOM_PROCESS_SM_UTIL_seen,tokens_per_s,gpu_util_pct,sm_active,batch$' \
    || fail "qwen timeline: metric columns missing"

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/a" > "$tmp/a.txt"
check_cycle "$tmp/a" 10
head -2 "$tmp/a/events.log" | grep -q '^TIME  *TYPE    REASON             AGE    FROM                       MESSAGE$' \
    || fail "events.log header: $(head -2 "$tmp/a/events.log")"
grep -q 'Normal  SuccessfulRescale  .*New size: 10; reason: cpu resource utilization (percentage of request) above target$' "$tmp/a/events.log" \
    || fail "sklearn scale-up to 10 missing"
grep -q '^--- kubectl describe hpa' "$tmp/a.txt" || fail "no describe block"
grep -q '^  resource cpu on pods  (as a percentage of request):  ' "$tmp/a.txt" || fail "describe metric line"
grep -q '^Deployment pods: *1 current / 1 desired$' "$tmp/a.txt" || fail "describe pods line"
grep -q '^  ScalingActive   True    ValidMetricFound' "$tmp/a.txt" || fail "describe conditions"

# back to 1 no earlier than 300 s after the last scale-up
up=$(grep 'above target' "$tmp/a/events.log" | tail -1 | sed 's/^t=\([^ ]*\).*/\1/')
down=$(grep 'New size: 1;' "$tmp/a/events.log" | tail -1 | sed 's/^t=\([^ ]*\).*/\1/')
secs() { local s=$1 t=0; [[ $s =~ ([0-9]+)m ]] && t=$((t + 60 * ${BASH_REMATCH[1]})); [[ $s =~ ([0-9.]+)s ]] && t=$((t + ${BASH_REMATCH[1]%.*})); echo $t; }
(( $(secs "$down") - $(secs "$up") >= 300 )) || fail "scale-down at $down only $(( $(secs "$down") - $(secs "$up") )) s after the last scale-up at $up"

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/b" -q
for f in timeline.csv events.log summary.json; do
    cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between identical runs"
done
echo ok
