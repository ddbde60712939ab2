#!/usr/bin/env bash
# Runs every ```sh block of docs/OPERATIONS.md, in order, as one root shell script against the
# built packages in a throwaway root, so the operations guide cannot rot. Nothing touches the real
# system:
#   - the packages are unpacked with dpkg -x into $ROOT (never installed); absolute paths under
#     /etc, /var and /root in the commands are rewritten into $ROOT
#   - stand-ins (shims first on PATH) for what needs a real machine: apt (unpack, keeping existing
#     /etc files as dpkg keeps conffiles), systemctl (runs the unpacked kiosk-server, and the kiosk
#     on the X display, as the units would), runuser (runs the command as is), scp (a local copy),
#     journalctl (the services' captured stderr), install (owner options dropped: the service
#     users do not exist here); the manager PIN add-kiosk asks for is piped in
#   - https://feedback.example.com and 127.0.0.1:8080 become the test server's free port;
#     db.example.com becomes the throwaway PostgreSQL cluster (FK_TEST_PG_URL)
# Then it checks the outcome: the server serves from PostgreSQL, the provisioned kiosk reported
# in, the CSV export and the backups exist.
# Usage: operations-doc-test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d /tmp/fk-opsdoc-XXXXXX)
export ROOT=$work/root WORK=$work
shims=$work/shims
mkdir -p "$ROOT/root" "$shims" "$work/pkgs"
fail() { echo "FAIL: $*" >&2; exit 1; }

pg_admin=
if [ -n "${FK_TEST_PG_URL:-}" ]; then
  pg_hostport=$(sed -E 's|^postgres(ql)?://[^@]*@([^/]*)/.*|\2|' <<<"$FK_TEST_PG_URL")
  pg_admin="postgresql://postgres@$pg_hostport/postgres"
elif [ "${FK_REQUIRE_PG:-}" = 1 ]; then
  fail "FK_REQUIRE_PG=1 but FK_TEST_PG_URL is not set"
else
  echo "WARNING: no PostgreSQL (FK_TEST_PG_URL): the PostgreSQL blocks are not run"
fi
pg_reset() {
  [ -n "$pg_admin" ] || return 0
  psql -q "$pg_admin" -c 'DROP DATABASE IF EXISTS feedback' -c 'DROP DATABASE IF EXISTS feedback_restore' -c 'DROP DATABASE IF EXISTS feedback_old' -c 'DROP ROLE IF EXISTS "kiosk-server"' >/dev/null 2>&1 || true
}
cleanup() {
  if [ -f "$work/pids" ]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done <"$work/pids"
    sleep 0.5
  fi
  pg_reset
  rm -rf "$work"
}
trap cleanup EXIT
pg_reset

