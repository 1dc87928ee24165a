#!/usr/bin/env bash
# scalesim replay --set: counterfactual runs of a recording's offered load. The recording is a
# simulated one (sklearn-iris, 3 minutes). With the scenario's own value (target 10%) the two
# runs are identical (common random numbers): every change is 0. A higher target (15%) gives
# fewer pod-hours and a higher p95, and the counterfactual run is exactly a direct `scalesim
# run` of the edited scenario with the recorded load (built here independently with python
# and awk): same summary.json, byte for byte, and the same figures in diff.json. The recording in
# loadgen's trace format gives the same runs. Bad edits exit 2 with tune's or the loader's
# message.
set -euo pipefail
. "$SRC/tests/cli/lib/json_check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sc="$SRC/scenarios/sklearn-iris.json"
path='hpa.spec.metrics[0].resource.target.averageUtilization'

"$SCALESIM" run "$sc" -o "$tmp/run" --duration 3m -q
rec="$tmp/run/timeline.csv"

# the same value: zero difference
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=10" -o "$tmp/same")
echo "$out"
[[ $out == *"counterfactual: $path=10 (the recorded offered load, 180 s, uniform arrivals; same seed)"* ]] ||
    fail "header: $out"
jcheck 'all(v in (0, None) for v in j[0]["change"].values())' "$tmp/same/diff.json" ||
    fail "same value, nonzero change: $(jshow 'j[0]["change"]' "$tmp/same/diff.json")"
cmp -s "$tmp/same/baseline/summary.json" "$tmp/same/counterfactual/summary.json" ||
    fail "same value, different summaries"
cmp -s "$tmp/same/baseline/timeline.csv" "$tmp/same/counterfactual/timeline.csv" ||
    fail "same value, different timelines"
# the recording's own pod-seconds (its pod_seconds column) and load
jcheck 'j[0]["recorded"]["requests"] == j[0]["baseline"]["requests"] and j[0]["recorded"]["seconds"] == 180' \
    "$tmp/same/diff.json" || fail "recorded figures: $(jshow 'j[0]["recorded"]' "$tmp/same/diff.json")"

# a higher target: fewer pod-hours, higher latency
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=15" -o "$tmp/up")
echo "$out"
c='j[0]["change"]'
jcheck "$c['pod_hours'] < 0 and $c['latency_p95_ms'] > 0 and $c['pods_mean'] < 0" "$tmp/up/diff.json" ||
    fail "direction: $(jshow "$c" "$tmp/up/diff.json")"
[[ $out == *"pod-hours "* && $out == *"latency p95 ms"* && $out == *"per-second p95 ms *"* ]] || fail "table: $out"
# the recording's per-second latency is there to compare with the baseline's
jcheck 'j[0]["recorded"]["latency_per_second_p95_ms"] > 0 and j[0]["baseline"]["latency_per_second_p95_ms"] > 0
        and j[0]["recorded"]["latency_p95_ms"] is None' "$tmp/up/diff.json" || fail "per-second latency"

# deterministic: the same command gives the same files
"$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=15" -o "$tmp/up2" > /dev/null
for f in diff.json counterfactual/timeline.csv baseline/summary.json offered.csv; do
    cmp "$tmp/up/$f" "$tmp/up2/$f" || fail "$f differs between two runs"
done
# the scenarios name the trace by its absolute path, which is the only difference
sed "s|$tmp/up2/|$tmp/up/|" "$tmp/up2/counterfactual.json" | cmp - "$tmp/up/counterfactual.json" ||
    fail "counterfactual.json differs beyond the trace path"

# the same run made directly: the recorded offered column as a trace, the edited scenario
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "offered") c = i; print "t_s,rps"; next }
         { print $1 "," $c }' "$rec" > "$tmp/trace.csv"
python3 - "$sc" "$tmp/trace.csv" > "$tmp/edited.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
del s["expect"]
s["load"] = [{"type": "uniform", "trace": {"file": sys.argv[2], "interpolation": "step"}}]
s["duration"] = 180
s["hpa"]["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] = 15
json.dump(s, sys.stdout, indent=1)
PY
"$SCALESIM" run "$tmp/edited.json" -o "$tmp/direct" -q
cmp "$tmp/direct/summary.json" "$tmp/up/counterfactual/summary.json" || fail "direct run differs"
cmp "$tmp/direct/timeline.csv" "$tmp/up/counterfactual/timeline.csv" || fail "direct timeline differs"
jcheck 'j[0]["counterfactual"]["pod_hours"] == j[1]["pods"]["pod_hours"] and
        j[0]["counterfactual"]["latency_p95_ms"] == j[1]["latency_ms"]["p95"] and
        j[0]["counterfactual"]["errors"] == j[1]["requests"]["failed"]' \
    "$tmp/up/diff.json" "$tmp/direct/summary.json" ||
    fail "diff.json figures are not the direct run's"

# the same recording in loadgen --watch-hpa's format (rps = sent; the HPA's cells every 5 s):
# the same offered load, so the same runs
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
                            print "t_s,rps,sent,completed,failed,p50_ms,p90_ms,p99_ms,hpa_desired,hpa_current,hpa_metrics"; next }
    { h = ($1 % 5 == 0); print $1, $c["offered"], $c["offered"], $c["completed"], $c["failed"],
      $c["latency_p50_ms"], $c["latency_p95_ms"], $c["latency_p99_ms"],
      h ? $c["desired_replicas"] : "", h ? $c["current_replicas"] : "", h ? "cpu=" $c["cpu_pct_seen"] "%" : "" }' \
    "$rec" > "$tmp/loadgen.csv"
