#!/usr/bin/env bash
# bench/loadgen_bench.sh: `scalesim loadgen` side by side with wrk -t1 and hey, closed loop,
# against the same local nginx (1 worker, keepalive_requests raised so nobody reconnects),
# same connections, GET of a 6-byte body. Prints requests/s, the ratios to wrk and hey, and
# each client's peak RSS (GNU time's %M), for a short and a long run. Called by bench/run.
# Knobs (environment): BUILD (default build), LG_CONNS (20), LG_SHORT (10 s), LG_LONG (60 s;
# 0 skips the long runs). Goals (issue 9): >= 1.0x wrk, >= 2.5x hey, RSS < 16 MB and flat.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BUILD:-$root/build}/scalesim
conns=${LG_CONNS:-20}
short=${LG_SHORT:-10}
long=${LG_LONG:-60}
for tool in nginx wrk hey; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
        { echo "loadgen bench: $tool not installed (scripts/install-deps); skipped"; exit 0; }
done
[ -x "$bin" ] || { echo "loadgen bench: $bin not built" >&2; exit 2; }
tmp=$(mktemp -d)
ngx_pid=
cleanup() { [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/body;
  keepalive_requests 100000000;
  server { listen 127.0.0.1:$port; location / { return 200 "hello\n"; } }
}
CONF
nginx=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx" -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/error.log" &
ngx_pid=$!
sleep 0.5
url="http://127.0.0.1:$port/"
rss() { sed -n 's/^RSS \([0-9]*\)$/\1/p' "$1" | tail -1; }

run_one() { # tool seconds -> "rps rss_kb"
    local tool=$1 secs=$2 rps
    case $tool in
    loadgen)
        /usr/bin/time -f 'RSS %M' -o "$tmp/time" "$bin" loadgen -z "${secs}s" -c "$conns" "$url" \
            >"$tmp/out" 2>/dev/null
        rps=$(sed -n 's/^  Requests\/sec:\t\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    wrk)
        /usr/bin/time -f 'RSS %M' -o "$tmp/time" wrk -t1 -c "$conns" -d "${secs}s" "$url" >"$tmp/out"
        rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    hey)
        /usr/bin/time -f 'RSS %M' -o "$tmp/time" hey -z "${secs}s" -c "$conns" -cpus 1 "$url" >"$tmp/out"
        rps=$(sed -n 's/^  Requests\/sec:\t\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    esac
    echo "$rps $(rss "$tmp/time")"
}

echo "== loadgen (1 loop) vs wrk -t1 vs hey -cpus 1, one client thread each: nginx 1 worker on 127.0.0.1, $conns connections, GET"
echo "   machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for secs in $short $long; do
    [ "$secs" -gt 0 ] || continue
    read -r lg_rps lg_rss < <(run_one loadgen "$secs")
    read -r wrk_rps wrk_rss < <(run_one wrk "$secs")
    read -r hey_rps hey_rss < <(run_one hey "$secs")
    printf '   %3d s  loadgen %9.0f req/s %6.1f MB | wrk %9.0f req/s %6.1f MB | hey %9.0f req/s %6.1f MB\n' \
        "$secs" "$lg_rps" "$(echo "$lg_rss/1024" | bc -l)" "$wrk_rps" "$(echo "$wrk_rss/1024" | bc -l)" \
        "$hey_rps" "$(echo "$hey_rss/1024" | bc -l)"
    awk -v a="$lg_rps" -v w="$wrk_rps" -v h="$hey_rps" \
        'BEGIN { printf "          loadgen/wrk %.2fx (goal >= 1.0)   loadgen/hey %.2fx (goal >= 2.5)\n", a / w, a / h }'
done
