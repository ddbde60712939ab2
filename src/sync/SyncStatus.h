#pragma once
// What the sync engine tells the rest of the kiosk: a plain value, copied out under a lock, so
// the UI can read it every frame without touching the network or the sync thread's database.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace fk::sync {

enum class SyncPhase {
    NotConfigured,  // no server url: the kiosk runs offline on purpose
    Idle,           // nothing pending, or all sent
    Sending,        // a batch is in flight
    Retrying,       // the last attempt failed for a reason that may pass; waiting to retry
    Stopped,        // needs staff: the token is missing/refused or the server rejects this kiosk
};
std::string to_string(SyncPhase phase);

struct SyncStatus {
    SyncPhase phase = SyncPhase::NotConfigured;
    std::int64_t pending = 0;  // closed responses not yet acknowledged by the server
    std::optional<core::UtcMs> oldestPendingCreatedAt;
    std::optional<core::UtcMs> lastSuccessAt;  // last batch, heartbeat or config the server took
    std::string lastError;                      // in words, empty when the last attempt worked
    std::int64_t rejected = 0;                  // rows the server refused, kept for staff
    std::optional<std::int64_t> serverAckedSeq;  // "the server has everything up to #N"
    std::optional<core::UtcMs> nextAttemptAt;
    bool tlsVerificationOff = false;  // shown to staff: somebody turned it off in the config
    std::uint64_t configGeneration = 0;  // bumps each time a new config arrives from the server
};

}  // namespace fk::sync
