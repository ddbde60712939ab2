#include "core/Response.h"

namespace fk::core {

std::string to_string(SyncState state) {
    switch (state) {
        case SyncState::Pending:
            return "pending";
        case SyncState::Sent:
            return "sent";
        case SyncState::Rejected:
            return "rejected";
    }
    return "unknown";
}

std::optional<SyncState> SyncStateFromString(std::string_view text) {
    if (text == "pending")
        return SyncState::Pending;
    if (text == "sent")
        return SyncState::Sent;
    if (text == "rejected")
        return SyncState::Rejected;
    return std::nullopt;
}

std::string to_string(CloseReason reason) {
    switch (reason) {
        case CloseReason::ThankYou:
            return "thank_you";
        case CloseReason::IdleTimeout:
            return "idle_timeout";
        case CloseReason::Recovered:
            return "recovered";
    }
    return "unknown";
}

std::optional<CloseReason> CloseReasonFromString(std::string_view text) {
    if (text == "thank_you")
        return CloseReason::ThankYou;
    if (text == "idle_timeout")
        return CloseReason::IdleTimeout;
    if (text == "recovered")
        return CloseReason::Recovered;
    return std::nullopt;
}

std::string to_string(HelpAnswer answer) {
    return answer == HelpAnswer::Yes ? "yes" : "no";
}

std::optional<HelpAnswer> HelpAnswerFromString(std::string_view text) {
    if (text == "yes")
        return HelpAnswer::Yes;
    if (text == "no")
        return HelpAnswer::No;
    return std::nullopt;
}

}  // namespace fk::core
