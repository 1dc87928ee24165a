#!/usr/bin/env bash
# scalesim tune finds an optimum known by construction: a service without an HPA offered 250
# Poisson requests/s of exponential 10 ms CPU work on 1-core pods. Cost (pod-hours) is linear in
# service.replicas; the constraint is p95 <= 150 ms. 1 and 2 pods are overloaded (rho 2.5, 1.25);
# with random balancing each pod is about an M/M/1 queue, p95 = ln(20) * 10 ms / (1 - rho):
# 3 pods (rho 0.83) ~180 ms fails, 4 pods (rho 0.625) ~80 ms passes. So the answer is 4.
# --jobs 2 (forked workers) gives a byte-identical ranking; bad parameters exit 2.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cat > "$tmp/lin.json" <<'JSON'
{
  "name": "tune-linear",
  "seed": 7,
  "duration": "60s",
  "service": {
    "name": "svc",
    "replicas": 1,
    "balancer": "random",
    "pod": {"cpu_request": "1", "cpu_limit": "1", "demand": {"dist": "exponential", "mean": "10ms"}}
  },
  "load": [{"type": "poisson", "rate": 250}],
  "expect": [{"latency_at_most": "150ms", "percentile": 95}]
}
JSON
out=$("$SCALESIM" tune "$tmp/lin.json" service.replicas=1:8:1 --reps 2 -o "$tmp/a")
echo "$out"
[[ $out == *"8 configurations x 2 replications (seeds 7..8), 5 feasible"* ]] || fail "summary: $out"
[[ $out == *"recommended (config 3): service.replicas=4"* ]] || fail "not the known optimum: $out"
sed -n 2p "$tmp/a/tune.csv" | grep -q '^1,3,4,1,0.067000,' || fail "rank 1: $(sed -n 2p "$tmp/a/tune.csv")"
grep -q '^8,2,3,0,' "$tmp/a/tune.csv" || fail "3 replicas should be the closest infeasible"
# cost rises and p95 falls with replicas: every configuration is on the Pareto front
[[ $(head -1 "$tmp/a/tune.csv") == *",note,pareto,phase" ]] || fail "no pareto/phase column"
[[ $(grep -c ',1,grid$' "$tmp/a/tune.csv") -eq 8 ]] || fail "pareto marks: $(cat "$tmp/a/tune.csv")"
grep -Eq '"replicas":[[:space:]]*4,' "$tmp/a/recommended.json" || fail "recommended.json"
[[ ! -e $tmp/a/recommended-hpa.json ]] || fail "an hpa file for a scenario without hpa"
[[ ! -e $tmp/a/.runs ]] || fail "run folders left behind"

"$SCALESIM" tune "$tmp/lin.json" --param service.replicas=1:8:1 --reps 2 -o "$tmp/b" -j 2 -q
cmp "$tmp/a/tune.csv" "$tmp/b/tune.csv" || fail "--jobs 2 ranking differs"

# a value the loader rejects is a ranked outcome with the loader's message, not a crash
"$SCALESIM" tune "$tmp/lin.json" service.replicas=-1,4 -o "$tmp/c" -q
grep -q '^2,0,-1,0,,,0,".*service.replicas' "$tmp/c/tune.csv" || fail "rejected value: $(cat "$tmp/c/tune.csv")"

set +e
out=$("$SCALESIM" tune "$tmp/lin.json" service.replicas=1,2 --duration 1s -o "$tmp/d" 2>&1); rc=$?
[[ $rc -eq 1 && $out == *"no configuration passes"* ]] || fail "none feasible: rc=$rc $out"
grep -q '^No configuration passes every expect assertion (0 of 2 feasible).$' "$tmp/d/recommendation.md" ||
    fail "recommendation.md without a feasible configuration"
# nothing with a cost and a p95 (every value rejected): no plot, said so, exit 1
out=$("$SCALESIM" tune "$tmp/lin.json" service.replicas=-1,-2 -o "$tmp/d" 2>&1); rc=$?
[[ $rc -eq 1 && $out == *"no plot: no configuration has a cost and a p95"* && $out != *warning* ]] ||
    fail "nothing to plot: rc=$rc $out"
[[ ! -e $tmp/d/pareto.png ]] || fail "a stale pareto.png was left"
out=$("$SCALESIM" tune "$tmp/lin.json" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"at least one PATH=VALUES"* ]] || fail "no param: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/lin.json" service.nope.x=1 -o "$tmp/e" 2>&1); rc=$?
[[ $rc -eq 0 || $rc -eq 1 ]] && grep -q 'the scenario has no service.nope' "$tmp/e/tune.csv" ||
    fail "missing path: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/lin.json" service.replicas=1:x:1 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"not FROM:TO:STEP numbers"* ]] || fail "bad range: rc=$rc $out"
out=$("$SCALESIM" tune "$tmp/lin.json" service.name=1 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"service.name: the scenario has a non-number there"* ]] || fail "non-number: rc=$rc $out"
exit 0
