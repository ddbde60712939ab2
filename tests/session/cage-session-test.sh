#!/usr/bin/env bash
# The kiosk as feedback-kiosk.service runs it: packaging/session/kiosk-session starts cage 0.1.4
# (headless wlroots backend, pixman renderer), cage starts Xwayland and the real kiosk fullscreen.
# touch-shim.c (LD_PRELOAD into cage only) adds a touch and a pointer device to the headless
# backend; taps go through cage's seat, Xwayland and X's pointer emulation to the kiosk, as a
# touchscreen's would. Checked:
#   - a face, then a rep, tapped by touch: `kiosk export-csv` has the closed row
#   - with a pointer device moved over the kiosk, the cursor X shows (what Xwayland asks cage to
#     draw) has no visible pixel; with [display] show_cursor = true it has (the check can see one)
#   - SIGTERM to the service's main process (kiosk-session): exit 0, no cage abort, no X error,
#     the response left open is closed (recovered) and nothing is lost
#   - screenshots: the kiosk's own and the compositor's (grim, cursor included), in SCREENSHOT_DIR.
#     Not compared: under the headless backend cage 0.1.4's output commits fail after the first
#     frames ("Basic output test failed for HEADLESS-1"), so grim shows a stale picture.
# As root, cage runs as nobody (cage refuses to run as root; the unit runs it as kiosk).
# Usage: cage-session-test.sh KIOSK KIOSK_SESSION TOUCH_SHIM LOCALES SCREENSHOT_DIR
# Exit 77 when cage, Xwayland, grim or the shim is missing; a failure instead with FK_REQUIRE_CAGE=1.
set -euo pipefail
kiosk=$1 session=$2 shim=$3 locales=$4 shots=$5

skip() {
  if [ "${FK_REQUIRE_CAGE:-}" = 1 ]; then echo "FAIL: FK_REQUIRE_CAGE=1 but $*" >&2; exit 1; fi
  echo "SKIP: $*"; exit 77
}
command -v cage >/dev/null || skip "cage is not installed"
[ -x /usr/bin/Xwayland ] || skip "Xwayland is not installed (package xwayland)"
command -v grim >/dev/null || skip "grim is not installed"
[ -n "$shim" ] && [ -f "$shim" ] || skip "the touch shim was not built (libwlroots-dev missing)"

work=$(mktemp -d /tmp/fk-cage-XXXXXX)
spid=
cleanup() {
  # The session runs in its own process group (setsid): a failed run leaves nothing behind.
  if [ -n "$spid" ]; then
    kill -TERM "$spid" 2>/dev/null
    sleep 2
    kill -KILL -- "-$spid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- session log" >&2; cat "$work/session.log" >&2 || true
  exit 1
}
as_user=()
py=/usr/bin/python3  # Debian's, which any user may run
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  chmod 755 "$work"
fi
mkdir -m 700 "$work/rt" "$work/run"
mkdir -p "$work/data" "$shots"
mkfifo "$work/input"
[ "$(id -u)" = 0 ] && chown nobody:nogroup "$work/rt" "$work/run" "$work/data" "$work/input"
chmod 777 "$work"

cat >"$work/kiosk.toml" <<'TOML'
[kiosk]
id = "till-1"
store_id = "s1"
[survey]
rep_mode = "ask"
ask_reason_for = [1]
thank_you_s = 1
[misuse]
min_interval_s = 0
[help]
offer_for = []
[[rep]]
id = "r1"
name = "Asha"
[[rep]]
id = "r2"
name = "Ravi"
TOML

# The service's environment, with the headless backend instead of the DRM one. $1: show_cursor.
start_session() {
  rm -f "$work/layout.json" "$work/kiosk.png"
  sed -i '/^\[display\]/,$d' "$work/kiosk.toml"
  printf '[display]\nshow_cursor = %s\n' "$1" >>"$work/kiosk.toml"
  setsid env -u DISPLAY -u WAYLAND_DISPLAY \
  XDG_RUNTIME_DIR="$work/rt" RUNTIME_DIRECTORY="$work/run" \
  WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 WLR_HEADLESS_OUTPUTS=1 \
  LIBGL_ALWAYS_SOFTWARE=1 FK_TOUCH_FIFO="$work/input" FK_TOUCH_POINTER=1 LD_PRELOAD="$shim" \
  "${as_user[@]}" "$session" -- "$kiosk" --config "$work/kiosk.toml" --data-dir "$work/data" \
  --locales "$locales" --layout-json "$work/layout.json" \
  --screenshot "$work/kiosk.png" --screenshot-on-sigusr1 >"$work/session.log" 2>&1 &
  spid=$!
}
stop_session() {
  kill -TERM "$spid"
  set +e
  wait "$spid"
  rc=$?
  set -e
  spid=
  [ "$rc" = 0 ] || fail "kiosk-session exited $rc after SIGTERM"
}
# The cursor Xwayland shows over the kiosk (XFixes), asked as the session's user: X refuses
# others. Prints "cursor WxH at X,Y: N visible pixels"; exit 1 when a pixel is visible.
x_cursor() {
  local kpid display
  kpid=$(cat "$work"/run/kiosk-session.*/kiosk.pid)
  display=$(tr '\0' '\n' <"/proc/$kpid/environ" | sed -n 's/^DISPLAY=//p')
  "${as_user[@]}" "$py" - "$display" <<'PY'
import ctypes, sys
x11 = ctypes.CDLL("libX11.so.6")
xfixes = ctypes.CDLL("libXfixes.so.3")
class CursorImage(ctypes.Structure):
    _fields_ = [("x", ctypes.c_short), ("y", ctypes.c_short), ("width", ctypes.c_ushort),
                ("height", ctypes.c_ushort), ("xhot", ctypes.c_ushort), ("yhot", ctypes.c_ushort),
                ("serial", ctypes.c_ulong), ("pixels", ctypes.POINTER(ctypes.c_ulong)),
                ("atom", ctypes.c_ulong), ("name", ctypes.c_char_p)]
x11.XOpenDisplay.restype = ctypes.c_void_p
xfixes.XFixesGetCursorImage.restype = ctypes.POINTER(CursorImage)
xfixes.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]
display = x11.XOpenDisplay(sys.argv[1].encode())
if not display:
    print(f"cannot open X display {sys.argv[1]}")
    sys.exit(2)
