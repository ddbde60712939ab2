#include "server/PgBackend.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <optional>

namespace fk::server {

namespace {

using Param = std::optional<std::string>;
using Params = std::vector<Param>;

[[noreturn]] void Fail(const std::string& what) { throw BackendError(BackendError::Kind::Database, what); }

class PgResult {
public:
    explicit PgResult(PGresult* r) : m_r(r) {}
    ~PgResult() { PQclear(m_r); }
    PgResult(PgResult&& o) noexcept : m_r(o.m_r) { o.m_r = nullptr; }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int Rows() const { return PQntuples(m_r); }
    bool IsNull(int row, int col) const { return PQgetisnull(m_r, row, col) != 0; }
    std::string Text(int row, int col) const { return PQgetvalue(m_r, row, col); }
    std::optional<std::string> OptText(int row, int col) const {
        return IsNull(row, col) ? std::nullopt : std::optional<std::string>(Text(row, col));
    }
    std::int64_t Int(int row, int col) const { return std::strtoll(PQgetvalue(m_r, row, col), nullptr, 10); }
    std::optional<std::int64_t> OptInt(int row, int col) const {
        return IsNull(row, col) ? std::nullopt : std::optional<std::int64_t>(Int(row, col));
    }
    std::int64_t Affected() const { return std::strtoll(PQcmdTuples(m_r), nullptr, 10); }

private:
    PGresult* m_r;
};

std::string Str(std::int64_t v) { return std::to_string(v); }
Param OptStr(const std::optional<std::int64_t>& v) { return v ? Param(std::to_string(*v)) : std::nullopt; }

}  // namespace

// One libpq connection. Not thread-safe: one user at a time (the backend's locks and leases).
class PgConnection {
public:
    explicit PgConnection(const std::string& url) : m_conn(PQconnectdb(url.c_str())) {
        if (m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK) {
            std::string message = m_conn != nullptr ? PQerrorMessage(m_conn) : "out of memory";
            PQfinish(m_conn);
            m_conn = nullptr;
            Fail("cannot connect to PostgreSQL: " + message);
        }
        PQclear(PQexec(m_conn, "SET client_min_messages = warning"));
    }
    ~PgConnection() { PQfinish(m_conn); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Reconnects a connection the server dropped (restart, network) before using it again.
    void EnsureUsable() {
        if (PQstatus(m_conn) != CONNECTION_OK) {
            PQreset(m_conn);
            if (PQstatus(m_conn) != CONNECTION_OK) Fail(std::string("PostgreSQL connection lost: ") + PQerrorMessage(m_conn));
        }
    }

public:
    PGconn* Raw() { return m_conn; }

private:
    PGconn* m_conn = nullptr;
};

namespace {

// Runs sql and throws BackendError unless it succeeded; returns the result.
PgResult Run(PgConnection& c, const std::string& sql, const Params& params = {}) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* raw = PQexecParams(c.Raw(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                 nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(raw);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(c.Raw());
        const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
        std::string code = state != nullptr ? state : "";
        PQclear(raw);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        throw BackendError(code == "23505" ? BackendError::Kind::AlreadyExists : BackendError::Kind::Database,
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
    // Version 2: the heartbeat's alert. Reports group the responses on the fly through
    // responses_store_time (SQLite keeps pre-aggregated tables instead).
    R"sql(
ALTER TABLE kiosks ADD COLUMN alert TEXT;
)sql",
};

void Migrate(PgConnection& c) {
    Run(c, "BEGIN");
    try {
        // Serialises concurrent starts of several servers on one database.
        Run(c, "SELECT pg_advisory_xact_lock(7302117)");
        Run(c, "CREATE TABLE IF NOT EXISTS fk_schema_version (version INTEGER NOT NULL)");
        auto r = Run(c, "SELECT COALESCE(MAX(version), 0) FROM fk_schema_version");
        std::int64_t current = r.Int(0, 0);
        constexpr std::int64_t known = static_cast<std::int64_t>(std::size(kMigrations));
        if (current > known) {
            Fail("database schema version " + Str(current) + " is newer than this kiosk-server (" + Str(known) +
                 "); upgrade kiosk-server");
        }
        for (std::int64_t v = current + 1; v <= known; ++v) {
            RunScript(c, kMigrations[v - 1]);
            Run(c, "INSERT INTO fk_schema_version (version) VALUES ($1)", {Str(v)});
        }
        Run(c, "COMMIT");
    } catch (...) {
        PQclear(PQexec(c.Raw(), "ROLLBACK"));
        throw;
    }
}

constexpr const char* kResponseColumns =
    "id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, reason, language, misuse";

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
        if (i > 0) out += ',';
        if constexpr (std::is_same_v<T, std::string>) {
            out += values[i];
        } else {
            out += std::to_string(values[i]);
        }
    }
    return out + "}";
}

class PgWriteTx final : public WriteTx {
public:
    PgWriteTx(std::mutex& mutex, PgConnection& conn) : m_lock(mutex), m_c(conn) {
        m_c.EnsureUsable();
        Run(m_c, "BEGIN");
    }
    ~PgWriteTx() override {
        if (!m_committed) PQclear(PQexec(m_c.Raw(), "ROLLBACK"));
    }

