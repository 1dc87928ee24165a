#!/usr/bin/env bash
# scalesim tune with the scenario's "tune" block, Sobol sampling and refinement: the optimum
# known by construction in tests/cli/tune_optimum.sh (250 req/s of 10 ms exponential work on
# 1-core pods, p95 <= 150 ms: 3 pods fail, 4 pass, cost linear in pods) is found from 4 Sobol
# samples of the continuous range 1..20 by the refinement, exactly (the step of an integer
# parameter is 1). `run` ignores the block; flags override it; shards + merge (which runs the
# refinement) give byte-identical files; the Pareto plot is a real PNG / SVG; the recommendation
# names the margin; a CronHPA's tuned targetSize comes back as a manifest; block errors exit 2.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
body='"seed": 7,
  "duration": "60s",
  "service": {
    "name": "svc",
    "replicas": 1,
    "balancer": "random",
    "pod": {"cpu_request": "1", "cpu_limit": "1", "demand": {"dist": "exponential", "mean": "10ms"}}
  },
  "load": [{"type": "poisson", "rate": 250}],
  "expect": [{"latency_at_most": "150ms", "percentile": 95}]'
printf '{"name": "lin", %s}\n' "$body" > "$tmp/plain.json"
cat > "$tmp/lin.json" <<JSON
{"name": "lin", $body,
  "tune": {"params": [{"path": "service.replicas", "min": 1, "max": 20}],
           "search": "sobol", "samples": 4, "refine": {"rounds": 10}, "reps": 2}}
JSON

out=$("$SCALESIM" tune "$tmp/lin.json" -o "$tmp/a" 2> "$tmp/a.err")
echo "$out"
[[ ! -s $tmp/a.err ]] || fail "stderr (gnuplot warnings?): $(cat "$tmp/a.err")"
[[ $out == *"tune: 4 Sobol configurations, then "*" refinement round"* ]] || fail "phases: $out"
[[ $out == *"recommended (config "*"): service.replicas=4"* ]] || fail "not the known optimum: $out"
[[ $out == *"margin 52.465: latency_at_most"* ]] || fail "margin: $out"
sed -n 2p "$tmp/a/tune.csv" | grep -Eq '^1,[0-9]+,4,1,0.067000,92.671,0,"",1,(sobol|refine)$' ||
    fail "rank 1: $(sed -n 2p "$tmp/a/tune.csv")"
grep -q ',sobol$' "$tmp/a/tune.csv" && grep -q ',refine$' "$tmp/a/tune.csv" || fail "phase column"
# 3 pods (the neighbour below the optimum) was tried by the refinement and fails
grep -Eq '^[0-9]+,[0-9]+,3,0,.*,refine$' "$tmp/a/tune.csv" || fail "3 pods not tried: $(cat "$tmp/a/tune.csv")"
grep -q '^| `service.replicas` | 4 |$' "$tmp/a/recommendation.md" || fail "recommendation.md values"
grep -q '^| latency_at_most "150ms" | 52.465 | p95 latency 97.5ms' "$tmp/a/recommendation.md" ||
    fail "recommendation.md margin: $(cat "$tmp/a/recommendation.md")"
grep -Eq '^Feasible: [0-9]+ of [0-9]+ configurations \(sobol 4 of 4, refine [0-9]+ of [0-9]+\)\.$' \
    "$tmp/a/recommendation.md" || fail "recommendation.md counts: $(tail -1 "$tmp/a/recommendation.md")"
