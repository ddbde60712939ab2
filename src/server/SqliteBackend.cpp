#include "server/SqliteBackend.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <variant>

#include "core/Rollups.h"
#include "server/CallStoreSql.h"
#include "server/SqliteRollups.h"

namespace fk::server {

using storage::Database;
using storage::SqliteError;
using storage::Statement;

namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE stores (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE kiosks (
  id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), created_at INTEGER NOT NULL,
  acked_seq INTEGER NOT NULL DEFAULT 0, last_seen INTEGER, pending_reported INTEGER,
  oldest_pending_age_ms INTEGER, clock_skew_ms INTEGER, version TEXT, last_error TEXT,
  last_heartbeat INTEGER);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'manager')),
  kiosk_id TEXT REFERENCES kiosks(id), store_id TEXT REFERENCES stores(id),
  created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE responses (
  id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, store_id TEXT NOT NULL, seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL, closed_at INTEGER NOT NULL, tz_offset_min INTEGER NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, rep_id TEXT, reason TEXT, language TEXT NOT NULL,
  misuse TEXT, batch_id TEXT NOT NULL, received_at INTEGER NOT NULL, UNIQUE (kiosk_id, seq));
CREATE INDEX responses_rep ON responses (rep_id, created_at, rating);
CREATE INDEX responses_store_time ON responses (store_id, created_at);
CREATE TABLE kiosk_seqs (kiosk_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (kiosk_id, seq)) WITHOUT ROWID;
CREATE TABLE rejections (
  id INTEGER PRIMARY KEY, kiosk_id TEXT NOT NULL, response_id TEXT NOT NULL, seq INTEGER,
  code TEXT NOT NULL, message TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL,
  UNIQUE (kiosk_id, response_id, code));
CREATE TABLE configs (
  store_id TEXT NOT NULL REFERENCES stores(id), kiosk_id TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL, etag TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (store_id, kiosk_id));
)sql";

// Version 2: the heartbeat's alert, and pre-aggregated report counts. A report over 30 days of a
// store with 100k responses reads a few thousand grouped rows instead of scanning every response
// (kiosk-bench reports). Keys cannot hold NULL (SQLite's UNIQUE treats NULLs as distinct), so a
// missing rep or reason is has_rep/has_reason = 0 with ''. The days are local:
// (created_at + tz_offset_min * 60000) / 86400000.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE kiosks ADD COLUMN alert TEXT;
CREATE TABLE agg_rep_day (
  store_id TEXT NOT NULL, day INTEGER NOT NULL, has_rep INTEGER NOT NULL, rep_id TEXT NOT NULL,
  scale INTEGER NOT NULL, rating INTEGER NOT NULL, has_reason INTEGER NOT NULL, reason TEXT NOT NULL,
  misuse INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (store_id, day, has_rep, rep_id, scale, rating, has_reason, reason, misuse)) WITHOUT ROWID;
CREATE TABLE agg_store_day (
  store_id TEXT NOT NULL, day INTEGER NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL,
  has_reason INTEGER NOT NULL, reason TEXT NOT NULL, misuse INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (store_id, day, scale, rating, has_reason, reason, misuse)) WITHOUT ROWID;
CREATE INDEX agg_store_day_day ON agg_store_day (day);
CREATE TABLE agg_hour (
  store_id TEXT NOT NULL, day INTEGER NOT NULL, hour INTEGER NOT NULL, scale INTEGER NOT NULL,
  rating INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (store_id, day, hour, scale, rating)) WITHOUT ROWID;
CREATE INDEX agg_hour_day ON agg_hour (day);
INSERT INTO agg_rep_day
  SELECT store_id, (created_at + tz_offset_min * 60000) / 86400000, rep_id IS NOT NULL, coalesce(rep_id, ''),
         scale, rating, reason IS NOT NULL, coalesce(reason, ''), misuse IS NOT NULL, count(*)
  FROM responses GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO agg_store_day
  SELECT store_id, (created_at + tz_offset_min * 60000) / 86400000, scale, rating, reason IS NOT NULL,
         coalesce(reason, ''), misuse IS NOT NULL, count(*)
  FROM responses GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO agg_hour
  SELECT store_id, (created_at + tz_offset_min * 60000) / 86400000,
         ((created_at + tz_offset_min * 60000) % 86400000) / 3600000, scale, rating, count(*)
  FROM responses WHERE misuse IS NULL GROUP BY 1, 2, 3, 4, 5;
)sql";

// Version 3: web sessions (server/Sessions.h), kept apart from the report schema. Only the
// SHA-256 of a session id is stored; the expiry index lets a purge skip live sessions.
constexpr const char* kSchemaSessions = R"sql(
CREATE TABLE web_sessions (
  hash TEXT PRIMARY KEY, token_id TEXT NOT NULL REFERENCES tokens(id), created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_token ON web_sessions (token_id);
)sql";

// The newest response of any store, found store by store through (store_id, created_at): a plain
// ORDER BY created_at would sort every response.
constexpr const char* kLatestOffsetAnyStore =
    "SELECT r.tz_offset_min FROM stores s JOIN responses r ON r.id = "
    "(SELECT id FROM responses WHERE store_id = s.id ORDER BY created_at DESC LIMIT 1) "
    "ORDER BY r.created_at DESC LIMIT 1";