    std::vector<StoredRow> FindByIds(const std::vector<std::string>& ids) override {
        auto r = Run(m_c, std::string("SELECT kiosk_id, ") + kResponseColumns +
                              " FROM responses WHERE id = ANY($1::text[])",
                     {ArrayLiteral(ids)});
        std::vector<StoredRow> rows;
        for (int i = 0; i < r.Rows(); ++i) rows.push_back(StoredRow{r.Text(i, 0), ReadRow(r, i, 1)});
        return rows;
    }

    std::vector<std::pair<std::int64_t, std::string>> FindSeqOwners(const std::string& kioskId,
                                                                    const std::vector<std::int64_t>& seqs) override {
        std::vector<std::pair<std::int64_t, std::string>> owners;
        if (seqs.empty()) return owners;
        auto r = Run(m_c, "SELECT seq, id FROM responses WHERE kiosk_id = $1 AND seq = ANY($2::bigint[])",
                     {kioskId, ArrayLiteral(seqs)});
        for (int i = 0; i < r.Rows(); ++i) owners.emplace_back(r.Int(i, 0), r.Text(i, 1));
        return owners;
    }

    Known FindKnown(const std::string& kioskId, const std::vector<std::string>& ids,
                    const std::vector<std::int64_t>& seqs) override {
        auto r = Run(m_c,
                     std::string("SELECT 0, kiosk_id, ") + kResponseColumns +
                         " FROM responses WHERE id = ANY($1::text[]) UNION ALL SELECT 1, kiosk_id, " +
                         kResponseColumns + " FROM responses WHERE kiosk_id = $2 AND seq = ANY($3::bigint[])",
                     {ArrayLiteral(ids), kioskId, ArrayLiteral(seqs)});
        Known known;
        for (int i = 0; i < r.Rows(); ++i) {
            if (r.Int(i, 0) == 0) {
                known.byId.push_back(StoredRow{r.Text(i, 1), ReadRow(r, i, 2)});
            } else {
                known.seqOwners.emplace_back(r.Int(i, 3), r.Text(i, 2));
            }
        }
        return known;
    }

    void InsertResponses(const KioskRecord& kiosk, const std::string& batchId,
                         const std::vector<const core::Response*>& rows, core::UtcMs now) override {
        constexpr std::size_t kColumns = 15;
        constexpr std::size_t kChunk = 1000;  // 15,000 parameters, under libpq's 65,535
        for (std::size_t start = 0; start < rows.size(); start += kChunk) {
            std::size_t end = std::min(rows.size(), start + kChunk);
            std::string sql =
                "INSERT INTO responses (id, seq, created_at, closed_at, tz_offset_min, scale, rating, rep_id, "
                "reason, language, misuse, kiosk_id, store_id, batch_id, received_at) VALUES ";
            Params params;
            params.reserve((end - start) * kColumns);
            for (std::size_t i = start; i < end; ++i) {
                const core::Response& r = *rows[i];
                sql += i == start ? "(" : ",(";
                for (std::size_t c = 0; c < kColumns; ++c) {
                    if (c > 0) sql += ',';
                    sql += '$' + std::to_string(params.size() + c + 1);
                }
                sql += ')';
                params.push_back(r.id.ToString());
                params.push_back(Str(r.seq));
                params.push_back(Str(r.createdAtMs));
                params.push_back(Str(r.closedAtMs.value_or(r.createdAtMs)));
                params.push_back(Str(r.tzOffsetMin));
                params.push_back(Str(r.scale));
                params.push_back(Str(r.rating));
                params.push_back(r.repId);
                params.push_back(r.reason);
                params.push_back(r.language);
                params.push_back(r.misuse);
                params.push_back(kiosk.id);
                params.push_back(kiosk.storeId);
                params.push_back(batchId);
                params.push_back(Str(now));
            }
            sql += " ON CONFLICT DO NOTHING";
            Run(m_c, sql, params);
        }
    }

