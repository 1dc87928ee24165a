# nginx_helpers.sh: sourced by loadgen tests that run Debian's nginx on 127.0.0.1. Defines fail,
# free_port, wait_port, wait_lines, closed_port, a cleanup trap that stops every pid in $pids
# and removes $tmp (and this test's port claims), self_signed_cert (writes $tmp/cert.pem and
# $tmp/key.pem) and start_nginx CONF PORT (runs nginx on a config written by the test, whose
# error log is $tmp/error.log, and waits for PORT). Exits 0 with SKIP when nginx is not installed.
# Every wait here ends as soon as its condition holds and gives up after about 30 s, long enough
# for an ASan build on a loaded machine; none of them is a fixed sleep.
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -5 "$tmp/error.log"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "SKIP: nginx not installed"; exit 0; }
tmp=$(mktemp -d)
pids=()
port_claims=/tmp/scalesim-test-ports
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
    grep -lx "$$" "$port_claims"/* 2>/dev/null | xargs -r rm -f
}
trap cleanup EXIT
# free_port: a port for a server this test starts later. Not one the kernel hands out (bind to
# port 0, connect): those come from ip_local_port_range, where another test running in parallel
# (ctest -j) could be given the same port between this choice and the server's bind, or dial
# from it. It is below that range, and claimed by a file in $port_claims (created exclusively,
# holding this shell's pid, removed by cleanup; a claim older than 15 minutes, past ctest's
# 600 s timeout, is stale), so two tests never pick the same one.
free_port() {
    python3 - "$port_claims" "$$" <<'PY'
import errno, os, random, socket, sys, time
claims, owner = sys.argv[1], sys.argv[2]
os.makedirs(claims, exist_ok=True)
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(1000):
    port = random.randrange(max(1025, low - 12000), low)
    path = os.path.join(claims, str(port))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        try:
            if time.time() - os.stat(path).st_mtime < 900:
                continue
            os.unlink(path)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError:
            continue
    os.write(fd, (owner + "\n").encode())
    os.close(fd)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))  # free now (no SO_REUSEADDR: not even in TIME_WAIT)
    except OSError:
        os.unlink(path)
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit("free_port: no free port below %d" % low)
PY
}
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# wait_lines FILE N: waits until FILE has at least N lines. nginx writes a request's access log
# line after it has sent the response, so the client can have exited before the line is there.
wait_lines() { for _ in $(seq 300); do [ "$(wc -l <"$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
# settle_log FILE...: waits until the files have stopped growing (the same sizes 0.2 s apart), for
# counts not known in advance; nginx writes a line right after its response, so this is the
# scheduling delay of a loaded machine, not a guess at nginx's timing. Gives up after about 30 s.
settle_log() {
    local before after
    before=$(wc -c "$@" | tail -1)
    for _ in $(seq 150); do
        sleep 0.2
        after=$(wc -c "$@" | tail -1)
        [ "$after" = "$before" ] && return 0
        before=$after
    done
    return 1
}
# closed_port: sets $closed to a port that refuses connections: bound by a process of this test
# that never listens, so no other test can take it meanwhile (as it could a port merely free).
closed_port() {
    rm -f "$tmp/closed.port"
    python3 -c 'import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)' "$tmp/closed.port" &
    pids+=($!)
    for _ in $(seq 300); do [ -s "$tmp/closed.port" ] && break; sleep 0.1; done
    [ -s "$tmp/closed.port" ] || fail "closed_port: the holder did not start"
    closed=$(cat "$tmp/closed.port")
}
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
