#!/usr/bin/env bash
# packaging/session/kiosk-session, the service's wrapper, with a stand-in for cage that behaves as
# cage 0.1.4 does (runs its client, exits 0 whatever the client's status, aborts on SIGTERM) and a
# stand-in kiosk: the kiosk's exit status becomes the wrapper's, and a SIGTERM to the wrapper
# reaches the kiosk first and never cage. tests/session/cage-session-test.sh does the same with
# the real cage and kiosk.
# Usage: kiosk-session-test.sh SOURCE_DIR
set -euo pipefail
session=$1/packaging/session/kiosk-session
work=$(mktemp -d /tmp/fk-session-XXXXXX)
spid=
# Each background wrapper runs in its own process group (setsid), so a failed run leaves no
# stand-in cage or kiosk behind.
cleanup() {
  [ -n "$spid" ] && kill -KILL -- "-$spid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$work/log" ] && cat "$work/log" >&2; exit 1; }

cat >"$work/cage" <<'SH'
#!/bin/bash
log=$FK_TEST_LOG
trap 'echo "cage: SIGTERM: abort" >>"$log"; exit 134' TERM
while [ "$1" != "--" ]; do shift; done
shift
"$@" &
wait $!
echo "cage: client ended" >>"$log"
exit 0
SH
cat >"$work/kiosk" <<'SH'
#!/bin/bash
log=$FK_TEST_LOG
trap 'echo "kiosk: SIGTERM: closing the open response" >>"$log"; exit 0' TERM
echo "kiosk: running" >>"$log"
[ -n "${1:-}" ] && exit "$1"
[ -n "${WATCHDOG_PID:-}" ] && echo "kiosk: WATCHDOG_PID leaked" >>"$log"
while :; do sleep 0.1; done
SH
chmod +x "$work/cage" "$work/kiosk"
export FK_TEST_LOG=$work/log RUNTIME_DIRECTORY=$work

echo "== the kiosk's exit status reaches systemd (cage drops it)"
for code in 2 3; do
  : >"$work/log"
  set +e
  "$session" --cage "$work/cage" -- "$work/kiosk" "$code" 2>"$work/err"
  rc=$?
  set -e
  [ "$rc" = "$code" ] || fail "kiosk exit $code came out as $rc"
  grep -q "the kiosk exited with status $code" "$work/err" || fail "no log line for status $code"
done

echo "== SIGTERM: the kiosk first, then cage ends by itself"
: >"$work/log"
WATCHDOG_PID=$$ WATCHDOG_USEC=30000000 setsid "$session" --cage "$work/cage" -- "$work/kiosk" 2>"$work/err" &
spid=$!
for _ in $(seq 50); do grep -q "kiosk: running" "$work/log" && break; sleep 0.1; done
grep -q "kiosk: running" "$work/log" || fail "the kiosk did not start"
kill -TERM "$spid"
set +e
wait "$spid"
rc=$?
set -e
spid=
[ "$rc" = 0 ] || fail "the wrapper exited $rc after SIGTERM"
expected=$'kiosk: running\nkiosk: SIGTERM: closing the open response\ncage: client ended'
[ "$(cat "$work/log")" = "$expected" ] || fail "wrong stop order (above)"
grep -q "SIGTERM to the kiosk" "$work/err" || fail "no log line for the stop"

echo "== SIGABRT (systemd's watchdog fired): the kiosk is aborted, its status is the service's"
: >"$work/log"
setsid "$session" --cage "$work/cage" -- "$work/kiosk" 2>"$work/err" &
spid=$!
for _ in $(seq 50); do grep -q "kiosk: running" "$work/log" && break; sleep 0.1; done
kill -ABRT "$spid"
set +e
wait "$spid"
rc=$?
set -e
spid=
[ "$rc" = 134 ] || fail "the wrapper exited $rc after SIGABRT (expected 134: the kiosk's abort)"
grep -q "watchdog fired" "$work/err" || fail "no log line for the watchdog"
grep -q "cage: SIGTERM" "$work/log" && fail "cage got SIGTERM"

echo "== no cage: says so"
set +e
"$session" --cage "$work/no-such-cage" -- "$work/kiosk" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 69 ] || fail "missing cage: exit $rc"
grep -q "install the cage package" "$work/err" || fail "missing cage: no hint"
echo "kiosk-session test passed"
