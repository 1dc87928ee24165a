#!/usr/bin/env bash
# loadgen_openloop.sh: `scalesim loadgen --load` against a local nginx (one worker): a short
# diurnal phase given as JSON and a linear trace given as a scenario file. For each second of
# the --trace file, `sent` must be within 1 of the integral of the rate over that second
# (uniform arrivals: one where the integral grows by one), computed here from the formulas of
# docs/scenario.md. Then the scenario's duration as the run's length, the `scalesim run` of the
# same file offering the same counts, and usage errors (exit 2, file:line:col). Every run is
# bounded by `timeout`; at most about 1,000 requests a run. -c 50 (nginx takes 64): a request
# waits for a connection only if responses stall for 200 ms or more.
set -u
. "$SRC/tests/cli/lib/local_nginx.sh"

# within1 TRACE SECONDS PYTHON-EXPR-OF-s: each row t_s < SECONDS has |sent - integral| <= 1
within1() {
    python3 - "$1" "$2" "$3" <<'PY' || fail "per-second counts vs the integral of the rate: $(cut -d, -f1-3 "$1")"
import csv, math, sys
path, secs, expr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = {int(r["t_s"]): int(r["sent"]) for r in csv.DictReader(open(path))}
bad = 0
for s in range(secs):
    want = eval(expr)
    got = rows.get(s, 0)
    print(f"  second {s}: sent {got}, integral {want:.2f}")
    if abs(got - want) > 1:
        bad = 1
sys.exit(bad)
PY
}

# 1. A diurnal as JSON: min 40, max 240, period 3 s, peak at 1 s, for 3 s (-z).
timeout 30 "$SCALESIM" loadgen -c 50 -z 3s --trace "$tmp/diurnal.csv" \
    --load '{"type": "uniform", "diurnal": {"min": 40, "max": 240, "period": "3s", "peak_at": "1s"}}' \
    "$url" >"$tmp/out" 2>"$tmp/err" || fail "diurnal rc $?: $(cat "$tmp/err")"
# integral over [s, s+1) of 140 + 100 cos(2 pi (t - 1) / 3)
within1 "$tmp/diurnal.csv" 3 \
    "140 + 100 * 3 / (2 * math.pi) * (math.sin(2 * math.pi * (s + 1 - 1) / 3) - math.sin(2 * math.pi * (s - 1) / 3))"
grep -q "failed 0 " "$tmp/err" || fail "diurnal failures: $(cat "$tmp/err")"

# 2. A linear trace from a scenario file; its duration (3 s) is the run's length (no -z).
printf 't_s,rps\n0,60\n1,260\n3,60\n' >"$tmp/rates.csv"
cat >"$tmp/scenario.json" <<'JSON'
{"duration": "3s",
 "load": [{"type": "uniform", "trace": {"file": "rates.csv", "interpolation": "linear"}}]}
JSON
timeout 30 "$SCALESIM" loadgen -c 50 --trace "$tmp/linear.csv" --load "$tmp/scenario.json" "$url" \
    >"$tmp/out" 2>"$tmp/err" || fail "trace rc $?: $(cat "$tmp/err")"
# rate 60 + 200 t up to 1 s, then 260 - 100 (t - 1): per second 160, 210, 110
within1 "$tmp/linear.csv" 3 "[160, 210, 110][s]"
sent=$(awk -F, 'NR>1 {n+=$3} END {print n}' "$tmp/linear.csv")
[ "$sent" -ge 479 ] && [ "$sent" -le 480 ] || fail "linear trace total $sent, expected 480"
grep -q "sent $sent = " "$tmp/err" || fail "trace total $sent vs $(cat "$tmp/err")"
# the simulator offers the same counts for the same file
"$SCALESIM" run "$tmp/scenario.json" -o "$tmp/sim" -q || fail "scalesim run"
paste -d, <(awk -F, 'NR>1 && NR<=4 {print $3}' "$tmp/linear.csv") \
          <(awk -F, 'NR>1 && NR<=4 {print $2}' "$tmp/sim/timeline.csv") >"$tmp/cmp"
awk -F, '$1 != $2 {bad=1} END {exit bad}' "$tmp/cmp" || fail "loadgen vs scalesim run: $(cat "$tmp/cmp")"

# 3. Usage errors: the scenario loader's messages, exit 2.
check_err() { # expected message, then the command's arguments
    local want=$1; shift
    "$SCALESIM" loadgen "$@" >/dev/null 2>"$tmp/err"; local rc=$?
    [ "$rc" -eq 2 ] || fail "rc $rc for $*"
    grep -qF -- "$want" "$tmp/err" || fail "message for $*: $(cat "$tmp/err")"
}
check_err '--load:1:32: load[0].diurnal.max: missing' -z 1s --load '{"type": "poisson", "diurnal": {"min": 1}}' "$url"
printf '{"duration": "5s",\n  "load": [{"hey": "hey -z 2s -c 2 http://x/"}]}\n' >"$tmp/closed.json"
check_err "closed.json:2:12: load[0]: a closed loop" --load "$tmp/closed.json" "$url"
check_err "give one of --load, --rate" --load "$tmp/scenario.json" --rate 5 "$url"
check_err "with --load each phase's type" --load "$tmp/scenario.json" --arrivals poisson "$url"
check_err "with --load each phase's type" --load "$tmp/scenario.json" --arrivals uniform "$url"
printf 't_s,rps\n0,5\n1,x\n' >"$tmp/bad.csv"
check_err "bad.csv:3: rps: expected a number" --load '{"type": "uniform", "trace": {"file": "'"$tmp/bad.csv"'"}}' "$url"
check_err "--rate-file: $tmp/bad.csv:3: rps" --rate-file "$tmp/bad.csv" -z 1s "$url"
echo "ok"
