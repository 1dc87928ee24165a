#!/usr/bin/env bash
# bench/loadgen_bench.sh: `scalesim loadgen` side by side with wrk -t1 and hey, closed loop,
# against the same local nginx (1 worker, keepalive_requests raised so nobody reconnects),
# same connections, GET of a 6-byte body. Prints requests/s, the ratios to wrk and hey, and
# each client's peak RSS (GNU time's %M), for a short and a long run. Called by bench/run.
# The short runs are repeated LG_REPS times, the tools interleaved, and the median kept (the
# machine is shared, so single runs are noisy); client CPU per request (user + sys from GNU
# time) is printed too, since it does not depend on who else uses the cores.
# Knobs (environment): BUILD (default build), LG_CONNS (20), LG_SHORT (10 s), LG_LONG (60 s;
# 0 skips the long runs), LG_REPS (3). Goals (issue 9): >= 1.0x wrk, >= 2.5x hey, RSS < 16 MB
# and flat with duration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BUILD:-$root/build}/scalesim
conns=${LG_CONNS:-20}
short=${LG_SHORT:-10}
long=${LG_LONG:-60}
reps=${LG_REPS:-3}
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
rss() { sed -n 's/^RSS \([0-9]*\) .*$/\1/p' "$1" | tail -1; }
cpu() { sed -n 's/^RSS [0-9]* \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' "$1" | awk '{print $1 + $2}'; }

run_one() { # tool seconds -> "rps rss_kb"
    local tool=$1 secs=$2 rps
    case $tool in
    loadgen)
        /usr/bin/time -f 'RSS %M %U %S' -o "$tmp/time" "$bin" loadgen -z "${secs}s" -c "$conns" "$url" \
            >"$tmp/out" 2>/dev/null
        rps=$(sed -n 's/^  Requests\/sec:\t\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    wrk)
        /usr/bin/time -f 'RSS %M %U %S' -o "$tmp/time" wrk -t1 -c "$conns" -d "${secs}s" "$url" >"$tmp/out"
        rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    hey)
        /usr/bin/time -f 'RSS %M %U %S' -o "$tmp/time" hey -z "${secs}s" -c "$conns" -cpus 1 "$url" >"$tmp/out"
        rps=$(sed -n 's/^  Requests\/sec:\t\([0-9.]*\)$/\1/p' "$tmp/out") ;;
    esac
    local n
    n=$(awk -v r="$rps" -v s="$secs" 'BEGIN {print r * s}')
    echo "$rps $(rss "$tmp/time") $(awk -v c="$(cpu "$tmp/time")" -v n="$n" 'BEGIN {printf "%.1f", c * 1e6 / n}')"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== loadgen (1 loop) vs wrk -t1 vs hey -cpus 1, one client thread each: nginx 1 worker on 127.0.0.1, $conns connections, GET"
echo "   machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for secs in $short $long; do
    [ "$secs" -gt 0 ] || continue
    n=$reps
    [ "$secs" = "$long" ] && n=1
    declare -A R=() M=() C=()
    for tool in loadgen wrk hey; do R[$tool]=; M[$tool]=; C[$tool]=; done
    for _ in $(seq "$n"); do
        for tool in loadgen wrk hey; do
            read -r r m c < <(run_one "$tool" "$secs")
            R[$tool]="${R[$tool]} $r"; M[$tool]="${M[$tool]} $m"; C[$tool]="${C[$tool]} $c"
        done
    done
    for tool in loadgen wrk hey; do
        # shellcheck disable=SC2086
        printf '   %3d s %-8s %9.0f req/s (median of %d: %s)  peak RSS %5.1f MB  cpu %5.1f us/req\n' \
            "$secs" "$tool" "$(median ${R[$tool]})" "$n" "$(echo ${R[$tool]} | tr ' ' '/')" \
            "$(echo "$(median ${M[$tool]}) / 1024" | bc -l)" "$(median ${C[$tool]})"
    done
    # shellcheck disable=SC2086
    awk -v a="$(median ${R[loadgen]})" -v w="$(median ${R[wrk]})" -v h="$(median ${R[hey]})" \
        'BEGIN { printf "          loadgen/wrk %.2fx (goal >= 1.0)   loadgen/hey %.2fx (goal >= 2.5)\n", a / w, a / h }'
done