[[noreturn]] void Rethrow(const SqliteError& e, const std::string& what) {
    throw BackendError(BackendError::Kind::Database, what + ": " + e.what());
}

core::Response ReadResponseRow(const Statement& s, int first) {
    core::Response r;
    r.id = core::Uuid::Parse(s.Text(first)).value_or(core::Uuid{});
    r.seq = s.Int(first + 1);
    r.createdAtMs = s.Int(first + 2);
    r.closedAtMs = s.Int(first + 3);
    r.tzOffsetMin = static_cast<int>(s.Int(first + 4));
    r.scale = static_cast<int>(s.Int(first + 5));
    r.rating = static_cast<int>(s.Int(first + 6));
    r.repId = s.OptText(first + 7);
    r.reason = s.OptText(first + 8);
    r.language = s.Text(first + 9);
    r.misuse = s.OptText(first + 10);
    return r;
}

constexpr const char* kResponseColumns =
    "id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, reason, language, "
    "misuse";

// The kiosk's seqs dealt with above a mark: stored responses plus marked (rejected) seqs. Older
// databases also hold accepted seqs in kiosk_seqs; UNION removes the overlap.
constexpr const char* kSeqsAbove =
    "SELECT seq FROM responses WHERE kiosk_id = ?1 AND seq > ?2 "
    "UNION SELECT seq FROM kiosk_seqs WHERE kiosk_id = ?1 AND seq > ?2 ORDER BY 1";

constexpr const char* kLostNotes =
    "SELECT seq, message, body FROM rejections WHERE kiosk_id = ? AND code = 'lost' ORDER BY seq "
    "LIMIT ?";

class SqliteWriteTx final : public WriteTx {
  public:
    explicit SqliteWriteTx(GroupCommit::Turn turn) : m_turn(std::move(turn)), m_db(m_turn.Db()) {}

    std::vector<StoredRow> FindByIds(const std::vector<std::string>& ids) override {
        std::vector<StoredRow> rows;
        Statement s(m_db, std::string("SELECT kiosk_id, ") + kResponseColumns +
                              " FROM responses WHERE id = ?");
        // A row deleted for retention (server/Privacy.h) left its key: a resend is a duplicate.
        Statement purged(m_db, "SELECT kiosk_id, seq, created_at FROM purged_keys WHERE id = ?");
        for (const auto& id : ids) {
            s.Bind(1, id);
            if (s.Step()) {
                rows.push_back(StoredRow{s.Text(0), ReadResponseRow(s, 1)});
            } else if (purged.Bind(1, id).Step()) {
                StoredRow row{purged.Text(0), core::Response{}, true};
                row.response.id = core::Uuid::Parse(id).value_or(core::Uuid{});
                row.response.seq = purged.Int(1);
                row.response.createdAtMs = purged.Int(2);
                rows.push_back(std::move(row));
            }
            purged.Reset();
            s.Reset();
        }
        return rows;
    }

    std::vector<std::pair<std::int64_t, std::string>> FindSeqOwners(
        const std::string& kioskId, const std::vector<std::int64_t>& seqs) override {
        std::vector<std::pair<std::int64_t, std::string>> owners;
        if (seqs.empty())
            return owners;
        auto [lo, hi] = std::minmax_element(seqs.begin(), seqs.end());
        std::vector<std::int64_t> sorted(seqs);
        std::sort(sorted.begin(), sorted.end());
        Statement s(m_db,
                    "SELECT seq, id FROM responses WHERE kiosk_id = ?1 AND seq BETWEEN ?2 AND ?3 "
                    "UNION ALL SELECT seq, id FROM purged_keys WHERE kiosk_id = ?1 AND seq "
                    "BETWEEN ?2 AND ?3");
        s.Bind(1, kioskId).Bind(2, *lo).Bind(3, *hi);
        while (s.Step()) {
            std::int64_t seq = s.Int(0);
            if (std::binary_search(sorted.begin(), sorted.end(), seq))
                owners.emplace_back(seq, s.Text(1));
        }
        return owners;
    }

