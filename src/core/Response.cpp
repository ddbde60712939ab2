#include "core/Response.h"

namespace fk::core {

std::string to_string(SyncState state) {
    switch (state) {
        case SyncState::Pending: return "pending";
        case SyncState::Sent: return "sent";
        case SyncState::Rejected: return "rejected";
    }
    return "unknown";
}

std::optional<SyncState> SyncStateFromString(std::string_view text) {
    if (text == "pending") return SyncState::Pending;
    if (text == "sent") return SyncState::Sent;
    if (text == "rejected") return SyncState::Rejected;
    return std::nullopt;
}

std::string to_string(CloseReason reason) {
    switch (reason) {
        case CloseReason::ThankYou: return "thank_you";
        case CloseReason::IdleTimeout: return "idle_timeout";
        case CloseReason::Recovered: return "recovered";
    }
    return "unknown";
}

}  // namespace fk::core
