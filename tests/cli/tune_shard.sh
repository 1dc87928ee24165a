#!/usr/bin/env bash
# scalesim tune --shard I/N + tune merge: three shards (one with --jobs 2) merged give a
# tune.csv, recommended.json and recommended-hpa.json byte-identical to one process, on the
# sklearn-iris HPA; merge refuses missing, duplicated and mismatched shards.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sc="$SRC/scenarios/sklearn-iris.json"
u='hpa.spec.metrics[0].resource.target.averageUtilization=10,20,30'
m='hpa.spec.maxReplicas=8:10:2'

"$SCALESIM" tune "$sc" "$u" "$m" -o "$tmp/one" -q
[[ -s $tmp/one/recommended-hpa.json ]] || fail "no recommended hpa"
grep -q '"kind":[[:space:]]*"HorizontalPodAutoscaler"' "$tmp/one/recommended-hpa.json" ||
    fail "recommended-hpa.json is not the hpa"
"$SCALESIM" tune "$sc" "$u" "$m" -o "$tmp/s1" --shard 1/3 -q
"$SCALESIM" tune "$sc" "$u" "$m" -o "$tmp/s2" --shard 2/3 -j 2 -q
"$SCALESIM" tune "$sc" "$u" "$m" -o "$tmp/s3" --shard 3/3 -q
[[ ! -e $tmp/s1/tune.csv ]] || fail "a shard wrote a ranking"
"$SCALESIM" tune merge "$tmp/s3" "$tmp/s1" "$tmp/s2" -o "$tmp/m" -q
grep -q '^kind: HorizontalPodAutoscaler$' "$tmp/one/recommended-hpa.yaml" || fail "yaml manifest"
for f in tune.csv recommended.json recommended-hpa.json recommended-hpa.yaml; do
    cmp "$tmp/one/$f" "$tmp/m/$f" || fail "$f differs after merge"
done

set +e
out=$("$SCALESIM" tune merge "$tmp/s1" "$tmp/s2" -o "$tmp/x" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"configuration 2 is in no shard (2 shards of 3 given)"* ]] || fail "missing: rc=$rc $out"
out=$("$SCALESIM" tune merge "$tmp/s1" "$tmp/s1" -o "$tmp/x" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"is in two shards"* ]] || fail "duplicate: rc=$rc $out"
"$SCALESIM" tune "$sc" "$u" 'hpa.spec.maxReplicas=8:10:2' --reps 2 -o "$tmp/r2" --shard 2/3 -q
out=$("$SCALESIM" tune merge "$tmp/s1" "$tmp/r2" "$tmp/s3" -o "$tmp/x" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"\"reps\" differs"* ]] || fail "mismatch: rc=$rc $out"
out=$("$SCALESIM" tune "$sc" "$u" --shard 4/3 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"--shard: expected I/N"* ]] || fail "bad shard: rc=$rc $out"
out=$("$SCALESIM" tune merge 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"expected the SHARD_DIR"* ]] || fail "merge no args: rc=$rc $out"
out=$("$SCALESIM" tune merge "$tmp/nope" 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"nope/shard.json: No such file"* ]] || fail "merge missing dir: rc=$rc $out"
exit 0