    void InsertRejections(const std::string& kioskId, const std::vector<Rejection>& rejections,
                          core::UtcMs now) override {
        for (const auto& r : rejections) {
            Run(m_c,
                "INSERT INTO rejections (kiosk_id, response_id, seq, code, message, body, received_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                {kioskId, r.responseId, Str(r.seq), r.code, r.message, r.body, Str(now)});
        }
    }

    void MarkSeqs(const std::string& kioskId, const std::vector<std::int64_t>& seqs) override {
        Run(m_c, "INSERT INTO kiosk_seqs (kiosk_id, seq) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
            {kioskId, ArrayLiteral(seqs)});
    }

    std::int64_t AdvanceAckedSeq(const std::string& kioskId, core::UtcMs now) override {
        // seq - row_number() is constant along a contiguous run; the run starting at acked+1
        // has the value acked. Only a window of kAckWindow seqs above the mark is read, so a mark
        // stuck below a gap costs a bounded scan per batch, not one over every row above it; a
        // run reaching the window's end goes on in the next window.
        constexpr std::int64_t kAckWindow = 4096;
        for (;;) {
            auto r = Run(m_c,
                         "UPDATE kiosks k SET last_seen = $2, acked_seq = COALESCE(("
                         " SELECT MAX(seq) FROM (SELECT seq, seq - ROW_NUMBER() OVER (ORDER BY seq) AS run"
                         " FROM (SELECT seq FROM responses r WHERE r.kiosk_id = k.id AND r.seq > k.acked_seq"
                         " AND r.seq <= k.acked_seq + $3"
                         " UNION SELECT seq FROM kiosk_seqs s WHERE s.kiosk_id = k.id AND s.seq > k.acked_seq"
                         " AND s.seq <= k.acked_seq + $3) u) t"
                         " WHERE run = k.acked_seq), k.acked_seq)"
                         " FROM (SELECT acked_seq AS old FROM kiosks WHERE id = $1) o"
                         " WHERE k.id = $1 RETURNING k.acked_seq, o.old",
                         {kioskId, Str(now), Str(kAckWindow)});
            if (r.Rows() == 0) return 0;
            const std::int64_t acked = r.Int(0, 0);
            if (acked - r.Int(0, 1) < kAckWindow) return acked;
        }
    }

    std::int64_t MaxSeq(const std::string& kioskId) override {
        auto r = Run(m_c,
                     "SELECT GREATEST(COALESCE((SELECT max(seq) FROM responses WHERE kiosk_id = $1), 0),"
                     " COALESCE((SELECT max(seq) FROM kiosk_seqs WHERE kiosk_id = $1), 0))",
                     {kioskId});
        return r.Rows() > 0 ? r.Int(0, 0) : 0;
    }

    void Commit() override {
        Run(m_c, "COMMIT");
        m_committed = true;
    }

private:
    std::unique_lock<std::mutex> m_lock;
    PgConnection& m_c;
    bool m_committed = false;
};

}  // namespace

class PgBackend::Lease {
public:
    Lease(PgBackend& owner, std::unique_ptr<PgConnection> c) : m_owner(owner), m_c(std::move(c)) {}
    Lease(Lease&& o) noexcept : m_owner(o.m_owner), m_c(std::move(o.m_c)) {}
    ~Lease() {
        if (!m_c) return;
        std::lock_guard lock(m_owner.m_poolMutex);
        if (m_owner.m_pool.size() < 16) m_owner.m_pool.push_back(std::move(m_c));
    }
    PgConnection& operator*() { return *m_c; }

private:
    PgBackend& m_owner;
    std::unique_ptr<PgConnection> m_c;
};

PgBackend::PgBackend(const std::string& url) : m_url(url), m_writer(std::make_unique<PgConnection>(url)) {
    Migrate(*m_writer);
}

PgBackend::~PgBackend() = default;

PgBackend::Lease PgBackend::Read() {
    std::unique_ptr<PgConnection> c;
    {
        std::lock_guard lock(m_poolMutex);
        if (!m_pool.empty()) {
            c = std::move(m_pool.back());
            m_pool.pop_back();
        }
    }
    if (!c) c = std::make_unique<PgConnection>(m_url);
    c->EnsureUsable();
    return Lease(*this, std::move(c));
}

std::string PgBackend::Describe() const {
    // Drop any password: postgresql://user:secret@host -> postgresql://user@host.
    std::string out = m_url;
    auto scheme = out.find("://");
    auto at = out.find('@');
    if (scheme != std::string::npos && at != std::string::npos) {
        auto colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
    return out;
}

void PgBackend::AddStore(const std::string& id, const std::string& name, core::UtcMs now) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    auto r = Run(*m_writer, "INSERT INTO stores (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                 {id, name, Str(now)});
    if (r.Affected() == 0) throw BackendError(BackendError::Kind::AlreadyExists, "store " + id + " already exists");
}

void PgBackend::AddKiosk(const std::string& id, const std::string& storeId, core::UtcMs now) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    if (Run(*m_writer, "SELECT 1 FROM stores WHERE id = $1", {storeId}).Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound, "no store " + storeId + "; add it first with add-store");
    }
    auto r = Run(*m_writer,
                 "INSERT INTO kiosks (id, store_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                 {id, storeId, Str(now)});
    if (r.Affected() == 0) throw BackendError(BackendError::Kind::AlreadyExists, "kiosk " + id + " already exists");
}

void PgBackend::AddToken(const TokenRecord& token, const std::string& hashHex, core::UtcMs now) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    Run(*m_writer,
        "INSERT INTO tokens (id, hash, kind, kiosk_id, store_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {token.id, hashHex, to_string(token.kind), token.kioskId, token.storeId, Str(now)});
}

bool PgBackend::RevokeToken(const std::string& tokenId, core::UtcMs now) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    auto r = Run(*m_writer, "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                 {Str(now), tokenId});
    return r.Affected() > 0;
}

void PgBackend::SetConfig(const std::string& storeId, const std::string& kioskId, const ConfigRecord& config,
                          core::UtcMs now) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    if (Run(*m_writer, "SELECT 1 FROM stores WHERE id = $1", {storeId}).Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound, "no store " + storeId + "; add it first with add-store");
    }
    if (!kioskId.empty() &&
        Run(*m_writer, "SELECT 1 FROM kiosks WHERE id = $1 AND store_id = $2", {kioskId, storeId}).Rows() == 0) {
        throw BackendError(BackendError::Kind::NotFound, "no kiosk " + kioskId + " in store " + storeId);
    }
    Run(*m_writer,
        "INSERT INTO configs (store_id, kiosk_id, body, etag, updated_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (store_id, kiosk_id) DO UPDATE SET body = excluded.body, etag = excluded.etag, "
        "updated_at = excluded.updated_at",
        {storeId, kioskId, config.body, config.etag, Str(now)});
}

