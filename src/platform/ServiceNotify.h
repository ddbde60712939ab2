#pragma once
// The kiosk's side of systemd supervision (sd_notify, libsystemd): READY=1 once the first frame
// is drawn, and WATCHDOG=1 from the frame loop itself, so a loop that stops (a stuck GL driver,
// a deadlock) stops the pings and systemd restarts the service after WatchdogSec. The kiosk runs
// inside cage, a child of the service's main process: the unit says NotifyAccess=all.
// Without NOTIFY_SOCKET (not under systemd, tests) every call does nothing.
// UI thread only: the pings must come from the loop they vouch for.

#include <cstdint>
#include <optional>
#include <string_view>

namespace fk::platform {

class ServiceNotify {
  public:
    // Reads the watchdog interval systemd gave this process (WATCHDOG_USEC).
    ServiceNotify();

    // READY=1 with a STATUS= line for `systemctl status`. Once; later calls do nothing.
    void Ready(std::string_view status);
    // One pass of the frame loop at steady time nowMs: WATCHDOG=1 when a third of the interval
    // has passed since the last ping. Returns true when it pinged.
    bool Alive(std::int64_t nowMs);
    // Steady ms by which the loop must call Alive() again; nullopt without a watchdog.
    std::optional<std::int64_t> NextPingMs() const;
    // STOPPING=1 as the loop ends (systemd then waits for the exit instead of the watchdog).
    void Stopping();

    bool WatchdogOn() const { return m_intervalMs > 0; }
    std::int64_t PingEveryMs() const { return m_intervalMs / 3; }

  private:
    std::int64_t m_intervalMs = 0;  // WatchdogSec; 0: off
    std::optional<std::int64_t> m_lastPingMs;
    bool m_ready = false;
};

}  // namespace fk::platform
