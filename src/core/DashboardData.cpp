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

DashboardData StartDashboard(const Period& period, RatingScale scale) {
    DashboardData data;
    data.period = period;
    data.scale = scale;
    data.total.tally = RepTally(scale);
    const std::int64_t firstDay = DaysFromCivil(period.firstDay);
    const std::int64_t days = std::max<std::int64_t>(0, period.Days());
    data.trend.resize(static_cast<std::size_t>(days));
    for (std::int64_t i = 0; i < days; ++i) {
        auto& d = data.trend[static_cast<std::size_t>(i)];
        d.day = CivilFromDays(firstDay + i);
        d.counts = RatingCounts{scale};
    }
    for (auto& row : data.heatmap)
        for (auto& cell : row)
            cell.counts = RatingCounts{scale};
    return data;
}

void FinishDashboard(DashboardData& data, std::int64_t minN, std::int64_t heatmapMinN,
                     const std::vector<const ReasonPolicy*>& policies) {
    std::sort(data.reps.begin(), data.reps.end(),
              [](const DashboardRepRow& a, const DashboardRepRow& b) { return a.repId < b.repId; });
    data.total.tally = RepTally(data.scale);
    data.total.otherScale = 0;
    for (auto& row : data.reps) {
        row.summary = SummarizeRep(row.tally, minN);
        data.total.tally.Merge(row.tally);
        data.total.otherScale += row.otherScale;
    }
    data.total.summary = SummarizeRep(data.total.tally, minN);
    for (auto& d : data.trend)
        d.summary = Summarize(d.counts, minN);
    for (auto& row : data.heatmap)
        for (auto& cell : row)
            cell.score100 = Summarize(cell.counts, heatmapMinN).score100;
    data.reasons.clear();
    for (const auto& [code, n] : data.total.tally.reasons) {
        ReasonRow r{code, n, false, false};
        for (const ReasonPolicy* policy : policies) {
            r.known = r.known || policy->Knows(code);
            r.attributableToRep = r.attributableToRep || policy->IsAttributable(code);
        }
        data.reasons.push_back(r);
    }
    std::sort(data.reasons.begin(), data.reasons.end(), [](const ReasonRow& a, const ReasonRow& b) {
        return a.count != b.count ? a.count > b.count : a.code < b.code;
    });
}

}  // namespace fk::core
