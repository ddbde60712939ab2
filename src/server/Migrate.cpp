#include "server/Migrate.h"

#include "core/Rollups.h"

#include <libpq-fe.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "server/Backend.h"
#include "server/PgPartitions.h"
#include "storage/Sqlite.h"

namespace fk::server {

namespace {

// Copy order follows the foreign keys. Identity columns (rejections.id) are left for PostgreSQL
// to number; the table's unique key keeps a second run from adding the row again.
struct TableSpec {
    const char* name;
    std::vector<const char*> columns;
    const char* into = nullptr;  // the target's table when its name differs
};

const std::vector<TableSpec>& Tables() {
    static const std::vector<TableSpec> kTables = {
        {"stores", {"id", "name", "created_at"}},
        {"kiosks",
         {"id", "store_id", "created_at", "acked_seq", "last_seen", "pending_reported",
          "oldest_pending_age_ms", "clock_skew_ms", "version", "last_error", "last_heartbeat",
          "alert"}},
        {"tokens", {"id", "hash", "kind", "kiosk_id", "store_id", "created_at", "revoked_at"}},
        {"configs", {"store_id", "kiosk_id", "body", "etag", "updated_at"}},
        {"responses",
         {"id", "kiosk_id", "store_id", "seq", "created_at", "closed_at", "tz_offset_min", "scale",
          "rating", "rep_id", "reason", "language", "misuse", "batch_id", "received_at",
          "survey_version"}},
        {"kiosk_seqs", {"kiosk_id", "seq"}},
        {"rejections",
         {"kiosk_id", "response_id", "seq", "code", "message", "body", "received_at"}},
        // Schema version 5 (SQLite) / 6 (PostgreSQL): help calls, webhooks and the outbox (its id
        // is renumbered; the unique (event_key, destination) keeps a second run from sending
        // anything twice).
        {"webhooks", {"id", "store_id", "url", "secret", "created_at", "revoked_at"}},
        {"calls",
         {"response_id", "kiosk_id",    "store_id", "asked_at",    "tz_offset_min", "scale",
          "rating",      "rep_id",      "reason",   "language",    "late",          "misuse",
          "received_at", "folded_into", "repeats",  "acked_at",    "acked_by",      "closed_at",
          "closed_by",   "outcome",     "note",     "escalated_at"}},
        {"outbox",
         {"event_key", "destination", "body", "created_at", "attempts", "next_at", "delivered_at",
          "gave_up", "last_error"}},
        // Schema version 6 (SQLite) / 7 (PostgreSQL): people's accounts; their sessions stay
        // behind (they log in again on the new database).
        {"users",
         {"name", "role", "stores", "password_hash", "link_hash", "link_expires_at", "disabled_at",
          "created_at", "updated_at"}},
        // Schema version 8 (SQLite) / 9 (PostgreSQL): survey definition versions (issue 17).
        {"survey_versions",
         {"store_id", "kiosk_id", "version", "created_at", "created_by", "note", "body"}},
        {"kiosk_survey", {"kiosk_id", "version", "reported_at"}},
        // Schema version 8 (SQLite) / 9 (PostgreSQL): store-level alerts (issue 18); the state
        // rows are only locks and are made again.
        {"store_alerts",
         {"store_id", "raised_at", "checked_at", "cleared_at", "negative", "responses",
          "window_ms"}},
        {"rep_links", {"store_id", "rep_id", "person", "linked_at"}},
        // Schema version 13 (SQLite) / 14 (PostgreSQL), branch survey17b: store time zones.
        {"store_zones", {"store_id", "zone", "set_at", "set_by"}},
        // Schema version 8 (SQLite) / 9 (PostgreSQL), retention (branch privacy20): the mark,
        // the keys of deleted rows (PostgreSQL keeps them in response_keys) and the day and hour
        // roll-ups, whose rows before the mark are the only record of those days (the rebuild
        // below recomputes only the days after it).
        {"retention", {"id", "before_day"}},
        {"purged_keys", {"id", "kiosk_id", "seq", "created_at"}, "response_keys"},
        {"agg_rep_day",
         {"store_id", "day", "has_rep", "rep_id", "scale", "rating", "has_reason", "reason",
          "misuse", "survey_version", "n"}},
        {"agg_hour", {"store_id", "day", "hour", "scale", "rating", "n"}},
    };
    return kTables;
}

constexpr std::size_t kRowsPerInsert = 500;

[[noreturn]] void Fail(const std::string& message) {
    throw BackendError(BackendError::Kind::Database, message);
}

struct PgDeleter {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class Pg {
  public:
    explicit Pg(const std::string& url) : m_conn(PQconnectdb(url.c_str())) {
        if (!m_conn || PQstatus(m_conn.get()) != CONNECTION_OK) {
            Fail(std::string("cannot connect to PostgreSQL: ") +
                 (m_conn ? PQerrorMessage(m_conn.get()) : "out of memory"));
        }
    }
    PgResult Exec(const std::string& sql,
                  const std::vector<std::optional<std::string>>& params = {}) {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params)
            values.push_back(p ? p->c_str() : nullptr);
        PgResult r(PQexecParams(m_conn.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0));
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            Fail("PostgreSQL: " + std::string(PQerrorMessage(m_conn.get())));
        }
        return r;
    }

