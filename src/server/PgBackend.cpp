#include "server/PgBackend.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/Calendar.h"
#include "core/Rollups.h"
#include "server/CallStoreSql.h"
#include "server/Limits.h"
#include "server/PgEventBus.h"
#include "server/PgPartitions.h"
#include "server/PgRollups.h"

namespace fk::server {

namespace {

using Param = std::optional<std::string>;
using Params = std::vector<Param>;

[[noreturn]] void Fail(const std::string& what) {
    throw BackendError(BackendError::Kind::Database, what);
}

class PgResult {
  public:
    explicit PgResult(PGresult* r) : m_r(r) {}
    ~PgResult() { PQclear(m_r); }
    PgResult(PgResult&& o) noexcept : m_r(o.m_r) { o.m_r = nullptr; }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int Rows() const { return PQntuples(m_r); }
    int Cols() const { return PQnfields(m_r); }
    bool IsNull(int row, int col) const { return PQgetisnull(m_r, row, col) != 0; }
    std::string Text(int row, int col) const { return PQgetvalue(m_r, row, col); }
    std::optional<std::string> OptText(int row, int col) const {
        return IsNull(row, col) ? std::nullopt : std::optional<std::string>(Text(row, col));
    }
    std::int64_t Int(int row, int col) const {
        return std::strtoll(PQgetvalue(m_r, row, col), nullptr, 10);
    }
    std::optional<std::int64_t> OptInt(int row, int col) const {
        return IsNull(row, col) ? std::nullopt : std::optional<std::int64_t>(Int(row, col));
    }
    std::int64_t Affected() const { return std::strtoll(PQcmdTuples(m_r), nullptr, 10); }

  private:
    PGresult* m_r;
};

std::string Str(std::int64_t v) {
    return std::to_string(v);
}
Param OptStr(const std::optional<std::int64_t>& v) {
    return v ? Param(std::to_string(*v)) : std::nullopt;
}

}  // namespace

namespace {

// Runs sql and throws BackendError unless it succeeded; returns the result.
PgResult Run(PgConnection& c, const std::string& sql, const Params& params = {}) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    PGresult* raw = PQexecParams(c.Raw(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(raw);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(c.Raw());
        const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
        std::string code = state != nullptr ? state : "";
        PQclear(raw);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        throw BackendError(
            code == "23505" ? BackendError::Kind::AlreadyExists : BackendError::Kind::Database,
            "PostgreSQL: " + message + (code.empty() ? "" : " (SQLSTATE " + code + ")"));
    }
    return PgResult(raw);
}

// Several statements, no parameters (PQexecParams refuses multi-statement strings).
void RunScript(PgConnection& c, const std::string& sql) {
    PGresult* raw = PQexec(c.Raw(), sql.c_str());
    ExecStatusType status = PQresultStatus(raw);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(c.Raw());
        PQclear(raw);
        Fail("PostgreSQL migration failed: " + message);
    }
    PQclear(raw);
}

constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE stores (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE kiosks (
  id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), created_at BIGINT NOT NULL,
  acked_seq BIGINT NOT NULL DEFAULT 0, last_seen BIGINT, pending_reported BIGINT,
  oldest_pending_age_ms BIGINT, clock_skew_ms BIGINT, version TEXT, last_error TEXT, last_heartbeat BIGINT);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'manager')),
  kiosk_id TEXT REFERENCES kiosks(id), store_id TEXT REFERENCES stores(id),
  created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE responses (
  id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, store_id TEXT NOT NULL, seq BIGINT NOT NULL,
  created_at BIGINT NOT NULL, closed_at BIGINT NOT NULL, tz_offset_min INTEGER NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, rep_id TEXT, reason TEXT, language TEXT NOT NULL,
  misuse TEXT, batch_id TEXT NOT NULL, received_at BIGINT NOT NULL, UNIQUE (kiosk_id, seq));
CREATE INDEX responses_rep ON responses (rep_id, created_at, rating);
CREATE INDEX responses_store_time ON responses (store_id, created_at);
CREATE TABLE kiosk_seqs (kiosk_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (kiosk_id, seq));
CREATE TABLE rejections (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kiosk_id TEXT NOT NULL, response_id TEXT NOT NULL,
  seq BIGINT, code TEXT NOT NULL, message TEXT NOT NULL, body TEXT NOT NULL, received_at BIGINT NOT NULL,
  UNIQUE (kiosk_id, response_id, code));
CREATE TABLE configs (
  store_id TEXT NOT NULL REFERENCES stores(id), kiosk_id TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL, etag TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (store_id, kiosk_id));
)sql",
    // Version 2: the heartbeat's alert. (Version 4, the report roll-ups: PgRollupsMigration;
    // version 5, monthly partitions of responses: PgPartitionsMigration.)
    R"sql(
ALTER TABLE kiosks ADD COLUMN alert TEXT;
)sql",
    // Version 3: web sessions (server/Sessions.h), kept apart from the report schema: every
    // server process on this database shares them. Only the SHA-256 of a session id is stored.
    R"sql(
CREATE TABLE web_sessions (
  hash TEXT PRIMARY KEY, token_id TEXT NOT NULL REFERENCES tokens(id), created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_token ON web_sessions (token_id);
)sql",
};

}  // namespace

std::vector<std::string> PgMigrationScripts() {
    // Version 6: help calls, their outbox and webhooks (issue 16; server/CallStoreSql.cpp).
    // Version 7: people's accounts and their sessions (issue 20; server/UserStore.cpp).
    // Version 8: the access log of per-rep data (issue 20; server/AccessLog.cpp).
    // Version 9: survey definition versions (issue 17; server/SurveyVersions.cpp).
    // Version 10: store-level alerts and head office's rep links (issue 18; server/StoreAlerts.cpp,
    // server/RepLinks.cpp).
    // Version 11: failed logins shared by every server on the database (server/UserStore.cpp).
    // Version 12: retention of raw responses (issue 20 item 4; server/Privacy.cpp).
    // Version 13: the survey version of each response (issue 17; server/SurveyVersions.cpp).
    // Version 14: each store's IANA time zone (issue 17 item 5; server/StoreZones.cpp).
    return {kMigrations[0],
            kMigrations[1],
            kMigrations[2],
            PgRollupsMigration(),
            PgPartitionsMigration(),
            CallsMigration(true),
            UsersMigration(true),
            AccessLogMigration(true),
            SurveyVersionsMigration(true),
            StoreAlertsMigration(true) + RepLinksMigration(true),
            LoginFailuresMigration(true),
            PrivacyMigration(true),
            ResponseVersionsMigration(true),
            StoreZonesMigration(true)};
}

namespace {

void Migrate(PgConnection& c) {
    Run(c, "BEGIN");
    try {
        // Serialises concurrent starts of several servers on one database.
        Run(c, "SELECT pg_advisory_xact_lock(7302117)");
        // Filling the roll-ups of a large database in place takes longer than a request may.
        Run(c, "SET LOCAL statement_timeout = 0");
        Run(c, "CREATE TABLE IF NOT EXISTS fk_schema_version (version INTEGER NOT NULL)");
        auto r = Run(c, "SELECT COALESCE(MAX(version), 0) FROM fk_schema_version");
        std::int64_t current = r.Int(0, 0);
        const std::vector<std::string> migrations = PgMigrationScripts();
        const auto known = static_cast<std::int64_t>(migrations.size());
        if (current > known) {
            Fail("database schema version " + Str(current) + " is newer than this kiosk-server (" +
                 Str(known) + "); upgrade kiosk-server");
        }
        for (std::int64_t v = current + 1; v <= known; ++v) {
            RunScript(c, migrations[v - 1]);
            Run(c, "INSERT INTO fk_schema_version (version) VALUES ($1)", {Str(v)});
        }
        Run(c, "COMMIT");
    } catch (...) {
        PQclear(PQexec(c.Raw(), "ROLLBACK"));
        throw;
    }
}

constexpr const char* kResponseColumns =
    "id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, reason, language, "
    "misuse";

core::Response ReadRow(const PgResult& r, int row, int first) {
    core::Response out;
    out.id = core::Uuid::Parse(r.Text(row, first)).value_or(core::Uuid{});
    out.seq = r.Int(row, first + 1);
    out.createdAtMs = r.Int(row, first + 2);
    out.closedAtMs = r.Int(row, first + 3);
    out.tzOffsetMin = static_cast<int>(r.Int(row, first + 4));
    out.scale = static_cast<int>(r.Int(row, first + 5));
    out.rating = static_cast<int>(r.Int(row, first + 6));
    out.repId = r.OptText(row, first + 7);
    out.reason = r.OptText(row, first + 8);
    out.language = r.Text(row, first + 9);
    out.misuse = r.OptText(row, first + 10);
    return out;
}

// Array literals of validated values only (UUID text, integers): nothing needs quoting.
template <typename T>
std::string ArrayLiteral(const std::vector<T>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        if constexpr (std::is_same_v<T, std::string>) {
            out += values[i];
        } else {
            out += std::to_string(values[i]);
        }
    }
    return out + "}";
}

