#pragma once
// Bounds on what the server stores from a kiosk, beyond the protocol's own value checks
// (protocol::ValidateResponse): every stored number has a range in which the server's arithmetic
// (acked_seq + 1, created_at + tz offset, clock skew) cannot overflow, and every stored string a
// length. Pure functions; any thread.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/Response.h"
#include "protocol/Wire.h"

namespace fk::server {

struct StoreLimits {
    // 10^12: a kiosk taking 100 responses a second for 300 years stays below it.
    static constexpr std::int64_t kMaxSeq = 1'000'000'000'000;
    static constexpr std::int64_t kMaxTimeMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
    static constexpr std::int64_t kMaxAgeMs = 100LL * 366 * 86'400'000;
    static constexpr std::size_t kMaxVersionBytes = 64;
    static constexpr std::size_t kMaxLastErrorBytes = 1024;  // longer: cut (at a UTF-8 boundary)
    static constexpr std::size_t kMaxAlertBytes = 512;       // longer: cut (at a UTF-8 boundary)
};

// A batch item the protocol accepts but the server would not store: seq above kMaxSeq, a time
// outside 0..kMaxTimeMs. nullopt when storable; otherwise the per-item error (invalid_item).
std::optional<protocol::ErrorBody> CheckStorable(const core::Response& response);

// A heartbeat's values: numbers out of range, a version over kMaxVersionBytes or a NUL in a
// string give the 400 error to answer (invalid_value, saying which field and its limit);
// last_error and alert longer than their caps are cut to them (a long error message must not
// cost the kiosk its heartbeat).
std::optional<protocol::ErrorBody> CheckHeartbeat(protocol::Heartbeat& heartbeat);

}  // namespace fk::server
