#pragma once
// What a manager dashboard shows for one period, as plain values: per-rep rows with fair numbers
// (core/RepStats.h), the whole store, a daily trend, an hour x weekday heatmap and the reasons
// breakdown. storage::Dashboard fills it from the kiosk's store; ui's manager screens draw it;
// the server can build the same from its own rows. Pure values and functions; thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Period.h"
#include "core/RepStats.h"
#include "core/TimeFormat.h"

namespace fk::core {

struct DashboardRepRow {
    std::optional<std::string> repId;  // nullopt: no representative chosen
    RepTally tally;
    RepSummary summary;  // summary.fair is the rep's number; raw for comparison
    std::int64_t otherScale = 0;
};

struct DashboardDay {
    CivilDate day;  // local
    RatingCounts counts;
    RatingSummary summary;
};

struct HeatCell {
    RatingCounts counts;             // volume = counts.Total()
    std::optional<double> score100;  // nullopt below heatmapMinResponses
};

struct ReasonRow {
    std::string code;
    std::int64_t count = 0;
    bool known = false;
    bool attributableToRep = false;
};

struct DashboardData {
    Period period;
    RatingScale scale;
    std::vector<DashboardRepRow> reps;  // by rep id, "no rep" first; sorting is the screen's
    DashboardRepRow total;              // the whole store (repId nullopt)
    std::vector<DashboardDay> trend;    // one per local day of the period, in order
    // [weekday][hour], local time; weekday 0 = Monday.
    std::array<std::array<HeatCell, 24>, 7> heatmap{};
    std::vector<ReasonRow> reasons;  // by count, descending, then code
    std::int64_t rowsScanned = 0;    // including misuse and other-scale rows
};

// Sorting the per-rep table by a column (pure; the screen calls it on a click). For the metric
// columns, rows with "not enough data" go last in both directions, so a rep with 3 ratings is
// never shown as the best or the worst; ties fall back to rep id ascending ("no rep" first).
enum class RepColumn {
    Rep,
    Responses,
    Satisfaction,
    Score,
    WilsonLower,
    NotAboutRep,
    AgainstRep,
    Misuse
};
inline constexpr RepColumn kDefaultRepColumn = RepColumn::WilsonLower;  // descending
void SortRepRows(std::vector<DashboardRepRow>& rows, RepColumn column, bool descending);

// The one dashboard builder, shared by the kiosk's storage::Dashboard and the server's reports.
// Start: the period and scale set, one trend day per local day of the period, every count at
// zero. The caller then adds its rows' counts (reps[].tally and otherScale, trend[].counts,
// heatmap[][].counts, rowsScanned), and Finish computes the rest: reps sorted by id, each rep's
// and the total's summary, the trend's and the heatmap's numbers, and the reasons (known /
// attributable when any of the policies says so), by count.
DashboardData StartDashboard(const Period& period, RatingScale scale);
void FinishDashboard(DashboardData& data, std::int64_t minN, std::int64_t heatmapMinN,
                     const std::vector<const ReasonPolicy*>& policies);

}  // namespace fk::core
