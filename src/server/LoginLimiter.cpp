#include "server/LoginLimiter.h"

namespace fk::server {

std::optional<LoginLimiter::Lock> LoginLimiter::Locked(const std::string& name,
                                                       const std::string& address,
                                                       core::UtcMs now) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find("a:" + address);
        it != m_entries.end() && it->second.lockedUntil > now)
        return Lock{it->second.lockedUntil, true};
    if (auto it = m_entries.find("n:" + name);
        it != m_entries.end() && it->second.lockedUntil > now)
        return Lock{it->second.lockedUntil, false};
    return std::nullopt;
}

bool LoginLimiter::Count(Entry& e, int max, core::UtcMs now) {
    if (e.failures == 0 || now - e.firstAt > m_policy.windowMs) {
        e.failures = 0;
        e.firstAt = now;
    }
    if (++e.failures < max)
        return false;
    e.failures = 0;
    e.lockedUntil = now + m_policy.lockMs;
    return true;
}

std::optional<LoginLimiter::Lock> LoginLimiter::Failed(const std::string& name,
                                                       const std::string& address,
                                                       core::UtcMs now) {
    std::lock_guard lock(m_mutex);
    if (m_entries.size() + 2 > m_policy.maxEntries)
        Trim(now);
    std::optional<Lock> started;
    if (Count(m_entries["n:" + name], m_policy.maxFailures, now))
        started = Lock{now + m_policy.lockMs, false};
    if (Count(m_entries["a:" + address], m_policy.maxFailuresPerAddress, now))
        started = Lock{now + m_policy.lockMs, true};
    return started;
}

void LoginLimiter::Succeeded(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_entries.erase("n:" + name);
}

// Forgets what no longer counts; if a flood of names still fills the map, forgets unlocked
// entries too (a lock in force is never dropped).
void LoginLimiter::Trim(core::UtcMs now) {
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const Entry& e = it->second;
        const bool stale = e.lockedUntil <= now && now - e.firstAt > m_policy.windowMs;
        it = stale ? m_entries.erase(it) : std::next(it);
    }
    if (m_entries.size() + 2 <= m_policy.maxEntries)
        return;
    for (auto it = m_entries.begin(); it != m_entries.end();)
        it = it->second.lockedUntil <= now ? m_entries.erase(it) : std::next(it);
}

}  // namespace fk::server
