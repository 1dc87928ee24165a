#!/usr/bin/env bash
# loadgen_watch.sh: the cluster watch of `scalesim loadgen`, recorded into the --trace file.
# --watch-hpa: kubectl is a STAND-IN script put first in $PATH that checks its arguments and
# prints tests/cli/loadgen_hpa.json. That JSON is NOT recorded from a real cluster (none is
# reachable from here): it is written by hand in the shape `kubectl get hpa -o json` prints for
# an autoscaling/v2 object (the seed's sklearn-iris HPA: cpu 10%, 1..10 replicas, at its max).
# The load goes to a local nginx. Every wait is bounded. (--prometheus: loadgen_prometheus.sh.)
set -u
. "$SRC/tests/cli/lib/local_nginx.sh"

# 1. --watch-hpa with the stand-in kubectl.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/kubectl" <<SH
#!/bin/sh
# stand-in kubectl: answers only "get hpa sklearn-iris-predictor -n kserve -o json"
echo "\$*" >>"$tmp/kubectl.calls"
[ "\$*" = "get hpa sklearn-iris-predictor -n kserve -o json" ] || { echo "unexpected: \$*" >&2; exit 1; }
cat "$SRC/tests/cli/loadgen_hpa.json"
SH
chmod +x "$tmp/bin/kubectl"
PATH="$tmp/bin:$PATH" timeout 30 "$SCALESIM" loadgen -z 2s -c 2 -q 20 --watch-hpa sklearn-iris-predictor \
    --namespace kserve --every 1s --trace "$tmp/t.csv" "$url" >/dev/null 2>"$tmp/err" || fail "rc $?: $(cat "$tmp/err")"
head -1 "$tmp/t.csv" | grep -q ',in_flight,hpa_desired,hpa_current,hpa_metrics,hpa_conditions,hpa_error$' \
    || fail "header: $(head -1 "$tmp/t.csv")"
calls=$(wc -l <"$tmp/kubectl.calls")
[ "$calls" -ge 2 ] && [ "$calls" -le 3 ] || fail "kubectl ran $calls times in 2 s at --every 1s"
grep -q ',10,10,cpu=58%,AbleToScale=True;ScalingActive=True;ScalingLimited=True,$' "$tmp/t.csv" \
    || fail "no HPA sample: $(cat "$tmp/t.csv")"
# one row per look; a look that ends as the run ends (t = 2 s) may come after the last row
rows=$(grep -c ',10,10,cpu=58%' "$tmp/t.csv")
[ "$rows" -ge $((calls - 1)) ] && [ "$rows" -le "$calls" ] || fail "$rows rows with a sample, $calls looks"

# 2. A kubectl that fails: the run goes on, hpa_error says why, stderr counts the failures.
printf '#!/bin/sh\necho "Error from server (NotFound)" >&2\nexit 1\n' >"$tmp/bin/kubectl"
PATH="$tmp/bin:$PATH" timeout 30 "$SCALESIM" loadgen -z 2s -c 1 -q 10 --watch-hpa nope --every 1s \
    --trace "$tmp/t2.csv" "$url" >/dev/null 2>"$tmp/err" || fail "failing kubectl: rc $?"
grep -q 'kubectl get hpa nope failed (exit 1)$' "$tmp/t2.csv" || fail "hpa_error: $(cat "$tmp/t2.csv")"
grep -q 'looks at the cluster failed; the first: kubectl get hpa nope failed' "$tmp/err" \
    || fail "stderr: $(cat "$tmp/err")"

# 3. usage errors
"$SCALESIM" loadgen -n 1 -c 1 --watch-hpa x "$url" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'give --trace' "$tmp/err" || fail "watch without trace: $(cat "$tmp/err")"
"$SCALESIM" loadgen -n 1 -c 1 --query up "$url" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'expected NAME=PROMQL' "$tmp/err" || fail "bad query: $(cat "$tmp/err")"
"$SCALESIM" loadgen -n 1 -c 1 --query up=up --trace "$tmp/x.csv" "$url" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'needs --prometheus' "$tmp/err" || fail "query without server: $(cat "$tmp/err")"

echo ok
