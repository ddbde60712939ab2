#pragma once
// Help calls in the server database (issue 16): the calls, their durable outbox (one row per event
// and destination, written in the same transaction as the event, so a crash can lose neither) and
// the webhook destinations. One interface, two implementations (SqliteCallStore on the backend's
// writer connection, PgCallStore on its pool); Backend::Calls() hands out the backend's.
// Thread-safe. Database failures throw BackendError(Database); not found is a return value.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Clock.h"
#include "protocol/Calls.h"

namespace fk::server {

// Misuse rule name stored on calls folded into an earlier open call of the same kiosk.
inline constexpr std::string_view kCallBurstRule = "call_burst";

struct CallQuery {
    std::optional<std::string> storeId;  // nullopt: every store
    bool openOnly = true;                // open or acknowledged, not folded, not closed
    core::UtcMs fromMs = 0;              // received_at within [fromMs, toMs)
    core::UtcMs toMs = 0;
    std::size_t limit = protocol::kMaxCallsListed;
};

// One pending delivery of the outbox.
struct OutboxItem {
    std::int64_t id = 0;
    std::string eventKey;     // "call:<response_id>", "escalation:<response_id>", "alert:<...>"
    std::string destination;  // "webhook:<webhook id>" or "email"
    std::string body;         // the event as JSON (what a webhook receives)
    int attempts = 0;         // failed attempts so far
};

struct WebhookRecord {
    std::string id;
    std::optional<std::string> storeId;  // nullopt: every store
    std::string url;
    std::string secret;  // HMAC-SHA256 key (hex text), shown once by add-webhook
};

// What to enqueue for an event: the webhooks of the store (and the all-stores ones) are read in
// the same transaction; e-mail when the server has SMTP settings.
struct EventSpec {
    std::string key;      // unique per event; (key, destination) is enqueued at most once
    std::string storeId;  // whose webhooks
    std::string body;     // JSON
    bool email = false;
};

class CallStore {
  public:
    virtual ~CallStore() = default;

    enum class InsertKind { Accepted, Duplicate, Folded };
    struct InsertResult {
        InsertKind kind = InsertKind::Accepted;
        std::optional<std::string> foldedInto;  // Folded: the open call it was counted on
    };
    // In one transaction: a known response_id is Duplicate (nothing changes); a call of a kiosk
    // that has an open, unfolded call received within burstWindowMs before it is Folded into that
    // one (stored with misuse call_burst and folded_into, the open call's repeats + 1, no event);
    // otherwise Accepted, and unless the call carries a misuse flag, `event` is enqueued.
    virtual InsertResult Insert(const protocol::CallRecord& record, core::UtcMs burstWindowMs,
                                const EventSpec& event) = 0;
    virtual std::optional<protocol::CallRecord> Find(const std::string& responseId) = 0;
    // Newest first, without folded calls.
    virtual std::vector<protocol::CallRecord> List(const CallQuery& query) = 0;
    // First writer wins; a repeat leaves the call as it is. nullopt: no such call.
    virtual std::optional<protocol::CallRecord> Ack(const std::string& responseId,
                                                    const std::string& by, core::UtcMs now) = 0;
    // Also acknowledges a call nobody acknowledged. First close wins.
    virtual std::optional<protocol::CallRecord> Close(const std::string& responseId,
                                                      const protocol::CallClose& close,
                                                      core::UtcMs now) = 0;

    // Enqueues an event for its destinations (ON CONFLICT DO NOTHING); returns rows added.
    virtual int Enqueue(const EventSpec& event, core::UtcMs now) = 0;
    // Open calls, unacknowledged, not folded, not misuse-flagged, not yet escalated, received at
    // or before `receivedBefore`; at most limit.
    virtual std::vector<protocol::CallRecord> DueEscalations(core::UtcMs receivedBefore,
                                                             std::size_t limit) = 0;
    virtual void MarkEscalated(const std::string& responseId, core::UtcMs now) = 0;

    // Undelivered, not given up, next attempt at or before now; oldest first.
    virtual std::vector<OutboxItem> DueDeliveries(core::UtcMs now, std::size_t limit) = 0;
    // Takes a due item for this process until `until`: a sender that dies mid-delivery leaves it
    // due again then. false: another sender (process) took it first.
    virtual bool Claim(std::int64_t id, core::UtcMs now, core::UtcMs until) = 0;
    virtual void MarkDelivered(std::int64_t id, core::UtcMs now) = 0;
    // A failed attempt: attempts + 1, the next try at nextAt, or given up (kept for inspection).
    virtual void MarkFailed(std::int64_t id, core::UtcMs nextAt, const std::string& error,
                            bool giveUp) = 0;
    // Deliveries of one event key (tests, inspection): destination -> delivered.
    struct DeliveryState {
        std::string destination;
        int attempts = 0;
        bool delivered = false;
        bool gaveUp = false;
    };
    virtual std::vector<DeliveryState> Deliveries(const std::string& eventKey) = 0;

    virtual void AddWebhook(const WebhookRecord& webhook, core::UtcMs now) = 0;
    virtual std::optional<WebhookRecord> FindWebhook(const std::string& id) = 0;
};

// The outbox body and key of a new call's event: {"event": "call", "call": record}.
EventSpec CallEvent(const protocol::CallRecord& record, bool email);
// A call nobody acknowledged within escalate_after_s: {"event": "escalation", "call": record}.
EventSpec EscalationEvent(const protocol::CallRecord& record, bool email);
// A store alert rule firing (a kiosk's heartbeat alert that was not set before):
// {"event": "alert", "store_id", "kiosk_id", "alert", "at"}.
EventSpec AlertEvent(const std::string& storeId, const std::string& kioskId,
                     const std::string& alert, core::UtcMs at, bool email);

}  // namespace fk::server
