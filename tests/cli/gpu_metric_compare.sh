#!/usr/bin/env bash
# scripts/gpu-metric-compare end to end: three runs of scenarios/gpu-metric-compare.json (HPA on
# SM utilization, num_requests_running, num_requests_waiting), compare.md with one row each;
# SM utilization crosses its target on the base load alone (scale-up at the first syncs) and
# costs the most pod-hours; reruns are byte-identical.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$SRC/scripts/gpu-metric-compare" "$SCALESIM" "$tmp/a" > /dev/null || fail "script failed"
md=$tmp/a/compare.md
[[ $(grep -c '^| DCGM_CUSTOM_PROCESS_SM_UTIL (60) |' "$md") -eq 1 ]] || fail "no SM util row: $(cat "$md")"
[[ $(grep -c '^| vllm:num_requests_running (16) |' "$md") -eq 1 ]] || fail "no running row"
[[ $(grep -c '^| vllm:num_requests_waiting (2) |' "$md") -eq 1 ]] || fail "no waiting row"
field() { grep "^| $1 " "$md" | awk -F'|' -v c="$2" '{ gsub(/ /, "", $c); print $c }'; }
sm_up=$(field DCGM_CUSTOM_PROCESS_SM_UTIL 3)
run_up=$(field vllm:num_requests_running 3)
sm_ph=$(field DCGM_CUSTOM_PROCESS_SM_UTIL 6)
run_ph=$(field vllm:num_requests_running 6)
# the burst starts at 300 s; SM util is over 60 % on the 1 req/s base load already
[[ $sm_up -lt 120 ]] || fail "SM util first scale-up at $sm_up s, expected before the burst"
[[ $run_up -ge 300 ]] || fail "num_requests_running scaled up at $run_up s, before the burst"
awk -v a="$sm_ph" -v b="$run_ph" 'BEGIN { exit !(a > b) }' || fail "pod-hours SM $sm_ph <= running $run_ph"
"$SRC/scripts/gpu-metric-compare" "$SCALESIM" "$tmp/b" > /dev/null
cmp -s "$md" "$tmp/b/compare.md" || fail "compare.md differs between reruns"
cmp -s "$tmp/a/waiting/timeline.csv" "$tmp/b/waiting/timeline.csv" || fail "timeline differs"
echo ok
