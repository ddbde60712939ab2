#pragma once
// Group commit on one SQLite writer connection: the work of many requests (ingest batches,
// heartbeats) shares one durable transaction, so one WAL fsync serves them all.
//
// A writer takes a Turn (exclusive use of the connection), does its work inside a savepoint of the
// open group transaction, and calls Commit(): that returns only once a COMMIT covering its work has
// returned (durable with synchronous=FULL), and throws BackendError if that COMMIT failed. The
// writer that ends its turn with nobody waiting for the connection, or with the group full or old,
// commits the group for everyone; the others sleep until then. A turn ended without Commit() rolls
// back its own savepoint only. Exclusive() is for writes with their own transaction (admin): it
// commits the open group first.
//
// Thread-safe; turns are handed out one at a time. The connection must outlive this object and is
// used only through turns.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "storage/Sqlite.h"

namespace fk::server {

class GroupCommit {
  public:
    struct Limits {
        int maxMembers = 256;                  // commit once this many are in the group
        std::chrono::milliseconds maxAge{50};  // or once the group is this old
    };

    explicit GroupCommit(storage::Database& db) : GroupCommit(db, Limits{}) {}
    GroupCommit(storage::Database& db, Limits limits);
    ~GroupCommit();  // commits an open group (no turn may be held)
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    class Turn {
      public:
        Turn(Turn&& other) noexcept;
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        Turn& operator=(Turn&&) = delete;
        ~Turn();  // without Commit(): rolls back this turn's work, ends the turn
        storage::Database& Db();
        // Keeps this turn's work and waits until it is durable. Throws BackendError(Database)
        // when the work or the group's COMMIT failed (nothing of this turn is then stored).
        void Commit();

      private:
        friend class GroupCommit;
        Turn(GroupCommit& owner, bool exclusive) : m_owner(&owner), m_exclusive(exclusive) {}
        GroupCommit* m_owner;
        bool m_exclusive;
        bool m_done = false;
    };

    // Waits for the connection and starts a member of the open group (opening one if needed).
    // Throws BackendError(Database) if BEGIN or SAVEPOINT fails.
    Turn Begin();
    // Waits for the connection, commits the open group, and hands the connection out alone:
    // the caller runs its own statements or transactions; ending the turn just releases it.
    Turn Exclusive();

    // Counters (any thread): groups committed, members in them.
    std::uint64_t Groups() const;
    std::uint64_t Members() const;

  private:
    void Acquire();
    // Ends the holder's turn; commits the group when it should. Returns the group to wait for
    // (0: nothing to wait for).
    std::uint64_t Release(bool member);
    void CommitGroupLocked(std::unique_lock<std::mutex>& lock);  // holder only
    void WaitDurable(std::uint64_t group);

    storage::Database& m_db;
    Limits m_limits;
    mutable std::mutex m_mutex;
    std::condition_variable m_turnFree;
    std::condition_variable m_groupDone;
    bool m_busy = false;
    int m_waiting = 0;
    bool m_open = false;
    std::uint64_t m_group = 0;     // id of the open (or last) group
    std::uint64_t m_finished = 0;  // every group <= this has committed or failed
    int m_members = 0;             // members of the open group so far
    std::chrono::steady_clock::time_point m_openedAt;
    struct Failure {
        std::string message;
        int waiting = 0;  // members still to be told
    };
    std::map<std::uint64_t, Failure> m_failures;
    std::uint64_t m_groupsCommitted = 0, m_membersCommitted = 0;
};

}  // namespace fk::server