    void InsertResponses(const KioskRecord& kiosk, const std::string& batchId,
                         const std::vector<const core::Response*>& rows, core::UtcMs now) override {
        // One prepared statement reused per row is SQLite's fastest bulk path inside a transaction.
        Statement s(
            m_db,
            "INSERT INTO responses (id, seq, created_at, closed_at, tz_offset_min, scale, "
            "rating, rep_id, "
            "reason, language, misuse, kiosk_id, store_id, batch_id, received_at, "
            "survey_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        std::vector<const core::Response*> inserted;
        for (const core::Response* r : rows) {
            s.Bind(1, r->id.ToString()).Bind(2, r->seq).Bind(3, r->createdAtMs);
            s.Bind(4, r->closedAtMs.value_or(r->createdAtMs))
                .Bind(5, r->tzOffsetMin)
                .Bind(6, r->scale);
            s.Bind(7, r->rating)
                .Bind(8, r->repId)
                .Bind(9, r->reason)
                .Bind(10, r->language)
                .Bind(11, r->misuse);
            s.Bind(12, kiosk.id).Bind(13, kiosk.storeId).Bind(14, batchId).Bind(15, now);
            s.Bind(16, r->surveyVersion);
            s.Run();
            s.Reset();
            if (m_db.Changes() == 0)
                continue;  // already stored: counted when it was
            m_dealt.push_back(r->seq);
            inserted.push_back(r);
        }
        AddToSqliteRollups(m_db, kiosk.storeId, inserted);  // the report roll-ups, same transaction
    }

    void InsertRejections(const std::string& kioskId, const std::vector<Rejection>& rejections,
                          core::UtcMs now) override {
        Statement s(
            m_db,
            "INSERT INTO rejections (kiosk_id, response_id, seq, code, message, body, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        for (const auto& r : rejections) {
            s.Bind(1, kioskId)
                .Bind(2, r.responseId)
                .Bind(3, r.seq)
                .Bind(4, r.code)
                .Bind(5, r.message);
            s.Bind(6, r.body).Bind(7, now);
            s.Run();
            s.Reset();
        }
    }

    void MarkSeqs(const std::string& kioskId, const std::vector<std::int64_t>& seqs) override {
        Statement s(m_db,
                    "INSERT INTO kiosk_seqs (kiosk_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING");
        m_dealt.insert(m_dealt.end(), seqs.begin(), seqs.end());
        for (std::int64_t seq : seqs) {
            s.Bind(1, kioskId).Bind(2, seq);
            s.Run();
            s.Reset();
        }
    }

    std::int64_t AdvanceAckedSeq(const std::string& kioskId, core::UtcMs now) override {
        Statement get(m_db, "SELECT acked_seq FROM kiosks WHERE id = ?");
        get.Bind(1, kioskId);
        std::int64_t acked = get.Step() ? get.Int(0) : 0;
        // Walks up from the mark: this transaction's own seqs need no query, anything else one
        // index probe. A mark stuck below a gap costs one probe, never a scan of the rows above.
        std::sort(m_dealt.begin(), m_dealt.end());
        Statement probe(m_db,
                        "SELECT 1 FROM responses WHERE kiosk_id = ?1 AND seq = ?2 "
                        "UNION ALL SELECT 1 FROM kiosk_seqs WHERE kiosk_id = ?1 AND seq = ?2");
        for (;;) {
            if (std::binary_search(m_dealt.begin(), m_dealt.end(), acked + 1)) {
                ++acked;
                continue;
            }
            probe.Bind(1, kioskId).Bind(2, acked + 1);
            bool found = probe.Step();
            probe.Reset();
            if (!found)
                break;
            ++acked;
        }
        Statement set(m_db, "UPDATE kiosks SET acked_seq = ?, last_seen = ? WHERE id = ?");
        set.Bind(1, acked).Bind(2, now).Bind(3, kioskId);
        set.Run();
        return acked;
    }

    std::int64_t MaxSeq(const std::string& kioskId) override {
        Statement s(m_db,
                    "SELECT max(IFNULL((SELECT max(seq) FROM responses WHERE kiosk_id = ?1), 0), "
                    "IFNULL((SELECT max(seq) FROM kiosk_seqs WHERE kiosk_id = ?1), 0))");
        s.Bind(1, kioskId);
        return s.Step() ? s.Int(0) : 0;
    }

    void Commit() override { m_turn.Commit(); }

  private:
    GroupCommit::Turn m_turn;  // a member of the open group transaction
    Database& m_db;
    std::vector<std::int64_t> m_dealt;  // seqs stored or marked by this transaction
};

}  // namespace

class SqliteBackend::Lease {
  public:
    Lease(SqliteBackend& owner, std::unique_ptr<Database> db)
        : m_owner(owner), m_db(std::move(db)) {}
    Lease(Lease&& other) noexcept : m_owner(other.m_owner), m_db(std::move(other.m_db)) {}
    ~Lease() {
        if (!m_db)
            return;
        std::lock_guard lock(m_owner.m_poolMutex);
        if (m_owner.m_pool.size() < 16)
            m_owner.m_pool.push_back(std::move(m_db));
    }
    Database& operator*() { return *m_db; }

  private:
    SqliteBackend& m_owner;
    std::unique_ptr<Database> m_db;
};

Database SqliteBackend::OpenConnection() const {
    Database db(m_path);
    db.Exec("PRAGMA foreign_keys = ON");
    return db;
}

namespace {

class SqliteSession final : public SqlSession {
  public:
    explicit SqliteSession(Database& db) : m_db(db) {}
    std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& args) override {
        Statement s = Prepare(sql, args);
        std::vector<SqlRow> rows;
        while (s.Step()) {
            SqlRow row;
            for (int c = 0; c < s.ColumnCount(); ++c)
                row.push_back(s.OptText(c));
            rows.push_back(std::move(row));
        }
        return rows;
    }
    std::int64_t Exec(std::string_view sql, const std::vector<SqlValue>& args) override {
        Prepare(sql, args).Run();
        return m_db.Changes();
    }

  private:
    Statement Prepare(std::string_view sql, const std::vector<SqlValue>& args) {
        Statement s(m_db, sql);
        for (std::size_t i = 0; i < args.size(); ++i) {
            const int at = static_cast<int>(i) + 1;
            if (args[i].number)
                s.Bind(at, *args[i].number);
            else if (args[i].text)
                s.Bind(at, *args[i].text);
            else
                s.BindNull(at);
        }
        return s;
    }
    Database& m_db;
};