// Text array literal of arbitrary strings: every element quoted, backslash and quote escaped,
// nullopt as NULL.
std::string TextArray(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        if (!values[i]) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char ch : *values[i]) {
            if (ch == '"' || ch == '\\')
                out += '\\';
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

// One statement of a pipeline. With a name: prepared on first use per connection and its plan
// cached (PostgreSQL's default plan_cache_mode: a generic plan after five executions), for the
// writes whose plan cannot depend on table sizes (INSERT ... SELECT FROM unnest, ON CONFLICT on a
// key) and whose planning is costly (the responses insert with its roll-up CTEs: planning it on
// every batch was a quarter of PostgreSQL's CPU under the 5,000-kiosk fleet), and for lookups of
// one key (or an array of keys) in tables that only an administrator grows (tokens, kiosks): their
// planning was a third of PostgreSQL's planning time under the fleet. Without a name:
// parsed and planned with its values every time, for lookups in tables that ingest grows
// (responses, response_keys, kiosk_seqs): a generic plan is made from the table's size at that
// moment (a freshly migrated empty table: a sequential scan, even for a key) and kept until an
// ANALYZE; one made on a young database kept a sequential scan + hash join as responses grew
// (kiosk-bench fleet --pg).
struct Stmt {
    std::string name;
    const char* sql;
    Params params;
};

// Sends the statements in one pipeline (one network round trip) and returns their results in
// order. Throws BackendError with the first failure after reading everything up to the sync, so
// the connection is left usable (inside an aborted transaction if one was open).
std::vector<PgResult> RunPipeline(PgConnection& c, const std::vector<Stmt>& stmts) {
    PGconn* conn = c.Raw();
    if (PQenterPipelineMode(conn) != 1)
        Fail(std::string("PostgreSQL pipeline: ") + PQerrorMessage(conn));
    std::vector<std::string>
        kinds;  // per command sent: the name it prepares, or "" for a statement
    bool sendFailed = false;
    for (const auto& s : stmts) {
        std::vector<const char*> values;
        for (const auto& p : s.params)
            values.push_back(p ? p->c_str() : nullptr);
        int ok = 0;
        if (s.name.empty()) {
            ok = PQsendQueryParams(conn, s.sql, static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0);
        } else {
            if (c.Prepared().count(s.name) == 0 &&
                std::find(kinds.begin(), kinds.end(), s.name) == kinds.end()) {
                if (PQsendPrepare(conn, s.name.c_str(), s.sql, 0, nullptr) != 1) {
                    sendFailed = true;
                    break;
                }
                kinds.push_back(s.name);
            }
            ok = PQsendQueryPrepared(conn, s.name.c_str(), static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, 0);
        }
        if (ok != 1) {
            sendFailed = true;
            break;
        }
        kinds.emplace_back();
    }
    std::string error, sqlState;
    if (sendFailed)
        error = PQerrorMessage(conn);
    if (PQpipelineSync(conn) != 1 && error.empty())
        error = PQerrorMessage(conn);
    std::vector<PgResult> results;
    for (const auto& kind : kinds) {
        PGresult* kept = nullptr;
        while (PGresult* r = PQgetResult(conn)) {
            ExecStatusType st = PQresultStatus(r);
            if (!kind.empty() && st == PGRES_COMMAND_OK)
                c.Prepared().insert(kind);
            if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && error.empty()) {
                error = st == PGRES_PIPELINE_ABORTED ? "pipeline aborted" : PQresultErrorMessage(r);
                const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
                if (state != nullptr)
                    sqlState = state;
            }
            if (kept == nullptr && kind.empty()) {
                kept = r;
            } else {
                PQclear(r);
            }
        }
        if (kind.empty() && kept == nullptr && error.empty()) {
            error = std::string("no result (connection lost?): ") + PQerrorMessage(conn);
        }
        if (kind.empty())
            results.emplace_back(kept);
    }
    // The sync point's own result, then back to normal mode.
    while (PGresult* r = PQgetResult(conn)) {
        bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync)
            break;
    }
    PQexitPipelineMode(conn);
    if (!error.empty()) {
        while (!error.empty() && (error.back() == '\n' || error.back() == ' '))
            error.pop_back();
        if (sqlState == "22012") {
            // The insert's count check (see kInsertResponses) failed.
            throw BackendError(BackendError::Kind::Database,
                               "another kiosk stored one of these response ids at the same moment; "
                               "nothing of this "
                               "batch was stored; resend it");
        }
        throw BackendError(
            sqlState == "23505" ? BackendError::Kind::AlreadyExists : BackendError::Kind::Database,
            "PostgreSQL: " + error + (sqlState.empty() ? "" : " (SQLSTATE " + sqlState + ")"));
    }
    return results;
}

// Takes the kiosk's row lock first: two batches of one kiosk (the server allows a few in flight)
// run one after the other, and the next statements see what the other committed (READ COMMITTED
// takes a new snapshot per statement). Batches of different kiosks run in parallel.
constexpr const char* kLockKiosk = "SELECT 1 FROM kiosks WHERE id = $1 FOR UPDATE";
// The ack mark and the highest seqs dealt with (index-only backward scans).
constexpr const char* kKioskState =
    "SELECT acked_seq, COALESCE((SELECT max(seq) FROM response_keys WHERE kiosk_id = $1), 0), "
    "COALESCE((SELECT max(seq) FROM kiosk_seqs WHERE kiosk_id = $1), 0) FROM kiosks WHERE id = $1";
// Joins against unnest rather than "= ANY(array)": the join probes the indexes once per element.
// Keys only (response_keys, not partitioned: planning a join with every month's partition of
// responses on every batch was a fifth of PostgreSQL's CPU under kiosk-bench fleet --pg, for rows
// that are new in nearly every batch). Kind 0: a key with one of these ids; 1: this kiosk's key
// with one of these seqs.
constexpr const char* kFindKeys =
    "SELECT 0, k.kiosk_id, k.id, k.seq, k.created_at FROM unnest($1::text[]) AS q(id) "
    "JOIN response_keys k ON k.id = q.id "
    "UNION ALL SELECT 1, k.kiosk_id, k.id, k.seq, k.created_at FROM unnest($3::bigint[]) AS q(seq) "
    "JOIN response_keys k ON k.kiosk_id = $2 AND k.seq = q.seq";
// The stored rows of keys found (a resent batch), each from its month's partition (by the primary
// key, with created_at, so only that partition is probed). A key without its row: its month was
// detached for retention.
constexpr const char* kFindRows =
    "SELECT r.kiosk_id, r.id, r.seq, r.created_at, r.closed_at, r.tz_offset_min, r.scale, "
    "r.rating, r.rep_id, r.reason, r.language, r.misuse FROM unnest($1::text[], $2::bigint[], "
    "$3::bigint[]) AS q(kiosk_id, seq, created_at) JOIN responses r ON r.kiosk_id = q.kiosk_id "
    "AND r.seq = q.seq AND r.created_at = q.created_at";
// One statement for any number of rows (arrays, not one placeholder per value): the keys first
// (response_keys enforces one row per id and per (kiosk, seq); see PgPartitions.h), then the rows
// whose keys were new, into their months' partitions, and every report roll-up (PgWithRollups).
// Every row must be new: the lookup ran under the kiosk's lock, so a conflict means another kiosk
// inserted the same id at the same moment; a division by zero (evaluated at run time, not folded)
// then fails the statement (SQLSTATE 22012) and so the whole transaction, instead of answering
// "accepted" for a row that is not this kiosk's.
const std::string kInsertResponses = PgWithRollups(
    "u AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], "
    "$6::int[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $17::bigint[]) AS "
    "u(id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, reason, language, "
    "misuse, survey_version)), "
    "keys AS (INSERT INTO response_keys (id, kiosk_id, seq, created_at) SELECT id, $12, seq, "
    "created_at FROM u ON CONFLICT DO NOTHING RETURNING id), ",
    "INSERT INTO responses (id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, "
    "reason, language, misuse, kiosk_id, store_id, batch_id, received_at, survey_version) "
    "SELECT u.id, u.seq, u.created_at, u.closed_at, u.tz_offset_min, u.scale, u.rating, u.rep_id, "
    "u.reason, u.language, u.misuse, $12, $13, $14, $15::bigint, nullif(u.survey_version, 0) "
    "FROM u JOIN keys ON keys.id = u.id",
    "SELECT 1 / (CASE WHEN count(*) = $16::bigint THEN 1 ELSE 0 END) FROM ins");
