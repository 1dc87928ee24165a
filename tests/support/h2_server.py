#!/usr/bin/env python3
"""h2_server.py: a tiny HTTP/2 server over TLS (ALPN h2) that misbehaves on purpose, for the
loadgen -h2 tests (tests/cli/loadgen_h2_errors.sh). Frames are written by hand (RFC 9113
section 4.1 layout; HPACK only as static-table references and literals, RFC 7541), so each
mode sends exactly the bytes it names:

  ok       200 with content-length: 2 and a DATA frame "ok"
  interim  a 100 (Continue) HEADERS frame, then 200 as in ok
  rst      RST_STREAM INTERNAL_ERROR for every request
  trunc    200 with content-length: 100, 5 bytes of DATA, then the connection is closed
  garbage  bytes that are not HTTP/2 instead of the server's SETTINGS
  goaway   the first connection answers its first request with GOAWAY (last stream 0, so
           the request was never processed); later connections behave as ok
  batch    SETTINGS_MAX_CONCURRENT_STREAMS is --max-streams; requests are answered as in ok
           but only when that many are open (or none came for 50 ms), so a client that keeps
           the limit fills it exactly; the most streams ever open at once is logged (max_open)

It writes the chosen port to --port-file, the count of connections and requests to --log
at each change, and exits after --seconds or --max connections (bounded, for tests).
"""
import argparse
import os
import socket
import ssl
import struct
import sys
import threading
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, GOAWAY = 0, 1, 3, 4, 7
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


# HPACK: ":status: 200" is static index 8 (0x88); a literal without indexing with an indexed
# name is 0x0N (N < 15) or 0x0f then N - 15; content-length is static index 28.
STATUS_200 = b"\x88"
STATUS_100 = b"\x08\x03100"


def content_length(n):
    v = str(n).encode()
    return b"\x0f\x0d" + bytes([len(v)]) + v


class State:
    def __init__(self, log):
        self.lock = threading.Lock()
        self.conns = 0
        self.requests = 0
        self.max_open = 0
        self.log = log

    def count(self, conns=0, requests=0, open_now=0):
        with self.lock:
            self.conns += conns
            self.requests += requests
            self.max_open = max(self.max_open, open_now)
            with open(self.log + ".tmp", "w") as f:
                f.write("connections %d requests %d max_open %d\n" %
                        (self.conns, self.requests, self.max_open))
            os.replace(self.log + ".tmp", self.log)
            return self.conns


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    return buf


def answer(stream):
    return frame(HEADERS, END_HEADERS, stream, STATUS_200 + content_length(2)) + \
        frame(DATA, END_STREAM, stream, b"ok")


def serve_batch(conn, state, max_streams):
    conn.sendall(frame(SETTINGS, 0, 0, struct.pack(">HI", 3, max_streams)))
    open_streams = []
    while True:
        try:
            conn.settimeout(0.05 if open_streams else 10)
            head = read_exact(conn, 9)
        except socket.timeout:
            conn.sendall(b"".join(answer(st) for st in open_streams))
            open_streams = []
            continue
        conn.settimeout(10)
        length = struct.unpack(">I", b"\0" + head[:3])[0]
        ftype, flags = head[3], head[4]
        stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
        read_exact(conn, length)
        if ftype == SETTINGS and not flags & ACK:
            conn.sendall(frame(SETTINGS, ACK, 0))
        if ftype != HEADERS:
            continue
        open_streams.append(stream)
        state.count(requests=1, open_now=len(open_streams))
        if len(open_streams) >= max_streams:
            conn.sendall(b"".join(answer(st) for st in open_streams))
            open_streams = []


def serve(conn, mode, state, nth, max_streams):
    try:
        conn.settimeout(10)
        if mode == "garbage":
            conn.sendall(b"this is not HTTP/2, not at all\r\n\r\n")
            time.sleep(0.5)
            return
        if read_exact(conn, len(PREFACE)) != PREFACE:
            return
        if mode == "batch":
            serve_batch(conn, state, max_streams)
            return
        conn.sendall(frame(SETTINGS, 0, 0, struct.pack(">HI", 3, 100)))  # MAX_CONCURRENT_STREAMS
        while True:
            head = read_exact(conn, 9)
            length = struct.unpack(">I", b"\0" + head[:3])[0]
            ftype, flags = head[3], head[4]
            stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
            read_exact(conn, length)
            if ftype == SETTINGS and not flags & ACK:
                conn.sendall(frame(SETTINGS, ACK, 0))
            if ftype != HEADERS:
                continue
            state.count(requests=1)
            if mode == "rst":
                conn.sendall(frame(RST_STREAM, 0, stream, struct.pack(">I", 2)))
            elif mode == "trunc":
                conn.sendall(frame(HEADERS, END_HEADERS, stream, STATUS_200 + content_length(100)) +
                             frame(DATA, 0, stream, b"short"))
                conn.shutdown(socket.SHUT_WR)  # a FIN, not a reset for unread bytes
                time.sleep(0.5)
                return
            elif mode == "goaway" and nth == 1:
                conn.sendall(frame(GOAWAY, 0, 0, struct.pack(">II", 0, 0)))
                time.sleep(0.2)
                return
            else:  # one write per answer: no Nagle wait between its frames
                interim = frame(HEADERS, END_HEADERS, stream, STATUS_100) if mode == "interim" else b""
                conn.sendall(interim + answer(stream))
    except (OSError, ConnectionError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", required=True,
                   choices=["ok", "interim", "rst", "trunc", "garbage", "goaway", "batch"])
    p.add_argument("--max-streams", type=int, default=100)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--max", type=int, default=200)
    args = p.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.set_alpn_protocols(["h2"])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    srv.settimeout(0.2)
    state = State(args.log)
    state.count()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    deadline = time.monotonic() + args.seconds
    accepted = 0
    while time.monotonic() < deadline and accepted < args.max:
        try:
            raw, _ = srv.accept()
        except socket.timeout:
            continue
        accepted += 1
        try:
            raw.settimeout(5)
            conn = ctx.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            continue
        nth = state.count(conns=1)
        threading.Thread(target=serve, args=(conn, args.mode, state, nth, args.max_streams), daemon=True).start()
    srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