// Calls share the writer through GroupCommit::Exclusive (they are few; each is durable alone);
// reads borrow a reader connection.
class SqliteCallRunner final : public SqlRunner {
  public:
    using Reader = std::function<void(const std::function<void(Database&)>&)>;
    SqliteCallRunner(Database& writer, GroupCommit& commits, Reader reader)
        : m_writer(writer), m_commits(commits), m_reader(std::move(reader)) {}
    void InTransaction(const std::function<void(SqlSession&)>& work) override {
        auto turn = m_commits.Exclusive();
        try {
            storage::Transaction tx(m_writer);
            SqliteSession session(m_writer);
            work(session);
            tx.Commit();
        } catch (const SqliteError& e) {
            Rethrow(e, "calls");
        }
    }
    void Read(const std::function<void(SqlSession&)>& work) override {
        try {
            m_reader([&](Database& db) {
                SqliteSession session(db);
                work(session);
            });
        } catch (const SqliteError& e) {
            Rethrow(e, "calls (read)");
        }
    }

  private:
    Database& m_writer;
    GroupCommit& m_commits;
    Reader m_reader;
};

}  // namespace

SqliteBackend::SqliteBackend(const std::filesystem::path& path) try
    : m_path(path), m_writer(path), m_commits(m_writer) {
    storage::ApplyDurableSettings(m_writer);
    const std::string rollups = SqliteRollupsMigration();
    // Version 5: help calls, their outbox and webhooks (issue 16; server/CallStoreSql.cpp).
    const std::string calls = CallsMigration(false);
    // Version 6: people's accounts and their sessions (issue 20; server/UserStore.cpp).
    const std::string users = UsersMigration(false);
    // Version 7: the access log of per-rep data (issue 20; server/AccessLog.cpp).
    const std::string accessLog = AccessLogMigration(false);
    // Version 8: survey definition versions (issue 17; server/SurveyVersions.cpp).
    const std::string surveys = SurveyVersionsMigration(false);
    // Version 9: store-level alerts and head office's rep links (issue 18; server/StoreAlerts.cpp,
    // server/RepLinks.cpp).
    const std::string storeAlerts = StoreAlertsMigration(false) + RepLinksMigration(false);
    // Version 10: failed logins shared by every server on the database (server/UserStore.cpp).
    const std::string loginFailures = LoginFailuresMigration(false);
    // Version 11: retention of raw responses (issue 20 item 4; server/Privacy.cpp).
    const std::string privacy = PrivacyMigration(false);
    // Version 12: the survey version of each response (issue 17; server/SurveyVersions.cpp).
    const std::string responseVersions = ResponseVersionsMigration(false);
    // Version 13: each store's IANA time zone (issue 17 item 5; server/StoreZones.cpp).
    const std::string storeZones = StoreZonesMigration(false);
    storage::Migrate(m_writer, {{1, kSchemaV1},
                                {2, kSchemaV2},
                                {3, kSchemaSessions},
                                {4, rollups.c_str()},
                                {5, calls.c_str()},
                                {6, users.c_str()},
                                {7, accessLog.c_str()},
                                {8, surveys.c_str()},
                                {9, storeAlerts.c_str()},
                                {10, loginFailures.c_str()},
                                {11, privacy.c_str()},
                                {12, responseVersions.c_str()},
                                {13, storeZones.c_str()}});
    m_calls = MakeSqlCallStore(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_users = std::make_unique<UserStore>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_accesses = std::make_unique<AccessLog>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_surveys = std::make_unique<SurveyVersions>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_alerts = std::make_unique<StoreAlerts>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_links = std::make_unique<RepLinks>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_zones = std::make_unique<StoreZones>(std::make_unique<SqliteCallRunner>(
        m_writer, m_commits, [this](const std::function<void(Database&)>& work) {
            auto lease = Read();
            work(*lease);
        }));
    m_privacy = std::make_unique<Privacy>(
        std::make_unique<SqliteCallRunner>(m_writer, m_commits,
                                           [this](const std::function<void(Database&)>& work) {
                                               auto lease = Read();
                                               work(*lease);
                                           }),
        false);
} catch (const SqliteError& e) {
    throw BackendError(BackendError::Kind::Database,
                       "cannot open SQLite database " + path.string() + ": " + e.what());
}

SqliteBackend::~SqliteBackend() = default;

SqliteBackend::Lease SqliteBackend::Read() {
    {
        std::lock_guard lock(m_poolMutex);
        if (!m_pool.empty()) {
            auto db = std::move(m_pool.back());
            m_pool.pop_back();
            return Lease(*this, std::move(db));
        }
    }
    return Lease(*this, std::make_unique<Database>(OpenConnection()));
}

std::string SqliteBackend::Describe() const {
    return "sqlite:" + m_path.string();
}

void SqliteBackend::AddStore(const std::string& id, const std::string& name, core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        Statement s(
            m_writer,
            "INSERT INTO stores (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        s.Bind(1, id).Bind(2, name).Bind(3, now).Run();
        if (m_writer.Changes() == 0)
            throw BackendError(BackendError::Kind::AlreadyExists,
                               "store " + id + " already exists");
    } catch (const SqliteError& e) {
        Rethrow(e, "add store");
    }
}

void SqliteBackend::AddKiosk(const std::string& id, const std::string& storeId, core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        storage::Transaction tx(m_writer);
        Statement store(m_writer, "SELECT 1 FROM stores WHERE id = ?");
        if (!store.Bind(1, storeId).Step()) {
            throw BackendError(BackendError::Kind::NotFound,
                               "no store " + storeId + "; add it first with add-store");
        }
        Statement s(m_writer,
                    "INSERT INTO kiosks (id, store_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO "
                    "NOTHING");
        s.Bind(1, id).Bind(2, storeId).Bind(3, now).Run();
        if (m_writer.Changes() == 0)
            throw BackendError(BackendError::Kind::AlreadyExists,
                               "kiosk " + id + " already exists");
        tx.Commit();
    } catch (const SqliteError& e) {
        Rethrow(e, "add kiosk");
    }
}