constexpr const char* kInsertRejections =
    "INSERT INTO rejections (kiosk_id, response_id, seq, code, message, body, received_at) "
    "SELECT $1, u.r, u.s, u.c, u.m, u.b, $7::bigint FROM unnest($2::text[], $3::bigint[], "
    "$4::text[], $5::text[], "
    "$6::text[]) AS u(r, s, c, m, b) ON CONFLICT DO NOTHING";
constexpr const char* kMarkSeqs =
    "INSERT INTO kiosk_seqs (kiosk_id, seq) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING";
// Also the newest response's time zone ($4 created_at, $5 offset; NULL without new rows), which
// reports take as the store's (LatestTzOffset).
constexpr const char* kSetAcked =
    "UPDATE kiosks SET acked_seq = $2, last_seen = $3, last_tz_offset_min = CASE WHEN $4::bigint "
    ">= "
    "coalesce(last_created_at, $4::bigint) THEN $5::int ELSE last_tz_offset_min END, "
    "last_created_at = GREATEST(last_created_at, $4::bigint) WHERE id = $1";
// The contiguous run above a mark ($2): seq - row_number() is constant along a run. Scans the
// rows above the mark, so it runs only when a transaction filled the gap right above it.
constexpr const char* kRunAbove =
    "SELECT COALESCE(MAX(seq), $2::bigint) FROM (SELECT seq, seq - ROW_NUMBER() OVER (ORDER BY "
    "seq) AS run FROM "
    "(SELECT seq FROM response_keys WHERE kiosk_id = $1 AND seq > $2 UNION SELECT seq FROM "
    "kiosk_seqs "
    "WHERE "
    "kiosk_id = $1 AND seq > $2) u) t WHERE run = $2::bigint";

// One ingest transaction on a pooled connection, in two round trips: BEGIN, the kiosk's lock
// and the lookups in one pipeline (FindKnown); the writes are queued and sent with COMMIT
// (Commit). Anything that needs an answer in between flushes the queue with it.
class PgWriteTx : public WriteTx {
  public:
    explicit PgWriteTx(PgPool::Lease lease) : m_lease(std::move(lease)), m_c(**m_lease) {
        m_pending.push_back(Stmt{"", "BEGIN", {}});
    }
    ~PgWriteTx() override = default;  // the lease rolls back an unfinished transaction

    std::vector<StoredRow> FindByIds(const std::vector<std::string>& ids) override {
        return FindKnown("", ids, {}).byId;
    }

    std::vector<std::pair<std::int64_t, std::string>> FindSeqOwners(
        const std::string& kioskId, const std::vector<std::int64_t>& seqs) override {
        return FindKnown(kioskId, {}, seqs).seqOwners;
    }

    Known FindKnown(const std::string& kioskId, const std::vector<std::string>& ids,
                    const std::vector<std::int64_t>& seqs) override {
        const bool lock = !kioskId.empty() && m_kiosk.empty();
        if (lock) {
            m_kiosk = kioskId;
            m_pending.push_back(Stmt{"fk_lock_kiosk", kLockKiosk, {kioskId}});
            m_pending.push_back(Stmt{"", kKioskState, {kioskId}});
        }
        m_pending.push_back(Stmt{"", kFindKeys, {ArrayLiteral(ids), kioskId, ArrayLiteral(seqs)}});
        auto results = Flush();
        if (lock) {
            const PgResult& state = results[results.size() - 2];
            if (state.Rows() > 0) {
                m_acked = state.Int(0, 0);
                m_maxDealt = std::max(state.Int(0, 1), state.Int(0, 2));
                m_stateKnown = true;
            }
        }
        const PgResult& r = results.back();
        Known known;
        std::vector<std::optional<std::string>> kiosks;
        std::vector<std::int64_t> keySeqs, created;
        for (int i = 0; i < r.Rows(); ++i) {
            if (r.Int(i, 0) == 0) {
                StoredRow row{r.Text(i, 1), core::Response{}};
                row.response.id = core::Uuid::Parse(r.Text(i, 2)).value_or(core::Uuid{});
                row.response.seq = r.Int(i, 3);
                row.response.createdAtMs = r.Int(i, 4);
                row.detached = true;  // until its row is read below
                kiosks.emplace_back(row.kioskId);
                keySeqs.push_back(row.response.seq);
                created.push_back(row.response.createdAtMs);
                known.byId.push_back(std::move(row));
            } else {
                known.seqOwners.emplace_back(r.Int(i, 3), r.Text(i, 2));
            }
        }
        if (!known.byId.empty()) {
            m_pending.push_back(Stmt{
                "", kFindRows, {TextArray(kiosks), ArrayLiteral(keySeqs), ArrayLiteral(created)}});
            const PgResult rows = std::move(Flush().back());
            std::map<std::string, StoredRow*> byId;
            for (StoredRow& row : known.byId)
                byId.emplace(row.response.id.ToString(), &row);
            for (int i = 0; i < rows.Rows(); ++i) {
                auto it = byId.find(rows.Text(i, 1));
                if (it != byId.end() && it->second->kioskId == rows.Text(i, 0)) {
                    it->second->response = ReadRow(rows, i, 1);
                    it->second->detached = false;
                }
            }
        }
        return known;
    }

    void InsertResponses(const KioskRecord& kiosk, const std::string& batchId,
                         const std::vector<const core::Response*>& rows, core::UtcMs now) override {
        if (rows.empty())
            return;
        std::vector<std::optional<std::string>> ids, reps, reasons, languages, misuses;
        std::vector<std::int64_t> seqs, created, closed, tz, scales, ratings, versions;
        for (const core::Response* r : rows) {
            versions.push_back(r->surveyVersion.value_or(0));  // 0: none (nullif in the SQL)
            ids.emplace_back(r->id.ToString());
            seqs.push_back(r->seq);
            created.push_back(r->createdAtMs);
            closed.push_back(r->closedAtMs.value_or(r->createdAtMs));
            tz.push_back(r->tzOffsetMin);
            scales.push_back(r->scale);
            ratings.push_back(r->rating);
            reps.push_back(r->repId);
            reasons.push_back(r->reason);
            languages.emplace_back(r->language);
            misuses.push_back(r->misuse);
            m_dealt.push_back(r->seq);
            if (!m_newest || r->createdAtMs >= m_newest->first)
                m_newest = std::pair(r->createdAtMs, r->tzOffsetMin);
        }
        m_pending.push_back(
            Stmt{"fk_insert_responses",
                 kInsertResponses.c_str(),
                 {TextArray(ids), ArrayLiteral(seqs), ArrayLiteral(created), ArrayLiteral(closed),
                  ArrayLiteral(tz), ArrayLiteral(scales), ArrayLiteral(ratings), TextArray(reps),
                  TextArray(reasons), TextArray(languages), TextArray(misuses), kiosk.id,
                  kiosk.storeId, batchId, Str(now), Str(static_cast<std::int64_t>(rows.size())),
                  ArrayLiteral(versions)}});
    }

    void InsertRejections(const std::string& kioskId, const std::vector<Rejection>& rejections,
                          core::UtcMs now) override {
        if (rejections.empty())
            return;
        std::vector<std::optional<std::string>> ids, codes, messages, bodies;
        std::vector<std::int64_t> seqs;
        for (const auto& r : rejections) {
            ids.emplace_back(r.responseId);
            seqs.push_back(r.seq);
            codes.emplace_back(r.code);
            messages.emplace_back(r.message);
            bodies.emplace_back(r.body);
        }
        m_pending.push_back(Stmt{"fk_insert_rejections",
                                 kInsertRejections,
                                 {kioskId, TextArray(ids), ArrayLiteral(seqs), TextArray(codes),
                                  TextArray(messages), TextArray(bodies), Str(now)}});
    }

    void MarkSeqs(const std::string& kioskId, const std::vector<std::int64_t>& seqs) override {
        if (seqs.empty())
            return;
        m_dealt.insert(m_dealt.end(), seqs.begin(), seqs.end());
        m_pending.push_back(Stmt{"fk_mark_seqs", kMarkSeqs, {kioskId, ArrayLiteral(seqs)}});
    }

