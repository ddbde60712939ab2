#include "server/PgPool.h"

#include <libpq-fe.h>

namespace fk::server {

PgConnection::PgConnection(const std::string& url, const BackendOptions& options) {
    // Keywords are processed in order and the last value wins: the defaults come first, so a
    // connect_timeout in the URL itself is kept.
    const std::string timeout = std::to_string(options.connectTimeoutS);
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), url.c_str(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK) {
        std::string message = m_conn != nullptr ? PQerrorMessage(m_conn) : "out of memory";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        PQfinish(m_conn);
        m_conn = nullptr;
        throw BackendError(BackendError::Kind::Database,
                           "cannot connect to PostgreSQL: " + message);
    }
    // jit off: compiling one of our short statements (PostgreSQL does so on high cost estimates,
    // e.g. the fleet query at 1,000 kiosks) took ~0.5 s while running it took ~60 ms.
    // Plans: PgBackend.cpp's Stmt says which statements are prepared (generic plans) and which
    // are planned with their values every time. work_mem 32 MB: a report's GROUP BY over a month
    // of day roll-ups (some 250,000 rows at 1M responses) spilled its sort to disk with the
    // default 4 MB; with it, it hashes in memory (1.1 s -> 0.6 s). Per sort/hash node, so at most
    // a few times that per connection.
    const std::string setup =
        "SET client_min_messages = warning; SET jit = off; SET work_mem = '32MB'; SET "
        "statement_timeout = " +
        std::to_string(options.statementTimeoutMs);
    PGresult* r = PQexec(m_conn, setup.c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string message = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) {
        PQfinish(m_conn);
        m_conn = nullptr;
        throw BackendError(BackendError::Kind::Database,
                           "PostgreSQL session setup failed: " + message);
    }
}

PgConnection::~PgConnection() {
    PQfinish(m_conn);
}

void PgConnection::EnsureUsable() {
    if (PQstatus(m_conn) != CONNECTION_OK) {
        m_prepared.clear();
        PQreset(m_conn);
        if (PQstatus(m_conn) != CONNECTION_OK) {
            throw BackendError(
                BackendError::Kind::Database,
                std::string("PostgreSQL connection lost: ") + PQerrorMessage(m_conn));
        }
    }
}

bool PgConnection::Healthy() const {
    return PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) == PQTRANS_IDLE &&
           PQpipelineStatus(m_conn) == PQ_PIPELINE_OFF;
}

PgPool::PgPool(std::string url, BackendOptions options)
    : m_url(std::move(url)), m_options(options) {}

PgPool::~PgPool() = default;

PgPool::Lease::~Lease() {
    if (!m_c)
        return;
    if (PQstatus(m_c->Raw()) == CONNECTION_OK && PQpipelineStatus(m_c->Raw()) == PQ_PIPELINE_OFF &&
        PQtransactionStatus(m_c->Raw()) != PQTRANS_IDLE) {
        PQclear(PQexec(m_c->Raw(), "ROLLBACK"));
    }
    m_pool->Return(m_c->Healthy() ? std::move(m_c) : nullptr);
}

void PgPool::Return(std::unique_ptr<PgConnection> c) {
    {
        std::lock_guard lock(m_mutex);
        if (c) {
            m_idle.push_back(std::move(c));
        } else {
            --m_open;  // a broken connection is closed; a new one is opened on demand
        }
    }
    m_returned.notify_one();
}

PgPool::Lease PgPool::Acquire() {
    std::unique_lock lock(m_mutex);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.statementTimeoutMs);
    while (m_idle.empty() && m_open >= m_options.poolSize) {
        if (m_returned.wait_until(lock, deadline) == std::cv_status::timeout && m_idle.empty() &&
            m_open >= m_options.poolSize) {
            throw BackendError(
                BackendError::Kind::Database,
                "all " + std::to_string(m_options.poolSize) +
                    " database connections stayed busy; raise --db-pool-size or retry later");
        }
    }
    if (!m_idle.empty()) {
        auto c = std::move(m_idle.back());
        m_idle.pop_back();
        lock.unlock();
        try {
            c->EnsureUsable();
        } catch (...) {
            Return(nullptr);
            throw;
        }
        return Lease(*this, std::move(c));
    }
    ++m_open;
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<PgConnection>(m_url, m_options));
    } catch (...) {
        Return(nullptr);
        throw;
    }
}

}  // namespace fk::server