"$SCALESIM" replay "$tmp/loadgen.csv" --scenario "$sc" --set "$path=15" -o "$tmp/lg" > /dev/null
cmp "$tmp/lg/counterfactual/summary.json" "$tmp/up/counterfactual/summary.json" || fail "loadgen-format run differs"
# (loadgen records p90, not p95; its pod count holds between looks)
r='j[0]["recorded"]'
jcheck "$r['latency_per_second_p95_ms'] is None and $r['latency_per_second_p99_ms'] is not None and
        $r['pods_max'] == 10 and $r['requests'] == j[0]['baseline']['requests']" "$tmp/lg/diff.json" ||
    fail "loadgen-format recorded figures: $(jshow "$r" "$tmp/lg/diff.json")"

# a GPU service (qwen): cost in GPU-hours, as tune counts it; at most 1 pod costs less
"$SCALESIM" run "$SRC/scenarios/qwen.json" -o "$tmp/qwen" -q
out=$("$SCALESIM" replay "$tmp/qwen/timeline.csv" --scenario "$SRC/scenarios/qwen.json" \
    --set hpa.spec.maxReplicas=1 -o "$tmp/qw")
echo "$out"
[[ $out == *"GPU-hours "* ]] || fail "GPU-hours row: $out"
jcheck 'j[0]["cost_unit"] == "gpu_hours" and j[0]["counterfactual"]["cost"] == j[1]["pods"]["gpu_hours"] and
        j[0]["counterfactual"]["pods_max"] == 1 and j[0]["change"]["cost"] < 0' \
    "$tmp/qw/diff.json" "$tmp/qw/counterfactual/summary.json" ||
    fail "GPU cost: $(jshow 'j[0]["change"]' "$tmp/qw/diff.json")"

# without -o nothing is left behind; poisson arrivals are accepted
TMPDIR="$tmp/t" && mkdir "$TMPDIR" && export TMPDIR
"$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=15" --arrivals poisson > "$tmp/p.txt"
grep -q "poisson arrivals" "$tmp/p.txt" || fail "poisson: $(cat "$tmp/p.txt")"
[[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
unset TMPDIR

set +e
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set hpa.spec.nope.x=1 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--set hpa.spec.nope.x=1: hpa.spec.nope.x: the scenario has no hpa.spec.nope"* ]] ||
    fail "bad path: rc=$rc $out"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set hpa.spec.maxReplicas=-3 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--set hpa.spec.maxReplicas=-3"* && $out == *"hpa.spec.maxReplicas"* ]] ||
    fail "bad value: rc=$rc $out"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set hpa.spec.maxReplicas=many 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"replay: --set: parameter \"hpa.spec.maxReplicas=many\": value 1 is not a number"* ]] || fail "not a number: rc=$rc $out"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set hpa.spec.maxReplicas=3,4 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"one value, not a list or a range"* ]] || fail "list: rc=$rc $out"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set hpa.metadata.name=3 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--set hpa.metadata.name=3: "*"hpa.metadata.name: expected a string, got the number 3"* ]] ||
    fail "non-number: rc=$rc $out"
# a quantity takes a number in its base unit (cores): half a core per pod (at maxReplicas already), slower
"$SCALESIM" replay "$rec" --scenario "$sc" --set service.pod.cpu_request=0.5 --set service.pod.cpu_limit=0.5 \
    -o "$tmp/half" > /dev/null
jcheck 'j[0]["change"]["latency_p95_ms"] > 0 and j[0]["change"]["errors"] > 0' "$tmp/half/diff.json" ||
    fail "half-core pods: $(jshow 'j[0]["change"]' "$tmp/half/diff.json")"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" -o "$tmp/x" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"-o is for the counterfactual runs"* ]] || fail "-o alone: rc=$rc $out"
out=$("$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=15" --arrivals bursty 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--arrivals: expected uniform or poisson"* ]] || fail "arrivals: rc=$rc $out"
cut -d, -f1,16- "$rec" > "$tmp/nooffered.csv"
out=$("$SCALESIM" replay "$tmp/nooffered.csv" --scenario "$sc" --set "$path=15" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--set needs the recording's offered load"* ]] || fail "no offered: rc=$rc $out"
exit 0
