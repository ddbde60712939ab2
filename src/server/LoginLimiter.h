#pragma once
// Failed password logins, counted per user name and per client address: after maxFailures
// within windowMs (per name) or maxFailuresPerAddress (per address) further logins are refused
// until the lock ends, right password or not. The counts live in the database (UserStore), so
// every server behind a load balancer sees the same ones: two servers allow no more guesses than
// one. Thread-safe; database failures throw BackendError.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "server/UserStore.h"

namespace fk::server {

class LoginLimiter {
  public:
    struct Policy {
        int maxFailures = 5;             // per user name
        int maxFailuresPerAddress = 20;  // per client address, over every name
        std::int64_t windowMs = 15 * 60 * 1000;
        std::int64_t lockMs = 15 * 60 * 1000;
    };
    // users must outlive the limiter.
    explicit LoginLimiter(UserStore& users) : m_users(users) {}

    struct Lock {
        core::UtcMs until = 0;
        bool byAddress = false;  // the address is locked (else the name)
    };
    // The lock in force for this name or address at now, if any (the address's first).
    std::optional<Lock> Locked(const std::string& name, const std::string& address,
                               core::UtcMs now);
    // A wrong password (or unknown name); returns the lock it started, if any.
    std::optional<Lock> Failed(const std::string& name, const std::string& address,
                               core::UtcMs now);
    // A right password: the name's count starts again (the address's does not).
    void Succeeded(const std::string& name);

  private:
    UserStore& m_users;
    Policy m_policy;
};

}  // namespace fk::server
