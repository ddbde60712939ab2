#include "config/KioskConfig.h"

#include <algorithm>

namespace fk::config {

const std::string& Reason::Label(std::string_view language) const {
    static const std::string kEmpty;
    if (auto it = labels.find(std::string(language)); it != labels.end()) {
        return it->second;
    }
    if (auto it = labels.find("en"); it != labels.end()) {
        return it->second;
    }
    return labels.empty() ? kEmpty : labels.begin()->second;
}

bool SurveyConfig::AsksReasonFor(int rating) const {
    return std::find(askReasonFor.begin(), askReasonFor.end(), rating) != askReasonFor.end();
}

bool HelpConfig::OffersFor(int rating) const {
    return std::find(offerFor.begin(), offerFor.end(), rating) != offerFor.end();
}

bool OpeningHours::IsOpen(int weekday, int minuteOfDay) const {
    if (always) {
        return true;
    }
    if (weekday < 0 || weekday >= static_cast<int>(week.size())) {
        return false;
    }
    const auto& ranges = week[static_cast<std::size_t>(weekday)];
    return std::any_of(ranges.begin(), ranges.end(), [minuteOfDay](const TimeRange& range) {
        return minuteOfDay >= range.openMin && minuteOfDay < range.closeMin;
    });
}

const Rep* KioskConfig::FindRep(std::string_view id) const {
    auto it =
        std::find_if(roster.begin(), roster.end(), [id](const Rep& rep) { return rep.id == id; });
    return it == roster.end() ? nullptr : &*it;
}

const Reason* KioskConfig::FindReason(std::string_view code) const {
    auto it = std::find_if(reasons.begin(), reasons.end(),
                           [code](const Reason& reason) { return reason.code == code; });
    return it == reasons.end() ? nullptr : &*it;
}

std::vector<Rep> KioskConfig::ActiveReps() const {
    std::vector<Rep> active;
    std::copy_if(roster.begin(), roster.end(), std::back_inserter(active),
                 [](const Rep& rep) { return rep.active; });
    return active;
}

}  // namespace fk::config
