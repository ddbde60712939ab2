#pragma once
// The kiosk-server's store backend: one interface, two implementations (SQLite, the embedded
// default; PostgreSQL for chains). Backends are thread-safe: reads use a small pool of
// connections, and all writes go through one writer connection behind one lock (BeginIngest and
// the admin/heartbeat writes take it). Failures of the database itself throw BackendError;
// expected domain outcomes (not found, duplicate) are return values.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.h"
#include "core/Response.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/AccessLog.h"
#include "server/CallStore.h"
#include "server/EventBus.h"
#include "server/Privacy.h"
#include "server/RepLinks.h"
#include "server/StoreAlerts.h"
#include "server/StoreZones.h"
#include "server/SurveyVersions.h"
#include "server/UserStore.h"

namespace fk::server {

class BackendError : public std::runtime_error {
  public:
    enum class Kind { NotFound, AlreadyExists, BadUrl, Database };
    BackendError(Kind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}
    Kind GetKind() const { return m_kind; }

  private:
    Kind m_kind;
};

enum class TokenKind { Kiosk, Manager };
std::string to_string(TokenKind kind);

struct TokenRecord {
    std::string id;  // public id, printed by add-*, used by revoke
    TokenKind kind = TokenKind::Kiosk;
    std::optional<std::string> kioskId;  // Kiosk tokens: the kiosk
    std::optional<std::string> storeId;  // Kiosk: its store; Manager: the store, nullopt = all
    // Kiosk tokens, from FindToken: the kiosk's stored store (read in the same query as the token,
    // so a batch needs no second lookup). nullopt for manager tokens.
    std::optional<std::string> kioskStoreId = std::nullopt;
    // A person's web session acts as a manager token of storeId (the one store asked for or
    // their only one); these say who and as what. userStores: a store-scoped role's stores
    // (empty: every store).
    std::optional<std::string> userName = std::nullopt;
    std::optional<Role> role = std::nullopt;
    std::vector<std::string> userStores = {};
};

struct KioskRecord {
    std::string id;
    std::string storeId;
};

// The kiosk's seq marks for a heartbeat answer (acked_seq, the highest seq stored or marked).
struct SeqMarks {
    std::int64_t ackedSeq = 0;
    std::int64_t maxSeq = 0;
};

struct ConfigRecord {
    std::string body;  // canonical JSON (protocol::EncodeKioskConfig)
    std::string etag;  // quoted strong ETag
};

// A stored response and the kiosk that sent it.
struct StoredRow {
    std::string kioskId;
    core::Response response;
    // Only id and seq are known: the row's key is kept but the row itself was removed for
    // retention (a detached PostgreSQL month). A resend of it is a duplicate.
    bool detached = false;
};

struct Rejection {
    std::string responseId;
    std::int64_t seq = 0;
    std::string code;
    std::string message;
    std::string body;  // the item as JSON, kept for inspection
};

// Reports read pre-grouped counts, never single rows. A "day" is the kiosk's local day number
// (days since 1970-01-01 of created_at + tz_offset_min), so a row is placed where its kiosk showed
// it.
struct DayCount {
    std::string storeId;
    std::int64_t day = 0;
    std::optional<std::string> repId;  // always nullopt from CountDays(query, false, ...)
    int scale = 4;
    int rating = 1;
    std::optional<std::string> reason;
    bool misuse = false;
    std::int64_t count = 0;
    // The survey definition version the responses were taken under (issue 17); nullopt for
    // responses that named none.
    std::optional<std::int64_t> surveyVersion;
};

// Non-misuse rows by local day and local hour (0..23): the heatmap.
struct HourCount {
    std::string storeId;
    std::int64_t day = 0;
    int hour = 0;
    int scale = 4;
    int rating = 1;
    std::int64_t count = 0;
};

struct StoreRecord {
    std::string id;
    std::string name;
};

struct ReportQuery {
    std::optional<std::string> storeId;  // nullopt: every store
    core::CivilDate from;                // inclusive, the kiosk's local date
    core::CivilDate to;                  // inclusive
};

// One ingest transaction on the writer connection. Holds the writer lock from BeginIngest until
// destroyed; destroyed without Commit() it rolls back.
class WriteTx {
  public:
    virtual ~WriteTx() = default;
    virtual std::vector<StoredRow> FindByIds(const std::vector<std::string>& ids) = 0;
    // (seq, id) of this kiosk's stored rows with any of these seqs.
    virtual std::vector<std::pair<std::int64_t, std::string>> FindSeqOwners(
        const std::string& kioskId, const std::vector<std::int64_t>& seqs) = 0;
    struct Known {
        std::vector<StoredRow> byId;  // FindByIds(ids)
        std::vector<std::pair<std::int64_t, std::string>>
            seqOwners;  // FindSeqOwners(kioskId, seqs)
    };
    // Both lookups at once; a backend overrides it to save a round trip.
    virtual Known FindKnown(const std::string& kioskId, const std::vector<std::string>& ids,
                            const std::vector<std::int64_t>& seqs) {
        return Known{FindByIds(ids), FindSeqOwners(kioskId, seqs)};
    }
    // Inserts with ON CONFLICT DO NOTHING in multi-row statements.
    virtual void InsertResponses(const KioskRecord& kiosk, const std::string& batchId,
                                 const std::vector<const core::Response*>& rows,
                                 core::UtcMs now) = 0;
    virtual void InsertRejections(const std::string& kioskId,
                                  const std::vector<Rejection>& rejections, core::UtcMs now) = 0;
    // Records that these seqs have been dealt with without a stored response (rejected). The
    // seqs of stored responses count as dealt with through responses (kiosk_id, seq) itself, which
    // saves a second row per accepted response.
    virtual void MarkSeqs(const std::string& kioskId, const std::vector<std::int64_t>& seqs) = 0;
    // Moves the kiosk's contiguous high-water mark up over the seqs dealt with (stored responses
    // and marked seqs), sets last_seen; returns it.
    virtual std::int64_t AdvanceAckedSeq(const std::string& kioskId, core::UtcMs now) = 0;
    // The highest seq of this kiosk dealt with (stored or marked), 0 if none. One index probe.
    virtual std::int64_t MaxSeq(const std::string& kioskId) = 0;
    virtual void Commit() = 0;
};

class Backend {
  public:
    virtual ~Backend() = default;
    // "sqlite:/path" or "postgresql://host/db" (no password) for logs.
    virtual std::string Describe() const = 0;