    std::int64_t AdvanceAckedSeq(const std::string& kioskId, core::UtcMs now) override {
        if (!m_stateKnown || kioskId != m_kiosk) {
            // Without FindKnown's lock and state (not how Ingest() works): take them now.
            m_kiosk.clear();
            FindKnown(kioskId, {}, {});
        }
        // Up from the mark through this transaction's own seqs, without a query; only when that
        // reaches seqs stored earlier (a gap just filled) are the rows above it read, once. A mark
        // stuck below a gap costs nothing.
        std::sort(m_dealt.begin(), m_dealt.end());
        std::int64_t acked = m_acked;
        while (std::binary_search(m_dealt.begin(), m_dealt.end(), acked + 1))
            ++acked;
        if (acked > m_acked && m_maxDealt > acked) {
            m_pending.push_back(Stmt{"", kRunAbove, {kioskId, Str(acked)}});
            acked = Flush().back().Int(0, 0);
        }
        m_pending.push_back(Stmt{
            "fk_set_acked",
            kSetAcked,
            {kioskId, Str(acked), Str(now), m_newest ? Param(Str(m_newest->first)) : std::nullopt,
             m_newest ? Param(Str(m_newest->second)) : std::nullopt}});
        return acked;
    }

    // The kiosk's highest stored or marked seq, from the state FindKnown read under the kiosk's
    // lock and this transaction's own seqs: no query.
    std::int64_t MaxSeq(const std::string& kioskId) override {
        if (!m_stateKnown || kioskId != m_kiosk) {
            m_kiosk.clear();
            FindKnown(kioskId, {}, {});
        }
        std::int64_t max = m_maxDealt;
        for (std::int64_t seq : m_dealt)
            max = std::max(max, seq);
        return max;
    }

    void Commit() override {
        m_pending.push_back(Stmt{"", "COMMIT", {}});
        Flush();
    }

  protected:
    // A transaction on a connection someone else holds, started by `prologue` (PgGroupTx).
    PgWriteTx(PgConnection& c, std::vector<Stmt> prologue)
        : m_c(c), m_pending(std::move(prologue)) {}

    std::vector<PgResult> Flush() {
        std::vector<Stmt> stmts;
        stmts.swap(m_pending);
        m_sent = true;
        return RunPipeline(m_c, stmts);
    }

    std::optional<PgPool::Lease> m_lease;
    PgConnection& m_c;
    std::vector<Stmt> m_pending;  // sent with the next statement that needs an answer
    bool m_sent = false;          // something was sent

  private:
    std::string m_kiosk;  // locked by this transaction
    bool m_stateKnown = false;
    std::int64_t m_acked = 0;     // the kiosk's mark when locked
    std::int64_t m_maxDealt = 0;  // its highest stored or marked seq then
    std::vector<std::int64_t> m_dealt;
    std::optional<std::pair<std::int64_t, int>> m_newest;  // created_at, tz of the newest row
};
}  // namespace

// The open group transaction of one store's batches (PgBackend::BeginStoreIngest), as GroupCommit
// does on SQLite: one batch at a time (a turn) runs inside a savepoint of the transaction on the
// group's connection; the member that ends its turn with nobody waiting (or the group full or
// old) commits for all, the others wait for that COMMIT. Fields by `mutex`; `users` by
// PgBackend::m_groupsMutex.
struct PgStoreGroup {
    static constexpr int kMaxMembers = 16;  // subtransactions: well below PostgreSQL's cache of 64
    static constexpr std::chrono::milliseconds kMaxAge{50};

    std::mutex mutex;
    std::condition_variable turnFree, groupDone;
    bool busy = false;                   // a member holds the turn
    int waiting = 0;                     // members waiting for the turn
    std::optional<PgPool::Lease> lease;  // the open transaction's connection
    bool begun = false;                  // BEGIN was sent on it
    std::uint64_t group = 0;             // the open (or last) group
    std::uint64_t finished = 0;          // every group <= this committed or failed
    int members = 0;                     // kept members of the open group
    std::chrono::steady_clock::time_point openedAt;
    std::map<std::uint64_t, std::pair<std::string, int>> failures;  // message, members to tell
    int users = 0;

    bool Due() const {
        return waiting == 0 || members >= kMaxMembers ||
               std::chrono::steady_clock::now() - openedAt >= kMaxAge;
    }
    // The group ended (committed, or failed with error): its members are told, the connection
    // goes back to the pool (rolled back if still in a transaction).
    void Finish(const std::string& error) {
        finished = group;
        if (!error.empty() && members > 0)
            failures[group] = {error, members};
        lease.reset();
        begun = false;
        groupDone.notify_all();
    }
    // Holder of the turn, with the lock: COMMIT (the turn keeps the connection to itself).
    void CommitLocked(std::unique_lock<std::mutex>& lock) {
        PgConnection& c = **lease;
        lock.unlock();
        std::string error;
        try {
            RunPipeline(c, {Stmt{"", "COMMIT", {}}});
        } catch (const BackendError& e) {
            error = e.what();
        }
        lock.lock();
        Finish(error);
    }
    // Ends the holder's turn. kept: its work is in the group; committed: its own pipeline ended
    // with a COMMIT that succeeded (commitError: that failed). Returns the group to wait for.
    std::uint64_t EndTurn(bool kept, bool committed, const std::string& commitError) {
        std::unique_lock lock(mutex);
        std::uint64_t wait = 0;
        if (kept) {
            ++members;
            wait = group;
        }
        if (committed || !commitError.empty()) {
            Finish(commitError);
        } else if (lease && PQtransactionStatus((*lease)->Raw()) != PQTRANS_INTRANS) {
            // Never begun (the first member sent nothing), or lost (the connection broke, or a
            // savepoint could not be rolled back): every kept member is told.
            Finish(begun || members > 0 ? "the write transaction was lost" : "");
        } else if (lease) {
            begun = true;
            if (Due())
                CommitLocked(lock);
        }
        busy = false;
        turnFree.notify_one();
        return wait;
    }
    void WaitDurable(std::uint64_t g) {
        if (g == 0)
            return;
        std::unique_lock lock(mutex);
        groupDone.wait(lock, [&] { return finished >= g; });
        auto it = failures.find(g);
        if (it == failures.end())
            return;
        std::string message = it->second.first;
        if (--it->second.second == 0)
            failures.erase(it);
        throw BackendError(BackendError::Kind::Database, "commit failed: " + message);
    }
};

namespace {

// One batch in its store's group transaction: a savepoint (released on Commit, rolled back when
// destroyed without it), then the turn goes to the next batch; Commit() returns once the group's
// COMMIT did.
class PgGroupTx final : public PgWriteTx {
  public:
    PgGroupTx(std::shared_ptr<PgStoreGroup> group, PgConnection& c, std::vector<Stmt> prologue,
              std::function<void()> leave)
        : PgWriteTx(c, std::move(prologue)), m_group(std::move(group)), m_leave(std::move(leave)) {}
    PgGroupTx(const PgGroupTx&) = delete;
    PgGroupTx& operator=(const PgGroupTx&) = delete;

    ~PgGroupTx() override {
        if (!m_done) {
            if (m_sent) {
                try {
                    RunPipeline(m_c, {Stmt{"", "ROLLBACK TO SAVEPOINT fk_member", {}},
                                      Stmt{"", "RELEASE SAVEPOINT fk_member", {}}});
                } catch (...) {
                    // Left aborted: EndTurn ends the group and tells its members.
                }
            }
            m_group->EndTurn(false, false, "");
        }
        m_leave();
    }

    void Commit() override {
        if (m_done)
            return;
        bool commitNow = false;
        {
            std::lock_guard lock(m_group->mutex);
            commitNow = m_group->Due() || m_group->members + 1 >= PgStoreGroup::kMaxMembers;
        }
        m_pending.push_back(Stmt{"", "RELEASE SAVEPOINT fk_member", {}});
        if (commitNow)
            m_pending.push_back(Stmt{"", "COMMIT", {}});
        try {
            Flush();
        } catch (const BackendError& e) {
            if (!commitNow || PQtransactionStatus(m_c.Raw()) == PQTRANS_INERROR)
                throw;  // this batch's statements failed: the destructor rolls them back
            // The COMMIT failed (or the connection): the whole group, this batch with it.
            m_done = true;
            m_group->WaitDurable(m_group->EndTurn(true, false, e.what()));
            throw;
        }
        m_done = true;
        m_group->WaitDurable(m_group->EndTurn(true, commitNow, ""));
    }