std::optional<TokenRecord> PgBackend::FindToken(const std::string& hashHex) {
    auto lease = Read();
    auto r = Run(*lease, "SELECT id, kind, kiosk_id, store_id FROM tokens WHERE hash = $1 AND revoked_at IS NULL",
                 {hashHex});
    if (r.Rows() == 0) return std::nullopt;
    TokenRecord t;
    t.id = r.Text(0, 0);
    t.kind = r.Text(0, 1) == "kiosk" ? TokenKind::Kiosk : TokenKind::Manager;
    t.kioskId = r.OptText(0, 2);
    t.storeId = r.OptText(0, 3);
    return t;
}

std::optional<KioskRecord> PgBackend::FindKiosk(const std::string& id) {
    auto lease = Read();
    auto r = Run(*lease, "SELECT id, store_id FROM kiosks WHERE id = $1", {id});
    if (r.Rows() == 0) return std::nullopt;
    return KioskRecord{r.Text(0, 0), r.Text(0, 1)};
}

bool PgBackend::StoreExists(const std::string& id) {
    auto lease = Read();
    return Run(*lease, "SELECT 1 FROM stores WHERE id = $1", {id}).Rows() > 0;
}

std::optional<ConfigRecord> PgBackend::FindConfig(const std::string& storeId, const std::string& kioskId) {
    auto lease = Read();
    auto r = Run(*lease,
                 "SELECT body, etag FROM configs WHERE store_id = $1 AND kiosk_id IN ('', $2) "
                 "ORDER BY kiosk_id DESC LIMIT 1",
                 {storeId, kioskId});
    if (r.Rows() == 0) return std::nullopt;
    return ConfigRecord{r.Text(0, 0), r.Text(0, 1)};
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
                 "SELECT store_id, acked_seq, last_seen, pending_reported, oldest_pending_age_ms, clock_skew_ms, "
                 "version, last_error, alert FROM kiosks WHERE id = $1",
                 {kioskId});
    if (k.Rows() == 0) return std::nullopt;
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
    auto seqs = Run(c, "SELECT seq FROM responses WHERE kiosk_id = $1 AND seq > $2 UNION "
                    "SELECT seq FROM kiosk_seqs WHERE kiosk_id = $1 AND seq > $2 ORDER BY 1 LIMIT 1000000",
                    {kioskId, Str(st.ackedSeq)});
    std::vector<std::int64_t> above;
    above.reserve(static_cast<std::size_t>(seqs.Rows()));
    for (int i = 0; i < seqs.Rows(); ++i) above.push_back(seqs.Int(i, 0));
    st.gaps = GapsAbove(st.ackedSeq, above);
    st.maxSeq = above.empty() ? st.ackedSeq : above.back();
    st.responses = Run(c, "SELECT count(*) FROM responses WHERE kiosk_id = $1", {kioskId}).Int(0, 0);
    st.rejected =
        Run(c, "SELECT count(*) FROM rejections WHERE kiosk_id = $1 AND code <> 'lost'", {kioskId}).Int(0, 0);
    auto lost = Run(c,
                    "SELECT seq, message, body FROM rejections WHERE kiosk_id = $1 AND code = 'lost' "
                    "ORDER BY seq LIMIT $2",
                    {kioskId, Str(kMaxLostInStatus)});
    for (int i = 0; i < lost.Rows(); ++i) {
        st.lost.push_back(LostRangeOf(lost.Int(i, 0), lost.Text(i, 1), lost.Text(i, 2)));
    }
    return st;
}

