#pragma once
// Help calls on the wire (issue 16): a customer who asked for help at the kiosk, sent at once by
// the kiosk (POST /api/v1/calls), listed and handled by staff (GET /api/v1/calls, .../ack,
// .../close) and fanned out by kiosk-server (SSE, webhooks, e-mail) as a CallRecord.
// Field names are the contract (docs/API.md "Help calls"). Like Wire.h: encoders write compact
// JSON, decoders never throw on bad input and return a DecodeError naming the field path and
// what to fix, unknown fields are ignored. Pure functions over plain values; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Result.h"
#include "protocol/Wire.h"

namespace fk::protocol {

inline constexpr std::size_t kMaxCallsPerRequest = 50;
inline constexpr std::size_t kMaxCallStaffName = 64;  // "by" of ack and close, bytes
inline constexpr std::size_t kMaxCallNote = 500;      // close note, bytes
inline constexpr std::size_t kMaxCallsListed = 5000;  // one GET /api/v1/calls answer

// One call as the kiosk sends it: the answer "yes, please come" to the help step of response
// responseId. The rating fields repeat the response so the call is useful before the response
// itself is synced.
struct Call {
    core::Uuid responseId;  // UUIDv7 of the response; the call's identity (idempotency key)
    core::UtcMs askedAt = 0;
    int tzOffsetMin = 0;
    int scale = 4;
    int rating = 1;
    std::optional<std::string> repId;
    std::optional<std::string> reason;
    std::string language = "en";
    bool late = false;  // the kiosk could not confirm within its [help] confirm_within_s
    std::optional<std::string> misuse;  // the kiosk's misuse rule that flagged it, if any
    friend bool operator==(const Call&, const Call&) = default;
};

// POST /api/v1/calls body: 1..kMaxCallsPerRequest calls.
struct CallsRequest {
    int protocol = kProtocolVersion;
    std::string kioskId;
    std::vector<Call> calls;
};

struct CallResult {
    core::Uuid responseId;
    ItemStatus status = ItemStatus::Accepted;  // duplicate: a resend, never a second call
    std::optional<ErrorBody> error;            // set when Rejected
};

// The 200 answer to POST /api/v1/calls: one result per call, same order.
struct CallsReceipt {
    std::vector<CallResult> results;
    core::UtcMs serverTime = 0;
};

enum class CallOutcome { Helped, RefundOrReplacement, CustomerLeft, Other };
std::string to_string(CallOutcome outcome);  // "helped", "refund_or_replacement", ...
std::optional<CallOutcome> CallOutcomeFromString(std::string_view text);

enum class CallStatus { Open, Acknowledged, Closed };
std::string to_string(CallStatus status);  // "open", "acknowledged", "closed"
std::optional<CallStatus> CallStatusFromString(std::string_view text);

// POST /api/v1/calls/{response_id}/ack body.
struct CallAck {
    std::string by;  // who is going, 1..kMaxCallStaffName bytes
};

// POST /api/v1/calls/{response_id}/close body.
struct CallClose {
    std::string by;
    CallOutcome outcome = CallOutcome::Helped;
    std::optional<std::string> note;  // at most kMaxCallNote bytes
};

// A call as the server holds it: the list item, the SSE event, the webhook and e-mail payload,
// and the answer to ack and close.
struct CallRecord {
    Call call;
    std::string kioskId;
    std::string storeId;
    core::UtcMs receivedAt = 0;
    CallStatus status = CallStatus::Open;
    // Further calls from the same kiosk within the server's burst window (a child pressing "yes"
    // on survey after survey) are folded into this one: counted here, not fanned out again.
    std::int64_t repeats = 0;
    std::optional<core::UtcMs> ackedAt;
    std::optional<std::string> ackedBy;
    std::optional<core::UtcMs> closedAt;
    std::optional<std::string> closedBy;
    std::optional<CallOutcome> outcome;
    std::optional<std::string> note;
    friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

// GET /api/v1/calls body.
struct CallList {
    std::optional<std::string> store;  // null: every store in the token's scope
    std::vector<CallRecord> calls;     // newest first
};

std::string EncodeCallsRequest(const CallsRequest& request);
std::string EncodeCallsReceipt(const CallsReceipt& receipt);
std::string EncodeCallAck(const CallAck& ack);
std::string EncodeCallClose(const CallClose& close);
std::string EncodeCallRecord(const CallRecord& record);
std::string EncodeCallList(const CallList& list);

// maxCalls bounds a request (code too_many_items beyond it); an empty calls array is
// invalid_value. Values are checked by ValidateCall per item, not here.
Result<CallsRequest> DecodeCallsRequest(std::string_view json,
                                        std::size_t maxCalls = kMaxCallsPerRequest);
Result<CallsReceipt> DecodeCallsReceipt(std::string_view json);
// The staff bodies are checked completely (by 1..64 bytes without control characters, a known
// outcome, note at most 500 bytes).
Result<CallAck> DecodeCallAck(std::string_view json);
Result<CallClose> DecodeCallClose(std::string_view json);
Result<CallRecord> DecodeCallRecord(std::string_view json);
Result<CallList> DecodeCallList(std::string_view json);

// Checks one decoded call's values: response_id a UUIDv7, scale 4 or 5, rating within 1..scale,
// tz offset within -720..840 min, short identifiers without NUL. nullopt when valid, otherwise
// an ErrorBody with a per-item code (invalid_scale, rating_out_of_scale, invalid_item).
std::optional<ErrorBody> ValidateCall(const Call& call);

}  // namespace fk::protocol