void SqliteBackend::AddToken(const TokenRecord& token, const std::string& hashHex,
                             core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        Statement s(m_writer,
                    "INSERT INTO tokens (id, hash, kind, kiosk_id, store_id, created_at) VALUES "
                    "(?, ?, ?, ?, ?, ?)");
        s.Bind(1, token.id).Bind(2, hashHex).Bind(3, to_string(token.kind)).Bind(4, token.kioskId);
        s.Bind(5, token.storeId).Bind(6, now).Run();
    } catch (const SqliteError& e) {
        Rethrow(e, "add token");
    }
}

bool SqliteBackend::RevokeToken(const std::string& tokenId, core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        storage::Transaction tx(m_writer);
        Statement s(m_writer,
                    "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
        s.Bind(1, now).Bind(2, tokenId).Run();
        const bool revoked = m_writer.Changes() > 0;
        Statement sessions(m_writer, "DELETE FROM web_sessions WHERE token_id = ?");
        sessions.Bind(1, tokenId).Run();
        tx.Commit();
        return revoked;
    } catch (const SqliteError& e) {
        Rethrow(e, "revoke token");
    }
}

void SqliteBackend::SetConfig(const std::string& storeId, const std::string& kioskId,
                              const ConfigRecord& config, core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        Statement store(m_writer, "SELECT 1 FROM stores WHERE id = ?");
        if (!store.Bind(1, storeId).Step()) {
            throw BackendError(BackendError::Kind::NotFound,
                               "no store " + storeId + "; add it first with add-store");
        }
        if (!kioskId.empty()) {
            Statement kiosk(m_writer, "SELECT 1 FROM kiosks WHERE id = ? AND store_id = ?");
            if (!kiosk.Bind(1, kioskId).Bind(2, storeId).Step()) {
                throw BackendError(BackendError::Kind::NotFound,
                                   "no kiosk " + kioskId + " in store " + storeId);
            }
        }
        Statement s(m_writer,
                    "INSERT INTO configs (store_id, kiosk_id, body, etag, updated_at) VALUES (?, "
                    "?, ?, ?, ?) "
                    "ON CONFLICT (store_id, kiosk_id) DO UPDATE SET body = excluded.body, etag = "
                    "excluded.etag, "
                    "updated_at = excluded.updated_at");
        s.Bind(1, storeId)
            .Bind(2, kioskId)
            .Bind(3, config.body)
            .Bind(4, config.etag)
            .Bind(5, now)
            .Run();
    } catch (const SqliteError& e) {
        Rethrow(e, "set config");
    }
}

std::optional<TokenRecord> SqliteBackend::FindToken(const std::string& hashHex) {
    try {
        auto lease = Read();
        Statement s(*lease,
                    "SELECT t.id, t.kind, t.kiosk_id, t.store_id, k.store_id FROM tokens t LEFT "
                    "JOIN kiosks k ON k.id = t.kiosk_id WHERE t.hash = ? AND t.revoked_at IS NULL");
        if (!s.Bind(1, hashHex).Step())
            return std::nullopt;
        TokenRecord t;
        t.id = s.Text(0);
        t.kind = s.Text(1) == "kiosk" ? TokenKind::Kiosk : TokenKind::Manager;
        t.kioskId = s.OptText(2);
        t.storeId = s.OptText(3);
        t.kioskStoreId = s.OptText(4);
        return t;
    } catch (const SqliteError& e) {
        Rethrow(e, "find token");
    }
}

std::optional<KioskRecord> SqliteBackend::FindKiosk(const std::string& id) {
    try {
        auto lease = Read();
        Statement s(*lease, "SELECT id, store_id FROM kiosks WHERE id = ?");
        if (!s.Bind(1, id).Step())
            return std::nullopt;
        return KioskRecord{s.Text(0), s.Text(1)};
    } catch (const SqliteError& e) {
        Rethrow(e, "find kiosk");
    }
}

bool SqliteBackend::StoreExists(const std::string& id) {
    try {
        auto lease = Read();
        Statement s(*lease, "SELECT 1 FROM stores WHERE id = ?");
        return s.Bind(1, id).Step();
    } catch (const SqliteError& e) {
        Rethrow(e, "find store");
    }
}