namespace {

// WHERE clause over responses for the query's local days; appends its parameters.
std::string ReportWhere(const ReportQuery& query, Params& params) {
    ReportWindow w = WindowOf(query);
    std::string sql =
        " WHERE created_at >= $1 AND created_at < $2 AND created_at + tz_offset_min * 60000 >= $3 "
        "AND created_at + tz_offset_min * 60000 < $4";
    params = {Str(w.utcLow), Str(w.utcHigh), Str(w.localLow), Str(w.localHigh)};
    if (query.storeId) {
        sql += " AND store_id = $5";
        params.push_back(*query.storeId);
    }
    return sql;
}

}  // namespace

std::vector<DayCount> PgBackend::CountDays(const ReportQuery& query, bool byRep, bool perDay) {
    auto lease = Read();
    Params params;
    std::string sql = std::string("SELECT store_id, ") +
                      (perDay ? "(created_at + tz_offset_min * 60000) / 86400000, " : "0::bigint, ") +
                      (byRep ? "rep_id" : "NULL::text") +
                      ", scale, rating, reason, (misuse IS NOT NULL)::int, count(*) FROM responses" +
                      ReportWhere(query, params) + " GROUP BY 1, 2, 3, 4, 5, 6, 7";
    auto r = Run(*lease, sql, params);
    std::vector<DayCount> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        out.push_back(DayCount{r.Text(i, 0), r.Int(i, 1), r.OptText(i, 2), static_cast<int>(r.Int(i, 3)),
                               static_cast<int>(r.Int(i, 4)), r.OptText(i, 5), r.Int(i, 6) != 0, r.Int(i, 7)});
    }
    return out;
}