  private:
    std::shared_ptr<PgStoreGroup> m_group;
    std::function<void()> m_leave;
    bool m_done = false;
};

}  // namespace

namespace {

class PgSession final : public SqlSession {
  public:
    explicit PgSession(PgConnection& c) : m_c(c) {}
    std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& args) override {
        PgResult r = Run(m_c, PgPlaceholders(sql), Convert(args));
        std::vector<SqlRow> rows;
        for (int i = 0; i < r.Rows(); ++i) {
            SqlRow row;
            for (int c = 0; c < r.Cols(); ++c)
                row.push_back(r.OptText(i, c));
            rows.push_back(std::move(row));
        }
        return rows;
    }
    std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& args) override {
        return Run(m_c, PgPlaceholders(sql), Convert(args)).Affected();
    }

  private:
    static Params Convert(const std::vector<SqlValue>& args) {
        Params out;
        for (const auto& a : args)
            out.push_back(a.number ? Param(Str(*a.number)) : a.text);
        return out;
    }
    PgConnection& m_c;
};

class PgCallRunner final : public SqlRunner {
  public:
    explicit PgCallRunner(PgPool& pool) : m_pool(pool) {}
    void InTransaction(const std::function<void(SqlSession&)>& work) override {
        auto lease = m_pool.Acquire();
        Run(*lease, "BEGIN");
        try {
            PgSession session(*lease);
            work(session);
            Run(*lease, "COMMIT");
        } catch (...) {
            PQclear(PQexec(lease->Raw(), "ROLLBACK"));
            throw;
        }
    }

  private:
    PgPool& m_pool;
};

}  // namespace

std::unique_ptr<EventBus> PgBackend::OpenEventBus() {
    return std::make_unique<PgEventBus>(m_url, m_options);
}

PgBackend::PgBackend(const std::string& url, const BackendOptions& options)
    : m_url(url), m_options(options), m_pool(url, options) {
    {
        auto lease = m_pool.Acquire();
        Migrate(*lease);
    }
    m_calls = MakeSqlCallStore(std::make_unique<PgCallRunner>(m_pool));
    m_users = std::make_unique<UserStore>(std::make_unique<PgCallRunner>(m_pool));
    m_accesses = std::make_unique<AccessLog>(std::make_unique<PgCallRunner>(m_pool));
    m_surveys = std::make_unique<SurveyVersions>(std::make_unique<PgCallRunner>(m_pool));
    m_alerts = std::make_unique<StoreAlerts>(std::make_unique<PgCallRunner>(m_pool));
    m_links = std::make_unique<RepLinks>(std::make_unique<PgCallRunner>(m_pool));
    m_zones = std::make_unique<StoreZones>(std::make_unique<PgCallRunner>(m_pool));
    m_privacy = std::make_unique<Privacy>(std::make_unique<PgCallRunner>(m_pool), true);
    // This month's partition and the next ones, ahead of the first row.
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::vector<std::int64_t> months{PartitionMonthStart(now)};
    for (int i = 1; i < kPartitionMonthsAhead; ++i)
        months.push_back(PartitionMonthStart(months.back() + 32 * core::kMsPerDay));
    EnsureMonths(months);
}

void PgBackend::PrepareIngest(const std::vector<core::Response>& rows, core::UtcMs now) {
    std::vector<std::int64_t> wanted;
    {
        std::lock_guard lock(m_monthsMutex);
        for (const auto& r : rows) {
            if (r.createdAtMs < 0 || r.createdAtMs > StoreLimits::kMaxTimeMs ||
                !PartitionOnDemand(r.createdAtMs, now))
                continue;
            const std::int64_t month = PartitionMonthStart(r.createdAtMs);
            if (m_months.count(month) == 0 &&
                std::find(wanted.begin(), wanted.end(), month) == wanted.end())
                wanted.push_back(month);
        }
    }
    if (!wanted.empty())
        EnsureMonths(wanted);
}

void PgBackend::EnsureMonths(const std::vector<std::int64_t>& monthStarts) {
    auto lease = m_pool.Acquire();
    for (std::int64_t month : monthStarts) {
        try {
            Run(*lease, "SELECT fk_ensure_month($1)", {Str(month)});
        } catch (const BackendError& e) {
            // An operator's own partition overlapping the month, say: the rows go where
            // PostgreSQL routes them. Not retried for every batch.
            spdlog::warn(
                "could not create the partition of the month starting {} (ms): {}; its "
                "rows go to the default partition",
                month, e.what());
        }
        std::lock_guard lock(m_monthsMutex);
        m_months.insert(month);
    }
}

PgBackend::~PgBackend() = default;

PgPool::Lease PgBackend::Read() {
    return m_pool.Acquire();
}

std::string PgBackend::Describe() const {
    // Drop any password: postgresql://user:secret@host -> postgresql://user@host.
    std::string out = m_url;
    auto scheme = out.find("://");
    auto at = out.find('@');
    if (scheme != std::string::npos && at != std::string::npos) {
        auto colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at)
            out.erase(colon, at - colon);
    }
    return out;
}

void PgBackend::AddStore(const std::string& id, const std::string& name, core::UtcMs now) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    auto r =
        Run(writer,
            "INSERT INTO stores (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            {id, name, Str(now)});
    if (r.Affected() == 0)
        throw BackendError(BackendError::Kind::AlreadyExists, "store " + id + " already exists");
}

void PgBackend::AddKiosk(const std::string& id, const std::string& storeId, core::UtcMs now) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    if (Run(writer, "SELECT 1 FROM stores WHERE id = $1", {storeId}).Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound,
                           "no store " + storeId + "; add it first with add-store");
    }
    auto r = Run(
        writer,
        "INSERT INTO kiosks (id, store_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        {id, storeId, Str(now)});
    if (r.Affected() == 0)
        throw BackendError(BackendError::Kind::AlreadyExists, "kiosk " + id + " already exists");
}

void PgBackend::AddToken(const TokenRecord& token, const std::string& hashHex, core::UtcMs now) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    Run(writer,
        "INSERT INTO tokens (id, hash, kind, kiosk_id, store_id, created_at) VALUES ($1, $2, $3, "
        "$4, $5, $6)",
        {token.id, hashHex, to_string(token.kind), token.kioskId, token.storeId, Str(now)});
}

bool PgBackend::RevokeToken(const std::string& tokenId, core::UtcMs now) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    // One statement: the token and its web sessions go together.
    auto r =
        Run(writer,
            "WITH revoked AS (UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS "
            "NULL RETURNING id), "
            "ended AS (DELETE FROM web_sessions WHERE token_id = $2) SELECT count(*) FROM revoked",
            {Str(now), tokenId});
    return r.Int(0, 0) > 0;
}

void PgBackend::SetConfig(const std::string& storeId, const std::string& kioskId,
                          const ConfigRecord& config, core::UtcMs now) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    if (Run(writer, "SELECT 1 FROM stores WHERE id = $1", {storeId}).Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound,
                           "no store " + storeId + "; add it first with add-store");
    }
    if (!kioskId.empty() &&
        Run(writer, "SELECT 1 FROM kiosks WHERE id = $1 AND store_id = $2", {kioskId, storeId})
                .Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound,
                           "no kiosk " + kioskId + " in store " + storeId);
    }
    Run(writer,
        "INSERT INTO configs (store_id, kiosk_id, body, etag, updated_at) VALUES ($1, $2, $3, $4, "
        "$5) "
        "ON CONFLICT (store_id, kiosk_id) DO UPDATE SET body = excluded.body, etag = "
        "excluded.etag, "
        "updated_at = excluded.updated_at",
        {storeId, kioskId, config.body, config.etag, Str(now)});
}

std::optional<TokenRecord> PgBackend::FindToken(const std::string& hashHex) {
    auto lease = Read();
    // Prepared, and the kiosk's row in the same query: every kiosk request starts here, and a
    // batch needs its kiosk's store too. Never cached: a revoke takes effect on the next request,
    // on every server process.
    auto results =
        RunPipeline(*lease, {Stmt{"fk_find_token",
                                  "SELECT t.id, t.kind, t.kiosk_id, t.store_id, k.store_id "
                                  "FROM tokens t LEFT JOIN kiosks k ON k.id = t.kiosk_id "
                                  "WHERE t.hash = $1 AND t.revoked_at IS NULL",
                                  {hashHex}}});
    const PgResult& r = results.back();
    if (r.Rows() == 0)
        return std::nullopt;
    TokenRecord t;
    t.id = r.Text(0, 0);
    t.kind = r.Text(0, 1) == "kiosk" ? TokenKind::Kiosk : TokenKind::Manager;
    t.kioskId = r.OptText(0, 2);
    t.storeId = r.OptText(0, 3);
    t.kioskStoreId = r.OptText(0, 4);
    return t;
}