std::optional<ConfigRecord> SqliteBackend::FindConfig(const std::string& storeId,
                                                      const std::string& kioskId) {
    try {
        auto lease = Read();
        // The kiosk's own row sorts after the store's ('' < any id).
        Statement s(*lease,
                    "SELECT body, etag FROM configs WHERE store_id = ? AND kiosk_id IN ('', ?) "
                    "ORDER BY kiosk_id DESC LIMIT 1");
        if (!s.Bind(1, storeId).Bind(2, kioskId).Step())
            return std::nullopt;
        return ConfigRecord{s.Text(0), s.Text(1)};
    } catch (const SqliteError& e) {
        Rethrow(e, "find config");
    }
}

std::optional<protocol::KioskStatus> SqliteBackend::Status(const std::string& kioskId) {
    try {
        auto lease = Read();
        Database& db = *lease;
        // One read transaction: a consistent snapshot across the queries.
        db.Exec("BEGIN");
        struct End {
            Database& db;
            ~End() {
                try {
                    db.Exec("COMMIT");
                } catch (...) {
                }
            }
        } end{db};
        Statement k(db,
                    "SELECT store_id, acked_seq, last_seen, pending_reported, "
                    "oldest_pending_age_ms, clock_skew_ms, "
                    "version, last_error, alert FROM kiosks WHERE id = ?");
        if (!k.Bind(1, kioskId).Step())
            return std::nullopt;
        protocol::KioskStatus st;
        st.kioskId = kioskId;
        st.storeId = k.Text(0);
        st.ackedSeq = k.Int(1);
        st.lastSeen = k.OptInt(2);
        st.pendingReported = k.OptInt(3);
        st.oldestPendingAgeMs = k.OptInt(4);
        st.clockSkewMs = k.OptInt(5);
        st.version = k.OptText(6);
        st.lastError = k.OptText(7);
        st.alert = k.OptText(8);
        Statement seqs(db, kSeqsAbove);
        seqs.Bind(1, kioskId).Bind(2, st.ackedSeq);
        std::vector<std::int64_t> above;
        while (seqs.Step())
            above.push_back(seqs.Int(0));
        st.gaps = GapsAbove(st.ackedSeq, above);
        st.maxSeq = above.empty() ? st.ackedSeq : above.back();
        Statement count(db, "SELECT count(*) FROM responses WHERE kiosk_id = ?");
        count.Bind(1, kioskId).Step();
        st.responses = count.Int(0);
        Statement rejected(db,
                           "SELECT count(*) FROM rejections WHERE kiosk_id = ? AND code <> 'lost'");
        rejected.Bind(1, kioskId).Step();
        st.rejected = rejected.Int(0);
        Statement lost(db, kLostNotes);
        lost.Bind(1, kioskId).Bind(2, kMaxLostInStatus);
        while (lost.Step())
            st.lost.push_back(LostRangeOf(lost.Int(0), lost.Text(1), lost.Text(2)));
        return st;
    } catch (const SqliteError& e) {
        Rethrow(e, "kiosk status");
    }
}

namespace {

// The statement's "$1".."$n" as SQLite's numbered "?1".."?n" (no other '$' in roll-up SQL).
std::string SqliteText(const core::RollupStatement& statement) {
    std::string sql = statement.sql;
    std::replace(sql.begin(), sql.end(), '$', '?');
    return sql;
}

void BindAll(Statement& s, const core::RollupStatement& statement) {
    int i = 1;
    for (const auto& p : statement.params) {
        if (std::holds_alternative<std::int64_t>(p))
            s.Bind(i++, std::get<std::int64_t>(p));
        else
            s.Bind(i++, std::get<std::string>(p));
    }
}

}  // namespace

std::vector<DayCount> SqliteBackend::CountDays(const ReportQuery& query, bool byRep, bool perDay) {
    try {
        auto lease = Read();
        const auto statement =
            core::CountDaysStatement(query.storeId, core::DaysFromCivil(query.from),
                                     core::DaysFromCivil(query.to), byRep, perDay);
        Statement s(*lease, SqliteText(statement));
        BindAll(s, statement);
        std::vector<DayCount> out;
        while (s.Step()) {
            DayCount c;
            c.storeId = s.Text(0);
            c.day = s.Int(1);
            if (s.Int(2) != 0)
                c.repId = s.Text(3);
            c.scale = static_cast<int>(s.Int(4));
            c.rating = static_cast<int>(s.Int(5));
            if (s.Int(6) != 0)
                c.reason = s.Text(7);
            c.misuse = s.Int(8) != 0;
            c.count = s.Int(9);
            if (const std::int64_t version = s.Int(10); version > 0)
                c.surveyVersion = version;
            out.push_back(std::move(c));
        }
        return out;
    } catch (const SqliteError& e) {
        Rethrow(e, "report");
    }
}

void SqliteBackend::Compact() {
    auto turn = m_commits.Exclusive();
    try {
        m_writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        m_writer.Exec("VACUUM");
        m_writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const SqliteError& e) {
        Rethrow(e, "compact");
    }
}

void SqliteBackend::RebuildRollups() {
    auto turn = m_commits.Exclusive();
    try {
        storage::Transaction tx(m_writer);
        for (const auto& statement : core::RebuildRollupStatements(core::RollupDialect::Sqlite)) {
            m_writer.Exec(statement);
        }
        tx.Commit();
    } catch (const SqliteError& e) {
        Rethrow(e, "rebuild roll-ups");
    }
}