std::vector<HourCount> PgBackend::CountHours(const ReportQuery& query) {
    auto lease = Read();
    Params params;
    std::string sql =
        "SELECT store_id, (created_at + tz_offset_min * 60000) / 86400000, "
        "((created_at + tz_offset_min * 60000) % 86400000) / 3600000, scale, rating, count(*) FROM responses" +
        ReportWhere(query, params) + " AND misuse IS NULL GROUP BY 1, 2, 3, 4, 5";
    auto r = Run(*lease, sql, params);
    std::vector<HourCount> out;
    out.reserve(static_cast<std::size_t>(r.Rows()));
    for (int i = 0; i < r.Rows(); ++i) {
        out.push_back(HourCount{r.Text(i, 0), r.Int(i, 1), static_cast<int>(r.Int(i, 2)),
                                static_cast<int>(r.Int(i, 3)), static_cast<int>(r.Int(i, 4)), r.Int(i, 5)});
    }
    return out;
}

std::vector<StoreRecord> PgBackend::ListStores() {
    auto lease = Read();
    auto r = Run(*lease, "SELECT id, name FROM stores ORDER BY id");
    std::vector<StoreRecord> out;
    for (int i = 0; i < r.Rows(); ++i) out.push_back(StoreRecord{r.Text(i, 0), r.Text(i, 1)});
    return out;
}

std::vector<std::string> PgBackend::ListKiosks(const std::optional<std::string>& storeId) {
    auto lease = Read();
    auto r = storeId ? Run(*lease, "SELECT id FROM kiosks WHERE store_id = $1 ORDER BY id", {*storeId})
                     : Run(*lease, "SELECT id FROM kiosks ORDER BY id");
    std::vector<std::string> out;
    for (int i = 0; i < r.Rows(); ++i) out.push_back(r.Text(i, 0));
    return out;
}

std::optional<int> PgBackend::LatestTzOffset(const std::optional<std::string>& storeId) {
    auto lease = Read();
    auto r = storeId ? Run(*lease,
                           "SELECT tz_offset_min FROM responses WHERE store_id = $1 ORDER BY created_at DESC LIMIT 1",
                           {*storeId})
                     // Store by store through (store_id, created_at), not a sort of every response.
                     : Run(*lease,
                           "SELECT r.tz_offset_min FROM stores s JOIN responses r ON r.id = "
                           "(SELECT id FROM responses WHERE store_id = s.id ORDER BY created_at DESC LIMIT 1) "
                           "ORDER BY r.created_at DESC LIMIT 1");
    if (r.Rows() == 0) return std::nullopt;
    return static_cast<int>(r.Int(0, 0));
}

std::int64_t PgBackend::CountResponses() {
    auto lease = Read();
    return Run(*lease, "SELECT count(*) FROM responses").Int(0, 0);
}

void PgBackend::RecordHeartbeat(const std::string& kioskId, const protocol::Heartbeat& hb, core::UtcMs serverTime) {
    std::lock_guard lock(m_writeMutex);
    m_writer->EnsureUsable();
    Run(*m_writer,
        "UPDATE kiosks SET pending_reported = $1, oldest_pending_age_ms = $2, clock_skew_ms = $3, version = $4, "
        "last_error = $5, last_heartbeat = $6, last_seen = $6, alert = $8 WHERE id = $7",
        {Str(hb.pending), OptStr(hb.oldestPendingAgeMs), Str(hb.clock - serverTime), hb.version, hb.lastError,
         Str(serverTime), kioskId, hb.alert});
}

std::unique_ptr<WriteTx> PgBackend::BeginIngest() { return std::make_unique<PgWriteTx>(m_writeMutex, *m_writer); }

}  // namespace fk::server
