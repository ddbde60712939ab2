#!/usr/bin/env python3
"""The kiosk's side of systemd supervision, with a stand-in for systemd's notify socket: the real
kiosk (under X) says READY=1 after its first frame and WATCHDOG=1 from its idle frame loop at a
third of WATCHDOG_USEC; a loop that stops (FK_KIOSK_STALL_S, as a stuck GL driver would) stops
the pings for longer than the watchdog interval, which is what makes systemd restart it; SIGTERM
brings STOPPING=1 and exit 0.
Usage: watchdog-test.py KIOSK_BINARY LOCALES_DIR. Exit 77 without an X display (a failure when
FK_REQUIRE_DISPLAY=1)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

kiosk, locales = sys.argv[1], sys.argv[2]
if not os.environ.get("DISPLAY") or subprocess.call(
        ["xdotool", "getdisplaygeometry"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) != 0:
    if os.environ.get("FK_REQUIRE_DISPLAY") == "1":
        print("FAIL: FK_REQUIRE_DISPLAY=1 but no X display works")
        sys.exit(1)
    print("SKIP: no X display")
    sys.exit(77)

WATCHDOG_S = 1.5


def run(stall_s, seconds):
    work = tempfile.mkdtemp(prefix="fk-watchdog-")
    try:
        path = os.path.join(work, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(0.1)
        env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
                   LIBGL_ALWAYS_SOFTWARE="1")
        env.pop("WATCHDOG_PID", None)
        if stall_s:
            env["FK_KIOSK_STALL_S"] = str(stall_s)
        proc = subprocess.Popen([kiosk, "--no-config", "--data-dir", os.path.join(work, "data"),
                                 "--windowed", "800x600", "--locales", locales],
                                env=env, stderr=open(os.path.join(work, "kiosk.log"), "w"))
        messages = []  # (seconds since start, message)
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            try:
                data = sock.recv(4096).decode()
                messages.append((time.monotonic() - start, data))
            except socket.timeout:
                pass
        proc.send_signal(signal.SIGTERM)
        end = time.monotonic() + 10
        while time.monotonic() < end and proc.poll() is None:
            try:
                messages.append((time.monotonic() - start, sock.recv(4096).decode()))
            except socket.timeout:
                pass
        rc = proc.wait(timeout=10)
        log = open(os.path.join(work, "kiosk.log")).read()
        return rc, messages, log
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check(ok, what, messages, log):
    if not ok:
        print("FAIL:", what)
        for t, m in messages:
            print(f"  {t:6.2f} s  {m!r}")
        print(log[-3000:])
        sys.exit(1)
    print("ok:", what)


# An idle kiosk keeps pinging: its loop wakes for the watchdog, not only for input.
rc, messages, log = run(0, 6.0)
ready = [t for t, m in messages if "READY=1" in m]
pings = [t for t, m in messages if m == "WATCHDOG=1"]
check(len(ready) == 1, "READY=1 once, after the first frame", messages, log)
check(any("STATUS=" in m for _, m in messages), "a STATUS= line for systemctl status", messages, log)
after = [t for t in pings if t > ready[0]]
check(len(after) >= 5, f"WATCHDOG=1 keeps coming while idle ({len(after)} pings)", messages, log)
gaps = [b - a for a, b in zip(after, after[1:])]
check(max(gaps) < WATCHDOG_S * 0.8, f"pings at most {max(gaps):.2f} s apart (watchdog {WATCHDOG_S} s)",
      messages, log)
check(any("STOPPING=1" in m for _, m in messages), "STOPPING=1 on SIGTERM", messages, log)
check(rc == 0, f"exit 0 on SIGTERM (got {rc})", messages, log)

# A loop that stops stops the pings for longer than WatchdogSec: systemd would restart it.
rc, messages, log = run(4, 7.0)
ready = [t for t, m in messages if "READY=1" in m]
pings = [t for t, m in messages if m == "WATCHDOG=1"]
check(len(ready) == 1, "READY=1 before the stall", messages, log)
points = sorted([ready[0]] + [t for t in pings if t >= ready[0]])
gaps = [b - a for a, b in zip(points, points[1:])]
check(gaps and max(gaps) > WATCHDOG_S * 2, "no WATCHDOG=1 while the loop is stuck", messages, log)
check(any(t > ready[0] + 4 for t in pings), "pings again once the loop runs again", messages, log)
check(rc == 0, f"exit 0 on SIGTERM (got {rc})", messages, log)
print("watchdog test passed")
