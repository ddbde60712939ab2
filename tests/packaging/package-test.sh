#!/usr/bin/env bash
# The Debian packages as a technician gets them: cpack builds both, dpkg -x unpacks them into a
# throwaway root (never a real install), and everything below runs from that tree.
#   - the file list (binaries, conffiles, locales, units, sysusers, docs) and the Depends lines
#   - --version and --help of both programs (every subcommand, exit codes)
#   - systemd-analyze verify on both units (ExecStart pointed at the unpacked binaries)
#   - provisioning: kiosk-server add-kiosk --write-config, then the unpacked kiosk runs on that
#     config, finds its locales, and its heartbeat reaches the unpacked server
#   - the not-set-up screen: missing config and the package's own conffile (screenshots kept in
#     <build>/screenshots), and the kiosk exits 0 when the file appears so systemd restarts it
#   - journald-style log lines when stderr is the journal
# Usage: package-test.sh BUILD_DIR SOURCE_DIR VERSION
# Needs an X display for the kiosk parts: fails without one when FK_REQUIRE_DISPLAY=1, skips
# those parts otherwise.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
version=$3
work=$(mktemp -d /tmp/fk-pkgtest-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { local what=$1; shift; "$@" || fail "$what"; }
has() { grep -q -- "$2" <<<"$1" || fail "expected '$2' in: ${1:0:2000}"; }

echo "== cpack"
(cd "$build" && cpack -G DEB -B "$work/pkgs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
kdeb=$work/pkgs/feedback-kiosk_${version}_amd64.deb
sdeb=$work/pkgs/kiosk-server_${version}_amd64.deb
check "feedback-kiosk .deb built" test -f "$kdeb"
check "kiosk-server .deb built" test -f "$sdeb"
root=$work/root
mkdir -p "$root"
dpkg -x "$kdeb" "$root"
dpkg -x "$sdeb" "$root"

echo "== files"
for f in usr/bin/kiosk usr/bin/kiosk-text usr/bin/kiosk-server usr/libexec/feedback-kiosk/kiosk-session; do check "$f executable" test -x "$root/$f"; done
for f in etc/feedback-kiosk/kiosk.toml etc/pam.d/feedback-kiosk etc/kiosk-server/kiosk-server.env \
         usr/lib/systemd/system/feedback-kiosk.service usr/lib/systemd/system/kiosk-server.service \
         usr/lib/sysusers.d/feedback-kiosk.conf usr/lib/sysusers.d/kiosk-server.conf \
         usr/share/doc/feedback-kiosk/README.md usr/share/doc/feedback-kiosk/OPERATIONS.md \
         usr/share/doc/feedback-kiosk/examples/kiosk.toml usr/share/doc/kiosk-server/OPERATIONS.md \
         usr/share/doc/kiosk-server/API.md etc/kiosk-server/server.toml \
         usr/share/doc/kiosk-server/examples/haproxy.cfg; do
  check "$f in a package" test -f "$root/$f"
done
for l in en hi ne te da; do check "locale $l" test -f "$root/usr/share/feedback-kiosk/locales/$l.toml"; done
has "$(dpkg-deb -I "$kdeb" conffiles)" "/etc/feedback-kiosk/kiosk.toml"
has "$(dpkg-deb -I "$kdeb" conffiles)" "/etc/pam.d/feedback-kiosk"
has "$(dpkg-deb -I "$sdeb" conffiles)" "/etc/kiosk-server/kiosk-server.env"
has "$(dpkg-deb -I "$sdeb" conffiles)" "/etc/kiosk-server/server.toml"
kdeps=$(dpkg-deb -f "$kdeb" Depends)
for d in systemd fonts-noto-core cage xwayland libglfw3 libharfbuzz0b libfreetype6 libsqlite3-0 libcurl4 libc6 libasound2 libespeak-ng1 espeak-ng-data; do has "$kdeps" "$d"; done
sdeps=$(dpkg-deb -f "$sdeb" Depends)
for d in systemd libpq5 libsodium23 libsqlite3-0 libc6; do has "$sdeps" "$d"; done
check "feedback-kiosk version" test "$(dpkg-deb -f "$kdeb" Version)" = "$version"
check "postinst creates the user" grep -q "systemd-sysusers feedback-kiosk.conf" <(dpkg-deb -I "$kdeb" postinst)
# What the postinsts do first: the service users, applied to the unpacked tree.
sysroot=$work/sysroot
cp -a "$root" "$sysroot"
systemd-sysusers --root "$sysroot" kiosk-server.conf feedback-kiosk.conf >/dev/null 2>&1 || fail "systemd-sysusers"
check "user kiosk-server" grep -q '^kiosk-server:.*:/var/lib/kiosk-server:/usr/sbin/nologin$' "$sysroot/etc/passwd"
check "user kiosk" grep -q '^kiosk:.*:/var/lib/feedback-kiosk:/usr/sbin/nologin$' "$sysroot/etc/passwd"
for g in video render input audio; do check "kiosk in group $g" grep -q "^$g:.*kiosk" "$sysroot/etc/group"; done
# The package's kiosk.toml leaves this kiosk's ids to the technician.
check "conffile has no kiosk id" bash -c "! grep -qE '^(id|store_id) = ' '$root/etc/feedback-kiosk/kiosk.toml'"

echo "== cmake --install puts the same files in the same places"
DESTDIR=$work/inst cmake --install "$build" --prefix /usr >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; }
(cd "$root" && find . -type f | sort) >"$work/deb-files.txt"
(cd "$work/inst" && find . -type f | sort) >"$work/install-files.txt"
diff "$work/deb-files.txt" "$work/install-files.txt" || fail "cmake --install and the packages differ (above)"

echo "== --version and --help"
K=$root/usr/bin/kiosk
S=$root/usr/bin/kiosk-server
has "$("$K" --version)" "kiosk $version"
has "$("$S" --version)" "kiosk-server $version"
khelp=$("$K" --help)
for w in --config --no-config --data-dir --log-level --windowed --screenshot --locales export-csv "Exit codes" \
         /etc/feedback-kiosk/kiosk.toml /var/lib/feedback-kiosk; do has "$khelp" "$w"; done
has "$("$K" export-csv --help)" "--out"
shelp=$("$S" --help)
for w in serve add-store add-kiosk add-manager revoke set-config migrate --log-level "Exit codes"; do has "$shelp" "$w"; done
has "$("$S" add-kiosk --help)" "--write-config"
has "$("$S" add-kiosk --help)" "--server-url"
has "$("$S" migrate --help)" "--merge"
set +e
"$S" frobnicate >/dev/null 2>&1; rc=$?
"$K" --log-level loud >/dev/null 2>&1; krc=$?
"$S" add-store --db "$work/x.db" --id s --name n --log-level debug >/dev/null 2>&1; lrc=$?
set -e
check "kiosk-server: bad command line exits 2 (got $rc)" test "$rc" = 2
check "kiosk: bad command line exits 1 (got $krc)" test "$krc" = 1
check "kiosk-server: --log-level after the subcommand (got $lrc)" test "$lrc" = 0

echo "== nginx site file (TLS through nginx, docs/OPERATIONS.md)"
check "nginx site file installed" test -f "$root/usr/share/kiosk-server/nginx/kiosk-server.conf"
set +e
"$src/tests/packaging/nginx-proxy-test.sh" "$S" "$root/usr/share/kiosk-server/nginx/kiosk-server.conf"; nrc=$?
set -e
[ "$nrc" = 77 ] && [ "${FK_REQUIRE_NGINX:-}" != 1 ] && echo "WARNING: nginx missing: the site file was not tried"
[ "$nrc" = 0 ] || [ "$nrc" = 77 ] || fail "the packaged nginx site file does not work in front of the packaged server"

echo "== systemd-analyze verify"
command -v cage >/dev/null || fail "cage is not installed (scripts/setup-deps installs it)"
mkdir -p "$work/units"
for u in "$root"/usr/lib/systemd/system/*.service; do
  sed -e "s|/usr/bin/kiosk|$root/usr/bin/kiosk|g" -e "s|/usr/libexec/|$root/usr/libexec/|g" "$u" >"$work/units/$(basename "$u")"
done
systemd-analyze verify "$work/units/kiosk-server.service" "$work/units/feedback-kiosk.service" \
  || fail "systemd-analyze verify"

echo "== settings file and load balancer example"
printf '[server]\nlisten = "127.0.0.1:0"\nlisten_port = 1\n' >"$work/bad.toml"
set +e; bad=$("$S" serve --config "$work/bad.toml" --db "sqlite:$work/never.db" 2>&1); brc=$?; set -e
check "a bad settings file exits 2 (got $brc)" test "$brc" = 2
has "$bad" "bad.toml:3: server.listen_port: unknown key"
# The shipped HAProxy config is valid for Debian's haproxy, given a certificate.
if command -v haproxy >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$work/lb.key" -out "$work/lb.crt" -days 1 2>/dev/null
  cat "$work/lb.crt" "$work/lb.key" >"$work/lb.pem"
  sed "s|/etc/haproxy/certs/kiosk-server.pem|$work/lb.pem|" "$root/usr/share/doc/kiosk-server/examples/haproxy.cfg" >"$work/haproxy.cfg"
  check "haproxy -c accepts the shipped haproxy.cfg" haproxy -c -q -f "$work/haproxy.cfg"
else
  fail "haproxy is not installed (scripts/setup-deps installs it)"
fi

echo "== provisioning round trip"
db="sqlite:$work/server.db"
"$S" add-store --db "$db" --id s1 --name "Main Street" >/dev/null
manager=$("$S" add-manager --db "$db" --store s1 | tail -n 1)
: >"$work/server.log"
export JOURNAL_STREAM
JOURNAL_STREAM=$(stat -c '%d:%i' "$work/server.log")
# With the package's own settings file, as the unit runs it (--db/--listen override it).
"$S" serve --config "$root/etc/kiosk-server/server.toml" --db "$db" --listen 127.0.0.1:0 2>>"$work/server.log" &
pids+=($!)
unset JOURNAL_STREAM
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^kiosk-server: serving .* on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log"; fail "kiosk-server did not start"; }
# stderr is "the journal" here: spdlog lines carry the <N> priority prefix.
check "journald priority prefix" grep -q "^<6>info: kiosk-server $version" "$work/server.log"
out=$(printf '2580\n2580\n' | "$S" add-kiosk --db "$db" --store s1 --id till-1 --server-url "http://127.0.0.1:$port" --write-config "$work/prov")
has "$out" "wrote $work/prov/kiosk.toml"
check "the provisioned kiosk.toml carries the manager PIN's hash" grep -q '^pin_hash = "\$argon2id\$' "$work/prov/kiosk.toml"
check "sync-token is 0600" test "$(stat -c %a "$work/prov/sync-token")" = 600
check "the token printed last is the one in the file" test "$(tail -n 1 <<<"$out")" = "$(cat "$work/prov/sync-token")"
set +e
"$S" add-kiosk --db "$db" --store s1 --id till-2 --server-url "http://127.0.0.1:$port" --write-config "$work/prov" \
  >/dev/null 2>"$work/again.err"; rc=$?
set -e
check "a second --write-config into the same DIR is refused (rc $rc)" test "$rc" = 1
has "$(cat "$work/again.err")" "already exists"

display_ok=0
if [ -n "${DISPLAY:-}" ] && xdotool getdisplaygeometry >/dev/null 2>&1; then display_ok=1; fi
if [ "$display_ok" = 0 ]; then
  [ "${FK_REQUIRE_DISPLAY:-}" = 1 ] && fail "FK_REQUIRE_DISPLAY=1 but no X display works (DISPLAY=${DISPLAY:-})"
  echo "WARNING: no X display: the kiosk window parts of the package test were not run"
  exit 0
fi
export LIBGL_ALWAYS_SOFTWARE=1

layout_screen() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["screen"])' "$1" 2>/dev/null || true; }
png_has_content() {  # a real picture, not a blank frame: many distinct bytes once inflated
  python3 - "$1" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n = int.from_bytes(data[pos:pos + 4], "big"); kind = data[pos + 4:pos + 8]
    if kind == b"IDAT": idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
sys.exit(0 if len(set(raw)) >= 24 else 1)
PY
}

# The provisioned config, with only the data dir moved (the real one is /var/lib/feedback-kiosk).
"$K" --config "$work/prov/kiosk.toml" --data-dir "$work/kdata" --windowed 1024x768 \
  --layout-json "$work/prov-layout.json" 2>"$work/kiosk.log" &
kpid=$!
pids+=($kpid)
status=
for _ in $(seq 150); do
  status=$(curl -s -H "Authorization: Bearer $manager" "http://127.0.0.1:$port/api/v1/kiosks/till-1/status" || true)
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s.get("pending_reported") is not None else 1)' \
    "$status" 2>/dev/null && break
  status=
  sleep 0.2
done
kill "$kpid" 2>/dev/null || true
wait "$kpid" 2>/dev/null || true
[ -n "$status" ] || { cat "$work/kiosk.log"; fail "the provisioned kiosk's heartbeat never reached the server"; }
check "provisioned kiosk shows the rating screen" test "$(layout_screen "$work/prov-layout.json")" = rate
check "locales found beside the unpacked binary" bash -c "! grep -q 'no locale directory' '$work/kiosk.log'"
check "kiosk log lines carry level words, no colour codes" bash -c "grep -q ' info: ' '$work/kiosk.log' && ! grep -q $'\x1b' '$work/kiosk.log'"

echo "== not set up"
mkdir -p "$build/screenshots"
"$K" --config "$work/nowhere/kiosk.toml" --windowed 1280x800 --screenshot "$build/screenshots/not-set-up.png" \
  --layout-json "$work/nsu.json" 2>"$work/nsu.log" || fail "kiosk without a config did not exit 0"
check "missing config: not_set_up screen" test "$(layout_screen "$work/nsu.json")" = not_set_up
check "missing config is logged" grep -q "no config file at $work/nowhere/kiosk.toml" "$work/nsu.log"
check "not-set-up screenshot has content" png_has_content "$build/screenshots/not-set-up.png"
"$K" --config "$root/etc/feedback-kiosk/kiosk.toml" --windowed 1280x800 --layout-json "$work/conffile.json" \
  --exit-after-frames 2 2>"$work/conffile.log" || fail "kiosk on the package's conffile did not exit 0"
check "package conffile: not_set_up screen" test "$(layout_screen "$work/conffile.json")" = not_set_up
printf '[survey]\nscale = 7\n' >"$work/bad.toml"
"$K" --config "$work/bad.toml" --windowed 1280x800 --screenshot "$build/screenshots/config-errors.png" \
  --layout-json "$work/bad.json" 2>"$work/bad.log" || fail "kiosk with a bad config did not exit 0"
check "bad config: not_set_up screen" test "$(layout_screen "$work/bad.json")" = not_set_up
check "bad config: errors logged with file:line: key" grep -q "bad.toml:2: survey.scale" "$work/bad.log"
# Waiting for a config: the kiosk exits 0 once the file appears, so Restart=always brings it up.
mkdir -p "$work/later"
"$K" --config "$work/later/kiosk.toml" --windowed 800x600 2>"$work/later.log" &
lpid=$!
pids+=($lpid)
sleep 1
cp "$work/prov/kiosk.toml" "$work/prov/sync-token" "$work/later/"
rc=timeout
for _ in $(seq 100); do
  if ! kill -0 "$lpid" 2>/dev/null; then
    set +e; wait "$lpid"; rc=$?; set -e
    break
  fi
  sleep 0.1
done
check "not-set-up kiosk exits 0 when the config appears (got $rc)" test "$rc" = 0
echo "package test passed"