std::vector<protocol::KioskStatus> SqliteBackend::FleetStatuses(
    const std::optional<std::string>& storeId) {
    try {
        auto lease = Read();
        Database& db = *lease;
        db.Exec("BEGIN");
        struct End {
            Database& db;
            ~End() {
                try {
                    db.Exec("COMMIT");
                } catch (...) {
                }
            }
        } end{db};
        // Two statements whatever the number of kiosks (no per-kiosk queries): every kiosk with
        // its rejected count and the seqs above its mark (at most 100,000, as on PostgreSQL) in
        // one row; then the "lost" notes of all of them, at most kMaxLostInStatus per kiosk.
        const std::string where = storeId ? " WHERE k.store_id = ?1" : "";
        Statement k(db,
                    "SELECT k.id, k.store_id, k.acked_seq, k.last_seen, k.pending_reported, "
                    "k.oldest_pending_age_ms, k.clock_skew_ms, k.version, k.last_error, k.alert, "
                    "(SELECT count(*) FROM rejections j WHERE j.kiosk_id = k.id AND j.code <> "
                    "'lost'), "
                    "(SELECT group_concat(seq) FROM (SELECT seq FROM responses r WHERE r.kiosk_id "
                    "= k.id AND r.seq > k.acked_seq UNION SELECT seq FROM kiosk_seqs s WHERE "
                    "s.kiosk_id = k.id AND s.seq > k.acked_seq ORDER BY 1 LIMIT 100000)) "
                    "FROM kiosks k" +
                        where + " ORDER BY k.id");
        Statement lost(db,
                       "SELECT kiosk_id, seq, message, body FROM (SELECT j.kiosk_id, j.seq, "
                       "j.message, j.body, row_number() OVER (PARTITION BY j.kiosk_id ORDER BY "
                       "j.seq) AS n FROM rejections j JOIN kiosks k ON k.id = j.kiosk_id" +
                           where + (storeId ? " AND" : " WHERE") +
                           " j.code = 'lost') WHERE n <= ?2 ORDER BY kiosk_id, seq");
        if (storeId) {
            k.Bind(1, *storeId);
            lost.Bind(1, *storeId);
        }
        lost.Bind(2, kMaxLostInStatus);
        std::map<std::string, std::vector<protocol::LostRange>> lostOf;
        while (lost.Step())
            lostOf[lost.Text(0)].push_back(LostRangeOf(lost.Int(1), lost.Text(2), lost.Text(3)));
        std::vector<protocol::KioskStatus> out;
        while (k.Step()) {
            protocol::KioskStatus st;
            st.kioskId = k.Text(0);
            st.storeId = k.Text(1);
            st.ackedSeq = k.Int(2);
            st.lastSeen = k.OptInt(3);
            st.pendingReported = k.OptInt(4);
            st.oldestPendingAgeMs = k.OptInt(5);
            st.clockSkewMs = k.OptInt(6);
            st.version = k.OptText(7);
            st.lastError = k.OptText(8);
            st.alert = k.OptText(9);
            st.rejected = k.Int(10);
            std::vector<std::int64_t> above;
            const std::string list = k.OptText(11).value_or("");  // "5,6,9"
            for (std::size_t p = 0; p < list.size();) {
                char* next = nullptr;
                above.push_back(std::strtoll(list.c_str() + p, &next, 10));
                p = static_cast<std::size_t>(next - list.c_str()) + 1;
            }
            std::sort(above.begin(), above.end());
            st.gaps = GapsAbove(st.ackedSeq, above);
            st.maxSeq = above.empty() ? st.ackedSeq : above.back();
            if (auto it = lostOf.find(st.kioskId); it != lostOf.end())
                st.lost = std::move(it->second);
            out.push_back(std::move(st));
        }
        return out;
    } catch (const SqliteError& e) {
        Rethrow(e, "fleet status");
    }
}

std::vector<HourCount> SqliteBackend::CountHours(const ReportQuery& query) {
    try {
        auto lease = Read();
        const auto statement = core::CountHoursStatement(
            query.storeId, core::DaysFromCivil(query.from), core::DaysFromCivil(query.to));
        Statement s(*lease, SqliteText(statement));
        BindAll(s, statement);
        std::vector<HourCount> out;
        while (s.Step()) {
            out.push_back(HourCount{s.Text(0), s.Int(1), static_cast<int>(s.Int(2)),
                                    static_cast<int>(s.Int(3)), static_cast<int>(s.Int(4)),
                                    s.Int(5)});
        }
        return out;
    } catch (const SqliteError& e) {
        Rethrow(e, "report");
    }
}

std::vector<StoreRecord> SqliteBackend::ListStores() {
    try {
        auto lease = Read();
        Statement s(*lease, "SELECT id, name FROM stores ORDER BY id");
        std::vector<StoreRecord> out;
        while (s.Step())
            out.push_back(StoreRecord{s.Text(0), s.Text(1)});
        return out;
    } catch (const SqliteError& e) {
        Rethrow(e, "list stores");
    }
}

