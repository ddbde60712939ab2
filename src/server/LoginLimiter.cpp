#include "server/LoginLimiter.h"

namespace fk::server {

namespace {

std::string NameKey(const std::string& name) {
    return "n:" + name;
}

std::string AddressKey(const std::string& address) {
    return "a:" + address;
}

}  // namespace

std::optional<LoginLimiter::Lock> LoginLimiter::Locked(const std::string& name,
                                                       const std::string& address,
                                                       core::UtcMs now) {
    const auto locks = m_users.LoginLocks({AddressKey(address), NameKey(name)}, now);
    if (locks.empty())
        return std::nullopt;
    return Lock{locks.front().second, locks.front().first == AddressKey(address)};
}

std::optional<LoginLimiter::Lock> LoginLimiter::Failed(const std::string& name,
                                                       const std::string& address,
                                                       core::UtcMs now) {
    std::optional<Lock> started;
    if (auto until = m_users.CountLoginFailure(NameKey(name), m_policy.maxFailures,
                                               m_policy.windowMs, m_policy.lockMs, now))
        started = Lock{*until, false};
    if (auto until = m_users.CountLoginFailure(AddressKey(address), m_policy.maxFailuresPerAddress,
                                               m_policy.windowMs, m_policy.lockMs, now))
        started = Lock{*until, true};
    return started;
}

void LoginLimiter::Succeeded(const std::string& name) {
    m_users.ClearLoginFailures(NameKey(name));
}

}  // namespace fk::server
