#include "core/RepMode.h"

namespace fk::core {

std::string to_string(RepMode mode) {
    switch (mode) {
        case RepMode::Ask:
            return "ask";
        case RepMode::OnDuty:
            return "on_duty";
        case RepMode::Off:
            return "off";
    }
    return "?";
}

std::optional<RepMode> RepModeFromString(std::string_view text) {
    for (RepMode mode : {RepMode::Ask, RepMode::OnDuty, RepMode::Off}) {
        if (text == to_string(mode))
            return mode;
    }
    return std::nullopt;
}

}  // namespace fk::core
