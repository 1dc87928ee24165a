#!/usr/bin/env bash
# loadgen_proxy.sh: `scalesim loadgen -x` through a small proxy of the tests' own
# (tests/support/connect_proxy.py, on 127.0.0.1, bounded in time and connections) to Debian's
# nginx: plain http goes in absolute form (nginx logs the absolute request line), https asks
# the proxy for a CONNECT tunnel to host:port and then speaks TLS through it (HTTP/1.1, and
# HTTP/2 with -h2), every request succeeds and reaches nginx; a proxy that refuses CONNECT
# (403) is counted as err_proxy with its status, a proxy that is not there as refused.
# Waits are for events (a port file, nginx's access log lines), never fixed sleeps.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
self_signed_cert
port=$(free_port)   # plain http
sport=$(free_port)  # ssl http2
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 256; }
http {
  client_body_temp_path $tmp/body;
  log_format lg '\$server_protocol "\$request" \$status';
  access_log $tmp/access.log lg;
  ssl_certificate $tmp/cert.pem;
  ssl_certificate_key $tmp/key.pem;
  server { listen 127.0.0.1:$port; location / { return 200 "plain\n"; } }
  server { listen 127.0.0.1:$sport ssl http2; location / { return 200 "secure\n"; } }
}
CONF
start_nginx "$tmp/nginx.conf" "$port"
start_proxy() { # extra proxy options
    rm -f "$tmp/proxy.port"
    python3 "$SRC/tests/support/connect_proxy.py" --port-file "$tmp/proxy.port" \
        --log "$tmp/proxy.log" --seconds 300 --max 200 "$@" &
    pids+=($!)
    for _ in $(seq 300); do [ -s "$tmp/proxy.port" ] && break; sleep 0.1; done
    [ -s "$tmp/proxy.port" ] || fail "the proxy did not start"
    proxy="http://127.0.0.1:$(cat "$tmp/proxy.port")"
}
lg() { timeout 60 "$SCALESIM" loadgen "$@" >"$tmp/out" 2>"$tmp/err" || fail "rc $? for $*: $(cat "$tmp/err")"; }
books() { grep -q "sent $1 = completed $1 + failed 0 + in flight at stop 0" "$tmp/err" || fail "books for $1: $(cat "$tmp/err")"; }
# nginx logs a request after answering it: wait for the lines before counting or truncating
logged() { wait_lines "$tmp/access.log" "$1" || fail "nginx logged $(wc -l <"$tmp/access.log") of $1 requests"; }
start_proxy

# 1. plain http through -x: absolute form, as Go's transport writes it for a proxy.
: >"$tmp/access.log"; : >"$tmp/proxy.log"
lg -x "$proxy" -n 60 -c 3 "http://127.0.0.1:$port/p?q=1"
books 60
logged 60
[ "$(grep -cxF "HTTP/1.1 \"GET http://127.0.0.1:$port/p?q=1 HTTP/1.1\" 200" "$tmp/access.log")" -eq 60 ] \
    || fail "absolute form: $(head -2 "$tmp/access.log")"
[ "$(grep -cxF "GET http://127.0.0.1:$port/p?q=1 HTTP/1.1" "$tmp/proxy.log")" -eq 3 ] \
    || fail "proxy log: $(cat "$tmp/proxy.log")"

# 2. https through -x: CONNECT 127.0.0.1:sport once per connection, then TLS to nginx.
: >"$tmp/access.log"; : >"$tmp/proxy.log"
lg -x "$proxy" -n 60 -c 3 "https://127.0.0.1:$sport/s"
books 60
logged 60
[ "$(grep -cxF "HTTP/1.1 \"GET /s HTTP/1.1\" 200" "$tmp/access.log")" -eq 60 ] \
    || fail "https through the tunnel: $(head -2 "$tmp/access.log")"
[ "$(grep -cxF "CONNECT 127.0.0.1:$sport HTTP/1.1" "$tmp/proxy.log")" -eq 3 ] \
    || fail "CONNECT lines: $(cat "$tmp/proxy.log")"

# 3. -h2 through -x: one tunnel, HTTP/2 inside it.
: >"$tmp/access.log"; : >"$tmp/proxy.log"
lg -h2 -x "$proxy" -n 60 -c 3 "https://127.0.0.1:$sport/s"
books 60
logged 60
[ "$(grep -cxF "HTTP/2.0 \"GET /s HTTP/2.0\" 200" "$tmp/access.log")" -eq 60 ] \
    || fail "h2 through the tunnel: $(head -2 "$tmp/access.log")"
[ "$(grep -cxF "CONNECT 127.0.0.1:$sport HTTP/1.1" "$tmp/proxy.log")" -eq 1 ] \
    || fail "h2 CONNECT lines: $(cat "$tmp/proxy.log")"

# 4. a proxy that refuses CONNECT: every request fails as err_proxy, the status is said.
start_proxy --refuse 403
: >"$tmp/access.log"
lg -x "$proxy" -n 6 -c 2 --trace "$tmp/trace.csv" "https://127.0.0.1:$sport/"
grep -q "sent 6 = completed 0 + failed 6 + in flight at stop 0" "$tmp/err" || fail "refused: $(cat "$tmp/err")"
grep -qF "[6]	Get \"https://127.0.0.1:$sport/\": proxy refused CONNECT: status 403" "$tmp/out" \
    || fail "refused error line: $(cat "$tmp/out")"
col=$(head -1 "$tmp/trace.csv" | tr , '\n' | grep -nx err_proxy | cut -d: -f1)
[ -n "$col" ] && [ "$(awk -F, -v c="$col" 'NR>1 {s+=$c} END {print s}' "$tmp/trace.csv")" -eq 6 ] \
    || fail "trace err_proxy: $(cat "$tmp/trace.csv")"
[ ! -s "$tmp/access.log" ] || fail "a refused tunnel reached nginx"
lg -h2 -x "$proxy" -n 6 -c 2 "https://127.0.0.1:$sport/"
grep -qF "[6]	Get \"https://127.0.0.1:$sport/\": proxy refused CONNECT: status 403" "$tmp/out" \
    || fail "h2 refused error line: $(cat "$tmp/out")"

# 5. no proxy listening: connection refused, counted.
closed_port
lg -x "http://127.0.0.1:$closed" -n 4 -c 2 "https://127.0.0.1:$sport/"
grep -q "sent 4 = completed 0 + failed 4" "$tmp/err" || fail "no proxy: $(cat "$tmp/err")"
# Go wraps a failed dial to the proxy (transport.go dialConn, wrapErr)
grep -qF "[4]	Get \"https://127.0.0.1:$sport/\": proxyconnect tcp: dial tcp 127.0.0.1:$closed: connect: connection refused" "$tmp/out" \
    || fail "no proxy error line: $(cat "$tmp/out")"
echo "ok"
