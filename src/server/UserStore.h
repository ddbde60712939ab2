#pragma once
// People's accounts and their web sessions, written once over the SQL both backends run
// (CallStoreSql.h's SqlRunner). A user has a name, a role, the stores a store-scoped role sees,
// an argon2id password hash (none until they follow their one-time link) and may be disabled.
// Only SHA-256 hashes of session ids and link secrets are stored. Thread-safe when the runner is;
// database failures throw BackendError.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "server/Access.h"
#include "server/CallStoreSql.h"

namespace fk::server {

struct UserRecord {
    std::string name;
    Role role = Role::Coach;
    std::vector<std::string> stores;  // store-scoped roles: at least one; others: empty (all)
    bool hasPassword = false;
    bool disabled = false;
    core::UtcMs createdAt = 0;
};

class UserStore {
  public:
    explicit UserStore(std::unique_ptr<SqlRunner> runner);

    // BackendError{AlreadyExists} when the name is taken.
    void Add(const UserRecord& user, core::UtcMs now);
    std::optional<UserRecord> Find(const std::string& name);
    std::vector<UserRecord> List();
    // The user and their password hash ("" when none is set yet).
    std::optional<std::pair<UserRecord, std::string>> FindForLogin(const std::string& name);

    // A new one-time link (only its hash), valid until expiresAt; replaces any earlier link.
    // clearPassword (an admin's reset): the old password stops working and the user's sessions
    // end. false when no such user.
    bool SetLink(const std::string& name, const std::string& linkHash, core::UtcMs expiresAt,
                 bool clearPassword, core::UtcMs now);
    // Spends the link: sets the password, ends the user's sessions. The user's name, or nullopt
    // when the link is unknown, used or expired, or the user is disabled.
    std::optional<std::string> ConsumeLink(const std::string& linkHash,
                                           const std::string& passwordHash, core::UtcMs now);
    // Changes the password (the caller checked the old one) and ends the user's other sessions
    // (keepSessionHash stays).
    void SetPassword(const std::string& name, const std::string& passwordHash,
                     const std::string& keepSessionHash, core::UtcMs now);
    // Disabling ends the user's sessions. false when no such user.
    bool SetDisabled(const std::string& name, bool disabled, core::UtcMs now);

    static constexpr int kMaxSessionsPerUser = 20;
    // Purges expired sessions, keeps the user's newest kMaxSessionsPerUser.
    void AddSession(const std::string& hashHex, const std::string& name, core::UtcMs now,
                    core::UtcMs expiresAt);
    // The session's user while it is live and the user is not disabled.
    std::optional<UserRecord> FindSession(const std::string& hashHex, core::UtcMs now);
    void EndSession(const std::string& hashHex);

    // Failed logins, counted in the database so every server on it sees the same counts (a
    // lockout holds behind a load balancer). key: "n:" + user name or "a:" + client address.
    // Counts one failure at now: a count whose first failure is older than windowMs starts
    // again; reaching max locks the key until now + lockMs (and the count starts again). Returns
    // that end when this failure started a lock. Forgets counts that no longer matter.
    std::optional<core::UtcMs> CountLoginFailure(const std::string& key, int max,
                                                 std::int64_t windowMs, std::int64_t lockMs,
                                                 core::UtcMs now);
    // The lock in force at now for each of keys that has one (key, until).
    std::vector<std::pair<std::string, core::UtcMs>> LoginLocks(
        const std::vector<std::string>& keys, core::UtcMs now);
    void ClearLoginFailures(const std::string& key);

  private:
    std::unique_ptr<SqlRunner> m_runner;
};

// The schema step that adds users and user_sessions (the same text on both backends).
std::string UsersMigration(bool postgres);
// The failed-login counts (LoginLimiter), shared by every server on the database.
std::string LoginFailuresMigration(bool postgres);

}  // namespace fk::server
