#pragma once
// Read side of the kiosk's store for manager mode: everything the dashboard shows for a period, in
// one range scan of the responses_dashboard covering index (migration 3), plus the alert window
// and the rows for CSV export. Its own read-only connection (PRAGMA query_only) on
// <dataDir>/responses.db; in WAL mode it never blocks the taps and sees each committed tap.
//
// Local time: a row's local day, hour and weekday come from the offset stored with it
// (tz_offset_min, the kiosk's offset when the customer tapped), so a row is placed where the kiosk
// showed it. The period comes from core::Period with the same Clock offsets. A row inside the
// period's UTC interval whose own offset puts it on a local day outside the period (the zone rules
// changed under the kiosk) counts in the table and totals but not in the trend.
//
// Scale: numbers are on one rating scale (the survey's). Rows on another scale (the survey was
// switched between 4 and 5 faces inside the period) are counted in otherScale and left out.
// Reason policy: per response, the policy of the survey version it was taken under (issue 17).
// Misuse rows are counted in their own column (RepTally::misuse) and left out of every number.
//
// Thread affinity: one thread at a time (the UI thread in the kiosk). Ownership: owns its
// connection. Failure: throws StoreError (Other when the store was never opened by the kiosk or
// its schema is older than migration 3; Corrupt/Io/Busy as ResponseStore).

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Alerts.h"
#include "core/DashboardData.h"
#include "core/Period.h"
#include "core/RepStats.h"
#include "core/Response.h"

namespace fk::storage {

struct DashboardRequest {
    core::Period period;
    core::RatingScale scale;
    std::int64_t minResponses =
        core::kDefaultMinN;  // per rep and per day: below it, "not enough data"
    std::int64_t heatmapMinResponses = core::kDefaultHeatmapMinN;  // per hour x weekday cell
    bool useCache = true;  // false: scan every day of the period (benchmarks, cross-checks)
};

using core::DashboardData;
using core::DashboardDay;
using core::DashboardRepRow;
using core::HeatCell;
using core::kDefaultRepColumn;
using core::ReasonRow;
using core::RepColumn;
using core::SortRepRows;

class Dashboard {
  public:
    // Opens <dataDir>/responses.db read-only. The kiosk's ResponseStore must have created and
    // migrated it. The clock (kept by reference, must outlive the Dashboard) gives "now" and the
    // local day boundaries of the cache.
    static std::unique_ptr<Dashboard> Open(const std::filesystem::path& dataDir,
                                           const core::Clock& clock);
    ~Dashboard();
    Dashboard(const Dashboard&) = delete;
    Dashboard& operator=(const Dashboard&) = delete;

    // policy is the current reason policy: each response taken under a survey definition version
    // whose policy the store recorded (ResponseStore::RecordPolicy) is judged by that version's
    // policy instead, a response with no version by `policy` (core::PolicyHistory).
    // Sealed days (ended more than kSealMarginMs ago and before the oldest open row) are
    // reduced once and cached in memory per local day (about 50 reps x a few reasons each), so a
    // period switch scans only today and days never seen; the cache is dropped when the scale or
    // reason policy changes or a row appears in a sealed day (wall clock stepped back).
    // Trade-off: memory (~10-20 KB per cached day) for a period switch that does not grow with
    // the period; the first load of a long period pays the full scan once.
    DashboardData Load(const DashboardRequest& request, const core::ReasonPolicy& policy);
    static constexpr core::UtcMs kSealMarginMs = 60 * 60 * 1000;
    std::size_t CachedDays() const;

    // Rows created in (now - rule.windowMs, now], for core::EvaluateAlert.
    std::vector<core::AlertSample> RecentSamples(core::UtcMs from, core::UtcMs to);
    core::AlertState EvaluateAlert(const core::AlertRule& rule, core::UtcMs now);

    std::int64_t CountResponses(core::UtcMs from, core::UtcMs to);
    // Every response created in [from, to), in created_at order (then seq). The visitor returns
    // false to stop. One read snapshot; do not call other methods from the visitor.
    void ForEachResponse(core::UtcMs from, core::UtcMs to,
                         const std::function<bool(const core::Response&)>& visitor);

    const std::filesystem::path& DatabasePath() const;

  private:
    struct Impl;
    explicit Dashboard(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace fk::storage
