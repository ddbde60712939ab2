#pragma once
// What the sync engine tells the rest of the kiosk: a plain value, copied out under a lock, so
// the UI can read it every frame without touching the network or the sync thread's database.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Clock.h"
#include "protocol/Wire.h"

namespace fk::sync {

enum class SyncPhase {
    NotConfigured,  // no server url: the kiosk runs offline on purpose
    Idle,           // nothing pending, or all sent
    Sending,        // a batch is in flight
    Retrying,       // the last attempt failed for a reason that may pass; waiting to retry
    // Needs staff: the token is missing/refused, the server rejects this kiosk, or a proxy
    // refuses even one response as too large (retried now and then).
    Stopped,
};
std::string to_string(SyncPhase phase);

struct SyncStatus {
    SyncPhase phase = SyncPhase::NotConfigured;
    std::int64_t pending = 0;  // closed responses not yet acknowledged by the server
    std::optional<core::UtcMs> oldestPendingCreatedAt;
    std::optional<core::UtcMs> lastSuccessAt;    // last batch, heartbeat or config the server took
    std::string lastError;                       // in words, empty when the last attempt worked
    std::int64_t rejected = 0;                   // rows the server refused, kept for staff
    std::optional<std::int64_t> serverAckedSeq;  // "the server has everything up to #N"
    std::optional<core::UtcMs> nextAttemptAt;
    bool tlsVerificationOff = false;     // shown to staff: somebody turned it off in the config
    std::uint64_t configGeneration = 0;  // bumps each time a new config arrives from the server
    // The survey definition version the kiosk runs (nullopt: its kiosk.toml's fallback survey),
    // and when the server last said which is newest (200 or 304): staff see "not checked for
    // over an hour" on the Sync tab.
    std::optional<std::int64_t> configVersion;
    std::optional<core::UtcMs> configCheckedAt;
    // A damaged local store was set aside: rows salvaged from it, seqs lost with it (reported to
    // the server as lost; lostUnreported of them not yet).
    std::int64_t salvaged = 0;
    std::int64_t lost = 0;
    std::int64_t lostUnreported = 0;
    // Rows sent again because the server had lost them (restored from an older backup), since
    // start.
    std::int64_t resentAfterServerLoss = 0;
    // When this kiosk last compared its rows with the server's acked_seq/max_seq (a receipt or a
    // heartbeat answer) and re-queued what the server lacked: "in step with the server" since.
    std::optional<core::UtcMs> serverViewAt;
    // Calls for help (issue 16) waiting in the outbox; the last one the server took.
    std::int64_t pendingCalls = 0;
    std::optional<core::UtcMs> lastCallSentAt;
    // The store-level alert (issue 18: the rule over every till, kept by the server) from the last
    // heartbeat answer, and when that answer came (nullopt alert: none then).
    std::optional<protocol::StoreAlert> storeAlert;
    std::optional<core::UtcMs> storeAlertAsOf;
};

// True when the kiosk syncs and has not heard from the server which survey is newest for over an
// hour (manager mode's Sync tab warns).
bool ConfigStale(const SyncStatus& status, core::UtcMs now);
// The salvage and re-send numbers in words for staff, empty when there is nothing to say.
std::string DescribeRecovery(const SyncStatus& status);
// Calls for help still waiting to leave the kiosk, in words for staff; empty when none.
std::string DescribeCalls(const SyncStatus& status);

}  // namespace fk::sync
