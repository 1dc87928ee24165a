#!/usr/bin/env bash
# The GNU parallel recipe of docs/tune.md, run: `parallel -j 2` (two local slots) runs the
# shards of a sweep, `scalesim tune merge` combines them, and the result is byte-identical to
# one process, for a grid and for a Sobol search with refinement (the refinement runs in
# merge). Skipped (exit 77, ctest's SKIP_RETURN_CODE) when GNU parallel is not installed
# (Debian: apt-get install parallel; scripts/install-deps has it).
set -euo pipefail
if ! command -v parallel > /dev/null || ! parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
    echo "SKIP: GNU parallel is not installed (apt-get install parallel)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export HOME=$tmp # parallel keeps its state in ~/.parallel
cat > "$tmp/s.json" <<'JSON'
{"name": "par", "seed": 7, "duration": "60s",
  "service": {"name": "svc", "replicas": 1, "balancer": "random",
    "pod": {"cpu_request": 1, "cpu_limit": 1, "demand": {"dist": "exponential", "mean": "10ms"}}},
  "load": [{"type": "poisson", "rate": 250}],
  "expect": [{"latency_at_most": "150ms", "percentile": 95}],
  "tune": {"params": [{"path": "service.replicas", "min": 1, "max": 20},
                      {"path": "service.pod.cpu_limit", "values": [1, 2]}],
           "search": "sobol", "samples": 6, "reps": 2}}
JSON
cd "$tmp"
# grid: 8 configurations in 3 shards
"$SCALESIM" tune s.json service.replicas=1:8:1 -o one -q
parallel -j 2 --will-cite "$SCALESIM" tune s.json service.replicas=1:8:1 --shard {}/3 -o grid/{} -q ::: 1 2 3
"$SCALESIM" tune merge grid/* -o grid-merged -q
for f in tune.csv recommended.json recommendation.md; do
    cmp one/$f grid-merged/$f || fail "grid: $f differs"
done
# sobol + refinement from the scenario's block: 4 shards
"$SCALESIM" tune s.json -o sobol-one -q
parallel -j 2 --will-cite "$SCALESIM" tune s.json --shard {}/4 -o sobol/{} -q ::: 1 2 3 4
"$SCALESIM" tune merge sobol/* -o sobol-merged -q
for f in tune.csv recommended.json recommendation.md pareto.dat; do
    cmp sobol-one/$f sobol-merged/$f || fail "sobol: $f differs"
done
grep -q ',refine$' sobol-merged/tune.csv || fail "merge did not refine"
echo "parallel -j 2: grid (3 shards) and sobol (4 shards) merged byte-identical to one process"
