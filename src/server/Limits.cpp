#include "server/Limits.h"

#include <string>

namespace fk::server {

namespace {

std::optional<protocol::ErrorBody> Invalid(std::string_view code, std::string message) {
    return protocol::ErrorBody{std::string(code), std::move(message)};
}

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
void CutUtf8(std::string& s, std::size_t max) {
    if (s.size() <= max)
        return;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    s.resize(end);
}

bool HasNul(const std::optional<std::string>& s) {
    return s && s->find('\0') != std::string::npos;
}

}  // namespace

std::optional<protocol::ErrorBody> CheckStorable(const core::Response& r) {
    namespace pc = protocol::code;
    if (r.seq > StoreLimits::kMaxSeq) {
        return Invalid(pc::kInvalidItem, "seq " + std::to_string(r.seq) +
                                             " is above the server's limit of " +
                                             std::to_string(StoreLimits::kMaxSeq) +
                                             "; the kiosk's sequence counter is corrupt");
    }
    auto badTime = [](std::int64_t ms) { return ms < 0 || ms > StoreLimits::kMaxTimeMs; };
    if (badTime(r.createdAtMs) || (r.closedAtMs && badTime(*r.closedAtMs))) {
        return Invalid(
            pc::kInvalidItem,
            "created_at and closed_at must be between 1970 and 9999; check the kiosk's clock");
    }
    return std::nullopt;
}

std::optional<protocol::ErrorBody> CheckHeartbeat(protocol::Heartbeat& hb) {
    namespace pc = protocol::code;
    if (hb.pending < 0 || hb.pending > StoreLimits::kMaxSeq) {
        return Invalid(pc::kInvalidValue, "pending must be 0.." +
                                              std::to_string(StoreLimits::kMaxSeq) + ", got " +
                                              std::to_string(hb.pending));
    }
    if (hb.oldestPendingAgeMs &&
        (*hb.oldestPendingAgeMs < 0 || *hb.oldestPendingAgeMs > StoreLimits::kMaxAgeMs)) {
        return Invalid(pc::kInvalidValue, "oldest_pending_age_ms must be 0.." +
                                              std::to_string(StoreLimits::kMaxAgeMs) +
                                              " (100 years), got " +
                                              std::to_string(*hb.oldestPendingAgeMs));
    }
    if (hb.clock < 0 || hb.clock > StoreLimits::kMaxTimeMs) {
        return Invalid(pc::kInvalidValue,
                       "clock must be between 1970 and 9999; check the kiosk's clock");
    }
    if (hb.version.size() > StoreLimits::kMaxVersionBytes) {
        return Invalid(pc::kInvalidValue,
                       "version is " + std::to_string(hb.version.size()) + " bytes; at most " +
                           std::to_string(StoreLimits::kMaxVersionBytes) + " are stored");
    }
    if (HasNul(hb.version) || HasNul(hb.lastError) || HasNul(hb.alert)) {
        return Invalid(pc::kInvalidValue,
                       "version, last_error and alert must not contain NUL (\\u0000)");
    }
    if (hb.lastError)
        CutUtf8(*hb.lastError, StoreLimits::kMaxLastErrorBytes);
    if (hb.alert)
        CutUtf8(*hb.alert, StoreLimits::kMaxAlertBytes);
    return std::nullopt;
}

}  // namespace fk::server