echo "== packages"
(cd "$build" && cpack -G DEB -B "$work/pkgs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
rm -rf "$work/pkgs/_CPack_Packages"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PORT

display_ok=0
if [ -n "${DISPLAY:-}" ] && xdotool getdisplaygeometry >/dev/null 2>&1; then display_ok=1; fi
if [ "$display_ok" = 0 ] && [ "${FK_REQUIRE_DISPLAY:-}" = 1 ]; then
  fail "FK_REQUIRE_DISPLAY=1 but no X display works (DISPLAY=${DISPLAY:-})"
fi
export FK_DOC_DISPLAY_OK=$display_ok LIBGL_ALWAYS_SOFTWARE=1

# --- stand-ins --------------------------------------------------------------------------------
cat >"$shims/apt" <<'SH'
#!/usr/bin/env bash
# apt install ./X.deb ...: unpack into $ROOT; files already under etc/ are kept (conffiles).
set -euo pipefail
[ "$1" = install ] || { echo "apt stand-in: only 'install ./pkg.deb'" >&2; exit 1; }
shift
for deb in "$@"; do
  [ -f "$deb" ] || { echo "apt stand-in: no file $deb" >&2; exit 100; }
  tmp=$(mktemp -d "$WORK/unpack-XXXXXX")
  dpkg -x "$deb" "$tmp"
  (cd "$tmp" && find . -type f -o -type l) | while read -r f; do
    case "$f" in ./etc/*) [ -e "$ROOT/$f" ] && continue ;; esac
    mkdir -p "$(dirname "$ROOT/$f")"
    # Replaced by rename, as dpkg does (a running binary stays intact).
    cp -a "$tmp/$f" "$ROOT/$f.apt-new" && mv -f "$ROOT/$f.apt-new" "$ROOT/$f"
  done
  rm -rf "$tmp"
  # The sandbox's one change to a shipped file: the free test port instead of 8080.
  [ -f "$ROOT/etc/kiosk-server/kiosk-server.env" ] && sed -i "s/:8080\b/:$PORT/" "$ROOT/etc/kiosk-server/kiosk-server.env"
  # postinst: a running service is restarted with the new binary.
  pkg=$(dpkg-deb -f "$deb" Package)
  unit=$([ "$pkg" = kiosk-server ] && echo kiosk-server || echo feedback-kiosk)
  if [ -f "$WORK/$unit.pid" ]; then systemctl restart "$unit"; fi
  echo "apt stand-in: unpacked $pkg $(dpkg-deb -f "$deb" Version)"
done
SH
cat >"$shims/systemctl" <<'SH'
#!/usr/bin/env bash
# systemctl [enable --now|start|stop|restart] UNIT: runs what the unit runs, from $ROOT.
set -euo pipefail
verb=$1; shift
[ "${1:-}" = --now ] && shift
unit=${1%.service}
log=$WORK/journal-$unit.log
stop() {
  [ -f "$WORK/$unit.pid" ] || return 0
  local pid; pid=$(cat "$WORK/$unit.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$WORK/$unit.pid"
}
start() {
  case "$unit" in
    kiosk-server)
      mkdir -p "$ROOT/var/lib/kiosk-server"   # StateDirectory=
      # EnvironmentFile=, with the sandbox's paths.
      set -a; source <(sed -e "s|sqlite:/var/|sqlite:$ROOT/var/|" "$ROOT/etc/kiosk-server/kiosk-server.env"); set +a
      local before; before=$(grep -c '^kiosk-server: serving' "$log" 2>/dev/null || true)
      # shellcheck disable=SC2086
      "$ROOT/usr/bin/kiosk-server" serve --config "$ROOT/etc/kiosk-server/server.toml" --db "$KIOSK_SERVER_DB" \
        --listen "$KIOSK_SERVER_LISTEN" $KIOSK_SERVER_OPTS 2>>"$log" &
      echo $! >"$WORK/$unit.pid"; echo $! >>"$WORK/pids"
      for _ in $(seq 200); do
        [ "$(grep -c '^kiosk-server: serving' "$log" 2>/dev/null || true)" -gt "${before:-0}" ] && return 0
        kill -0 "$(cat "$WORK/$unit.pid")" 2>/dev/null || break
        sleep 0.1
      done
      echo "systemctl stand-in: kiosk-server did not start:" >&2; cat "$log" >&2; exit 1 ;;
    feedback-kiosk)
      mkdir -p "$ROOT/var/lib/feedback-kiosk"
      if [ "$FK_DOC_DISPLAY_OK" != 1 ]; then echo "systemctl stand-in: no display, kiosk not started"; return 0; fi
      "$ROOT/usr/bin/kiosk" --config "$ROOT/etc/feedback-kiosk/kiosk.toml" --data-dir "$ROOT/var/lib/feedback-kiosk" \
        --windowed 1024x768 2>>"$log" &
      echo $! >"$WORK/$unit.pid"; echo $! >>"$WORK/pids" ;;
    *) echo "systemctl stand-in: unknown unit $unit" >&2; exit 1 ;;
  esac
}
case "$verb" in
  enable|start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "systemctl stand-in: unsupported $verb" >&2; exit 1 ;;
esac
SH
cat >"$shims/runuser" <<'SH'
#!/usr/bin/env bash
# runuser -u USER -- CMD...: the service users do not exist here; run CMD as is.
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
shift
exec "$@"
SH
cat >"$shims/scp" <<'SH'
#!/usr/bin/env bash
# scp [-r] HOST:PATH... DEST: a local copy (server and kiosk share the sandbox).
args=(); for a in "$@"; do case "$a" in -*) ;; *) args+=("${a#*:}") ;; esac; done
exec cp -r "${args[@]}"
SH
cat >"$shims/install" <<'SH'
#!/usr/bin/env bash
# install with -o/-g dropped (no such users here).
args=(); while [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac; done
exec /usr/bin/install "${args[@]}"
SH
cat >"$shims/journalctl" <<'SH'
#!/usr/bin/env bash
# journalctl -u UNIT [-n N]: the unit's captured stderr.
unit= n=50
while [ $# -gt 0 ]; do case "$1" in -u) unit=${2%.service}; shift 2 ;; -n) n=$2; shift 2 ;; *) shift ;; esac; done
tail -n "$n" "$WORK/journal-$unit.log" 2>/dev/null || true
SH
chmod +x "$shims"/*

# --- the document's commands ------------------------------------------------------------------
python3 - "$src/docs/OPERATIONS.md" "$work/doc.sh" "$pg_admin" <<'PY'
import os, re, sys
doc, out, pg_admin = sys.argv[1], sys.argv[2], sys.argv[3]
root, port = os.environ["ROOT"], os.environ["PORT"]
blocks, current = [], None
for line in open(doc, encoding="utf-8"):
    if current is None and line.strip() == "```sh":
        current = []
    elif current is not None and line.strip() == "```":
        blocks.append("".join(current)); current = None
    elif current is not None:
        current.append(line)
assert current is None, "unterminated ```sh block"
assert len(blocks) >= 10, f"only {len(blocks)} sh blocks found"
pg_host = re.sub(r"^postgres(ql)?://[^@]*@([^/]*)/.*$", r"\2", pg_admin) if pg_admin else ""
script = ["set -euo pipefail"]
for i, b in enumerate(blocks, 1):
    if "db.example.com" in b and not pg_admin:
        script.append(f"echo '== block {i}: skipped (no PostgreSQL)'")
        continue
    b = b.replace("https://feedback.example.com", f"http://127.0.0.1:{port}")
    b = b.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{port}")
    if pg_host:
        b = b.replace("db.example.com", pg_host)
    b = re.sub(r"(?<![\w.$])/(etc|var|root)/", lambda m: f"{root}/{m.group(1)}/", b)
    # add-kiosk --write-config asks the technician for the kiosk's manager PIN: typed here.
    b = re.sub(r"^(.*kiosk-server add-kiosk .*--write-config.*)$", r"printf '2580\\n2580\\n' | \1", b, flags=re.M)
    script.append(f"echo '== block {i}'")
    script.append(b)
open(out, "w").write("\n".join(script) + "\n")
print(f"{len(blocks)} sh blocks")
PY
echo "== running docs/OPERATIONS.md"
(cd "$work/pkgs" && PATH="$shims:$ROOT/usr/bin:$PATH" bash -x "$work/doc.sh") >"$work/doc.log" 2>&1 \
  || { cat "$work/doc.log"; fail "a command in docs/OPERATIONS.md failed (see the trace above)"; }

# --- what the document promised ----------------------------------------------------------------
check() { local what=$1; shift; "$@" || { cat "$work/doc.log"; fail "$what"; }; }
check "server healthy after the guide" curl -fsS "http://127.0.0.1:$PORT/healthz" -o /dev/null
check "manager token saved" test -s "$ROOT/root/manager-token"
check "kiosk files provisioned" test -f "$ROOT/etc/feedback-kiosk/kiosk.toml"
check "kiosk token 0600" test "$(stat -c %a "$ROOT/etc/feedback-kiosk/sync-token")" = 600
check "CSV export written, UTF-8 BOM first" grep -q $'^\xEF\xBB\xBFid,' "$ROOT/root/store12-till1.csv"
check "SQLite backup taken" bash -c "ls '$ROOT'/var/backups/kiosk-server/server-*.db >/dev/null"
check "the old token was revoked" grep -q "revoked" "$work/doc.log"
if [ -n "$pg_admin" ]; then
  check "the server now runs on PostgreSQL" grep -q "serving postgresql://" "$work/journal-kiosk-server.log"
  stores=$(psql -tA "postgresql://postgres@$pg_hostport/feedback" -c 'SELECT count(*) FROM stores')
  check "stores migrated ($stores)" test "$stores" = 1
  check "PostgreSQL dump taken" bash -c "ls '$ROOT'/var/backups/kiosk-server/feedback-*.dump >/dev/null"
  check "roll-ups rebuilt after the restore" grep -q "report roll-ups rebuilt from" "$work/doc.log"
  rollups=$(psql -tA "postgresql://postgres@$pg_hostport/feedback" -c \
    'SELECT (SELECT count(*) FROM responses) = (SELECT coalesce(sum(n), 0) FROM agg_rep_day)')
  check "roll-ups equal the restored responses" test "$rollups" = t
fi
if [ "$display_ok" = 1 ]; then
  manager=$(cat "$ROOT/root/manager-token")
  ok=0
  for _ in $(seq 150); do
    status=$(curl -s -H "Authorization: Bearer $manager" "http://127.0.0.1:$PORT/api/v1/kiosks/store12-till1/status" || true)
    if python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s.get("last_seen") else 1)' "$status" 2>/dev/null; then
      ok=1; break
    fi
    sleep 0.2
  done
  check "the provisioned kiosk reported in: ${status:-}" test "$ok" = 1
  check "kiosk running on its provisioned config" bash -c "! grep -q 'not-set-up' '$work/journal-feedback-kiosk.log'"
fi
echo "operations doc test passed"
