#pragma once
// Failed password logins, counted per user name and per client address: after maxFailures
// within windowMs (per name) or maxFailuresPerAddress (per address) further logins are refused
// until the lock ends, right password or not. Kept in this process's memory (bounded by
// maxEntries): each server behind a load balancer counts its own, so the fleet allows at most
// that many times more guesses. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace fk::server {

class LoginLimiter {
  public:
    struct Policy {
        int maxFailures = 5;             // per user name
        int maxFailuresPerAddress = 20;  // per client address, over every name
        std::int64_t windowMs = 15 * 60 * 1000;
        std::int64_t lockMs = 15 * 60 * 1000;
        std::size_t maxEntries = 100'000;
    };
    LoginLimiter() = default;
    explicit LoginLimiter(Policy policy) : m_policy(policy) {}

    struct Lock {
        core::UtcMs until = 0;
        bool byAddress = false;  // the address is locked (else the name)
    };
    // The lock in force for this name or address at now, if any.
    std::optional<Lock> Locked(const std::string& name, const std::string& address,
                               core::UtcMs now);
    // A wrong password (or unknown name); returns the lock it started, if any.
    std::optional<Lock> Failed(const std::string& name, const std::string& address,
                               core::UtcMs now);
    // A right password: the name's count starts again (the address's does not).
    void Succeeded(const std::string& name);

  private:
    struct Entry {
        int failures = 0;
        core::UtcMs firstAt = 0;
        core::UtcMs lockedUntil = 0;
    };
    bool Count(Entry& e, int max, core::UtcMs now);
    void Trim(core::UtcMs now);

    Policy m_policy;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;  // "n:" + name, "a:" + address
};

}  // namespace fk::server
