#pragma once
// The one CallStore implementation, written once over plain SQL that both SQLite and PostgreSQL
// run: each backend supplies a SqlRunner (a transaction on its own connection). Statements use
// numbered parameters ?1, ?2, ...; the PostgreSQL runner rewrites them to $1, $2. Integer columns
// come back as decimal text. Thread-safe when the runner is.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/CallStore.h"

namespace fk::server {

struct SqlValue {
    std::optional<std::string> text;  // neither set: NULL
    std::optional<std::int64_t> number;
    SqlValue() = default;
    SqlValue(std::string t) : text(std::move(t)) {}                 // NOLINT: implicit by design
    SqlValue(const char* t) : text(t) {}                            // NOLINT
    SqlValue(std::int64_t n) : number(n) {}                         // NOLINT
    SqlValue(int n) : number(n) {}                                  // NOLINT
    SqlValue(std::optional<std::string> t) : text(std::move(t)) {}  // NOLINT
    SqlValue(std::optional<std::int64_t> n) : number(n) {}          // NOLINT
};
using SqlRow = std::vector<std::optional<std::string>>;

class SqlSession {
  public:
    virtual ~SqlSession() = default;
    virtual std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& args) = 0;
    // Rows changed.
    virtual std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& args) = 0;
};

class SqlRunner {
  public:
    virtual ~SqlRunner() = default;
    // Runs work in one transaction, committed (durably) when it returns, rolled back when it
    // throws. Database failures throw BackendError(Database).
    virtual void InTransaction(const std::function<void(SqlSession&)>& work) = 0;
    // Read-only work; may run on a reader connection beside the writer.
    virtual void Read(const std::function<void(SqlSession&)>& work) { InTransaction(work); }
};

std::unique_ptr<CallStore> MakeSqlCallStore(std::unique_ptr<SqlRunner> runner);

// The schema step that adds calls, outbox and webhooks (the same text on both backends).
std::string CallsMigration(bool postgres);

// "?12" -> "$12" outside string literals (PostgreSQL's placeholders).
std::string PgPlaceholders(std::string_view sql);

}  // namespace fk::server
