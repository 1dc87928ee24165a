#!/usr/bin/env bash
# loadgen_h2.sh: `scalesim loadgen -h2` against Debian's nginx on 127.0.0.1 (`listen ... ssl
# http2`, a self-signed certificate). nginx's access log ($server_protocol, $connection) shows
# what went on the wire: with -h2 every request is HTTP/2.0 and hey's -c workers share one
# connection (as hey's one Transport does); without -h2 the same URL gets HTTP/1.1, one
# connection per worker; -h2 with an http URL stays HTTP/1.1 (as in hey); a server that does
# not offer h2 gets HTTP/1.1 (Go's fallback); POST bodies arrive whole; GOAWAY after nginx's
# keepalive_requests moves the load to new connections without a failure; -disable-keepalive
# is a connection per request; -t resets only the stream; a TLS failure is counted. Every run is bounded (-n, timeout).
# Waits are for events (a port, nginx's access log lines), never fixed sleeps: nginx logs a
# request after answering it, so its lines are waited for before they are counted.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
self_signed_cert
h2port=$(free_port)  # ssl http2
gaport=$(free_port)  # ssl http2, keepalive_requests 100 (GOAWAY after 100 requests)
h1port=$(free_port)  # ssl without http2
port=$(free_port)    # plain http
stall=$(free_port)   # accepts connections (in the kernel's backlog) and never answers
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(600)' "$stall" &
pids+=($!)
wait_port "$stall" || fail "the stalling listener did not start"
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 256; }
http {
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  log_format lg '\$connection \$server_protocol \$request_method \$status "\$request_body"';
  access_log $tmp/access.log lg;
  ssl_certificate $tmp/cert.pem;
  ssl_certificate_key $tmp/key.pem;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$h2port ssl http2;
    location / { return 200 "hello\n"; }
    # nginx reads the body only to pass it on, and then logs it
    location /body { proxy_pass http://127.0.0.1:$port/sink; }
    location /stall { proxy_pass http://127.0.0.1:$stall; proxy_read_timeout 30s; }
  }
  server {
    listen 127.0.0.1:$gaport ssl http2;
    keepalive_requests 100;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$h1port ssl;
    location / { return 200 "hello\n"; }
  }
  server {
    listen 127.0.0.1:$port;
    location / { return 200 "plain\n"; }
    location /sink { access_log off; return 200 "sunk\n"; }
  }
}
CONF
start_nginx "$tmp/nginx.conf" "$h2port"
lg() { timeout 60 "$SCALESIM" loadgen "$@" >"$tmp/out" 2>"$tmp/err" || fail "rc $? for $*: $(cat "$tmp/err")"; }
books() { grep -q "sent $1 = completed $1 + failed 0 + in flight at stop 0" "$tmp/err" || fail "books for $1: $(cat "$tmp/err")"; }
protocols() { awk '{print $2}' "$tmp/access.log" | sort | uniq -c | awk '{printf "%s %s;", $2, $1}'; }
connections() { awk '{print $1}' "$tmp/access.log" | sort -u | wc -l; }
logged() { wait_lines "$tmp/access.log" "$1" || fail "nginx logged $(wc -l <"$tmp/access.log") of $1 requests"; }

# 1. -h2 -n 200 -c 20: 200 HTTP/2.0 requests, all on one connection.
: >"$tmp/access.log"
lg -h2 -n 200 -c 20 "https://127.0.0.1:$h2port/"
books 200
logged 200
grep -qP '^  \[200\]\t200 responses$' "$tmp/out" || fail "status line: $(cat "$tmp/out")"
[ "$(protocols)" = "HTTP/2.0 200;" ] || fail "-h2: nginx saw $(protocols)"
[ "$(connections)" -eq 1 ] || fail "-h2: $(connections) connections, hey's shared transport uses 1"

# 1b. -c 300, more workers than nginx's 128 streams: still one connection, as Debian's hey
#     0.1.4 does (the others wait for a free stream).
: >"$tmp/access.log"
lg -h2 -n 900 -c 300 "https://127.0.0.1:$h2port/"
books 900
logged 900
[ "$(protocols)" = "HTTP/2.0 900;" ] || fail "-c 300: nginx saw $(protocols)"
[ "$(connections)" -eq 1 ] || fail "-c 300: $(connections) connections, hey uses 1"

# 2. the same without -h2: HTTP/1.1, a connection per worker.
: >"$tmp/access.log"
lg -n 200 -c 20 "https://127.0.0.1:$h2port/"
books 200
logged 200
[ "$(protocols)" = "HTTP/1.1 200;" ] || fail "without -h2: nginx saw $(protocols)"
[ "$(connections)" -eq 20 ] || fail "without -h2: $(connections) connections, want 20"

# 3. -h2 with an http URL: HTTP/1.1, as hey (http2.ConfigureTransport only acts on TLS).
: >"$tmp/access.log"
lg -h2 -n 50 -c 5 "http://127.0.0.1:$port/"
books 50
logged 50
[ "$(protocols)" = "HTTP/1.1 50;" ] || fail "-h2 http://: nginx saw $(protocols)"

# 4. POST bodies over HTTP/2 arrive whole.
: >"$tmp/access.log"
lg -h2 -m POST -d 'hello over h2' -n 30 -c 3 "https://127.0.0.1:$h2port/body"
books 30
logged 30
[ "$(grep -c '^[0-9]* HTTP/2.0 POST 200 "hello over h2"$' "$tmp/access.log")" -eq 30 ] \
    || fail "POST bodies: $(head -3 "$tmp/access.log")"

# 5. a server that does not offer h2 in ALPN: HTTP/1.1, as Go falls back.
: >"$tmp/access.log"
lg -h2 -n 100 -c 10 "https://127.0.0.1:$h1port/"
books 100
logged 100
[ "$(protocols)" = "HTTP/1.1 100;" ] || fail "fallback: nginx saw $(protocols)"

# 6. -disable-keepalive: one stream per connection.
: >"$tmp/access.log"
lg -h2 -disable-keepalive -n 20 -c 2 "https://127.0.0.1:$h2port/"
books 20
logged 20
[ "$(protocols)" = "HTTP/2.0 20;" ] || fail "-disable-keepalive: nginx saw $(protocols)"
[ "$(connections)" -eq 20 ] || fail "-disable-keepalive: $(connections) connections, want 20"

# 7. GOAWAY: nginx ends a connection after keepalive_requests (100 on $gaport's server, set from
#    the start: a reload could still be under way when the run begins); the load moves on
#    without error.
: >"$tmp/access.log"
lg -h2 -n 1000 -c 10 "https://127.0.0.1:$gaport/"
books 1000
logged 1000
[ "$(protocols)" = "HTTP/2.0 1000;" ] || fail "GOAWAY: nginx saw $(protocols)"
[ "$(connections)" -ge 10 ] || fail "GOAWAY: $(connections) connections for 1000 requests at 100 each"

# 8. -o csv with a host name: hey's rows; localhost is looked up per connection.
: >"$tmp/access.log"
lg -h2 -n 40 -c 4 -o csv "https://localhost:$h2port/"
logged 40 # before section 9 empties the log
[ "$(awk -F, 'NR>1 && NF==8 && $7==200' "$tmp/out" | wc -l)" -eq 40 ] || fail "csv rows: $(head -3 "$tmp/out")"

# 9. -t: a request past its timeout resets its stream only; the connection carries on.
: >"$tmp/access.log"
lg -h2 -n 4 -c 2 -t 1 "https://127.0.0.1:$h2port/stall"
grep -q "sent 4 = completed 0 + failed 4 + in flight at stop 0" "$tmp/err" || fail "stall: $(cat "$tmp/err")"
grep -qF "[4]	Get \"https://127.0.0.1:$h2port/stall\": context deadline exceeded" "$tmp/out" \
    || fail "timeout line: $(cat "$tmp/out")"
logged 4
[ "$(grep -c '^[0-9]* HTTP/2.0 GET 499 ' "$tmp/access.log")" -eq 4 ] || fail "nginx saw: $(cat "$tmp/access.log")"
[ "$(connections)" -eq 1 ] || fail "timeouts: $(connections) connections, the streams' one should stay"

# 10. TLS to a plain port: every request a TLS error, counted, never a crash.
lg -h2 -n 4 -c 2 -t 5 "https://127.0.0.1:$port/"
grep -q "sent 4 = completed 0 + failed 4 + in flight at stop 0" "$tmp/err" || fail "tls failure: $(cat "$tmp/err")"
grep -qF "[4]	Get \"https://127.0.0.1:$port/\": tls: handshake or record failure" "$tmp/out" \
    || fail "tls error line: $(cat "$tmp/out")"
echo "ok"
