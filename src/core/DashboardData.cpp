#include "core/DashboardData.h"

#include <algorithm>

namespace fk::core {

void SortRepRows(std::vector<DashboardRepRow>& rows, RepColumn column, bool descending) {
    // nullopt: no value for this row (not enough data): sorts last either way.
    auto key = [column](const DashboardRepRow& r) -> std::optional<double> {
        const auto& s = r.summary;
        switch (column) {
            case RepColumn::Rep:
                return 0.0;
            case RepColumn::Responses:
                return static_cast<double>(s.fair.responses);
            case RepColumn::Satisfaction:
                return s.fair.satisfactionPct;
            case RepColumn::Score:
                return s.fair.score100;
            case RepColumn::WilsonLower:
                return s.fair.wilsonLowerPct;
            case RepColumn::NotAboutRep:
                return static_cast<double>(s.notAboutRep);
            case RepColumn::AgainstRep:
                return static_cast<double>(s.againstRep);
            case RepColumn::Misuse:
                return static_cast<double>(s.misuse);
        }
        return std::nullopt;
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const DashboardRepRow& a, const DashboardRepRow& b) {
                         if (column == RepColumn::Rep)
                             return descending ? b.repId < a.repId : a.repId < b.repId;
                         const auto ka = key(a);
                         const auto kb = key(b);
                         if (ka.has_value() != kb.has_value())
                             return ka.has_value();
                         if (ka && *ka != *kb)
                             return descending ? *ka > *kb : *ka < *kb;
                         return a.repId < b.repId;
                     });
}

}  // namespace fk::core