    // Admin. Throw BackendError{AlreadyExists|NotFound} for those cases.
    virtual void AddStore(const std::string& id, const std::string& name, core::UtcMs now) = 0;
    virtual void AddKiosk(const std::string& id, const std::string& storeId, core::UtcMs now) = 0;
    virtual void AddToken(const TokenRecord& token, const std::string& hashHex,
                          core::UtcMs now) = 0;
    // false when no such (unrevoked) token. Also ends the token's web sessions.
    virtual bool RevokeToken(const std::string& tokenId, core::UtcMs now) = 0;
    // kioskId empty: the store's config; otherwise an override for one kiosk.
    virtual void SetConfig(const std::string& storeId, const std::string& kioskId,
                           const ConfigRecord& config, core::UtcMs now) = 0;

    // Reads.
    virtual std::optional<TokenRecord> FindToken(const std::string& hashHex) = 0;  // unrevoked only
    virtual std::optional<KioskRecord> FindKiosk(const std::string& id) = 0;
    virtual bool StoreExists(const std::string& id) = 0;
    // The kiosk's override, else its store's config, else nullopt.
    virtual std::optional<ConfigRecord> FindConfig(const std::string& storeId,
                                                   const std::string& kioskId) = 0;
    // The store-wide config (kiosk_id "") of each of these stores that has one. By default one
    // FindConfig per store; PostgreSQL answers in one query (a report over 100 stores).
    virtual std::map<std::string, ConfigRecord> FindStoreConfigs(
        const std::vector<std::string>& storeIds) {
        std::map<std::string, ConfigRecord> out;
        for (const auto& id : storeIds)
            if (auto c = FindConfig(id, ""))
                out.emplace(id, std::move(*c));
        return out;
    }
    virtual std::optional<protocol::KioskStatus> Status(const std::string& kioskId) = 0;
    // Counts in the query's local days, grouped by (store, day, rep, scale, rating, reason,
    // misuse); byRep false groups without the rep (store totals, cheaper); perDay false sums the
    // days (day = 0 in every row; a key may repeat, add them up), which is all a per-rep table
    // needs. Read from the roll-ups (core/Rollups.h), never from single responses.
    virtual std::vector<DayCount> CountDays(const ReportQuery& query, bool byRep, bool perDay) = 0;
    // Status() of every kiosk of a store (or all), by id, without the responses count (too
    // costly for a whole fleet; 0). The default asks Status() per kiosk.
    virtual std::vector<protocol::KioskStatus> FleetStatuses(
        const std::optional<std::string>& storeId);
    // The same kiosks with only what their kiosks row holds (last contact, backlog, version,
    // alert): ack mark but no max seq above it, gaps, rejected or lost (0 and empty). For the
    // stores overview, which counts kiosks, stale kiosks and alerts. Default: FleetStatuses.
    virtual std::vector<protocol::KioskStatus> FleetContacts(
        const std::optional<std::string>& storeId) {
        return FleetStatuses(storeId);
    }
    virtual std::vector<HourCount> CountHours(const ReportQuery& query) = 0;
    virtual std::vector<StoreRecord> ListStores() = 0;
    // Kiosk ids of one store (or all), sorted.
    virtual std::vector<std::string> ListKiosks(const std::optional<std::string>& storeId) = 0;
    // tz_offset_min of the newest response of the store (or of any store): the store's zone now.
    virtual std::optional<int> LatestTzOffset(const std::optional<std::string>& storeId) = 0;
    virtual std::int64_t CountResponses() = 0;
    // Recomputes every roll-up from the raw responses in one transaction (kiosk-server
    // rebuild-rollups, after a migrate or a restore). Takes the writer lock.
    virtual void RebuildRollups() = 0;

