#pragma once
// Sync protocol v1 wire format (shared/DESIGN.md section 6), shared by the kiosk and kiosk-server.
// Field names are the contract. Encoders produce compact JSON; decoders never throw on bad input:
// they return a DecodeError naming the field path and what to fix. Unknown fields are ignored.
// Pure functions over plain values; thread-safe. nlohmann/json stays in Wire.cpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Clock.h"
#include "core/Response.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "protocol/Result.h"

namespace fk::protocol {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::string_view kJsonContentType = "application/json";
// The highest survey definition version a response may name (a store makes one per save; this is
// far above any real count and keeps hostile numbers out of the database).
inline constexpr std::int64_t kMaxSurveyVersion = 1'000'000'000;

// Error codes used in DecodeError::code and in server error bodies.
namespace code {
inline constexpr std::string_view kMalformedJson = "malformed_json";
inline constexpr std::string_view kWrongType = "wrong_type";
inline constexpr std::string_view kMissingField = "missing_field";
inline constexpr std::string_view kUnsupportedProtocol = "unsupported_protocol";
inline constexpr std::string_view kInvalidValue = "invalid_value";
inline constexpr std::string_view kTooManyItems = "too_many_items";
// Per-item rejection codes (ItemResult::error.code).
inline constexpr std::string_view kRatingOutOfScale = "rating_out_of_scale";
inline constexpr std::string_view kInvalidScale = "invalid_scale";
inline constexpr std::string_view kInvalidItem = "invalid_item";
inline constexpr std::string_view kConflict = "conflict";
inline constexpr std::string_view kSeqConflict = "seq_conflict";
// Request-level codes in the server's error bodies (docs/API.md, Errors).
inline constexpr std::string_view kBadRequest = "bad_request";
inline constexpr std::string_view kMissingParameter = "missing_parameter";
inline constexpr std::string_view kInvalidParameter = "invalid_parameter";
inline constexpr std::string_view kMissingToken = "missing_token";
inline constexpr std::string_view kBadToken = "bad_token";
inline constexpr std::string_view kWrongTokenKind = "wrong_token_kind";
inline constexpr std::string_view kWrongKiosk = "wrong_kiosk";
inline constexpr std::string_view kWrongStore = "wrong_store";
inline constexpr std::string_view kUnknownKiosk = "unknown_kiosk";
inline constexpr std::string_view kUnknownStore = "unknown_store";
inline constexpr std::string_view kUnknownCall = "unknown_call";
inline constexpr std::string_view kNoConfig = "no_config";
// The kiosk's loader refuses a survey definition (the body lists its problems).
inline constexpr std::string_view kInvalidDefinition = "invalid_definition";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kMethodNotAllowed = "method_not_allowed";
inline constexpr std::string_view kTimeout = "timeout";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kUriTooLong = "uri_too_long";
inline constexpr std::string_view kUnsupportedMediaType = "unsupported_media_type";
inline constexpr std::string_view kUnsupportedEncoding = "unsupported_encoding";
inline constexpr std::string_view kHeadersTooLarge = "headers_too_large";
inline constexpr std::string_view kTooManyRequests = "too_many_requests";
inline constexpr std::string_view kTooManyStreams = "too_many_streams";
inline constexpr std::string_view kStorageUnavailable = "storage_unavailable";
inline constexpr std::string_view kServerError = "server_error";
inline constexpr std::string_view kBusy = "busy";
// People's accounts (issue 20).
inline constexpr std::string_view kForbidden = "forbidden";       // the role may not
inline constexpr std::string_view kBadLogin = "bad_login";        // wrong name or password
inline constexpr std::string_view kLoginLocked = "login_locked";  // too many failures
inline constexpr std::string_view kBadLink = "bad_link";          // one-time link used/expired
inline constexpr std::string_view kBadPassword = "bad_password";  // new password too weak
inline constexpr std::string_view kUnknownUser = "unknown_user";
}  // namespace code

struct ErrorBody {
    std::string code;
    std::string message;
    friend bool operator==(const ErrorBody&, const ErrorBody&) = default;
};

// Seqs a kiosk can never send: their rows were in a damaged kiosk file and could not be read
// back (or were numbered past and never used). Optional "lost" field of a batch; the server
// records the ones it does not hold as lost with the reason, so they are no unexplained gap.
struct LostRange {
    std::int64_t from = 0;  // inclusive, >= 1
    std::int64_t to = 0;    // inclusive, >= from
    std::string reason;     // e.g. "damaged kiosk file on 2026-12-02", at most kMaxLostReason bytes
    friend bool operator==(const LostRange&, const LostRange&) = default;
};
inline constexpr std::size_t kMaxLostRanges = 64;      // per batch
inline constexpr std::int64_t kMaxLostSeqs = 100'000;  // summed over a batch's ranges
inline constexpr std::size_t kMaxLostReason = 200;

// One response on the wire. Only closed responses are sent, so closed_at is required.
// core::Response's local-only fields (closeReason, syncState, syncError) are not sent.
// responses may be empty when the batch carries only a lost report.
struct Batch {
    int protocol = kProtocolVersion;
    std::string kioskId;
    core::Uuid batchId;
    std::vector<core::Response> responses;
    std::vector<LostRange> lost;  // optional on the wire; omitted when empty
};

enum class ItemStatus { Accepted, Duplicate, Rejected };
std::string to_string(ItemStatus status);

struct ItemResult {
    core::Uuid id;
    ItemStatus status = ItemStatus::Accepted;
    std::optional<ErrorBody> error;  // set when Rejected
};

struct Receipt {
    std::vector<ItemResult> results;  // one per batch response, same order
    core::UtcMs serverTime = 0;
    std::int64_t ackedSeq = 0;  // every seq 1..ackedSeq of this kiosk is on the server
    // Optional (servers since issue 14): the highest seq of this kiosk the server holds. A kiosk
    // that marked rows sent above it (or at acked_seq + 1) knows the server lost them (restored
    // from an older backup) and sends them again.
    std::optional<std::int64_t> maxSeq;
    // Optional: how many seqs of the batch's lost report the server newly recorded as lost.
    std::optional<std::int64_t> lostRecorded;
};

// A store-level alert (issue 18): the alert rule over every till of the kiosk's store, raised
// by the server at raised_at and found still raised at checked_at.
struct StoreAlert {
    core::UtcMs raisedAt = 0;
    core::UtcMs checkedAt = 0;
    std::int64_t negative = 0;
    std::int64_t responses = 0;
    std::int64_t windowMin = 0;
    friend bool operator==(const StoreAlert&, const StoreAlert&) = default;
};

// The answer to a heartbeat. acked_seq and max_seq are optional (servers since issue 14), so is
// store_alert (the kiosk's store's current alert; absent when none or from older servers).
struct HeartbeatAck {
    core::UtcMs serverTime = 0;
    std::optional<std::int64_t> ackedSeq;
    std::optional<std::int64_t> maxSeq;
    std::optional<StoreAlert> storeAlert;
    // Optional (servers since issue 20): the chain's retention age in days. A kiosk deletes its
    // rows the server acknowledged that are older than this (storage::ResponseStore::PurgeSynced).
    std::optional<std::int64_t> keepDays;
};

// POST /api/v1/kiosks/{id}/heartbeat body.
struct Heartbeat {
    std::int64_t pending = 0;                        // closed rows not yet acknowledged
    std::optional<std::int64_t> oldestPendingAgeMs;  // null when nothing is pending
    core::UtcMs clock = 0;                           // the kiosk's wall clock when sent
    std::string version;                             // kiosk software version
    std::optional<std::string> lastError;            // last sync error in words, null if none
    std::optional<std::string> alert;  // a manager alert rule firing now, in words; null if none
    // The survey definition version the kiosk runs (null: its own kiosk.toml fallback survey).
    std::optional<std::int64_t> configVersion = std::nullopt;
};

using SeqRange = std::pair<std::int64_t, std::int64_t>;  // inclusive [from, to]

// GET /api/v1/kiosks/{id}/status body.
struct KioskStatus {
    std::string kioskId;
    std::string storeId;
    std::int64_t ackedSeq = 0;
    std::vector<SeqRange> gaps;  // missing seqs above ackedSeq, below the highest received
    std::int64_t maxSeq = 0;     // highest seq received
    std::int64_t responses = 0;  // stored rows from this kiosk
    std::int64_t rejected = 0;   // items rejected (kept for inspection)
    std::optional<core::UtcMs> lastSeen;
    std::optional<std::int64_t> pendingReported;
    std::optional<std::int64_t> oldestPendingAgeMs;
    std::optional<std::int64_t> clockSkewMs;  // kiosk clock minus server clock at last heartbeat
    std::optional<std::string> version;
    std::optional<std::string> lastError;
    std::optional<std::string> alert;  // from the last heartbeat: a manager alert firing
    // Survey definition versions: what the kiosk runs (its last heartbeat), the newest stored for
    // it, and true when it has not been on the newest for over an hour since that was stored.
    std::optional<std::int64_t> configVersion = std::nullopt;
    std::optional<std::int64_t> latestConfigVersion = std::nullopt;
    bool configBehind = false;
    // Seqs the kiosk reported lost (a damaged kiosk file), with the reason; not gaps.
    std::vector<LostRange> lost;
};

// GET /api/v1/kiosks/{id}/config body: what the kiosk asks and whom it can name.
struct RosterEntry {
    std::string id;
    std::string name;
    bool active = true;
    friend bool operator==(const RosterEntry&, const RosterEntry&) = default;
};
struct ReasonEntry {
    std::string id;
    std::map<std::string, std::string> labels;  // language -> label
    // About the rep (rude, slow service) or not (wait time, price): the fair per-rep numbers
    // (core::ReasonPolicy) leave the negative ratings with a not-attributable reason out.
    bool attributableToRep = false;
    friend bool operator==(const ReasonEntry&, const ReasonEntry&) = default;
};
// A rep who left, pseudonymised or erased at head office (issue 20 item 4): the kiosk replaces,
// in its own database, the rep id whose SHA-256 (lower-case hex) is fromSha256 by `to` (nullopt:
// erased, no rep named). The old id itself is never sent again.
struct LeaverEntry {
    std::string fromSha256;
    std::optional<std::string> to;
    friend bool operator==(const LeaverEntry&, const LeaverEntry&) = default;
};
inline constexpr std::size_t kMaxLeavers = 10'000;
// The wire view of a survey definition (config/SurveyDefinition.h reads all of it; this is what
// sync and the reports need).
struct KioskConfig {
    std::optional<std::int64_t> version = std::nullopt;  // set by the server when it stores one
    int scale = 4;                                       // survey.scale: 4 or 5 faces
    std::map<std::string, std::string> question;         // survey.question: language -> text
    std::vector<RosterEntry> roster;
    std::vector<ReasonEntry> reasons;
    std::vector<std::string> locales;
    std::vector<LeaverEntry> leavers;  // "leavers", only when not empty
    // The JSON it was decoded from (the sync engine keeps it for the kiosk's full reader,
    // config/SurveyDefinition.h); never encoded, not compared.
    std::string source = {};
    friend bool operator==(const KioskConfig& a, const KioskConfig& b) {
        return a.version == b.version && a.scale == b.scale && a.question == b.question &&
               a.roster == b.roster && a.reasons == b.reasons && a.locales == b.locales &&
               a.leavers == b.leavers;
    }
};

// GET /api/v1/reports/reps body. Misuse-flagged rows are counted apart and excluded from stats.
struct RepStats {
    std::optional<std::string> repId;  // null: no rep named
    std::int64_t responses = 0;
    std::int64_t negative = 0;
    std::int64_t neutral = 0;
    std::int64_t positive = 0;
    std::int64_t misuse = 0;
    double csat = 0;   // positive / responses * 100
    double score = 0;  // mean Score100 of the ratings
    // Below the report's min_n: only responses and misuse are given (the rest stays 0).
    bool withheld = false;
};
struct RepReport {
    std::optional<std::string> store;  // null: all stores
    core::CivilDate from;
    core::CivilDate to;
    RepStats total;
    std::vector<RepStats> reps;
};

// Encoders (compact JSON text).
std::string EncodeResponse(const core::Response& response);
std::string EncodeBatch(const Batch& batch);
std::string EncodeReceipt(const Receipt& receipt);
std::string EncodeHeartbeat(const Heartbeat& heartbeat);
std::string EncodeHeartbeatAck(const HeartbeatAck& ack);
std::string EncodeKioskStatus(const KioskStatus& status);
std::string EncodeKioskConfig(const KioskConfig& config);
std::string EncodeError(const ErrorBody& error);

// Decoders. maxResponses bounds a batch (code too_many_items beyond it).
Result<Batch> DecodeBatch(std::string_view json, std::size_t maxResponses = 1000);
Result<core::Response> DecodeResponse(std::string_view json);
Result<Receipt> DecodeReceipt(std::string_view json);
Result<Heartbeat> DecodeHeartbeat(std::string_view json);
Result<HeartbeatAck> DecodeHeartbeatAck(std::string_view json);
Result<KioskStatus> DecodeKioskStatus(std::string_view json);
Result<KioskConfig> DecodeKioskConfig(std::string_view json);
Result<ErrorBody> DecodeErrorBody(std::string_view json);
Result<RepReport> DecodeRepReport(std::string_view json);

// Checks one decoded response's values (not its types): scale 4 or 5, rating within 1..scale,
// id a UUIDv7, seq >= 1, tz offset within -720..840 min, short identifiers. nullopt when valid;
// otherwise an ErrorBody with a per-item code (rating_out_of_scale, invalid_scale, invalid_item).
std::optional<ErrorBody> ValidateResponse(const core::Response& response);

// True when two responses carry the same wire content (what makes a resend a duplicate). The help
// answer is left out: the server does not keep it with the response (the call carries it), so a
// stored row never has one to compare.
bool SameWireContent(const core::Response& a, const core::Response& b);

}  // namespace fk::protocol
