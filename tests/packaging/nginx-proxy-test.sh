#!/usr/bin/env bash
# The shipped nginx site file (packaging/nginx/kiosk-server.conf) in front of a real kiosk-server,
# on 127.0.0.1 with random ports, with nginx's own prefix, pid, log and temp dirs (issue 13):
#   - `nginx -t` accepts the file as shipped (only names, ports and certificate paths changed);
#   - health, a heartbeat and a batch pass through TLS;
#   - desync: requests the server refuses before reading their bodies (415 on a compressed login,
#     413 on a GET with a smuggled request as its body) never leave bytes on nginx's reused
#     upstream connections: honest requests between them all get their own answers;
#   - a body over the batch limit is refused by nginx itself (413).
# Usage: nginx-proxy-test.sh KIOSK_SERVER_BINARY SITE_CONF
# nginx missing: exit 77 (ctest skip), or fail when FK_REQUIRE_NGINX=1.
set -euo pipefail
S=$1
site=$2
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
  [ "${FK_REQUIRE_NGINX:-}" = 1 ] && { echo "FAIL: FK_REQUIRE_NGINX=1 but nginx is not installed (scripts/setup-deps)"; exit 1; }
  echo "SKIP: nginx is not installed (scripts/setup-deps installs nginx-light)"; exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/fk-nginx.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/error.log" ] && tail -n 20 "$work/error.log"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout "$work/key.pem" \
  -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a test certificate"
db="sqlite:$work/server.db"
"$S" add-store --db "$db" --id s1 --name S >/dev/null
token=$("$S" add-kiosk --db "$db" --store s1 --id k1 | tail -n 1)
manager=$("$S" add-manager --db "$db" --store s1 | tail -n 1)
# The log exists before the server starts: the background redirect is made by the child, and a
# loaded machine let the first read below run before it (sed failed, set -e ended the test).
: >"$work/server.log"
"$S" serve --db "$db" --listen 127.0.0.1:0 2>>"$work/server.log" &
pids+=($!)
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^kiosk-server: serving .* on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "kiosk-server did not start: $(cat "$work/server.log")"

https=$(free_port)
http=$(free_port)
sed -e "s|127.0.0.1:8080|127.0.0.1:$port|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/letsencrypt/live/kiosks.example.com/fullchain.pem|$work/cert.pem|" \
    -e "s|/etc/letsencrypt/live/kiosks.example.com/privkey.pem|$work/key.pem|" \
    -e "s|/var/www/html|$work/www|" \
    "$site" >"$work/site.conf"
mkdir -p "$work/tmp" "$work/www"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/tmp/body;
  proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fastcgi;
  uwsgi_temp_path $work/tmp/uwsgi;
  scgi_temp_path $work/tmp/scgi;
  include $work/site.conf;
}
CONF
"$nginx" -t -p "$work" -e "$work/error.log" -c "$work/nginx.conf" >"$work/t.log" 2>&1 \
  || fail "nginx -t rejects the shipped site file: $(cat "$work/t.log")"
"$nginx" -p "$work" -e "$work/error.log" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do
  curl -sk "https://127.0.0.1:$https/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

python3 - "$https" "$http" "$token" "$manager" <<'PY'
import json, socket, ssl, sys, time, uuid
port, http_port, token, manager = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

def exchange(raw, tls=True, p=port):
    s = socket.create_connection(("127.0.0.1", p), timeout=10)
    if tls:
        s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
    s.sendall(raw)
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            break
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    return status, body

def post(path, body, extra=b""):
    return (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + token.encode() +
            b"\r\nContent-Type: application/json\r\n" + extra + b"Content-Length: " + str(len(body)).encode() +
            b"\r\n\r\n" + body)

def uuid7():
    ms = int(time.time() * 1000)
    rand = int.from_bytes(__import__("os").urandom(10), "big")
    value = (ms << 80) | (0x7 << 76) | ((rand >> 62) & 0xFFF) << 64 | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))

def rfc3339(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)

def batch(seq):
    now = int(time.time() * 1000)
    r = {"id": uuid7(), "seq": seq, "created_at": rfc3339(now - 60000), "closed_at": rfc3339(now - 56000),
         "tz_offset_min": 0, "scale": 4, "rating": 3, "rep_id": None, "reason": None, "language": "en",
         "misuse": None}
    return json.dumps({"protocol": 1, "kiosk_id": "k1", "batch_id": uuid7(), "responses": [r]}).encode()

failures = []
def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

st, _ = exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check("healthz through nginx (got %d)" % st, st == 200)
st, _ = exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", tls=False, p=http_port)
check("plain http redirects to https (got %d)" % st, st == 301)
hb = json.dumps({"protocol": 1, "pending": 0, "oldest_pending_age_ms": None,
                 "clock": rfc3339(int(time.time() * 1000)), "version": "t",
                 "last_error": None, "alert": None}).encode()
smuggled = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
for i in range(10):
    st, _ = exchange(post(b"/api/v1/session", b"x" * 10000, b"Content-Encoding: gzip\r\n"))
    check("compressed login refused before its body is read (got %d)" % st, st == 415)
    st, _ = exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                     str(len(smuggled) + 5000).encode() + b"\r\n\r\n" + smuggled + b"y" * 5000)
    check("GET with a smuggled request as its body refused (got %d)" % st, st == 413)
    st, body = exchange(post(b"/api/v1/kiosks/k1/heartbeat", hb))
    check("honest heartbeat between them answered as itself (got %d)" % st, st == 200 and b"# HELP" not in body)
    st, body = exchange(post(b"/api/v1/batches", batch(i + 1)))
    check("honest batch answered with its receipt (got %d)" % st, st == 200 and b"accepted" in body)
st, _ = exchange(post(b"/api/v1/batches", b"[" + b" " * (5 << 20) + b"]"))
check("a batch over 4 MiB is refused by nginx (got %d)" % st, st == 413)

# Help calls live through nginx: the event stream is not buffered, a new call arrives at once.
stream = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5),
                         server_hostname="127.0.0.1")
stream.sendall(b"GET /api/v1/calls/stream?store=s1 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
               b"Authorization: Bearer " + manager.encode() + b"\r\n\r\n")
seen = b""
def read_until(needle, seconds):
    global seen
    end = time.time() + seconds
    while needle not in seen and time.time() < end:
        try:
            chunk = stream.recv(65536)
        except (socket.timeout, ssl.SSLError):
            continue
        if not chunk:
            break
        seen += chunk
    return needle in seen
check("the calls stream answers through nginx with its snapshot", read_until(b"event: snapshot", 5))
call_id = uuid7()
call = json.dumps({"protocol": 1, "kiosk_id": "k1", "calls": [
    {"response_id": call_id, "asked_at": rfc3339(int(time.time() * 1000)), "tz_offset_min": 0,
     "scale": 4, "rating": 1, "rep_id": None, "reason": None, "language": "en"}]}).encode()
posted = time.time()
st, body = exchange(post(b"/api/v1/calls", call))
check("a help call through nginx is accepted (got %d)" % st, st == 200 and b"accepted" in body)
arrived = read_until(call_id.encode(), 5)
waited = time.time() - posted
check("the call reaches the stream through nginx within 2 s (%.0f ms)" % (waited * 1000),
      arrived and b"event: call" in seen and waited < 2)
stream.close()
sys.exit(1 if failures else 0)
PY
echo "nginx proxy test passed"
