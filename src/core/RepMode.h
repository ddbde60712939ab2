#pragma once
// Who a rating is attributed to, shared by the kiosk configuration and the customer flow (one
// type, one spelling). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace fk::core {

enum class RepMode {
    Ask,     // "Who helped you?" tiles with the active reps, and Skip
    OnDuty,  // no picker; the rep signed in at this kiosk is attributed
    Off,     // no rep step
};
std::string to_string(RepMode mode);  // "ask", "on_duty", "off" (the TOML spelling)
std::optional<RepMode> RepModeFromString(std::string_view text);

}  // namespace fk::core
