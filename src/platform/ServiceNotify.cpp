#include "platform/ServiceNotify.h"

#include <string>

#include <systemd/sd-daemon.h>

namespace fk::platform {

ServiceNotify::ServiceNotify() {
    std::uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set (and WATCHDOG_PID, if set, is this process). The kiosk
    // is not the unit's main process, so systemd sets no WATCHDOG_PID for it.
    if (sd_watchdog_enabled(0, &usec) > 0)
        m_intervalMs = static_cast<std::int64_t>(usec / 1000);
}

void ServiceNotify::Ready(std::string_view status) {
    if (m_ready)
        return;
    m_ready = true;
    const std::string message = "READY=1\nSTATUS=" + std::string(status);
    sd_notify(0, message.c_str());
}

bool ServiceNotify::Alive(std::int64_t nowMs) {
    if (!WatchdogOn())
        return false;
    if (m_lastPingMs && nowMs - *m_lastPingMs < PingEveryMs())
        return false;
    m_lastPingMs = nowMs;
    sd_notify(0, "WATCHDOG=1");
    return true;
}

std::optional<std::int64_t> ServiceNotify::NextPingMs() const {
    if (!WatchdogOn())
        return std::nullopt;
    return m_lastPingMs ? *m_lastPingMs + PingEveryMs() : 0;
}

void ServiceNotify::Stopping() {
    sd_notify(0, "STOPPING=1");
}

}  // namespace fk::platform