    // Web sessions (server/Sessions.h). Only the SHA-256 of a session id is stored, with the id
    // of the manager token it was made from. Every server process on the database sees them.
    // Keeps at most maxPerToken sessions of the token: the oldest beyond that are deleted.
    virtual void AddSession(const std::string& hashHex, const std::string& tokenId, core::UtcMs now,
                            core::UtcMs expiresAt, int maxPerToken) = 0;
    // The session's token when the session exists, expires after now and its token is not revoked.
    virtual std::optional<TokenRecord> FindSession(const std::string& hashHex, core::UtcMs now) = 0;
    // false when there was no such session.
    virtual bool DeleteSession(const std::string& hashHex) = 0;
    // Deletes the sessions expired at now; returns how many.
    virtual std::int64_t PurgeSessions(core::UtcMs now) = 0;

    // Writes.
    virtual void RecordHeartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                                 core::UtcMs serverTime) = 0;
    // A heartbeat and its answer's marks: RecordHeartbeat, then KioskSeqMarks. PostgreSQL
    // overrides it with one transaction in one round trip (and groups concurrent heartbeats).
    virtual SeqMarks Heartbeat(const std::string& kioskId, const protocol::Heartbeat& heartbeat,
                               core::UtcMs serverTime);
    virtual std::unique_ptr<WriteTx> BeginIngest() = 0;
    // The ingest transaction of one batch of a kiosk of this store (Ingest uses it). Commit()
    // returns once the batch is durable, as BeginIngest's. PostgreSQL runs concurrent batches of
    // one store in one transaction (they would wait for each other's roll-up rows anyway);
    // by default BeginIngest().
    virtual std::unique_ptr<WriteTx> BeginStoreIngest(const std::string& /*storeId*/) {
        return BeginIngest();
    }
    // Called by Ingest before BeginIngest with the rows it may store: a backend makes room for
    // them outside the ingest transaction (PostgreSQL creates missing month partitions). Never
    // fails the batch: a backend that cannot make room stores the rows elsewhere.
    virtual void PrepareIngest(const std::vector<core::Response>& /*rows*/, core::UtcMs /*now*/) {}

