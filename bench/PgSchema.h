#pragma once
// A throwaway PostgreSQL schema for the benches that take --pg URL (reports, fleet).
#include <libpq-fe.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace fk::bench {

// A schema of its own on the PostgreSQL at url: a fresh one (prefix + pid) dropped on destruction,
// or the named one (keep), created if missing and kept. Throws std::runtime_error when the server
// cannot be reached or a statement fails. One thread; owns its admin connection.
class PgSchema {
  public:
    PgSchema(const std::string& url, const std::string& keep, const std::string& prefix)
        : m_base(url), m_admin(PQconnectdb(url.c_str())) {
        if (PQstatus(m_admin) != CONNECTION_OK) {
            std::string message = PQerrorMessage(m_admin);
            PQfinish(m_admin);
            throw std::runtime_error("cannot connect to " + url + ": " + message);
        }
        Exec("SET client_min_messages = warning");
        m_keep = !keep.empty();
        m_name = m_keep ? keep : prefix + std::to_string(::getpid());
        Exec("CREATE SCHEMA IF NOT EXISTS " + m_name);
    }
    ~PgSchema() {
        if (!m_keep)
            Exec("DROP SCHEMA " + m_name + " CASCADE");
        PQfinish(m_admin);
    }
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;
    std::string Url() const {
        return m_base + (m_base.find('?') == std::string::npos ? "?" : "&") +
               "options=-csearch_path%3D" + m_name;
    }
    void Exec(const std::string& sql) {
        PGresult* r = PQexec(m_admin, sql.c_str());
        const auto status = PQresultStatus(r);
        std::string message = PQresultErrorMessage(r);
        PQclear(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            throw std::runtime_error(sql.substr(0, 80) + ": " + message);
    }
    const std::string& Name() const { return m_name; }

  private:
    std::string m_base;
    PGconn* m_admin;
    std::string m_name;
    bool m_keep = false;
};

}  // namespace fk::bench
