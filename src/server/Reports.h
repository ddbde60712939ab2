#pragma once
// The server's reports, on the kiosk's definitions: the backend gives grouped counts by local day
// (and hour), and this file turns them into core::DashboardData with core::RepTally /
// core::SummarizeRep, exactly as storage::Dashboard does on the kiosk, so a rep's fair numbers are
// the same wherever they are read. Also the stores overview, the fleet and the JSON/CSV encoders
// of every report endpoint (docs/API.md).
//
// Per store, the reason policy (which reasons are about the rep) and the rating scale come from
// the config the server pushes to the store's kiosks (set-config); with no config, every reason is
// unknown (kept against the rep, like the kiosk) and the scale is the one most rows use.
// Pure functions apart from the Backend calls; thread-safe as the Backend is. Backend failures
// throw BackendError.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/DashboardData.h"
#include "core/Period.h"
#include "core/RepStats.h"
#include "protocol/Wire.h"
#include "server/Backend.h"

namespace fk::server {

// A report request after parsing (ParseReportParams).
struct ReportRequest {
    std::optional<std::string> storeId;  // nullopt: every store the token may read
    core::PeriodKind kind = core::PeriodKind::Last7Days;
    core::CivilDate from;  // local, inclusive
    core::CivilDate to;    // local, inclusive
    std::int64_t minN = core::kDefaultMinN;
    std::int64_t heatmapMinN = core::kDefaultHeatmapMinN;
};

// Query parameters as given (name -> value).
using QueryParams = std::map<std::string, std::string>;
struct ParseResult {
    std::optional<ReportRequest> request;
    std::optional<protocol::ErrorBody> error;  // code missing_parameter / invalid_parameter
};
// period=today|7d|30d, or from=YYYY-MM-DD&to=YYYY-MM-DD (both), default 7d; min_n (1..100000,
// default 20). "today" is the local date of `now` at tzOffsetMin, the store's zone.
ParseResult ParseReportParams(const QueryParams& params, core::UtcMs now, int tzOffsetMin);

// What a store's config says about reports.
struct StorePolicy {
    core::ReasonPolicy reasons;
    std::optional<int> scale;  // nullopt: no config
};
StorePolicy PolicyFromConfig(const std::optional<ConfigRecord>& config);

// The pure part: grouped counts to dashboard values. policies by store id (a store missing from the
// map has the default policy): each count is judged by its survey version's policy
// (core::PolicyHistory); scale: the one the numbers are on (rows on others: otherScale).
// repCounts (by rep; days may be summed) give the rep rows, the total and the reasons;
// storeDays (by store and day) the trend; hours the heatmap. Any may be empty.
core::DashboardData BuildDashboard(const ReportRequest& request, core::RatingScale scale,
                                   const std::map<std::string, core::PolicyHistory>& policies,
                                   const std::vector<DayCount>& repCounts,
                                   const std::vector<DayCount>& storeDays,
                                   const std::vector<HourCount>& hours);

// The whole thing for one store (or every store): loads policies, picks the scale, queries only
// the parts asked for.
enum ReportPart : unsigned { kRepPart = 1, kTrendPart = 2, kHeatPart = 4, kAllParts = 7 };
core::DashboardData LoadDashboard(Backend& backend, const ReportRequest& request,
                                  unsigned parts = kAllParts);

// Stores overview: each store's totals for the period and for the period just before it.
struct StoreOverview {
    StoreRecord store;
    core::RepSummary current;
    core::RepSummary previous;
    ReportRequest period;                 // the dates current counts (the store's own calendar)
    std::optional<int> tzOffsetMin;       // the zone they are in (nullopt: no response yet)
    std::optional<std::string> timeZone;  // the store's IANA zone (nullopt: none set)
    std::int64_t kiosks = 0;
    std::int64_t staleKiosks = 0;
    std::int64_t alerts = 0;  // kiosks whose last heartbeat carried an alert
    // The store-level alert over every till (server/StoreAlerts.h) current now, if any.
    std::optional<StoreAlertRecord> storeAlert;
};

// One kiosk in the fleet view.
struct FleetRow {
    protocol::KioskStatus status;
    bool stale = false;
    std::string staleWhy;  // "no heartbeat for 3 h", "backlog older than a day"
};
inline constexpr core::UtcMs kBacklogStaleMs = 24LL * 3600 * 1000;
// Stale: no contact (heartbeat or batch) for staleAfterMs, never seen, or the oldest pending
// response reported older than a day.
FleetRow MakeFleetRow(protocol::KioskStatus status, core::UtcMs now, core::UtcMs staleAfterMs);
// Fills each status's survey definition versions (running, latest, behind for over an hour).
void AddSurveyVersions(Backend& backend, std::vector<protocol::KioskStatus>& statuses,
                       core::UtcMs now);
std::vector<FleetRow> LoadFleet(Backend& backend, const std::optional<std::string>& storeId,
                                core::UtcMs now, core::UtcMs staleAfterMs);

// A store's own period: "today", 7d and 30d are that store's calendar days (the zone of its
// newest response), not another store's. Stores missing from ownPeriods use `request`.
struct StorePeriod {
    ReportRequest request;
    std::optional<int> tzOffsetMin;       // nullopt: the store has no response yet
    std::optional<std::string> timeZone;  // its IANA zone, where head office set one
};
std::vector<StoreOverview> LoadStoresOverview(
    Backend& backend, const ReportRequest& request, const std::vector<StoreRecord>& stores,
    core::UtcMs now, core::UtcMs staleAfterMs,
    const std::map<std::string, StorePeriod>& ownPeriods = {});

// Display names from the store's config: roster names by rep id, reason labels by code and
// language. Empty for all stores or without a config.
struct StoreDirectory {
    std::optional<std::string> storeId;  // the store it names (nullopt: every store)
    std::map<std::string, std::string> repNames;
    std::map<std::string, std::map<std::string, std::string>> reasonLabels;
    // Rep id -> the person head office linked it to (server/RepLinks.h); unlinked ids are absent.
    std::map<std::string, std::string> people;
};
StoreDirectory LoadDirectory(Backend& backend, const std::optional<std::string>& storeId);

// The all-stores reps report's rows, store by store: one person's id in two stores stays two
// rows (keyed by store and rep), each named from its own store's roster.
struct StoreReps {
    std::string storeId;
    core::DashboardData data;  // that store's reps only
    StoreDirectory directory;
};
std::vector<StoreReps> LoadRepsByStore(Backend& backend, const ReportRequest& request);

// Encoders. JSON numbers of the fair metrics are unrounded (the page rounds); the legacy fields of
// /reports/reps (csat, score) keep their 0.1 rounding. CSVs start with a UTF-8 BOM and go through
// core::CsvWriter (formula-injection guard).
// With byStore (an all-stores request) the rows are those stores' rows, each with its store;
// data still gives the total and the scale.
std::string RepsJson(const ReportRequest& request, const core::DashboardData& data,
                     const StoreDirectory& directory = {},
                     const std::vector<StoreReps>* byStore = nullptr);
std::string RepsCsv(const core::DashboardData& data, const StoreDirectory& directory = {},
                    const std::vector<StoreReps>* byStore = nullptr);
std::string ReasonsJson(const ReportRequest& request, const core::DashboardData& data,
                        const StoreDirectory& directory = {});
std::string ReasonsCsv(const core::DashboardData& data);
std::string TrendJson(const ReportRequest& request, const core::DashboardData& data);
std::string TrendCsv(const core::DashboardData& data);
std::string HeatmapJson(const ReportRequest& request, const core::DashboardData& data);
std::string HeatmapCsv(const core::DashboardData& data);
std::string StoresJson(const ReportRequest& request, const std::vector<StoreOverview>& stores);
std::string StoresCsv(const std::vector<StoreOverview>& stores);
std::string FleetJson(const std::vector<FleetRow>& fleet, core::UtcMs now,
                      core::UtcMs staleAfterMs);
std::string FleetCsv(const std::vector<FleetRow>& fleet, core::UtcMs now);

}  // namespace fk::server
