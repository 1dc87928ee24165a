#!/usr/bin/env bash
# loadgen_prometheus.sh: `scalesim loadgen --prometheus URL --query NAME=PROMQL`: Debian's
# prometheus server, started here on 127.0.0.1 (a free port, a temporary folder) scraping
# itself every second, answers two instant queries each second of a run against a local nginx;
# the values land in the --trace file as prom_NAME. Every wait is bounded. Skipped (exit 0
# with a note) when nginx or prometheus is not installed (scripts/install-deps installs both).
set -u
. "$SRC/tests/cli/lib/local_nginx.sh"

PROM=$(command -v prometheus || true)
if [ -z "$PROM" ]; then echo "SKIP: prometheus not installed"; exit 0; fi
pport=$(free_port)
cat >"$tmp/prom.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs: [{job_name: self, static_configs: [{targets: ["127.0.0.1:$pport"]}]}]
YML
"$PROM" --config.file="$tmp/prom.yml" --web.listen-address="127.0.0.1:$pport" \
    --storage.tsdb.path="$tmp/tsdb" >"$tmp/prom.log" 2>&1 &
pids+=($!)
wait_port "$pport" || fail "prometheus did not start: $(tail -3 "$tmp/prom.log")"
scraped=
for _ in $(seq 300); do # wait (30 s at most) for two scrapes, so that rate() has a value
    curl -s "http://127.0.0.1:$pport/api/v1/query?query=count_over_time(up%5B1m%5D)" | grep -q '"value":\[[0-9.]*,"[2-9]' \
        && { scraped=1; break; }
    sleep 0.1
done
[ -n "$scraped" ] || fail "prometheus did not scrape itself twice in 30 s: $(tail -3 "$tmp/prom.log")"
timeout 30 "$SCALESIM" loadgen -z 2s -c 1 -q 10 --prometheus "http://127.0.0.1:$pport" --every 1s \
    --query up=up --query http_rps='sum(rate(prometheus_http_requests_total[1m]))' \
    --trace "$tmp/p.csv" "$url" >/dev/null 2>"$tmp/err" || fail "prometheus run: rc $?: $(cat "$tmp/err")"
head -1 "$tmp/p.csv" | grep -q ',in_flight,prom_up,prom_http_rps$' || fail "prom header: $(head -1 "$tmp/p.csv")"
awk -F, 'NR>1 && $(NF-1)=="1" && $NF+0 > 0 {ok=1} END {exit !ok}' "$tmp/p.csv" \
    || fail "no prometheus values: $(cat "$tmp/p.csv") $(cat "$tmp/err")"
! grep -q 'looks at the cluster failed' "$tmp/err" || fail "prometheus looks failed: $(cat "$tmp/err")"
echo ok