// Sessions are single autocommit statements on a pooled connection: PostgreSQL needs no writer
// lock for them.
void PgBackend::AddSession(const std::string& hashHex, const std::string& tokenId, core::UtcMs now,
                           core::UtcMs expiresAt, int maxPerToken) {
    auto lease = Read();
    Run(*lease,
        "INSERT INTO web_sessions (hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        {hashHex, tokenId, Str(now), Str(expiresAt)});
    Run(*lease,
        "DELETE FROM web_sessions WHERE token_id = $1 AND hash NOT IN (SELECT hash FROM "
        "web_sessions "
        "WHERE token_id = $1 ORDER BY created_at DESC, hash = $2 DESC LIMIT $3)",
        {tokenId, hashHex, Str(maxPerToken)});
}

std::optional<TokenRecord> PgBackend::FindSession(const std::string& hashHex, core::UtcMs now) {
    auto lease = Read();
    auto r = Run(*lease,
                 "SELECT t.id, t.kind, t.kiosk_id, t.store_id FROM web_sessions w JOIN tokens t ON "
                 "t.id = w.token_id "
                 "WHERE w.hash = $1 AND w.expires_at > $2 AND t.revoked_at IS NULL",
                 {hashHex, Str(now)});
    if (r.Rows() == 0)
        return std::nullopt;
    TokenRecord t;
    t.id = r.Text(0, 0);
    t.kind = r.Text(0, 1) == "kiosk" ? TokenKind::Kiosk : TokenKind::Manager;
    t.kioskId = r.OptText(0, 2);
    t.storeId = r.OptText(0, 3);
    return t;
}

bool PgBackend::DeleteSession(const std::string& hashHex) {
    auto lease = Read();
    return Run(*lease, "DELETE FROM web_sessions WHERE hash = $1", {hashHex}).Affected() > 0;
}

std::int64_t PgBackend::PurgeSessions(core::UtcMs now) {
    auto lease = Read();
    return Run(*lease, "DELETE FROM web_sessions WHERE expires_at <= $1", {Str(now)}).Affected();
}

std::optional<KioskRecord> PgBackend::FindKiosk(const std::string& id) {
    auto lease = Read();
    auto r = Run(*lease, "SELECT id, store_id FROM kiosks WHERE id = $1", {id});
    if (r.Rows() == 0)
        return std::nullopt;
    return KioskRecord{r.Text(0, 0), r.Text(0, 1)};
}

bool PgBackend::StoreExists(const std::string& id) {
    auto lease = Read();
    return Run(*lease, "SELECT 1 FROM stores WHERE id = $1", {id}).Rows() > 0;
}

std::optional<ConfigRecord> PgBackend::FindConfig(const std::string& storeId,
                                                  const std::string& kioskId) {
    auto lease = Read();
    auto r = Run(*lease,
                 "SELECT body, etag FROM configs WHERE store_id = $1 AND kiosk_id IN ('', $2) "
                 "ORDER BY kiosk_id DESC LIMIT 1",
                 {storeId, kioskId});
    if (r.Rows() == 0)
        return std::nullopt;
    return ConfigRecord{r.Text(0, 0), r.Text(0, 1)};
}

std::map<std::string, ConfigRecord> PgBackend::FindStoreConfigs(
    const std::vector<std::string>& storeIds) {
    auto lease = Read();
    std::vector<std::optional<std::string>> ids(storeIds.begin(), storeIds.end());
    auto r = Run(*lease,
                 "SELECT c.store_id, c.body, c.etag FROM unnest($1::text[]) AS q(id) JOIN configs "
                 "c ON c.store_id = q.id AND c.kiosk_id = ''",
                 {TextArray(ids)});
    std::map<std::string, ConfigRecord> out;
    for (int i = 0; i < r.Rows(); ++i)
        out.emplace(r.Text(i, 0), ConfigRecord{r.Text(i, 1), r.Text(i, 2)});
    return out;
}

std::optional<protocol::KioskStatus> PgBackend::Status(const std::string& kioskId) {
    auto lease = Read();
    PgConnection& c = *lease;
    Run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    struct End {
        PgConnection& c;
        ~End() { PQclear(PQexec(c.Raw(), "COMMIT")); }
    } end{c};
    auto k = Run(c,
                 "SELECT store_id, acked_seq, last_seen, pending_reported, oldest_pending_age_ms, "
                 "clock_skew_ms, "
                 "version, last_error, alert FROM kiosks WHERE id = $1",
                 {kioskId});
    if (k.Rows() == 0)
        return std::nullopt;
    protocol::KioskStatus st;
    st.kioskId = kioskId;
    st.storeId = k.Text(0, 0);
    st.ackedSeq = k.Int(0, 1);
    st.lastSeen = k.OptInt(0, 2);
    st.pendingReported = k.OptInt(0, 3);
    st.oldestPendingAgeMs = k.OptInt(0, 4);
    st.clockSkewMs = k.OptInt(0, 5);
    st.version = k.OptText(0, 6);
    st.lastError = k.OptText(0, 7);
    st.alert = k.OptText(0, 8);
    auto seqs =
        Run(c,
            "SELECT seq FROM response_keys WHERE kiosk_id = $1 AND seq > $2 UNION "
            "SELECT seq FROM kiosk_seqs WHERE kiosk_id = $1 AND seq > $2 ORDER BY 1 LIMIT 1000000",
            {kioskId, Str(st.ackedSeq)});
    std::vector<std::int64_t> above;
    above.reserve(static_cast<std::size_t>(seqs.Rows()));
    for (int i = 0; i < seqs.Rows(); ++i)
        above.push_back(seqs.Int(i, 0));
    st.gaps = GapsAbove(st.ackedSeq, above);
    st.maxSeq = above.empty() ? st.ackedSeq : above.back();
    st.responses =
        Run(c, "SELECT count(*) FROM response_keys WHERE kiosk_id = $1", {kioskId}).Int(0, 0);
    st.rejected =
        Run(c, "SELECT count(*) FROM rejections WHERE kiosk_id = $1 AND code <> 'lost'", {kioskId})
            .Int(0, 0);
    auto lost =
        Run(c,
            "SELECT seq, message, body FROM rejections WHERE kiosk_id = $1 AND code = 'lost' "
            "ORDER BY seq LIMIT $2",
            {kioskId, Str(kMaxLostInStatus)});
    for (int i = 0; i < lost.Rows(); ++i) {
        st.lost.push_back(LostRangeOf(lost.Int(i, 0), lost.Text(i, 1), lost.Text(i, 2)));
    }
    return st;
}

namespace {

Params ParamsOf(const core::RollupStatement& statement) {
    Params params;
    for (const auto& p : statement.params) {
        params.push_back(std::holds_alternative<std::int64_t>(p) ? Str(std::get<std::int64_t>(p))
                                                                 : std::get<std::string>(p));
    }
    return params;
}

}  // namespace

std::vector<DayCount> PgBackend::CountDays(const ReportQuery& query, bool byRep, bool perDay) {
    auto lease = Read();
    const auto statement = core::CountDaysStatement(query.storeId, core::DaysFromCivil(query.from),
                                                    core::DaysFromCivil(query.to), byRep, perDay);
    auto r = Run(*lease, statement.sql, ParamsOf(statement));
    std::vector<DayCount> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        DayCount c;
        c.storeId = r.Text(i, 0);
        c.day = r.Int(i, 1);
        if (r.Int(i, 2) != 0)
            c.repId = r.Text(i, 3);
        c.scale = static_cast<int>(r.Int(i, 4));
        c.rating = static_cast<int>(r.Int(i, 5));
        if (r.Int(i, 6) != 0)
            c.reason = r.Text(i, 7);
        c.misuse = r.Int(i, 8) != 0;
        c.count = r.Int(i, 9);
        if (const std::int64_t version = r.Int(i, 10); version > 0)
            c.surveyVersion = version;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<HourCount> PgBackend::CountHours(const ReportQuery& query) {
    auto lease = Read();
    const auto statement = core::CountHoursStatement(query.storeId, core::DaysFromCivil(query.from),
                                                     core::DaysFromCivil(query.to));
    auto r = Run(*lease, statement.sql, ParamsOf(statement));
    std::vector<HourCount> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        out.push_back(HourCount{r.Text(i, 0), r.Int(i, 1), static_cast<int>(r.Int(i, 2)),
                                static_cast<int>(r.Int(i, 3)), static_cast<int>(r.Int(i, 4)),
                                r.Int(i, 5)});
    }
    return out;
}

std::vector<protocol::KioskStatus> PgBackend::FleetStatuses(
    const std::optional<std::string>& storeId) {
    auto lease = Read();
    auto r = storeId ? Run(*lease, PgFleetSql(true), {*storeId}) : Run(*lease, PgFleetSql(false));
    // The "lost" notes of every kiosk at once, at most kMaxLostInStatus each (as Status shows).
    const std::string lostSql =
        std::string(
            "SELECT kiosk_id, seq, message, body FROM (SELECT j.kiosk_id, j.seq, "
            "j.message, j.body, row_number() OVER (PARTITION BY j.kiosk_id ORDER BY "
            "j.seq) AS n FROM rejections j JOIN kiosks k ON k.id = j.kiosk_id WHERE "
            "j.code = 'lost'") +
        (storeId ? " AND k.store_id = $2" : "") + ") t WHERE n <= $1 ORDER BY kiosk_id, seq";
    auto lost = storeId ? Run(*lease, lostSql, {Str(kMaxLostInStatus), *storeId})
                        : Run(*lease, lostSql, {Str(kMaxLostInStatus)});
    std::map<std::string, std::vector<protocol::LostRange>> lostOf;
    for (int i = 0; i < lost.Rows(); ++i) {
        lostOf[lost.Text(i, 0)].push_back(
            LostRangeOf(lost.Int(i, 1), lost.Text(i, 2), lost.Text(i, 3)));
    }
    std::vector<protocol::KioskStatus> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        protocol::KioskStatus st;
        st.kioskId = r.Text(i, 0);
        st.storeId = r.Text(i, 1);
        st.ackedSeq = r.Int(i, 2);
        st.lastSeen = r.OptInt(i, 3);
        st.pendingReported = r.OptInt(i, 4);
        st.oldestPendingAgeMs = r.OptInt(i, 5);
        st.clockSkewMs = r.OptInt(i, 6);
        st.version = r.OptText(i, 7);
        st.lastError = r.OptText(i, 8);
        st.alert = r.OptText(i, 9);
        st.rejected = r.Int(i, 10);
        std::vector<std::int64_t> above;
        const std::string array = r.Text(i, 11);  // "{1,2,3}"
        for (std::size_t p = 1; p < array.size();) {
            char* end = nullptr;
            const long long v = std::strtoll(array.c_str() + p, &end, 10);
            if (end == array.c_str() + p)
                break;
            above.push_back(v);
            p = static_cast<std::size_t>(end - array.c_str()) + 1;
        }
        st.gaps = GapsAbove(st.ackedSeq, above);
        st.maxSeq = above.empty() ? st.ackedSeq : above.back();
        if (auto it = lostOf.find(st.kioskId); it != lostOf.end())
            st.lost = std::move(it->second);
        out.push_back(std::move(st));
    }
    return out;
}