std::vector<std::string> SqliteBackend::ListKiosks(const std::optional<std::string>& storeId) {
    try {
        auto lease = Read();
        Statement s(*lease, storeId ? "SELECT id FROM kiosks WHERE store_id = ? ORDER BY id"
                                    : "SELECT id FROM kiosks ORDER BY id");
        if (storeId)
            s.Bind(1, *storeId);
        std::vector<std::string> out;
        while (s.Step())
            out.push_back(s.Text(0));
        return out;
    } catch (const SqliteError& e) {
        Rethrow(e, "list kiosks");
    }
}

std::optional<int> SqliteBackend::LatestTzOffset(const std::optional<std::string>& storeId) {
    try {
        auto lease = Read();
        Statement s(*lease, storeId ? "SELECT tz_offset_min FROM responses WHERE store_id = ? "
                                      "ORDER BY created_at DESC LIMIT 1"
                                    : kLatestOffsetAnyStore);
        if (storeId)
            s.Bind(1, *storeId);
        if (!s.Step())
            return std::nullopt;
        return static_cast<int>(s.Int(0));
    } catch (const SqliteError& e) {
        Rethrow(e, "store time zone");
    }
}

std::int64_t SqliteBackend::CountResponses() {
    try {
        auto lease = Read();
        return (*lease).QueryInt("SELECT count(*) FROM responses");
    } catch (const SqliteError& e) {
        Rethrow(e, "count");
    }
}

void SqliteBackend::AddSession(const std::string& hashHex, const std::string& tokenId,
                               core::UtcMs now, core::UtcMs expiresAt, int maxPerToken) {
    auto turn = m_commits.Exclusive();
    try {
        storage::Transaction tx(m_writer);
        Statement s(m_writer,
                    "INSERT INTO web_sessions (hash, token_id, created_at, expires_at) VALUES (?, "
                    "?, ?, ?)");
        s.Bind(1, hashHex).Bind(2, tokenId).Bind(3, now).Bind(4, expiresAt).Run();
        Statement trim(m_writer,
                       "DELETE FROM web_sessions WHERE token_id = ?1 AND hash NOT IN (SELECT hash "
                       "FROM web_sessions "
                       "WHERE token_id = ?1 ORDER BY created_at DESC, hash = ?2 DESC LIMIT ?3)");
        trim.Bind(1, tokenId).Bind(2, hashHex).Bind(3, maxPerToken).Run();
        tx.Commit();
    } catch (const SqliteError& e) {
        Rethrow(e, "add session");
    }
}

std::optional<TokenRecord> SqliteBackend::FindSession(const std::string& hashHex, core::UtcMs now) {
    try {
        auto lease = Read();
        Statement s(*lease,
                    "SELECT t.id, t.kind, t.kiosk_id, t.store_id FROM web_sessions w JOIN tokens t "
                    "ON t.id = w.token_id "
                    "WHERE w.hash = ? AND w.expires_at > ? AND t.revoked_at IS NULL");
        if (!s.Bind(1, hashHex).Bind(2, now).Step())
            return std::nullopt;
        TokenRecord t;
        t.id = s.Text(0);
        t.kind = s.Text(1) == "kiosk" ? TokenKind::Kiosk : TokenKind::Manager;
        t.kioskId = s.OptText(2);
        t.storeId = s.OptText(3);
        return t;
    } catch (const SqliteError& e) {
        Rethrow(e, "find session");
    }
}

bool SqliteBackend::DeleteSession(const std::string& hashHex) {
    auto turn = m_commits.Exclusive();
    try {
        Statement s(m_writer, "DELETE FROM web_sessions WHERE hash = ?");
        s.Bind(1, hashHex).Run();
        return m_writer.Changes() > 0;
    } catch (const SqliteError& e) {
        Rethrow(e, "delete session");
    }
}

std::int64_t SqliteBackend::PurgeSessions(core::UtcMs now) {
    auto turn = m_commits.Exclusive();
    try {
        Statement s(m_writer, "DELETE FROM web_sessions WHERE expires_at <= ?");
        s.Bind(1, now).Run();
        return m_writer.Changes();
    } catch (const SqliteError& e) {
        Rethrow(e, "purge sessions");
    }
}

void SqliteBackend::RecordHeartbeat(const std::string& kioskId, const protocol::Heartbeat& hb,
                                    core::UtcMs serverTime) {
    // A member of the group transaction: heartbeats share the group's one fsync.
    auto turn = m_commits.Begin();
    try {
        Statement s(
            turn.Db(),
            "UPDATE kiosks SET pending_reported = ?, oldest_pending_age_ms = ?, clock_skew_ms = ?, "
            "version = ?, last_error = ?, last_heartbeat = ?, last_seen = ?, alert = ? WHERE id = "
            "?");
        s.Bind(1, hb.pending)
            .Bind(2, hb.oldestPendingAgeMs)
            .Bind(3, hb.clock - serverTime)
            .Bind(4, hb.version);
        s.Bind(5, hb.lastError)
            .Bind(6, serverTime)
            .Bind(7, serverTime)
            .Bind(8, hb.alert)
            .Bind(9, kioskId)
            .Run();
    } catch (const SqliteError& e) {
        Rethrow(e, "heartbeat");
    }
    turn.Commit();
}

std::unique_ptr<WriteTx> SqliteBackend::BeginIngest() {
    return std::make_unique<SqliteWriteTx>(m_commits.Begin());
}

}  // namespace fk::server
