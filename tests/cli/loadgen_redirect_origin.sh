#!/usr/bin/env bash
# loadgen_redirect_origin.sh: `scalesim loadgen` following redirects to other origins, against
# Debian's nginx (several servers on 127.0.0.1, one access log naming $server_port), a small
# Python server that answers slowly (for -t) and tests/support/connect_proxy.py (CONNECT).
# Checked: a redirect to a second server (both logs; one connection per worker per origin,
# kept alive, the first origin's parked and reused), -disable-keepalive, a chain A -> B -> A,
# Authorization and Cookie dropped on another host and kept on the same one, Referer (none
# from https to http), -host kept only for a relative Location, dot segments removed
# (nginx's $request is the request line as sent), -t over all hops, an http proxy (-x, nginx as
# a forward proxy: absolute form, one proxy connection for both origins), https hops (and
# through a CONNECT proxy), -h2 (same origin: a new stream; another https origin: HTTP/2 on
# that origin's connection, or HTTP/1.1 when it does not offer h2; http: HTTP/1.1), Go's
# error texts for a refused hop, an unsupported scheme and an unparsable Location, a Location
# Go escapes (space, bytes outside ASCII), user info in a Location (basic auth) and in the
# command-line URL (Go's URL.User: kept by relative Locations only; `user:***@` in errors),
# the command-line URL escaped (URL.String in errors, RequestURI on the request line), a
# Location host outside ASCII in its IDNA form (or as written where IDNA fails).
#
# Side by side with hey: where /usr/bin/hey (Debian 0.1.4, go1.19.8) is installed, `same`
# runs hey with the same flags against the same servers and requires the same access-log
# lines (sorted, connection ids left out) and, where given, the same error line: so every
# `same` below is a comparison with real hey, not only with what this file expects. Known
# differences are asserted as such (at the end). Bounded: -n, -t, `timeout`, servers that
# exit by themselves. Skipped (exit 0) when nginx is not installed.
set -u
. "$SRC/tests/cli/lib/nginx_helpers.sh"
self_signed_cert
a=$(free_port)   # http, redirects
b=$(free_port)   # http, answers
bs=$(free_port)  # https without h2
h2=$(free_port)  # https with h2, redirects
h2b=$(free_port) # https with h2, answers
h2c=$(free_port) # https with h2, a third origin
px=$(free_port)  # nginx as an http forward proxy
s1=$(free_port)  # slow python server, first origin
s2=$(free_port)  # slow python server, second origin
dead=$(free_port) # nothing listens
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
  log_format lg '\$server_port \$server_protocol "\$request" \$status host=\$http_host auth="\$http_authorization" cookie="\$http_cookie" ref="\$http_referer" \$connection';
  access_log $tmp/access.log lg;
  ssl_certificate $tmp/cert.pem;
  ssl_certificate_key $tmp/key.pem;
  absolute_redirect off;
  server {
    listen 127.0.0.1:$a;
    location = /to-b { return 302 http://127.0.0.1:$b/final; }
    location = /to-b-dots { return 302 http://127.0.0.1:$b/x/./y/../final; }
    location = /to-b-back { return 302 http://127.0.0.1:$b/back; }
    location = /to-bs { return 302 https://127.0.0.1:$bs/final; }
    location = /to-h2b { return 302 https://127.0.0.1:$h2b/final; }
    location = /rel { return 302 /final; }
    location = /abs-same { return 302 http://127.0.0.1:$a/final; }
    location = /dots/a/b { return 302 ../../final?q=1; }
    location = /dead { return 302 http://127.0.0.1:$dead/final; }
    location = /ftp { return 302 ftp://example.test/x; }
    location = /bad { return 302 "http://[::1/x"; }
    location = /to-b-esc { return 302 "http://127.0.0.1:$b/a b/é?q=é"; }
    location = /rel-esc { return 302 "x y/../sp ace?a b"; }
    location = /to-b-user { return 302 "http://u%20x:p@127.0.0.1:$b/final"; }
    location = /user-rel { return 302 "http://u:p@127.0.0.1:$a/rel"; }
    location = /to-b-frag { return 302 "http://127.0.0.1:$b/back#f g"; }
    location = /to-idn { return 302 "http://BÜcher.Example.:$b/final"; }
    location = /to-idn-bad { return 302 "http://bü-.example:$b/final"; }
    location / { return 200 "a\n"; }
  }
  server {
    listen 127.0.0.1:$b;
    location = /back { return 302 http://127.0.0.1:$a/final; }
    location / { return 200 "b\n"; }
  }
  server { listen 127.0.0.1:$bs ssl; location / { return 200 "bs\n"; } }
  server {
    listen 127.0.0.1:$h2 ssl http2;
    location = /r302 { return 302 /final; }
    location = /to-b { return 302 http://127.0.0.1:$b/final; }
    location = /to-h2b { return 302 https://127.0.0.1:$h2b/final; }
    location = /to-h2b-back { return 302 https://127.0.0.1:$h2b/back; }
    location = /chain { return 302 https://127.0.0.1:$h2b/to-h2c; }
    location = /to-bs { return 302 https://127.0.0.1:$bs/final; }
    location = /to-dead { return 302 https://127.0.0.1:$dead/final; }
    location / { return 200 "h2\n"; }
  }
  server {
    listen 127.0.0.1:$h2b ssl http2;
    location = /back { return 302 https://127.0.0.1:$h2/final; }
    location = /to-h2c { return 302 https://127.0.0.1:$h2c/back; }
    location / { return 200 "h2b\n"; }
  }
  server {
    listen 127.0.0.1:$h2c ssl http2;
    location = /back { return 302 https://127.0.0.1:$h2/final; }
  }
  server { listen 127.0.0.1:$px; location / { proxy_pass http://\$http_host; } }
}
CONF
start_nginx "$tmp/nginx.conf" "$a"
wait_port "$px" || fail "nginx proxy port"
# the slow server: every answer after 0.4 s; s1/s1 -> s2/s2 -> (relative) s2/s3 -> 200;
# s1/r1 -> (relative) s1/s2 -> s1/s3
python3 - "$s1" "$s2" <<'PY' &
import socketserver, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_GET(self):
        time.sleep(0.4)
        nxt = {"/s1": "http://127.0.0.1:%s/s2" % sys.argv[2], "/s2": "/s3", "/r1": "/s2"}.get(self.path)
        self.send_response(302 if nxt else 200)
        if nxt:
            self.send_header("Location", nxt)
        self.send_header("Content-Length", "0")
        self.end_headers()
class S(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
for p in sys.argv[1:3]:
    threading.Thread(target=S(("127.0.0.1", int(p)), H).serve_forever, daemon=True).start()
time.sleep(30)
PY
pids+=($!)
wait_port "$s2" || fail "slow server"
rm -f "$tmp/proxy.port"
python3 "$SRC/tests/support/connect_proxy.py" --port-file "$tmp/proxy.port" --log "$tmp/proxy.log" \
    --seconds 30 --max 50 &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/proxy.port" ] && break; sleep 0.1; done
[ -s "$tmp/proxy.port" ] || fail "the CONNECT proxy did not start"
cproxy=http://127.0.0.1:$(cat "$tmp/proxy.port")

HEY=$(command -v hey || true)
A=http://127.0.0.1:$a
# run TOOL ARGS...: one run, its access log in $tmp/log.TOOL (connection ids cut off, sorted)
# and the connections per port in $tmp/conns.TOOL ("port count;" ...)
run() {
    local tool=$1
    shift
    : >"$tmp/access.log"
    : >"$tmp/proxy.log"
    if [ "$tool" = hey ]; then
        timeout 30 "$HEY" "$@" >"$tmp/out.$tool" 2>&1 || fail "hey rc $? for $*"
    else
        timeout 30 "$SCALESIM" loadgen "$@" >"$tmp/out.$tool" 2>"$tmp/err" \
            || fail "rc $? for $*: $(cat "$tmp/err")"
    fi
    settle_log "$tmp/access.log" "$tmp/proxy.log" || fail "the access logs kept growing after $*"
    sort "$tmp/access.log" | sed 's/ [0-9]*$//' >"$tmp/log.$tool"
    awk '{print $1, $NF}' "$tmp/access.log" | sort -u | awk '{print $1}' | uniq -c \
        | awk '{print $2, $1}' | sort | tr '\n' ';' >"$tmp/conns.$tool"
    cp "$tmp/proxy.log" "$tmp/plog.$tool"
}
# same ARGS...: loadgen, then hey when installed, whose access-log lines must be the same
same() {
    run lg "$@"
    [ -n "$HEY" ] || return 0
    run hey "$@"
    cmp -s "$tmp/log.lg" "$tmp/log.hey" \
        || fail "not as hey for $*: $(diff "$tmp/log.lg" "$tmp/log.hey")"
}
has() { grep -qxF "$1" "$tmp/log.lg" || fail "no line '$1' in: $(cat "$tmp/log.lg")"; }
errline() { # the error line wanted, in loadgen's summary and in hey's (when it ran)
    grep -qF "$1" "$tmp/out.lg" || fail "error line '$1' not in: $(cat "$tmp/out.lg")"
    [ -z "$HEY" ] || grep -qF "$1" "$tmp/out.hey" || fail "hey said otherwise: $(cat "$tmp/out.hey")"
}
conns() { # "port count;" pairs, in any order
    local want
    want=$(echo "$1" | tr ';' '\n' | grep . | sort | tr '\n' ';')
    [ "$(cat "$tmp/conns.lg")" = "$want" ] || fail "connections '$(cat "$tmp/conns.lg")', want '$want'"
}
conns_hey() { # the same for hey's run (where it ran), when its count is deterministic
    local want
    want=$(echo "$1" | tr ';' '\n' | grep . | sort | tr '\n' ';')
    [ -z "$HEY" ] || [ "$(cat "$tmp/conns.hey")" = "$want" ] \
        || fail "hey's connections '$(cat "$tmp/conns.hey")', want '$want'"
}

# 1. another server: both logs; Authorization and Cookie dropped on the other host, Referer
# set; one connection per worker to each origin (the first one parked while the hop is away)
same -n 6 -c 2 -t 5 -H "Authorization: Bearer t" -H "Cookie: k=v" "$A/to-b"
grep -q '\[200\]	6 responses' "$tmp/out.lg" || fail "to-b: $(cat "$tmp/out.lg")"
[ "$(grep -cxF "$a HTTP/1.1 \"GET /to-b HTTP/1.1\" 302 host=127.0.0.1:$a auth=\"Bearer t\" cookie=\"k=v\" ref=\"-\"" "$tmp/log.lg")" = 6 ] \
    || fail "first hops: $(cat "$tmp/log.lg")"
[ "$(grep -cxF "$b HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-b\"" "$tmp/log.lg")" = 6 ] \
    || fail "second hops: $(cat "$tmp/log.lg")"
conns "$a 2;$b 2;"

# 2. the same host keeps them
same -n 2 -c 1 -t 5 -H "Authorization: Bearer t" -H "Cookie: k=v" "$A/rel"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Bearer t\" cookie=\"k=v\" ref=\"$A/rel\""
conns "$a 1;"

# 3. A -> B -> A: one connection to each for 3 requests (the parked one comes back)
same -n 3 -c 1 -t 5 "$A/to-b-back"
[ "$(grep -c "GET /final" "$tmp/log.lg")" = 3 ] || fail "back: $(cat "$tmp/log.lg")"
conns "$a 1;$b 1;"

# 4. -disable-keepalive: a connection per hop
same -disable-keepalive -n 4 -c 1 -t 5 "$A/to-b"
conns "$a 4;$b 4;"

# 5. -host: kept for a relative Location, the new URL's host for an absolute one
same -n 1 -c 1 -t 5 -host example.test "$A/rel"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=example.test auth=\"-\" cookie=\"-\" ref=\"$A/rel\""
same -n 1 -c 1 -t 5 -host example.test "$A/abs-same"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"$A/abs-same\""

# 6. dot segments removed, relative (with its query) and absolute
same -n 1 -c 1 -t 5 "$A/dots/a/b"
has "$a HTTP/1.1 \"GET /final?q=1 HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"$A/dots/a/b\""
same -n 1 -c 1 -t 5 "$A/to-b-dots"
has "$b HTTP/1.1 \"GET /x/final HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-b-dots\""

# 7. -t runs over all hops: three hops of 0.4 s pass -t 1 on the third (named by its URL),
# and fit in -t 3
same -n 1 -c 1 -t 1 "http://127.0.0.1:$s1/s1"
errline "[1]	Get \"http://127.0.0.1:$s2/s3\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
run lg -n 1 -c 1 -t 3 "http://127.0.0.1:$s1/s1"
grep -q '\[200\]	1 responses' "$tmp/out.lg" || fail "-t 3: $(cat "$tmp/out.lg")"

# 8. through an http proxy (nginx forward proxy): absolute form for both origins, on one
# connection to the proxy (Go pools http-through-proxy connections by the proxy alone)
same -n 2 -c 1 -t 5 -x "http://127.0.0.1:$px" "$A/to-b"
[ "$(grep -c "^$px HTTP/1.1 \"GET http://127.0.0.1:$a/to-b HTTP/1.1\" 302" "$tmp/log.lg")" = 2 ] \
    || fail "proxy, first hop: $(cat "$tmp/log.lg")"
[ "$(grep -c "^$px HTTP/1.1 \"GET http://127.0.0.1:$b/final HTTP/1.1\" 200" "$tmp/log.lg")" = 2 ] \
    || fail "proxy, second hop: $(cat "$tmp/log.lg")"
[ "$(grep -c "^$b .*GET /final" "$tmp/log.lg")" = 2 ] || fail "proxy to b: $(cat "$tmp/log.lg")"
case "$(cat "$tmp/conns.lg")" in *"$px 1;"*) ;; *) fail "proxy connections: $(cat "$tmp/conns.lg")" ;; esac

# a proxy that is not there: Go wraps the dial error (transport.go dialConn, wrapErr)
same -n 1 -c 1 -t 5 -x "http://127.0.0.1:$dead" "$A/to-b"
errline "[1]	Get \"$A/to-b\": proxyconnect tcp: dial tcp 127.0.0.1:$dead: connect: connection refused"

# 9. an https hop, then the same through a CONNECT proxy (a tunnel to the new origin)
same -n 2 -c 1 -t 5 "$A/to-bs"
has "$bs HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$bs auth=\"-\" cookie=\"-\" ref=\"$A/to-bs\""
same -n 2 -c 1 -t 5 -x "$cproxy" "$A/to-bs"
grep -qxF "CONNECT 127.0.0.1:$bs HTTP/1.1" "$tmp/plog.lg" || fail "CONNECT: $(cat "$tmp/plog.lg")"
[ -z "$HEY" ] || cmp -s "$tmp/plog.lg" "$tmp/plog.hey" || fail "proxy log not as hey's"

# 10. -h2: the same origin on one HTTP/2 connection (a new stream per hop); to http, HTTP/1.1
# without Referer (https -> http)
same -h2 -n 4 -c 2 -t 5 "https://127.0.0.1:$h2/r302"
[ "$(grep -c "^$h2 HTTP/2.0 \"GET /final HTTP/2.0\" 200 .*ref=\"https://127.0.0.1:$h2/r302\"" "$tmp/log.lg")" = 4 ] \
    || fail "h2 same origin: $(cat "$tmp/log.lg")"
conns "$h2 1;"
same -h2 -n 2 -c 1 -t 5 "https://127.0.0.1:$h2/to-b"
has "$b HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"-\""

# 11. Go's error texts: a refused hop names the hop's URL and address; the transport refuses
# ftp; a Location Go cannot parse names the URL that answered (and costs the connection: Go
# closes that body unread, where an unsupported scheme leaves it to be reused)
same -n 2 -c 1 -t 5 "$A/dead"
errline "[2]	Get \"http://127.0.0.1:$dead/final\": dial tcp 127.0.0.1:$dead: connect: connection refused"
same -n 3 -c 1 -t 5 "$A/ftp"
errline "[3]	Get \"ftp://example.test/x\": unsupported protocol scheme \"ftp\""
conns "$a 1;"
same -n 3 -c 1 -t 5 "$A/bad"
errline "[3]	Get \"$A/bad\": failed to parse Location header \"http://[::1/x\": parse \"http://[::1/x\": missing ']' in host"
conns "$a 3;"

# 12. a Location Go escapes (a space, bytes outside ASCII: the path as %XX, the query as
# written, so nginx answers 400 to the space there), relative and absolute; user info sent as basic auth of the unescaped name
# ("u x:p"), kept on a relative hop after it, never in the Referer
same -n 1 -c 1 -t 5 "$A/to-b-esc"
has "$b HTTP/1.1 \"GET /a%20b/%C3%A9?q=\xC3\xA9 HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-b-esc\""
same -n 1 -c 1 -t 5 "$A/rel-esc"
grep -q "^$a - \"GET /sp%20ace?a b HTTP/1.1\" 400" "$tmp/log.lg" || fail "rel-esc: $(cat "$tmp/log.lg")"
same -n 1 -c 1 -t 5 -H "Authorization: Bearer t" "$A/to-b-user"
has "$b HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"Basic dSB4OnA=\" cookie=\"-\" ref=\"$A/to-b-user\""
same -n 1 -c 1 -t 5 "$A/user-rel"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Basic dTpw\" cookie=\"-\" ref=\"$A/rel\""

# 13. user info in the command-line URL: basic auth of the unescaped name, as hey's transport
# sends it (hey's own -a is lost, see docs/loadgen.md); a -H Authorization is sent instead
same -n 1 -c 1 -t 5 "http://u%20x:p@127.0.0.1:$a/final"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Basic dSB4OnA=\" cookie=\"-\" ref=\"-\""
same -n 1 -c 1 -t 5 "http://u@127.0.0.1:$a/final"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Basic dTo=\" cookie=\"-\" ref=\"-\""
same -n 1 -c 1 -t 5 -H "Authorization: Bearer t" "http://u:p@127.0.0.1:$a/final"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Bearer t\" cookie=\"-\" ref=\"-\""
out=$("$SCALESIM" loadgen -n 1 -c 1 "http://u%zz@127.0.0.1:$a/final" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "bad escape: exit $rc: $out"
echo "$out" | grep -qF "invalid URL escape \"%zz\"" || fail "bad escape: $out"
out=$("$SCALESIM" loadgen -n 1 -c 1 "http://u p@127.0.0.1:$a/final" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "bad user info: exit $rc: $out"
echo "$out" | grep -qF "net/url: invalid userinfo" || fail "bad user info: $out"

# 14. on redirects the command-line URL's user info is Go's URL.User, not a copied header:
# kept by a relative Location (never in the Referer), dropped by an absolute one to the same
# host and by one to another host; through -x never on the request line; error texts name a
# URL with user info as `user:***@` (client.go stripPassword), the name unescaped
U=http://u:p@127.0.0.1:$a
same -n 1 -c 1 -t 5 "$U/rel"
has "$a HTTP/1.1 \"GET /rel HTTP/1.1\" 302 host=127.0.0.1:$a auth=\"Basic dTpw\" cookie=\"-\" ref=\"-\""
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Basic dTpw\" cookie=\"-\" ref=\"$A/rel\""
same -n 1 -c 1 -t 5 "$U/abs-same"
has "$a HTTP/1.1 \"GET /abs-same HTTP/1.1\" 302 host=127.0.0.1:$a auth=\"Basic dTpw\" cookie=\"-\" ref=\"-\""
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"$A/abs-same\""
same -n 1 -c 1 -t 5 "$U/to-b"
has "$b HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-b\""
same -n 1 -c 1 -t 5 -H "Authorization: Bearer t" "$U/abs-same"
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Bearer t\" cookie=\"-\" ref=\"$A/abs-same\""
same -n 1 -c 1 -t 5 -x "http://127.0.0.1:$px" "$U/rel"
has "$px HTTP/1.1 \"GET http://127.0.0.1:$a/final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"Basic dTpw\" cookie=\"-\" ref=\"$A/rel\""
same -n 1 -c 1 -t 5 "http://u%20x:p@127.0.0.1:$dead/x"
errline "[1]	Get \"http://u x:***@127.0.0.1:$dead/x\": dial tcp 127.0.0.1:$dead: connect: connection refused"
same -n 1 -c 1 -t 5 "http://u%41@127.0.0.1:$dead/x"
errline "[1]	Get \"http://uA@127.0.0.1:$dead/x\": dial tcp 127.0.0.1:$dead: connect: connection refused"
same -n 1 -c 1 -t 5 "$U/bad"
errline "[1]	Get \"http://u:***@127.0.0.1:$a/bad\": failed to parse Location header \"http://[::1/x\": parse \"http://[::1/x\": missing ']' in host"
same -n 1 -c 1 -t 5 "$U/dead"
errline "[1]	Get \"http://127.0.0.1:$dead/final\": dial tcp 127.0.0.1:$dead: connect: connection refused"
same -n 1 -c 1 -t 1 "http://u:p@127.0.0.1:$s1/r1"
errline "[1]	Get \"http://u:***@127.0.0.1:$s1/s3\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
# the command-line URL as Go's URL.String names it (path and fragment escaped, the query as
# written, %q), in a summary hey writes with Printf, so each %XX is a verb without operand;
# its request line as URL.RequestURI (the path escaped)
same -n 1 -c 1 -t 5 "http://127.0.0.1:$dead/a b/ü?q=é\"#f g"
errline "[1]	Get \"http://127.0.0.1:$dead/a%!b(MISSING)/%!C(MISSING)3%!B(MISSING)C?q=é\\\"#f%!g(MISSING)\": dial tcp 127.0.0.1:$dead: connect: connection refused"
same -n 1 -c 1 -t 5 "$A/a b/ü"
has "$a HTTP/1.1 \"GET /a%20b/%C3%BC HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"-\""
# fragments: never sent, but the hop's URL has them (the command line's, then the Location's),
# so the next Referer names them, escaped
same -n 1 -c 1 -t 5 "$A/to-b-frag#top"
has "$b HTTP/1.1 \"GET /back HTTP/1.1\" 302 host=127.0.0.1:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-b-frag#top\""
has "$a HTTP/1.1 \"GET /final HTTP/1.1\" 200 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"http://127.0.0.1:$b/back#f%20g\""
# a Location host outside ASCII: its IDNA form on the request line and in Host (through nginx
# as an -x proxy, which answers 502 as it cannot resolve it: nothing here does DNS), named
# escaped in the error text; one whose IDNA fails goes as written, and Go's resolver does
# not even ask DNS about it (`lookup NAME: no such host`)
same -n 1 -c 1 -t 5 -x "http://127.0.0.1:$px" "$A/to-idn"
has "$px HTTP/1.1 \"GET http://xn--bcher-kva.example.:$b/final HTTP/1.1\" 502 host=xn--bcher-kva.example.:$b auth=\"-\" cookie=\"-\" ref=\"$A/to-idn\""
same -n 1 -c 1 -t 5 "$A/to-idn-bad"
errline "[1]	Get \"http://b%!C(MISSING)3%!B(MISSING)C-.example:$b/final\": dial tcp: lookup bü-.example: no such host"

# 15. -h2: a hop to another https origin is a stream on that origin's HTTP/2 connection, as
# hey's transport (h2 configured) speaks it to any https origin choosing h2: one connection to
# each origin for both workers (the pool is shared, per origin), A -> B -> A on the same two
# and A -> B -> C -> A on three (idle connections to other origins are kept),
# through a CONNECT proxy (a tunnel per origin, then h2); an https origin without h2 gets
# HTTP/1.1 (kept by the worker and reused); a refused hop is named by its URL and address
same -h2 -n 4 -c 2 -t 5 "https://127.0.0.1:$h2/to-h2b"
[ "$(grep -c "^$h2b HTTP/2.0 \"GET /final HTTP/2.0\" 200 host=127.0.0.1:$h2b auth=\"-\" cookie=\"-\" ref=\"https://127.0.0.1:$h2/to-h2b\"" "$tmp/log.lg")" = 4 ] \
    || fail "h2 away: $(cat "$tmp/log.lg")"
conns "$h2 1;$h2b 1;"
same -h2 -n 3 -c 1 -t 5 "https://127.0.0.1:$h2/to-h2b-back"
[ "$(grep -c "^$h2 HTTP/2.0 \"GET /final HTTP/2.0\" 200 .*ref=\"https://127.0.0.1:$h2b/back\"" "$tmp/log.lg")" = 3 ] \
    || fail "h2 back: $(cat "$tmp/log.lg")"
conns "$h2 1;$h2b 1;"
conns_hey "$h2 1;$h2b 1;"
same -h2 -n 3 -c 1 -t 5 "https://127.0.0.1:$h2/chain" # A -> B -> C -> A: idle ones kept
[ "$(grep -c "^$h2 HTTP/2.0 \"GET /final HTTP/2.0\" 200 .*ref=\"https://127.0.0.1:$h2c/back\"" "$tmp/log.lg")" = 3 ] \
    || fail "h2 chain: $(cat "$tmp/log.lg")"
conns "$h2 1;$h2b 1;$h2c 1;"
conns_hey "$h2 1;$h2b 1;$h2c 1;"
same -h2 -n 2 -c 1 -t 5 -x "$cproxy" "https://127.0.0.1:$h2/to-h2b"
[ "$(grep -c "^$h2b HTTP/2.0 \"GET /final HTTP/2.0\" 200" "$tmp/log.lg")" = 2 ] || fail "h2 away through -x: $(cat "$tmp/log.lg")"
grep -qxF "CONNECT 127.0.0.1:$h2b HTTP/1.1" "$tmp/plog.lg" || fail "h2 CONNECT: $(cat "$tmp/plog.lg")"
[ -z "$HEY" ] || cmp -s "$tmp/plog.lg" "$tmp/plog.hey" || fail "h2 proxy log not as hey's"
same -h2 -n 3 -c 1 -t 5 "https://127.0.0.1:$h2/to-bs"
[ "$(grep -c "^$bs HTTP/1.1 \"GET /final HTTP/1.1\" 200 .*ref=\"https://127.0.0.1:$h2/to-bs\"" "$tmp/log.lg")" = 3 ] \
    || fail "h2 to h1: $(cat "$tmp/log.lg")"
conns "$h2 1;$bs 1;"
conns_hey "$h2 1;$bs 1;"
# an http URL: its own requests HTTP/1.1 (no h2c in Go), its hop to https HTTP/2
same -h2 -n 2 -c 1 -t 5 "$A/to-h2b"
[ "$(grep -c "^$h2b HTTP/2.0 \"GET /final HTTP/2.0\" 200 .*ref=\"$A/to-h2b\"" "$tmp/log.lg")" = 2 ] \
    || fail "http to h2: $(cat "$tmp/log.lg")"
has "$a HTTP/1.1 \"GET /to-h2b HTTP/1.1\" 302 host=127.0.0.1:$a auth=\"-\" cookie=\"-\" ref=\"-\""
conns "$a 1;$h2b 1;"
conns_hey "$a 1;$h2b 1;"
same -h2 -n 2 -c 1 -t 5 "https://127.0.0.1:$h2/to-dead"
errline "[2]	Get \"https://127.0.0.1:$dead/final\": dial tcp 127.0.0.1:$dead: connect: connection refused"
echo PASS