std::vector<protocol::KioskStatus> PgBackend::FleetContacts(
    const std::optional<std::string>& storeId) {
    auto lease = Read();
    const std::string sql =
        std::string(
            "SELECT id, store_id, acked_seq, last_seen, pending_reported, "
            "oldest_pending_age_ms, clock_skew_ms, version, last_error, alert FROM kiosks") +
        (storeId ? " WHERE store_id = $1" : "") + " ORDER BY id";
    auto r = storeId ? Run(*lease, sql, {*storeId}) : Run(*lease, sql);
    std::vector<protocol::KioskStatus> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        protocol::KioskStatus st;
        st.kioskId = r.Text(i, 0);
        st.storeId = r.Text(i, 1);
        st.ackedSeq = r.Int(i, 2);
        st.maxSeq = st.ackedSeq;
        st.lastSeen = r.OptInt(i, 3);
        st.pendingReported = r.OptInt(i, 4);
        st.oldestPendingAgeMs = r.OptInt(i, 5);
        st.clockSkewMs = r.OptInt(i, 6);
        st.version = r.OptText(i, 7);
        st.lastError = r.OptText(i, 8);
        st.alert = r.OptText(i, 9);
        out.push_back(std::move(st));
    }
    return out;
}

void PgBackend::Compact() {
    auto lease = m_pool.Acquire();
    PgConnection& c = *lease;
    Run(c, "SET statement_timeout = 0");
    try {
        Run(c, "VACUUM FULL responses, calls, rejections, configs, agg_rep_day, agg_rep_month");
    } catch (...) {
        Run(c, "SET statement_timeout = " + std::to_string(m_options.statementTimeoutMs));
        throw;
    }
    Run(c, "SET statement_timeout = " + std::to_string(m_options.statementTimeoutMs));
}

void PgBackend::RebuildRollups() {
    auto lease = m_pool.Acquire();
    PgConnection& c = *lease;
    Run(c, "BEGIN");
    try {
        Run(c, "SET LOCAL statement_timeout = 0");  // minutes on a large database
        // Ingest waits for the rebuild instead of adding to tables being refilled.
        Run(c, "LOCK TABLE responses IN SHARE MODE");
        for (const auto& statement : core::RebuildRollupStatements(core::RollupDialect::Postgres)) {
            Run(c, statement);
        }
        Run(c, "COMMIT");
    } catch (...) {
        PQclear(PQexec(c.Raw(), "ROLLBACK"));
        throw;
    }
    PQclear(PQexec(c.Raw(),
                   "ANALYZE agg_rep_day, agg_rep_month, agg_store_day, agg_store_month, agg_hour"));
}

std::vector<StoreRecord> PgBackend::ListStores() {
    auto lease = Read();
    auto r = Run(*lease, "SELECT id, name FROM stores ORDER BY id");
    std::vector<StoreRecord> out;
    for (int i = 0; i < r.Rows(); ++i)
        out.push_back(StoreRecord{r.Text(i, 0), r.Text(i, 1)});
    return out;
}

std::vector<std::string> PgBackend::ListKiosks(const std::optional<std::string>& storeId) {
    auto lease = Read();
    auto r = storeId
                 ? Run(*lease, "SELECT id FROM kiosks WHERE store_id = $1 ORDER BY id", {*storeId})
                 : Run(*lease, "SELECT id FROM kiosks ORDER BY id");
    std::vector<std::string> out;
    for (int i = 0; i < r.Rows(); ++i)
        out.push_back(r.Text(i, 0));
    return out;
}

std::optional<int> PgBackend::LatestTzOffset(const std::optional<std::string>& storeId) {
    auto lease = Read();
    // The kiosks keep their newest response's offset (kSetAcked): no scan of responses.
    auto r = storeId ? Run(*lease,
                           "SELECT last_tz_offset_min FROM kiosks WHERE store_id = $1 AND "
                           "last_created_at IS NOT NULL ORDER BY last_created_at DESC LIMIT 1",
                           {*storeId})
                     : Run(*lease,
                           "SELECT last_tz_offset_min FROM kiosks WHERE last_created_at IS NOT "
                           "NULL ORDER BY last_created_at DESC LIMIT 1");
    if (r.Rows() == 0)
        return std::nullopt;
    return static_cast<int>(r.Int(0, 0));
}

std::int64_t PgBackend::CountResponses() {
    auto lease = Read();
    return Run(*lease, "SELECT count(*) FROM responses").Int(0, 0);
}

void PgBackend::RecordHeartbeat(const std::string& kioskId, const protocol::Heartbeat& hb,
                                core::UtcMs serverTime) {
    auto lease = m_pool.Acquire();
    PgConnection& writer = *lease;
    // One autocommit statement on a pooled connection: concurrent heartbeats commit in parallel
    // and PostgreSQL flushes their WAL together.
    RunPipeline(
        writer,
        {Stmt{"",
              "UPDATE kiosks SET pending_reported = $1, oldest_pending_age_ms = $2, clock_skew_ms "
              "= $3, "
              "version = $4, last_error = $5, last_heartbeat = $6, last_seen = $6, alert = $8 "
              "WHERE id = $7",
              {Str(hb.pending), OptStr(hb.oldestPendingAgeMs), Str(hb.clock - serverTime),
               hb.version, hb.lastError, Str(serverTime), kioskId, hb.alert}}});
}