  private:
    std::unique_ptr<PGconn, PgDeleter> m_conn;
};

std::string SqlitePath(const std::string& from) {
    if (from.rfind("postgres", 0) == 0) {
        throw BackendError(BackendError::Kind::BadUrl,
                           "--from must be a SQLite database (a path or sqlite:PATH), got " + from);
    }
    return from.rfind("sqlite:", 0) == 0 ? from.substr(7) : from;
}

}  // namespace

std::string MigrateReport::to_string() const {
    std::string out;
    for (const auto& t : tables) {
        out += t.table + ": " + std::to_string(t.source) + " read, " + std::to_string(t.added) +
               " added\n";
    }
    return out;
}

MigrateReport MigrateDatabase(const std::string& from, const std::string& to, bool merge) {
    const std::string path = SqlitePath(from);
    if (!std::filesystem::exists(path)) {
        throw BackendError(BackendError::Kind::NotFound, "no SQLite database at " + path);
    }
    if (to.rfind("postgresql://", 0) != 0 && to.rfind("postgres://", 0) != 0) {
        throw BackendError(BackendError::Kind::BadUrl,
                           "--to must be a postgresql:// URL, got " + to);
    }
    // Opening each through its backend brings both schemas to this version first.
    OpenBackend("sqlite:" + path).reset();
    OpenBackend(to).reset();

    storage::Database source(path, storage::OpenMode::ReadOnly);
    Pg target(to);
    MigrateReport report;
    try {
        source.Exec("BEGIN");  // one snapshot for every table
        target.Exec("BEGIN");
        target.Exec(
            "LOCK TABLE stores, kiosks, tokens, configs, responses, response_keys, kiosk_seqs, "
            "rejections, webhooks, calls, outbox, users, survey_versions, kiosk_survey IN "
            "EXCLUSIVE MODE");
        if (!merge) {
            for (const auto& t : Tables()) {
                auto r = target.Exec(std::string("SELECT EXISTS (SELECT 1 FROM ") +
                                     (t.into ? t.into : t.name) + ")");
                if (std::string(PQgetvalue(r.get(), 0, 0)) == "t") {
                    throw BackendError(
                        BackendError::Kind::AlreadyExists,
                        std::string("the target database is not empty (table ") + t.name +
                            " has rows); to add only the rows it lacks, run again with --merge");
                }
            }
        }
        for (const auto& t : Tables()) {
            std::string columns;
            for (const char* c : t.columns)
                columns += (columns.empty() ? "" : ", ") + std::string(c);
            // Responses go through a staging table: their keys into response_keys first (the
            // one-row-per-id and per-(kiosk, seq) rule, PgPartitions.h), then into their months'
            // partitions.
            const bool staged = std::string(t.name) == "responses";
            if (staged) {
                target.Exec(
                    "CREATE TEMP TABLE responses_in (LIKE responses INCLUDING DEFAULTS) ON COMMIT "
                    "DROP");
            }
            const std::string into = staged ? "responses_in" : t.into ? t.into : t.name;
            const std::size_t width = t.columns.size();
            storage::Statement select(source, "SELECT " + columns + " FROM " + t.name);
            MigrateTableCount count{t.name, 0, 0};
            std::vector<std::optional<std::string>> params;
            auto flush = [&] {
                if (params.empty())
                    return;
                std::string sql = std::string("INSERT INTO ") + into + " (" + columns + ") VALUES ";
                const std::size_t rows = params.size() / width;
                for (std::size_t r = 0; r < rows; ++r) {
                    sql += r ? ", (" : "(";
                    for (std::size_t c = 0; c < width; ++c) {
                        sql += (c ? ", $" : "$") + std::to_string(r * width + c + 1);
                    }
                    sql += ")";
                }
                if (!staged)
                    sql += " ON CONFLICT DO NOTHING";
                auto result = target.Exec(sql, params);
                if (!staged)
                    count.added += std::stoll(PQcmdTuples(result.get()));
                params.clear();
            };
            while (select.Step()) {
                for (std::size_t c = 0; c < width; ++c) {
                    const int column = static_cast<int>(c);
                    params.push_back(select.IsNull(column)
                                         ? std::nullopt
                                         : std::optional<std::string>(select.Text(column)));
                }
                ++count.source;
                if (params.size() >= kRowsPerInsert * width)
                    flush();
            }
            flush();
            if (staged) {
                target.Exec(PgEnsureMonthsSql("responses_in"));
                auto result = target.Exec(
                    "WITH k AS (INSERT INTO response_keys (id, kiosk_id, seq, created_at) SELECT "
                    "id, kiosk_id, seq, created_at FROM responses_in ON CONFLICT DO NOTHING "
                    "RETURNING id) INSERT INTO responses (" +
                    columns + ") SELECT " + columns + " FROM responses_in JOIN k USING (id)");
                count.added += std::stoll(PQcmdTuples(result.get()));
                target.Exec(PgLatestTzSql("responses_in"));
            }
            report.tables.push_back(count);
        }
        // The report roll-ups from every response now in the target, in the same transaction.
        for (const auto& statement : core::RebuildRollupStatements(core::RollupDialect::Postgres)) {
            target.Exec(statement);
        }
        target.Exec("COMMIT");
        source.Exec("COMMIT");
    } catch (const storage::SqliteError& e) {
        throw BackendError(BackendError::Kind::Database,
                           std::string("reading ") + path + ": " + e.what());
    }
    return report;
}

}  // namespace fk::server
