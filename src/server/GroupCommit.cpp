#include "server/GroupCommit.h"

#include <sqlite3.h>

#include "server/Backend.h"

namespace fk::server {

namespace {
constexpr const char* kSavepoint = "SAVEPOINT fk_member";
}

GroupCommit::GroupCommit(storage::Database& db, Limits limits) : m_db(db), m_limits(limits) {}

GroupCommit::~GroupCommit() {
    if (m_open) {
        try {
            m_db.Exec("COMMIT");
        } catch (...) {
        }
    }
}

void GroupCommit::Acquire() {
    std::unique_lock lock(m_mutex);
    ++m_waiting;
    m_turnFree.wait(lock, [&] { return !m_busy; });
    --m_waiting;
    m_busy = true;
}

GroupCommit::Turn GroupCommit::Begin() {
    Acquire();
    try {
        if (!m_open) {
            m_db.Exec("BEGIN IMMEDIATE");
            std::lock_guard lock(m_mutex);
            m_open = true;
            ++m_group;
            m_members = 0;
            m_openedAt = std::chrono::steady_clock::now();
        }
        m_db.Exec(kSavepoint);
    } catch (const storage::SqliteError& e) {
        Release(false);
        throw BackendError(BackendError::Kind::Database, std::string("begin write: ") + e.what());
    }
    return Turn(*this, false);
}

GroupCommit::Turn GroupCommit::Exclusive() {
    Acquire();
    std::unique_lock lock(m_mutex);
    if (m_open)
        CommitGroupLocked(lock);
    return Turn(*this, true);
}

std::uint64_t GroupCommit::Release(bool member) {
    std::unique_lock lock(m_mutex);
    std::uint64_t wait = 0;
    if (member) {
        ++m_members;
        wait = m_group;
    }
    if (m_open && sqlite3_get_autocommit(m_db.Handle()) != 0) {
        // SQLite rolled the whole transaction back after an error (I/O, disk full): every
        // member of the group is lost, and each is told so.
        m_open = false;
        m_finished = m_group;
        if (m_members > 0)
            m_failures[m_group] = Failure{"the write transaction was rolled back", m_members};
        m_groupDone.notify_all();
    } else if (m_open && (m_waiting == 0 || m_members >= m_limits.maxMembers ||
                          std::chrono::steady_clock::now() - m_openedAt >= m_limits.maxAge)) {
        CommitGroupLocked(lock);
    }
    m_busy = false;
    m_turnFree.notify_one();
    return wait;
}

void GroupCommit::CommitGroupLocked(std::unique_lock<std::mutex>& lock) {
    const std::uint64_t group = m_group;
    const int members = m_members;
    lock.unlock();  // the turn keeps everyone else off the connection during the fsync
    std::string error;
    try {
        m_db.Exec("COMMIT");
    } catch (const storage::SqliteError& e) {
        error = e.what();
        try {
            m_db.Exec("ROLLBACK");
        } catch (...) {
        }
    }
    lock.lock();
    m_open = false;
    m_finished = group;
    if (!error.empty()) {
        if (members > 0)
            m_failures[group] = Failure{error, members};
    } else {
        ++m_groupsCommitted;
        m_membersCommitted += static_cast<std::uint64_t>(members);
    }
    m_groupDone.notify_all();
}

void GroupCommit::WaitDurable(std::uint64_t group) {
    if (group == 0)
        return;
    std::unique_lock lock(m_mutex);
    m_groupDone.wait(lock, [&] { return m_finished >= group; });
    auto it = m_failures.find(group);
    if (it == m_failures.end())
        return;
    std::string message = it->second.message;
    if (--it->second.waiting == 0)
        m_failures.erase(it);
    throw BackendError(BackendError::Kind::Database, "commit failed: " + message);
}

std::uint64_t GroupCommit::Groups() const {
    std::lock_guard lock(m_mutex);
    return m_groupsCommitted;
}

std::uint64_t GroupCommit::Members() const {
    std::lock_guard lock(m_mutex);
    return m_membersCommitted;
}

GroupCommit::Turn::Turn(Turn&& other) noexcept
    : m_owner(other.m_owner), m_exclusive(other.m_exclusive), m_done(other.m_done) {
    other.m_done = true;
}

GroupCommit::Turn::~Turn() {
    if (m_done)
        return;
    if (!m_exclusive) {
        try {
            m_owner->m_db.Exec("ROLLBACK TO fk_member");
            m_owner->m_db.Exec("RELEASE fk_member");
        } catch (...) {
            // The transaction is gone (Release sees autocommit and fails the group).
        }
    }
    m_owner->Release(false);
}

storage::Database& GroupCommit::Turn::Db() {
    return m_owner->m_db;
}

void GroupCommit::Turn::Commit() {
    if (m_done)
        return;
    if (m_exclusive) {
        m_done = true;
        m_owner->Release(false);
        return;
    }
    try {
        m_owner->m_db.Exec("RELEASE fk_member");
    } catch (const storage::SqliteError& e) {
        // Left to the destructor: rolls back this turn's work and ends the turn.
        throw BackendError(BackendError::Kind::Database, std::string("commit: ") + e.what());
    }
    m_done = true;
    m_owner->WaitDurable(m_owner->Release(true));
}

}  // namespace fk::server