struct PgBackend::HeartbeatWaiter {
    const std::string& kioskId;
    const protocol::Heartbeat& heartbeat;
    core::UtcMs serverTime;
    SeqMarks marks;
    bool advance = false;  // acked_seq + 1 is stored: kMoveMark moves the mark
    bool done = false;
    std::exception_ptr error;
};

namespace {

// Locks the group's kiosk rows in id order (two groups, or a group and an ingest, on several
// servers never wait for each other in a cycle), then one UPDATE for all of them from arrays.
constexpr const char* kLockKiosks =
    "SELECT 1 FROM kiosks WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE";
constexpr const char* kGroupHeartbeat =
    "UPDATE kiosks k SET pending_reported = u.p, oldest_pending_age_ms = u.o, clock_skew_ms = "
    "u.s, version = u.v, last_error = u.e, last_heartbeat = $8::bigint, last_seen = $8::bigint, "
    "alert = u.a FROM (SELECT DISTINCT ON (id) * FROM unnest($1::text[], $2::bigint[], "
    "$3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS x(id, p, "
    "o, s, v, e, a, n) ORDER BY id, n DESC) u WHERE k.id = u.id";
// Read after the UPDATE's lock, in a fresh READ COMMITTED snapshot: a batch of the same kiosk
// that committed meanwhile is seen. The last column says the mark could move (a restored database
// holds more than acked_seq says): that kiosk's mark is then moved by kMoveMark (rare). Seqs from
// response_keys (every stored row's key, detached months too), as the ingest's kKioskState: it is
// not partitioned, so planning this per group does not plan every month's partition.
constexpr const char* kGroupMarks =
    "SELECT k.id, k.acked_seq, GREATEST(k.acked_seq, COALESCE((SELECT max(seq) FROM response_keys "
    "r WHERE r.kiosk_id = k.id), 0), COALESCE((SELECT max(seq) FROM kiosk_seqs q WHERE q.kiosk_id "
    "= k.id), 0)), EXISTS (SELECT 1 FROM response_keys r WHERE r.kiosk_id = k.id AND r.seq = "
    "k.acked_seq + 1) OR EXISTS (SELECT 1 FROM kiosk_seqs q WHERE q.kiosk_id = k.id AND q.seq = "
    "k.acked_seq + 1) FROM kiosks k WHERE k.id = ANY($1::text[])";

// The contiguous run above the mark, as kRunAbove, in the UPDATE that stores it.
constexpr const char* kMoveMark =
    "UPDATE kiosks k SET acked_seq = (SELECT COALESCE(MAX(seq), k.acked_seq) FROM (SELECT seq, "
    "seq - ROW_NUMBER() OVER (ORDER BY seq) AS run FROM (SELECT seq FROM responses WHERE kiosk_id "
    "= $1 AND seq > k.acked_seq UNION SELECT seq FROM kiosk_seqs WHERE kiosk_id = $1 AND seq > "
    "k.acked_seq) u) t WHERE run = k.acked_seq) WHERE k.id = $1 RETURNING k.acked_seq";

}  // namespace

void PgBackend::RunHeartbeatGroup(const std::vector<HeartbeatWaiter*>& group) {
    std::vector<std::optional<std::string>> ids, versions, errors, alerts;
    std::vector<std::int64_t> pending, skews;
    std::vector<std::optional<std::string>> ages;
    core::UtcMs now = 0;
    for (const HeartbeatWaiter* w : group) {
        ids.emplace_back(w->kioskId);
        pending.push_back(w->heartbeat.pending);
        ages.push_back(OptStr(w->heartbeat.oldestPendingAgeMs));
        skews.push_back(w->heartbeat.clock - w->serverTime);
        versions.emplace_back(w->heartbeat.version);
        errors.push_back(w->heartbeat.lastError);
        alerts.push_back(w->heartbeat.alert);
        now = std::max(now, w->serverTime);
    }
    const std::string idArray = TextArray(ids);
    auto lease = m_pool.Acquire();
    auto results = RunPipeline(
        *lease, {Stmt{"", "BEGIN", {}}, Stmt{"fk_lock_kiosks", kLockKiosks, {idArray}},
                 Stmt{"fk_group_heartbeat",
                      kGroupHeartbeat,
                      {idArray, ArrayLiteral(pending), TextArray(ages), ArrayLiteral(skews),
                       TextArray(versions), TextArray(errors), TextArray(alerts), Str(now)}},
                 Stmt{"", kGroupMarks, {idArray}}, Stmt{"", "COMMIT", {}}});
    const PgResult& marks = results[3];
    for (int i = 0; i < marks.Rows(); ++i) {
        const std::string id = marks.Text(i, 0);
        for (HeartbeatWaiter* w : group) {
            if (w->kioskId == id) {
                w->marks = SeqMarks{marks.Int(i, 1), marks.Int(i, 2)};
                w->advance = marks.Text(i, 3) == "t";
            }
        }
    }
}

SeqMarks PgBackend::Heartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                              core::UtcMs serverTime) {
    HeartbeatWaiter me{kioskId, heartbeat, serverTime, {}, false, false, nullptr};
    std::unique_lock lock(m_hbMutex);
    m_hbQueue.push_back(&me);
    while (!me.done) {
        if (m_hbRunning) {
            m_hbDone.wait(lock);
            continue;
        }
        m_hbRunning = true;
        const std::size_t n = std::min(m_hbQueue.size(), kMaxHeartbeatGroup);
        std::vector<HeartbeatWaiter*> group(m_hbQueue.begin(),
                                            m_hbQueue.begin() + static_cast<std::ptrdiff_t>(n));
        m_hbQueue.erase(m_hbQueue.begin(), m_hbQueue.begin() + static_cast<std::ptrdiff_t>(n));
        lock.unlock();
        std::exception_ptr error;
        try {
            RunHeartbeatGroup(group);
        } catch (...) {
            error = std::current_exception();  // every member's answer: 503, the kiosks resend
        }
        lock.lock();
        for (HeartbeatWaiter* w : group) {
            w->error = error;
            w->done = true;
        }
        m_hbRunning = false;
        m_hbDone.notify_all();
    }
    lock.unlock();
    if (me.error)
        std::rethrow_exception(me.error);
    if (!me.advance)
        return me.marks;
    // Rows stored right above the mark (a database restored with an older kiosks row): move it
    // up through the contiguous run, once; later heartbeats of this kiosk find nothing to do.
    auto lease = m_pool.Acquire();
    auto moved = RunPipeline(*lease, {Stmt{"", kMoveMark, {kioskId}}});
    const std::int64_t acked = moved.back().Rows() > 0 ? moved.back().Int(0, 0) : me.marks.ackedSeq;
    return SeqMarks{acked, std::max(acked, me.marks.maxSeq)};
}

std::unique_ptr<WriteTx> PgBackend::BeginIngest() {
    return std::make_unique<PgWriteTx>(m_pool.Acquire());
}

std::unique_ptr<WriteTx> PgBackend::BeginStoreIngest(const std::string& storeId) {
    std::shared_ptr<PgStoreGroup> g;
    {
        std::lock_guard lock(m_groupsMutex);
        auto& slot = m_groups[storeId];
        if (!slot)
            slot = std::make_shared<PgStoreGroup>();
        g = slot;
        ++g->users;
    }
    auto leave = [this, storeId, g] {
        std::lock_guard lock(m_groupsMutex);
        if (--g->users == 0) {
            auto it = m_groups.find(storeId);
            if (it != m_groups.end() && it->second == g)
                m_groups.erase(it);
        }
    };
    try {
        std::unique_lock lock(g->mutex);
        ++g->waiting;
        g->turnFree.wait(lock, [&] { return !g->busy; });
        --g->waiting;
        g->busy = true;
        if (!g->lease) {
            lock.unlock();
            std::optional<PgPool::Lease> lease;
            try {
                lease.emplace(m_pool.Acquire());
            } catch (...) {
                lock.lock();
                g->busy = false;
                g->turnFree.notify_one();
                throw;
            }
            lock.lock();
            g->lease.emplace(std::move(*lease));
            ++g->group;
            g->members = 0;
            g->begun = false;
            g->openedAt = std::chrono::steady_clock::now();
        }
        std::vector<Stmt> prologue;
        if (!g->begun)
            prologue.push_back(Stmt{"", "BEGIN", {}});
        prologue.push_back(Stmt{"", "SAVEPOINT fk_member", {}});
        return std::make_unique<PgGroupTx>(g, **g->lease, std::move(prologue), leave);
    } catch (...) {
        leave();
        throw;
    }
}

}  // namespace fk::server
