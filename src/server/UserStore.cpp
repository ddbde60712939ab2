#include "server/UserStore.h"

#include <cstdlib>

#include "server/Backend.h"

namespace fk::server {

namespace {

constexpr const char* kUserColumns =
    "name, role, stores, password_hash IS NOT NULL, disabled_at IS NOT NULL, created_at";

std::int64_t Num(const std::optional<std::string>& v) {
    return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}

// Booleans come back as 1/0 (SQLite) or t/f (PostgreSQL).
bool Bool(const std::optional<std::string>& v) {
    return v && (*v == "1" || *v == "t" || *v == "true");
}

std::string JoinStores(const std::vector<std::string>& stores) {
    std::string out;
    for (const auto& s : stores) {
        if (!out.empty())
            out += ',';
        out += s;
    }
    return out;
}

std::vector<std::string> SplitStores(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        if (comma > start)
            out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

UserRecord ReadUser(const SqlRow& r) {
    UserRecord u;
    u.name = r[0].value_or("");
    u.role = RoleFromString(r[1].value_or("")).value_or(Role::Coach);
    u.stores = SplitStores(r[2].value_or(""));
    u.hasPassword = Bool(r[3]);
    u.disabled = Bool(r[4]);
    u.createdAt = Num(r[5]);
    return u;
}

}  // namespace

UserStore::UserStore(std::unique_ptr<SqlRunner> runner) : m_runner(std::move(runner)) {}

void UserStore::Add(const UserRecord& user, core::UtcMs now) {
    bool taken = false;
    m_runner->InTransaction([&](SqlSession& s) {
        taken = false;
        if (!s.Query("SELECT 1 FROM users WHERE name = ?1", {user.name}).empty()) {
            taken = true;
            return;
        }
        s.Exec(
            "INSERT INTO users (name, role, stores, created_at, updated_at) VALUES (?1, ?2, "
            "?3, ?4, ?4)",
            {user.name, to_string(user.role), JoinStores(user.stores), now});
    });
    if (taken)
        throw BackendError(BackendError::Kind::AlreadyExists, "user " + user.name + " exists");
}

std::optional<UserRecord> UserStore::Find(const std::string& name) {
    auto found = FindForLogin(name);
    if (!found)
        return std::nullopt;
    return found->first;
}

std::optional<std::pair<UserRecord, std::string>> UserStore::FindForLogin(const std::string& name) {
    std::optional<std::pair<UserRecord, std::string>> out;
    m_runner->Read([&](SqlSession& s) {
        auto rows = s.Query(
            std::string("SELECT ") + kUserColumns + ", password_hash FROM users WHERE name = ?1",
            {name});
        out.reset();
        if (!rows.empty())
            out.emplace(ReadUser(rows[0]), rows[0][6].value_or(""));
    });
    return out;
}

std::vector<UserRecord> UserStore::List() {
    std::vector<UserRecord> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& r :
             s.Query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name", {}))
            out.push_back(ReadUser(r));
    });
    return out;
}

bool UserStore::SetLink(const std::string& name, const std::string& linkHash, core::UtcMs expiresAt,
                        bool clearPassword, core::UtcMs now) {
    bool found = false;
    m_runner->InTransaction([&](SqlSession& s) {
        found = s.Exec(clearPassword ? "UPDATE users SET link_hash = ?1, link_expires_at = ?2, "
                                       "password_hash = NULL, updated_at = ?3 WHERE name = ?4"
                                     : "UPDATE users SET link_hash = ?1, link_expires_at = ?2, "
                                       "updated_at = ?3 WHERE name = ?4",
                       {linkHash, expiresAt, now, name}) > 0;
        if (found && clearPassword)
            s.Exec("DELETE FROM user_sessions WHERE user_name = ?1", {name});
    });
    return found;
}

std::optional<std::string> UserStore::ConsumeLink(const std::string& linkHash,
                                                  const std::string& passwordHash,
                                                  core::UtcMs now) {
    std::optional<std::string> name;
    m_runner->InTransaction([&](SqlSession& s) {
        name.reset();
        auto rows = s.Query(
            "SELECT name FROM users WHERE link_hash = ?1 AND link_expires_at > ?2 AND "
            "disabled_at IS NULL",
            {linkHash, now});
        if (rows.empty() || !rows[0][0])
            return;
        name = rows[0][0];
        s.Exec(
            "UPDATE users SET password_hash = ?1, link_hash = NULL, link_expires_at = NULL, "
            "updated_at = ?2 WHERE name = ?3",
            {passwordHash, now, *name});
        s.Exec("DELETE FROM user_sessions WHERE user_name = ?1", {*name});
    });
    return name;
}

void UserStore::SetPassword(const std::string& name, const std::string& passwordHash,
                            const std::string& keepSessionHash, core::UtcMs now) {
    m_runner->InTransaction([&](SqlSession& s) {
        s.Exec("UPDATE users SET password_hash = ?1, updated_at = ?2 WHERE name = ?3",
               {passwordHash, now, name});
        s.Exec("DELETE FROM user_sessions WHERE user_name = ?1 AND hash <> ?2",
               {name, keepSessionHash});
    });
}

bool UserStore::SetDisabled(const std::string& name, bool disabled, core::UtcMs now) {
    bool found = false;
    m_runner->InTransaction([&](SqlSession& s) {
        found = s.Exec(disabled ? "UPDATE users SET disabled_at = ?1, updated_at = ?1 WHERE name "
                                  "= ?2"
                                : "UPDATE users SET disabled_at = NULL, updated_at = ?1 WHERE "
                                  "name = ?2",
                       {now, name}) > 0;
        if (found && disabled)
            s.Exec("DELETE FROM user_sessions WHERE user_name = ?1", {name});
    });
    return found;
}

