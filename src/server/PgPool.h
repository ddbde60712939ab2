#pragma once
// PostgreSQL connections for PgBackend: PgConnection (one libpq connection with the server's
// timeouts and its prepared statements) and PgPool (at most poolSize of them, shared by reads and
// writes, so transactions of different kiosks run in parallel and PostgreSQL groups their WAL
// flushes). libpq-fe.h stays in the .cpp files.
//
// Thread-safety: PgPool is thread-safe; a PgConnection is used by one thread at a time (the holder
// of its lease). Failures throw BackendError(Database); connection errors never include the
// password (libpq's messages name host and user only).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/Backend.h"

struct pg_conn;

namespace fk::server {

class PgConnection {
  public:
    // Connects with options.connectTimeoutS (unless the URL sets connect_timeout) and sets
    // statement_timeout. Throws BackendError(Database).
    PgConnection(const std::string& url, const BackendOptions& options);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Reconnects a connection the server dropped (restart, network) before using it again.
    void EnsureUsable();
    bool Healthy() const;  // connected and not inside a transaction
    pg_conn* Raw() { return m_conn; }
    // Names of statements prepared on this connection (forgotten on reconnect).
    std::set<std::string>& Prepared() { return m_prepared; }

  private:
    pg_conn* m_conn = nullptr;
    std::set<std::string> m_prepared;
};

class PgPool {
  public:
    PgPool(std::string url, BackendOptions options);
    ~PgPool();
    PgPool(const PgPool&) = delete;
    PgPool& operator=(const PgPool&) = delete;

    class Lease {
      public:
        Lease(PgPool& pool, std::unique_ptr<PgConnection> c) : m_pool(&pool), m_c(std::move(c)) {}
        Lease(Lease&& o) noexcept : m_pool(o.m_pool), m_c(std::move(o.m_c)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease();  // back to the pool if healthy (rolled back if left in a transaction), else
                   // closed
        PgConnection& operator*() { return *m_c; }
        PgConnection* operator->() { return m_c.get(); }

      private:
        PgPool* m_pool;
        std::unique_ptr<PgConnection> m_c;
    };

    // A connection (opened if fewer than poolSize exist), waiting for one to come back when all
    // are out. Throws BackendError(Database) after the statement timeout without one, or when
    // connecting fails.
    Lease Acquire();
    const BackendOptions& Options() const { return m_options; }

  private:
    void Return(std::unique_ptr<PgConnection> c);

    std::string m_url;
    BackendOptions m_options;
    std::mutex m_mutex;
    std::condition_variable m_returned;
    std::vector<std::unique_ptr<PgConnection>> m_idle;
    int m_open = 0;  // connections in existence (idle + leased + being opened)
};

}  // namespace fk::server
