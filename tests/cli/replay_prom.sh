#!/usr/bin/env bash
# scalesim replay --prom: Prometheus query_range responses as the recording. The files are
# hand-made here (python) FROM A SIMULATED RUN (sklearn-iris, 3 minutes), not taken from a live
# Prometheus: one file with several series mapped by their kube-state-metrics names (desired,
# current, spec min/max replicas, the Deployment's ready and total replicas), the HPA's cpu
# metric and the offered rate each in a file of its own (--prom COLUMN=FILE; NaN where the run
# had no value: its first two seconds, blanked here). Sample times are the scenario's start +
# the second each row was seen. The replay gives the same syncs as the CSV path, and --set the
# same runs. Bad files exit 2 with file, JSON path and what was expected.
set -euo pipefail
. "$SRC/tests/cli/lib/json_check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
python3 - "$SRC/scenarios/sklearn-iris.json" > "$tmp/sc.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["start"] = "2024-01-01T00:00:00Z"
json.dump(s, sys.stdout, indent=1)
PY
sc="$tmp/sc.json"
path='hpa.spec.metrics[0].resource.target.averageUtilization'

"$SCALESIM" run "$sc" -o "$tmp/run" --duration 3m -q
# no cpu value in the first two seconds (as before a first scrape): empty cells, "NaN" samples
col=$(head -1 "$tmp/run/timeline.csv" | tr ',' '\n' | grep -n '^cpu_pct_seen$' | cut -d: -f1)
awk -F, -v OFS=, -v c="$col" 'NR > 1 && $1 < 2 { $c = "" } { print }' "$tmp/run/timeline.csv" > "$tmp/rec.csv"
rec="$tmp/rec.csv"
# the query_range files: values [start + time_s + 1, "value"] (the row labelled t is seen at t + 1)
python3 - "$rec" "$tmp" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
start = 1704067200  # 2024-01-01T00:00:00Z

def series(name, col, const=None):
    metric = {"namespace": "default"}
    if name:
        metric["__name__"] = name
    vals = [[start + int(r["time_s"]) + 1,
             const if const else (r[col] if r[col] != "" else "NaN")] for r in rows]
    return {"metric": metric, "values": vals}

def qr(results, file):
    json.dump({"status": "success", "data": {"resultType": "matrix", "result": results}},
              open(sys.argv[2] + "/" + file, "w"), indent=1)

qr([series("kube_horizontalpodautoscaler_status_desired_replicas", "desired_replicas"),
    series("kube_horizontalpodautoscaler_status_current_replicas", "current_replicas"),
    series("kube_deployment_status_replicas_ready", "pods_ready"),
    series("kube_deployment_status_replicas", "pods_total"),
    series("kube_horizontalpodautoscaler_spec_min_replicas", None, "1"),
    series("kube_horizontalpodautoscaler_spec_max_replicas", None, "10")], "ksm.json")
qr([series(None, "cpu_pct_seen")], "cpu.json")
qr([series(None, "offered")], "offered.json")
PY
[[ $(grep -c '"NaN"' "$tmp/cpu.json") -eq 2 ]] || fail "the cpu series should start with 2 NaN"

csv=$("$SCALESIM" replay "$rec" --scenario "$sc" --syncs "$tmp/csv-syncs.csv")
prom=$("$SCALESIM" replay --prom "$tmp/ksm.json" --prom cpu="$tmp/cpu.json" \
    --prom offered="$tmp/offered.json" --scenario "$sc" --syncs "$tmp/prom-syncs.csv" --strict)
echo "$prom"
[[ $prom == "$csv" ]] || fail "prom: $prom; csv: $csv"
[[ $prom == *"12 agree: 100.0%"* ]] || fail "agreement: $prom"
cmp "$tmp/csv-syncs.csv" "$tmp/prom-syncs.csv" || fail "syncs differ"

# the counterfactual from the Prometheus offered rate: the same runs as from the CSV
"$SCALESIM" replay "$rec" --scenario "$sc" --set "$path=15" -o "$tmp/wc" > /dev/null
"$SCALESIM" replay --prom "$tmp/ksm.json" --prom cpu="$tmp/cpu.json" --prom offered="$tmp/offered.json" \
    --scenario "$sc" --set "$path=15" -o "$tmp/wp" > /dev/null
cmp "$tmp/wc/counterfactual/summary.json" "$tmp/wp/counterfactual/summary.json" || fail "--set runs differ"
jcheck 'j[0]["recorded"]["pods_max"] == 10 and j[0]["recorded"]["requests"] > 0' "$tmp/wp/diff.json" ||
    fail "recorded figures from prom: $(jshow 'j[0]["recorded"]' "$tmp/wp/diff.json")"

set +e
out=$("$SCALESIM" replay "$rec" --prom "$tmp/ksm.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"give one or the other"* ]] || fail "both: rc=$rc $out"
printf '{"status": "success", "data": ' > "$tmp/cut.json"
out=$("$SCALESIM" replay --prom "$tmp/cut.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"cut.json: not JSON (near byte"* ]] || fail "not JSON: rc=$rc $out"
out=$("$SCALESIM" replay --prom "$tmp/ksm.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"no series for the HPA's metric cpu: give --prom cpu=FILE"* ]] || fail "no cpu: rc=$rc $out"
out=$("$SCALESIM" replay --prom "$tmp/cpu.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"cpu.json: data.result[0].metric.__name__: expected a series name to map by, got nothing; give --prom COLUMN="* ]] ||
    fail "unnamed: rc=$rc $out"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); d["data"]["result"][0]["values"][3][1] = "1.5"
json.dump(d, open(sys.argv[2], "w"))' "$tmp/ksm.json" "$tmp/frac.json"
out=$("$SCALESIM" replay --prom "$tmp/frac.json" --prom cpu="$tmp/cpu.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"frac.json: data.result[0].values[3][1]: expected a whole replica count, got \"1.5\""* ]] ||
    fail "fraction: rc=$rc $out"
out=$("$SCALESIM" replay --prom cpu="$tmp/nope.json" --scenario "$sc" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"nope.json: No such file"* ]] || fail "missing: rc=$rc $out"
exit 0
