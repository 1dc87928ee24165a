# nginx_helpers.sh: sourced by loadgen tests that run Debian's nginx on 127.0.0.1. Defines fail,
# free_port, wait_port, a cleanup trap that stops every pid in $pids and removes $tmp,
# self_signed_cert (writes $tmp/cert.pem and $tmp/key.pem) and start_nginx CONF PORT (runs nginx
# on a config written by the test, whose error log is $tmp/error.log, and waits for PORT).
# Exits 0 with SKIP when nginx is not installed.
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -5 "$tmp/error.log"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "SKIP: nginx not installed"; exit 0; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# loadgen, like hey, does not verify the certificate
self_signed_cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj /CN=localhost -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 \
        || fail "openssl req"
}
start_nginx() { # config file, a port it listens on
    "$NGINX" -c "$1" -p "$tmp" -e "$tmp/error.log" 2>"$tmp/nginx.err" &
    pids+=($!)
    wait_port "$2" || fail "nginx did not start: $(cat "$tmp/nginx.err")"
}