void UserStore::AddSession(const std::string& hashHex, const std::string& name, core::UtcMs now,
                           core::UtcMs expiresAt) {
    m_runner->InTransaction([&](SqlSession& s) {
        s.Exec("DELETE FROM user_sessions WHERE expires_at <= ?1", {now});
        s.Exec(
            "INSERT INTO user_sessions (hash, user_name, created_at, expires_at) VALUES (?1, "
            "?2, ?3, ?4)",
            {hashHex, name, now, expiresAt});
        s.Exec(
            "DELETE FROM user_sessions WHERE user_name = ?1 AND hash NOT IN (SELECT hash FROM "
            "user_sessions WHERE user_name = ?1 ORDER BY created_at DESC, hash = ?2 DESC "
            "LIMIT ?3)",
            {name, hashHex, kMaxSessionsPerUser});
    });
}

std::optional<UserRecord> UserStore::FindSession(const std::string& hashHex, core::UtcMs now) {
    std::optional<UserRecord> out;
    m_runner->Read([&](SqlSession& s) {
        out.reset();
        auto rows = s.Query(
            "SELECT u.name, u.role, u.stores, u.password_hash IS NOT NULL, u.disabled_at IS NOT "
            "NULL, u.created_at FROM user_sessions w JOIN users u ON u.name = w.user_name "
            "WHERE w.hash = ?1 AND w.expires_at > ?2 AND u.disabled_at IS NULL",
            {hashHex, now});
        if (!rows.empty())
            out = ReadUser(rows[0]);
    });
    return out;
}

void UserStore::EndSession(const std::string& hashHex) {
    m_runner->InTransaction(
        [&](SqlSession& s) { s.Exec("DELETE FROM user_sessions WHERE hash = ?1", {hashHex}); });
}

std::optional<core::UtcMs> UserStore::CountLoginFailure(const std::string& key, int max,
                                                        std::int64_t windowMs, std::int64_t lockMs,
                                                        core::UtcMs now) {
    std::optional<core::UtcMs> started;
    m_runner->InTransaction([&](SqlSession& s) {
        started.reset();
        s.Exec("DELETE FROM login_failures WHERE locked_until <= ?1 AND first_at < ?2",
               {now, now - windowMs});
        s.Exec(
            "INSERT INTO login_failures (lock_key, failures, first_at, locked_until) VALUES (?1, "
            "0, ?2, 0) ON CONFLICT (lock_key) DO NOTHING",
            {key, now});
        // The row lock taken here orders concurrent failures of one key across servers.
        auto rows = s.Query(
            "UPDATE login_failures SET failures = CASE WHEN failures = 0 OR ?2 - first_at > ?3 "
            "THEN 1 ELSE failures + 1 END, first_at = CASE WHEN failures = 0 OR ?2 - first_at > "
            "?3 THEN ?2 ELSE first_at END WHERE lock_key = ?1 RETURNING failures",
            {key, now, windowMs});
        if (rows.empty() || Num(rows[0][0]) < max)
            return;
        s.Exec("UPDATE login_failures SET failures = 0, locked_until = ?2 WHERE lock_key = ?1",
               {key, now + lockMs});
        started = now + lockMs;
    });
    return started;
}

std::vector<std::pair<std::string, core::UtcMs>> UserStore::LoginLocks(
    const std::vector<std::string>& keys, core::UtcMs now) {
    std::vector<std::pair<std::string, core::UtcMs>> out;
    m_runner->Read([&](SqlSession& s) {
        out.clear();
        for (const auto& key : keys) {
            auto rows = s.Query(
                "SELECT locked_until FROM login_failures WHERE lock_key = ?1 AND locked_until > ?2",
                {key, now});
            if (!rows.empty())
                out.emplace_back(key, Num(rows[0][0]));
        }
    });
    return out;
}

void UserStore::ClearLoginFailures(const std::string& key) {
    m_runner->InTransaction(
        [&](SqlSession& s) { s.Exec("DELETE FROM login_failures WHERE lock_key = ?1", {key}); });
}

std::string UsersMigration(bool postgres) {
    const std::string big = postgres ? "BIGINT" : "INTEGER";
    return "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN "
           "('admin', 'head_office', 'store_manager', 'coach')), stores TEXT NOT NULL DEFAULT '', "
           "password_hash TEXT, link_hash TEXT UNIQUE, link_expires_at " +
           big + ", disabled_at " + big + ", created_at " + big + " NOT NULL, updated_at " + big +
           " NOT NULL);\n"
           "CREATE TABLE user_sessions (hash TEXT PRIMARY KEY, user_name TEXT NOT NULL "
           "REFERENCES users(name), created_at " +
           big + " NOT NULL, expires_at " + big +
           " NOT NULL);\n"
           "CREATE INDEX user_sessions_user ON user_sessions (user_name);\n"
           "CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);\n";
}

std::string LoginFailuresMigration(bool postgres) {
    const std::string big = postgres ? "BIGINT" : "INTEGER";
    return "CREATE TABLE login_failures (lock_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
           "first_at " +
           big + " NOT NULL, locked_until " + big +
           " NOT NULL);\n"
           "CREATE INDEX login_failures_first_at ON login_failures (first_at);\n";
}

}  // namespace fk::server