    // Help calls, their outbox and webhooks (server/CallStore.h), in this database.
    virtual CallStore& Calls() = 0;
    // The live call events shared by every server process on this database (EventBus.h), or
    // nullptr when only one process can serve it (SQLite). The caller owns and starts it.
    virtual std::unique_ptr<EventBus> OpenEventBus() { return nullptr; }
    // People's accounts and their web sessions (server/UserStore.h), in this database.
    virtual UserStore& Users() = 0;
    // Who viewed or exported per-rep data (server/AccessLog.h), in this database.
    virtual AccessLog& Accesses() = 0;
    // Survey definition versions and what each kiosk runs (server/SurveyVersions.h).
    virtual SurveyVersions& Surveys() = 0;
    // Store-level alerts over every till (server/StoreAlerts.h), in this database.
    virtual StoreAlerts& Alerts() = 0;
    // Head office's links of (store, rep) ids to one person (server/RepLinks.h), in this database.
    virtual RepLinks& Links() = 0;
    // Each store's IANA time zone (server/StoreZones.h), in this database.
    virtual StoreZones& Zones() = 0;
    // Retention of raw responses and leavers' data (server/Privacy.h), in this database.
    virtual Privacy& PersonalData() = 0;
    // Rewrites the database files so that changed or deleted values leave no copy behind (after
    // a leaver's data was replaced): SQLite VACUUM with the WAL truncated; PostgreSQL VACUUM
    // FULL of the tables that hold rep ids. Takes the writer alone; slow on a large database.
    virtual void Compact() = 0;
};

// How a backend connects (serve --db-pool-size; the settings file). PostgreSQL only: SQLite has
// one writer (group commit) and opens readers as needed.
struct BackendOptions {
    int poolSize = 8;                 // connections for writes and reads, 1..kMaxPoolSize
    int connectTimeoutS = 10;         // libpq connect_timeout (a URL's own value wins)
    int statementTimeoutMs = 30'000;  // statement_timeout of every connection
    static constexpr int kMaxPoolSize = 256;
};

// Opens by URL: a plain path or "sqlite:PATH" (SQLite), "postgresql://..." or "postgres://..."
// (libpq). Creates/migrates the schema. Throws BackendError (BadUrl, Database).
std::unique_ptr<Backend> OpenBackend(const std::string& url, const BackendOptions& options);
std::unique_ptr<Backend> OpenBackend(const std::string& url);  // default options

struct IngestCounts {
    std::int64_t accepted = 0;
    std::int64_t duplicate = 0;
    std::int64_t rejected = 0;
};

// The ingest rules, shared by both backends: per item accepted (new), duplicate (same id, same
// content), or rejected (invalid value, same id with different content, or the kiosk's seq already
// taken by another id) with the rejection kept. Everything in one write transaction.
protocol::Receipt Ingest(Backend& backend, const KioskRecord& kiosk, const protocol::Batch& batch,
                         core::UtcMs now, IngestCounts* counts = nullptr);

// Rejection code of a seq a kiosk reported lost (LostRange); not counted as rejected.
inline constexpr std::string_view kLostCode = "lost";

// The kiosk's seq marks for a heartbeat answer: advances acked_seq (a restored server may hold
// more than its acked_seq says), sets last_seen. One short write transaction.
SeqMarks KioskSeqMarks(Backend& backend, const std::string& kioskId, core::UtcMs now);
// A stored "lost" rejection (seq = the range's first seq, body {"from":F,"to":T}) as a range.
protocol::LostRange LostRangeOf(std::int64_t seq, const std::string& message,
                                const std::string& body);
// SQL filters for the kiosk status: how many lost notes it reads at most.
inline constexpr int kMaxLostInStatus = 64;

// Reports window in UTC ms for local dates [from, to], widened by the widest tz offsets, and the
// exact local-time bounds (PgBackend's report queries).
struct ReportWindow {
    core::UtcMs utcLow, utcHigh;  // created_at within [utcLow, utcHigh)
    core::UtcMs localLow,
        localHigh;  // created_at + tz_offset_min * 60000 within [localLow, localHigh)
};
ReportWindow WindowOf(const ReportQuery& query);

// Contiguous ranges missing from sortedSeqs (all > ackedSeq), at most maxRanges of them.
std::vector<protocol::SeqRange> GapsAbove(std::int64_t ackedSeq,
                                          const std::vector<std::int64_t>& sortedSeqs,
                                          std::size_t maxRanges = 1000);

}  // namespace fk::server