img = xfixes.XFixesGetCursorImage(display).contents
visible = sum(1 for i in range(img.width * img.height) if (img.pixels[i] >> 24) & 0xFF)
print(f"cursor {img.width}x{img.height} at {img.x},{img.y}: {visible} visible pixels")
sys.exit(1 if visible else 0)
PY
}

start_session false

screen() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["screen"])' "$work/layout.json" 2>/dev/null || true; }
wait_screen() {
  for _ in $(seq 200); do [ "$(screen)" = "$1" ] && return 0; sleep 0.1; done
  fail "screen $1 never shown (now: $(screen))"
}
# The centre of a layout element, as 0..1 of the output (the kiosk is fullscreen on it).
where() {
  python3 - "$work/layout.json" "$1" "$work/compositor.png" <<'PY'
import json, struct, sys
layout = json.load(open(sys.argv[1]))
png = open(sys.argv[3], "rb").read(32)
w, h = struct.unpack(">II", png[16:24])
e = next(e for e in layout["elements"] if e["id"] == sys.argv[2])
print(f'{(e["x"] + e["w"] / 2) / w:.5f} {(e["y"] + e["h"] / 2) / h:.5f}')
PY
}
send() {
  timeout 5 bash -c 'echo "$1" >"$2"' _ "$*" "$work/input" || fail "the touch shim does not read $work/input"
}
grab() { XDG_RUNTIME_DIR=$work/rt WAYLAND_DISPLAY=wayland-0 grim -c "$1" || fail "grim: $1"; }
export_csv() { "${as_user[@]}" "$kiosk" export-csv --data-dir "$work/data" --out - 2>/dev/null; }

started=$(date +%s.%N)
wait_screen rate
echo "kiosk on the rate screen after $(python3 -c "import time;print(round(time.time()-$started,1))") s"
grep -q "touch-shim: touch and pointer device added" "$work/session.log" || fail "the shim added no devices"
sleep 0.5
grab "$work/compositor.png"

echo "== a touch on a face, then on a rep: one closed row"
send tap $(where rating.4)
wait_screen who_helped
send tap $(where rep.r2)
wait_screen thank_you
wait_screen rate
rows=$(export_csv)
echo "$rows"
[ "$(wc -l <<<"$rows")" = 2 ] || fail "expected one row"
grep -q ',4,4,r2,,en,,.*,thank_you,' <<<"$rows" || fail "the row is not rating 4, rep r2, closed by thank you"

echo "== no cursor over the kiosk with a pointer device attached"
send pointer 0.3 0.3
sleep 0.5
set +e
x_cursor
crc=$?
set -e
[ "$crc" = 0 ] || fail "a cursor shows over the kiosk (XFixes, above)"
grab "$work/with-pointer.png"
echo "== the kiosk's own screenshot"
kpid=$(cat "$work"/run/kiosk-session.*/kiosk.pid)
kill -USR1 "$kpid"
for _ in $(seq 50); do [ -s "$work/kiosk.png" ] && break; sleep 0.1; done
[ -s "$work/kiosk.png" ] || fail "no kiosk screenshot"
cp "$work/kiosk.png" "$shots/cage-kiosk.png"
cp "$work/with-pointer.png" "$shots/cage-compositor-pointer.png"

echo "== SIGTERM to the service's main process mid-response"
send tap $(where rating.1)
wait_screen who_helped
stop_session
grep -q "SIGTERM to the kiosk" "$work/session.log" || fail "the wrapper did not stop the kiosk first"
if grep -Eiq "abort|core dumped|X Error|XIO|fatal IO error" "$work/session.log"; then
  fail "an abort or X error in the log"
fi
rows=$(export_csv)
echo "$rows"
[ "$(wc -l <<<"$rows")" = 3 ] || fail "expected two rows"
grep -q ',4,1,,,en,,.*,recovered,' <<<"$(tail -n 1 <<<"$rows")" || fail "the open response was not kept and closed"
echo "== with [display] show_cursor = true the same check sees the cursor"
start_session true
wait_screen rate
send pointer 0.3 0.3
sleep 0.5
set +e
x_cursor
crc=$?
set -e
[ "$crc" = 1 ] || fail "show_cursor = true, but no cursor seen (the check cannot see one)"
stop_session
echo "cage session test passed"