[[ ! -e $tmp/a/.runs ]] || fail "run folders left behind"
if command -v gnuplot > /dev/null; then
    [[ $(head -c 8 "$tmp/a/pareto.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
        fail "pareto.png is not a PNG"
    "$SCALESIM" tune "$tmp/lin.json" -o "$tmp/svg" --svg -q
    if command -v xmllint > /dev/null; then
        xmllint --noout "$tmp/svg/pareto.svg" || fail "pareto.svg does not parse"
    fi
    grep -q '<svg' "$tmp/svg/pareto.svg" || fail "pareto.svg"
else
    echo "gnuplot not installed: plot checks skipped"
fi
# every point with its feasibility in block 0 of pareto.dat; the recommendation in block 2
[[ $(awk '/Pareto front/ {exit} NF && !/^#/ {n++} END {print n}' "$tmp/a/pareto.dat") -eq $(($(wc -l < "$tmp/a/tune.csv") - 1)) ]] ||
    fail "pareto.dat rows"
rec_row=$(awk '/# the recommended configuration/ {getline; print; exit}' "$tmp/a/pareto.dat")
[[ $rec_row == "92.671000 0.067000 1 "* ]] || fail "pareto.dat recommended row: $rec_row"
# the cheapest feasible configuration opens the feasible front: the recommendation is on it
[[ $(awk '/of the feasible configurations/ {getline; print; exit}' "$tmp/a/pareto.dat") == "$rec_row" ]] ||
    fail "feasible front does not start at the recommendation: $(cat "$tmp/a/pareto.dat")"

# run ignores the block: the same outputs as without it
"$SCALESIM" run "$tmp/lin.json" -o "$tmp/r1" -q
"$SCALESIM" run "$tmp/plain.json" -o "$tmp/r2" -q
cmp "$tmp/r1/timeline.csv" "$tmp/r2/timeline.csv" || fail "run differs with a tune block"
cmp "$tmp/r1/summary.json" "$tmp/r2/summary.json" || fail "run summary differs with a tune block"

# flags override the block: positional parameters replace its params, --search grid its search
out=$("$SCALESIM" tune "$tmp/lin.json" service.replicas=3,4 --search grid -o "$tmp/g")
[[ $out == *"2 configurations x 2 replications"* ]] || fail "override: $out"
grep -q ',grid$' "$tmp/g/tune.csv" || fail "grid phase"
out=$("$SCALESIM" tune "$tmp/lin.json" --samples 3 --refine 0 --reps 1 -o "$tmp/s3")
[[ $out == *"3 configurations x 1 replications"* && $out != *refinement* ]] || fail "--samples/--refine: $out"

# a quantity or duration string in the scenario ("1" cores, "10ms") is tuned in cores / seconds
out=$("$SCALESIM" tune "$tmp/plain.json" service.pod.cpu_limit=1,2 service.pod.demand.mean=0.005,0.01 -o "$tmp/q" 2> "$tmp/q.err")
[[ $out == *"recommended (config 2): service.pod.cpu_limit=2 service.pod.demand.mean=0.005"* ]] ||
    fail "quantity/duration parameters: $out"
[[ ! -s $tmp/q.err ]] || fail "stderr with equal costs: $(cat "$tmp/q.err")"
# --objective gpu_hours on pods without GPUs: every cost 0, so the lower p95 (6 pods) wins
"$SCALESIM" tune "$tmp/plain.json" service.replicas=5,6 --objective gpu_hours -o "$tmp/o" -q
head -1 "$tmp/o/tune.csv" | grep -q ',feasible,gpu_hours,p95_ms,' || fail "gpu_hours column"
sed -n 2p "$tmp/o/tune.csv" | grep -q '^1,1,6,1,0.000000,' || fail "tie on cost: $(cat "$tmp/o/tune.csv")"

# shards: the Sobol list is deterministic; merge runs the refinement as one process would
"$SCALESIM" tune "$tmp/lin.json" -o "$tmp/p1" --shard 1/2 -q
"$SCALESIM" tune "$tmp/lin.json" -o "$tmp/p2" --shard 2/2 -j 2 -q
"$SCALESIM" tune merge "$tmp/p2" "$tmp/p1" -o "$tmp/m" -j 2 -q
for f in tune.csv recommended.json recommendation.md pareto.dat; do
    cmp "$tmp/a/$f" "$tmp/m/$f" || fail "$f differs after merge"
done
grep -Eq '"search":[[:space:]]*"sobol"' "$tmp/p1/shard.json" || fail "shard.json search"

# a CronHPA's targetSize, tuned: the recommended CronHPA manifest, JSON and YAML
cat > "$tmp/cron.json" <<JSON
{"name": "cron",
  "seed": 7, "duration": "70s", "start": "2024-05-13T00:00:00+08:00",
  "cronhpa_controller": {"TZ": "Asia/Shanghai"},
  "service": {"name": "svc", "replicas": 1, "balancer": "random",
    "pod": {"cpu_request": "1", "cpu_limit": "1", "demand": {"dist": "exponential", "mean": "10ms"}}},
  "load": [{"type": "poisson", "rate": 250, "start": "10s"}],
  "cronhpa": {"apiVersion": "autoscaling.alibabacloud.com/v1beta1", "kind": "CronHorizontalPodAutoscaler",
    "metadata": {"name": "svc-cron"},
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "svc"},
      "jobs": [{"name": "morning", "schedule": "5 0 0 * * *", "targetSize": 1}]}},
  "expect": [{"latency_at_most": "150ms", "percentile": 95}],
  "tune": {"params": [{"path": "cronhpa.spec.jobs[0].targetSize", "min": 1, "max": 12}],
           "samples": 4, "reps": 2}}
JSON
out=$("$SCALESIM" tune "$tmp/cron.json" -o "$tmp/c")
[[ $out == *"targetSize=4"* && $out == *"recommended cronhpa:"* ]] || fail "cron: $out"
grep -q '^kind: CronHorizontalPodAutoscaler$' "$tmp/c/recommended-cronhpa.yaml" || fail "cron yaml kind"
grep -q '^    targetSize: 4$' "$tmp/c/recommended-cronhpa.yaml" || fail "cron yaml targetSize"
grep -Eq '"targetSize":[[:space:]]*4' "$tmp/c/recommended-cronhpa.json" || fail "cron json"
[[ ! -e $tmp/c/recommended-hpa.json ]] || fail "an hpa manifest without an hpa"
# the recommended scenario is a valid scenario
"$SCALESIM" run "$tmp/c/recommended.json" -o "$tmp/c/run" -q || fail "recommended.json does not run"

set +e
sed 's/"samples": 4/"sampels": 4/' "$tmp/lin.json" > "$tmp/bad.json"
for cmd in tune run; do
    out=$("$SCALESIM" $cmd "$tmp/bad.json" -o "$tmp/x" 2>&1); rc=$?
    [[ $rc -eq 2 && $out == *"bad.json:12:31: tune.sampels: unknown key (did you mean \"samples\"?)"* ]] ||
        fail "$cmd bad key: rc=$rc $out"
done
sed 's/"path": "service.replicas"/"path": "service.pods.x"/' "$tmp/lin.json" > "$tmp/bad.json"
out=$("$SCALESIM" tune "$tmp/bad.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"tune.params[0].path: service.pods.x: the scenario has no service.pods"* ]] ||
    fail "bad path: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/lin.json" --search grid -o "$tmp/x" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"service.replicas is a continuous range (MIN..MAX)"* ]] || fail "grid of continuous: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/plain.json" service.replicas=1,2 --samples 3 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"go with --search sobol"* ]] || fail "--samples with grid: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/plain.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"or a \"tune\" block"* ]] || fail "no params: rc=$rc $out"
exit 0
