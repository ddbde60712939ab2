#include "server/Reports.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/Calendar.h"
#include "core/Csv.h"
#include "core/TimeFormat.h"

namespace fk::server {

namespace {

using Json = nlohmann::ordered_json;
using core::FloorDiv;
using core::kMsPerDay;

protocol::ErrorBody Missing(std::string message) {
    return {std::string(protocol::code::kMissingParameter), std::move(message)};
}
protocol::ErrorBody Invalid(std::string message) {
    return {std::string(protocol::code::kInvalidParameter), std::move(message)};
}

Json Opt(const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
}
Json OptStr(const std::optional<std::string>& v) {
    return v ? Json(*v) : Json(nullptr);
}
template <typename T>
Json OptNum(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}
double Round1(double v) {
    return std::round(v * 10) / 10;
}

std::string Dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json SummaryJson(const core::RatingSummary& s) {
    return Json{{"responses", s.responses},
                {"positive", s.positive},
                {"negative", s.negative},
                {"enough_data", s.enoughData},
                {"satisfaction_pct", Opt(s.satisfactionPct)},
                {"score100", Opt(s.score100)},
                {"wilson_lower_pct", Opt(s.wilsonLowerPct)}};
}

void AddPeriod(Json& j, const ReportRequest& r) {
    std::string kind = r.kind == core::PeriodKind::Today        ? "today"
                       : r.kind == core::PeriodKind::Last7Days  ? "7d"
                       : r.kind == core::PeriodKind::Last30Days ? "30d"
                                                                : "custom";
    j["period"] = kind;
    j["from"] = core::FormatIsoDate(r.from);
    j["to"] = core::FormatIsoDate(r.to);
    j["min_n"] = r.minN;
}

Json Header(const ReportRequest& r, const core::DashboardData& data) {
    Json j;
    j["store"] = OptStr(r.storeId);
    AddPeriod(j, r);
    j["scale"] = data.scale.Points();
    return j;
}

Json RepJson(const core::DashboardRepRow& row, bool withRep) {
    const auto& t = row.tally;
    const auto& s = row.summary;
    Json j;
    if (withRep)
        j["rep_id"] = OptStr(row.repId);
    // Legacy fields (protocol::RepStats): every non-misuse response, unadjusted.
    const std::int64_t n = t.all.Total();
    j["responses"] = n;
    j["negative"] = t.all.Count(core::Sentiment::Negative);
    j["neutral"] = t.all.Count(core::Sentiment::Neutral);
    j["positive"] = t.all.Count(core::Sentiment::Positive);
    j["misuse_excluded"] = t.misuse;
    const auto raw = core::Summarize(t.all, 1);
    j["csat"] = n > 0 ? Round1(raw.satisfactionPct.value_or(0)) : 0.0;
    j["score"] = n > 0 ? Round1(raw.score100.value_or(0)) : 0.0;
    // The fair numbers (core/RepStats.h).
    j["fair"] = SummaryJson(s.fair);
    j["raw"] = SummaryJson(s.raw);
    Json dist = Json::array();
    for (int r = 1; r <= t.all.scale.Points(); ++r)
        dist.push_back(t.all.byRating[static_cast<std::size_t>(r - 1)]);
    j["distribution"] = std::move(dist);
    j["not_about_rep"] = s.notAboutRep;
    j["against_rep"] = s.againstRep;
    j["negative_no_reason"] = s.negativeNoReason;
    j["unknown_reason"] = s.unknownReason;
    j["other_scale"] = row.otherScale;
    // The min_n rule on every per-rep figure (issue 20 item 5): a rep row below min_n keeps its
    // counts of responses and nothing that says how their customers rated them (null). The
    // total is the store's, never withheld.
    if (withRep) {
        const bool withheld = !s.fair.enoughData;
        j["withheld"] = withheld;
        if (withheld) {
            for (const char* key :
                 {"negative", "neutral", "positive", "csat", "score", "raw", "distribution",
                  "not_about_rep", "against_rep", "negative_no_reason", "unknown_reason"})
                j[key] = nullptr;
            j["fair"]["positive"] = nullptr;
            j["fair"]["negative"] = nullptr;
        }
    }
    return j;
}

std::string CsvOut(const std::function<void(core::CsvWriter&)>& body) {
    std::ostringstream out;
    core::CsvWriter w(out);
    w.WriteBom();
    body(w);
    return out.str();
}

void OptNumber(core::CsvWriter& w, const std::optional<double>& v) {
    if (v)
        w.Number(*v, 1);
    else
        w.Empty();
}

std::string AgeWords(core::UtcMs ms) {
    const std::int64_t minutes = ms / 60'000;
    if (minutes < 120)
        return std::to_string(minutes) + " min";
    if (minutes < 48 * 60)
        return std::to_string(minutes / 60) + " h";
    return std::to_string(minutes / (24 * 60)) + " d";
}

}  // namespace

ParseResult ParseReportParams(const QueryParams& params, core::UtcMs now, int tzOffsetMin) {
    ParseResult out;
    ReportRequest r;
    auto get = [&](const char* name) -> std::optional<std::string> {
        auto it = params.find(name);
        if (it == params.end())
            return std::nullopt;
        return it->second;
    };
    if (auto store = get("store"))
        r.storeId = *store;
    if (auto minN = get("min_n")) {
        try {
            std::size_t used = 0;
            long long v = std::stoll(*minN, &used);
            if (used != minN->size() || v < 1 || v > 100000)
                throw std::invalid_argument("range");
            r.minN = v;
        } catch (const std::exception&) {
            out.error =
                Invalid("min_n=" + *minN + " is not a whole number from 1 to 100000 (default " +
                        std::to_string(core::kDefaultMinN) + ")");
            return out;
        }
    }
    const std::int64_t today =
        FloorDiv(now + static_cast<std::int64_t>(tzOffsetMin) * 60'000, kMsPerDay);
    auto from = get("from");
    auto to = get("to");
    auto period = get("period");
    if (period && (from || to)) {
        out.error = Invalid("give either period= or from= and to=, not both");
        return out;
    }
    if (from || to) {
        for (const char* name : {"from", "to"}) {
            auto v = get(name);
            if (!v) {
                out.error = Missing(std::string("add ?") + name +
                                    "=YYYY-MM-DD (the kiosk's local date, inclusive)");
                return out;
            }
            auto date = core::ParseIsoDate(*v);
            if (!date) {
                out.error =
                    Invalid(std::string(name) + "=" + *v + " is not a date; use YYYY-MM-DD");
                return out;
            }
            (std::string_view(name) == "from" ? r.from : r.to) = *date;
        }
        if (r.to < r.from) {
            out.error = Invalid("from is after to; swap them");
            return out;
        }
        if (core::DaysFromCivil(r.to) - core::DaysFromCivil(r.from) + 1 > core::kMaxCustomDays) {
            out.error = Invalid("the range is longer than " + std::to_string(core::kMaxCustomDays) +
                                " days; pick a shorter one");
            return out;
        }
        r.kind = core::PeriodKind::Custom;
    } else {
        std::int64_t days = 7;
        const std::string p = period.value_or("7d");
        if (p == "today") {
            days = 1;
            r.kind = core::PeriodKind::Today;
        } else if (p == "7d") {
            r.kind = core::PeriodKind::Last7Days;
        } else if (p == "30d") {
            days = 30;
            r.kind = core::PeriodKind::Last30Days;
        } else {
            out.error =
                Invalid("period=" + p + " is not one of today, 7d, 30d; or give from= and to=");
            return out;
        }
        r.from = core::CivilFromDays(today - days + 1);
        r.to = core::CivilFromDays(today);
    }
    out.request = r;
    return out;
}

StorePolicy PolicyFromConfig(const std::optional<ConfigRecord>& config) {
    StorePolicy p;
    if (!config)
        return p;
    auto decoded = protocol::DecodeKioskConfig(config->body);
    if (!decoded)
        return p;
    std::vector<core::ReasonPolicy::Reason> reasons;
    for (const auto& r : decoded->reasons)
        reasons.push_back({r.id, r.attributableToRep});
    p.reasons = core::ReasonPolicy(std::move(reasons));
    p.scale = decoded->scale;
    return p;
}

core::DashboardData BuildDashboard(const ReportRequest& request, core::RatingScale scale,
                                   const std::map<std::string, core::PolicyHistory>& policies,
                                   const std::vector<DayCount>& repCounts,
                                   const std::vector<DayCount>& storeDays,
                                   const std::vector<HourCount>& hours) {
    core::Period period;
    period.kind = request.kind;
    period.firstDay = request.from;
    period.lastDay = request.to;
    const std::int64_t firstDay = core::DaysFromCivil(request.from);
    const std::int64_t nDays = core::DaysFromCivil(request.to) - firstDay + 1;
    period.fromUtc = firstDay * kMsPerDay;
    period.toUtc = (firstDay + nDays) * kMsPerDay;
    core::DashboardData data = core::StartDashboard(period, scale);
    const core::PolicyHistory noPolicy;
    auto policyOf = [&](const std::string& store,
                        std::optional<std::int64_t> version) -> const core::ReasonPolicy& {
        auto it = policies.find(store);
        return (it == policies.end() ? noPolicy : it->second).For(version);
    };

    std::map<std::optional<std::string>, std::size_t> index;
    for (const DayCount& c : repCounts) {
        data.rowsScanned += c.count;
        auto [it, inserted] = index.try_emplace(c.repId, data.reps.size());
        if (inserted) {
            data.reps.emplace_back();
            data.reps.back().repId = c.repId;
            data.reps.back().tally = core::RepTally(scale);
        }
        auto& row = data.reps[it->second];
        if (c.scale != scale.Points()) {
            row.otherScale += c.count;
            continue;
        }
        std::optional<std::string_view> reason;
        if (c.reason)
            reason = *c.reason;
        row.tally.Add(c.rating, reason, c.misuse, policyOf(c.storeId, c.surveyVersion), c.count);
    }
    for (const DayCount& c : storeDays) {
        const std::int64_t i = c.day - firstDay;
        if (c.misuse || c.scale != scale.Points() || i < 0 || i >= nDays)
            continue;
        data.trend[static_cast<std::size_t>(i)].counts.Add(c.rating, c.count);
    }
    for (const HourCount& h : hours) {
        if (h.scale != scale.Points() || h.hour < 0 || h.hour > 23)
            continue;
        data.heatmap[static_cast<std::size_t>(core::WeekdayIndex(h.day))]
                    [static_cast<std::size_t>(h.hour)]
                        .counts.Add(h.rating, h.count);
    }
    std::vector<const core::ReasonPolicy*> policyList;
    for (const auto& [store, policy] : policies)
        policyList.push_back(&policy.Current());
    core::FinishDashboard(data, request.minN, request.heatmapMinN, policyList);
    return data;
}

namespace {

core::RatingScale PickScale(const std::map<std::string, StorePolicy>& stores,
                            const std::vector<DayCount>& days) {
    std::set<int> configured;
    for (const auto& [id, p] : stores)
        if (p.scale)
            configured.insert(*p.scale);
    if (configured.size() == 1)
        return core::RatingScale::Make(*configured.begin()).value_or(core::RatingScale{});
    std::map<int, std::int64_t> rows;
    for (const auto& c : days)
        rows[c.scale] += c.count;
    int best = 4;
    std::int64_t bestRows = -1;
    for (const auto& [scale, n] : rows) {
        if (n > bestRows) {
            best = scale;
            bestRows = n;
        }
    }
    return core::RatingScale::Make(best).value_or(core::RatingScale{});
}

std::map<std::string, StorePolicy> LoadPolicies(Backend& backend,
                                                const std::vector<std::string>& storeIds) {
    std::map<std::string, StorePolicy> out;
    auto configs = backend.FindStoreConfigs(storeIds);
    for (const auto& id : storeIds) {
        auto it = configs.find(id);
        out[id] = PolicyFromConfig(it == configs.end() ? std::nullopt
                                                       : std::optional(std::move(it->second)));
    }
    return out;
}

// Each store's current policy with the policies of the survey versions the counts name.
std::map<std::string, core::PolicyHistory> ReasonPolicies(
    Backend& backend, const std::map<std::string, StorePolicy>& stores,
    const std::vector<DayCount>& counts, const std::vector<DayCount>& moreCounts = {}) {
    std::map<std::string, std::set<std::int64_t>> named;
    for (const auto* list : {&counts, &moreCounts}) {
        for (const DayCount& c : *list)
            if (c.surveyVersion)
                named[c.storeId].insert(*c.surveyVersion);
    }
    std::map<std::string, core::PolicyHistory> out;
    for (const auto& [id, p] : stores) {
        core::PolicyHistory history(p.reasons);
        if (auto it = named.find(id); it != named.end()) {
            for (auto& [version, policy] : backend.Surveys().Policies(id, it->second))
                history.Add(version, std::move(policy));
        }
        out.emplace(id, std::move(history));
    }
    return out;
}

}  // namespace

core::DashboardData LoadDashboard(Backend& backend, const ReportRequest& request, unsigned parts) {
    std::vector<std::string> ids;
    if (request.storeId) {
        ids.push_back(*request.storeId);
    } else {
        for (const auto& s : backend.ListStores())
            ids.push_back(s.id);
    }
    const auto stores = LoadPolicies(backend, ids);
    const ReportQuery query{request.storeId, request.from, request.to};
    std::vector<DayCount> reps;
    if ((parts & kRepPart) != 0) {
        // Store by store: each is a range of the per-rep counts' primary key, cheaper than one
        // pass over every store's days through a secondary index.
        for (const auto& id : ids) {
            auto one = backend.CountDays(ReportQuery{id, request.from, request.to}, true, false);
            reps.insert(reps.end(), std::make_move_iterator(one.begin()),
                        std::make_move_iterator(one.end()));
        }
    }
    const auto days =
        (parts & kTrendPart) != 0 ? backend.CountDays(query, false, true) : std::vector<DayCount>{};
    const auto hours =
        (parts & kHeatPart) != 0 ? backend.CountHours(query) : std::vector<HourCount>{};
    const auto scale = PickScale(stores, reps.empty() ? days : reps);
    return BuildDashboard(request, scale, ReasonPolicies(backend, stores, reps), reps, days, hours);
}

void AddSurveyVersions(Backend& backend, std::vector<protocol::KioskStatus>& statuses,
                       core::UtcMs now) {
    std::vector<std::pair<std::string, std::string>> kiosks;
    for (const auto& st : statuses)
        kiosks.emplace_back(st.kioskId, st.storeId);
    const auto states = backend.Surveys().States(kiosks);
    for (auto& st : statuses) {
        auto it = states.find(st.kioskId);
        if (it == states.end())
            continue;
        st.configVersion = it->second.running;
        st.latestConfigVersion = it->second.latest;
        st.configBehind = SurveyBehind(it->second, now);
    }
}

FleetRow MakeFleetRow(protocol::KioskStatus status, core::UtcMs now, core::UtcMs staleAfterMs) {
    FleetRow row;
    if (!status.lastSeen) {
        row.stale = true;
        row.staleWhy = "never seen";
    } else if (now - *status.lastSeen > staleAfterMs) {
        row.stale = true;
        row.staleWhy = "no contact for " + AgeWords(now - *status.lastSeen);
    }
    if (status.oldestPendingAgeMs && *status.oldestPendingAgeMs > kBacklogStaleMs) {
        row.staleWhy += std::string(row.stale ? "; " : "") + "backlog older than a day (" +
                        AgeWords(*status.oldestPendingAgeMs) + ")";
        row.stale = true;
    }
    row.status = std::move(status);
    return row;
}

std::vector<FleetRow> LoadFleet(Backend& backend, const std::optional<std::string>& storeId,
                                core::UtcMs now, core::UtcMs staleAfterMs) {
    std::vector<FleetRow> out;
    std::vector<protocol::KioskStatus> statuses = backend.FleetStatuses(storeId);
    AddSurveyVersions(backend, statuses, now);
    for (auto& st : statuses)
        out.push_back(MakeFleetRow(std::move(st), now, staleAfterMs));
    return out;
}

namespace {

ReportRequest PreviousPeriod(const ReportRequest& request) {
    const std::int64_t first = core::DaysFromCivil(request.from);
    const std::int64_t len = core::DaysFromCivil(request.to) - first + 1;
    ReportRequest previous = request;
    previous.from = core::CivilFromDays(first - len);
    previous.to = core::CivilFromDays(first - 1);
    return previous;
}

std::vector<DayCount> DaysWithin(const std::vector<DayCount>& rows, const ReportRequest& r) {
    const std::int64_t from = core::DaysFromCivil(r.from), to = core::DaysFromCivil(r.to);
    std::vector<DayCount> out;
    for (const auto& d : rows)
        if (d.day >= from && d.day <= to)
            out.push_back(d);
    return out;
}

}  // namespace

std::vector<StoreOverview> LoadStoresOverview(
    Backend& backend, const ReportRequest& request, const std::vector<StoreRecord>& stores,
    core::UtcMs now, core::UtcMs staleAfterMs,
    const std::map<std::string, StorePeriod>& ownPeriods) {
    std::vector<std::string> ids;
    for (const auto& s : stores)
        ids.push_back(s.id);
    const auto policies = LoadPolicies(backend, ids);
    auto periodOf = [&](const std::string& id) {
        auto it = ownPeriods.find(id);
        return it != ownPeriods.end() ? it->second
                                      : StorePeriod{request, std::nullopt, std::nullopt};
    };
    const std::optional<std::string> only =
        stores.size() == 1 ? std::optional(stores[0].id) : std::nullopt;
    // Usually every store is on the same dates: two reads of totals (month roll-ups where they
    // fit). When zones put stores on different dates, one read of day rows over the span of all
    // their periods, each store taking its own days.
    bool sameDates = true;
    std::int64_t lo = core::DaysFromCivil(PreviousPeriod(request).from);
    std::int64_t hi = core::DaysFromCivil(request.to);
    for (const auto& id : ids) {
        const auto own = periodOf(id).request;
        sameDates = sameDates && own.from == request.from && own.to == request.to;
        lo = std::min(lo, core::DaysFromCivil(PreviousPeriod(own).from));
        hi = std::max(hi, core::DaysFromCivil(own.to));
    }
    std::map<std::string, std::vector<DayCount>> curOf, prevOf;
    if (sameDates) {
        const ReportRequest previous = PreviousPeriod(request);
        for (auto& d : backend.CountDays(ReportQuery{only, request.from, request.to}, false, false))
            curOf[d.storeId].push_back(std::move(d));
        for (auto& d :
             backend.CountDays(ReportQuery{only, previous.from, previous.to}, false, false))
            prevOf[d.storeId].push_back(std::move(d));
    } else {
        std::map<std::string, std::vector<DayCount>> rowsOf;
        for (auto& d : backend.CountDays(
                 ReportQuery{only, core::CivilFromDays(lo), core::CivilFromDays(hi)}, false, true))
            rowsOf[d.storeId].push_back(std::move(d));
        for (const auto& id : ids) {
            const auto own = periodOf(id).request;
            curOf[id] = DaysWithin(rowsOf[id], own);
            prevOf[id] = DaysWithin(rowsOf[id], PreviousPeriod(own));
        }
    }
    // Kiosks, stale kiosks and alerts need only the kiosks' rows, not their seqs.
    std::vector<FleetRow> fleet;
    for (auto& st : backend.FleetContacts(only))
        fleet.push_back(MakeFleetRow(std::move(st), now, staleAfterMs));
    std::map<std::string, StoreAlertRecord> storeAlerts;
    for (auto& a : backend.Alerts().Current(only, now))
        storeAlerts.emplace(a.storeId, std::move(a));
    std::vector<StoreOverview> out;
    for (const auto& store : stores) {
        const StorePeriod own = periodOf(store.id);
        const ReportRequest previous = PreviousPeriod(own.request);
        const std::vector<DayCount>& c = curOf[store.id];
        const std::vector<DayCount>& p = prevOf[store.id];
        std::map<std::string, StorePolicy> one{{store.id, policies.at(store.id)}};
        const auto scale = PickScale(one, c.empty() ? p : c);
        const auto reasons = ReasonPolicies(backend, one, c, p);
        StoreOverview o;
        o.store = store;
        o.period = own.request;
        o.tzOffsetMin = own.tzOffsetMin;
        o.timeZone = own.timeZone;
        o.current = BuildDashboard(own.request, scale, reasons, c, {}, {}).total.summary;
        o.previous = BuildDashboard(previous, scale, reasons, p, {}, {}).total.summary;
        for (const auto& k : fleet) {
            if (k.status.storeId != store.id)
                continue;
            ++o.kiosks;
            if (k.stale)
                ++o.staleKiosks;
            if (k.status.alert)
                ++o.alerts;
        }
        if (auto a = storeAlerts.find(store.id); a != storeAlerts.end())
            o.storeAlert = a->second;
        out.push_back(std::move(o));
    }
    return out;
}

StoreDirectory LoadDirectory(Backend& backend, const std::optional<std::string>& storeId) {
    StoreDirectory d;
    d.storeId = storeId;
    if (!storeId)
        return d;
    for (auto& link : backend.Links().List(storeId))
        d.people[link.repId] = std::move(link.person);
    auto config = backend.FindConfig(*storeId, "");
    if (!config)
        return d;
    auto decoded = protocol::DecodeKioskConfig(config->body);
    if (!decoded)
        return d;
    for (const auto& r : decoded->roster)
        d.repNames[r.id] = r.name;
    for (const auto& r : decoded->reasons)
        d.reasonLabels[r.id] = r.labels;
    return d;
}

std::vector<StoreReps> LoadRepsByStore(Backend& backend, const ReportRequest& request) {
    std::vector<StoreReps> out;
    for (const auto& store : backend.ListStores()) {
        ReportRequest one = request;
        one.storeId = store.id;
        auto data = LoadDashboard(backend, one, kRepPart);
        if (data.reps.empty())
            continue;
        out.push_back({store.id, std::move(data), LoadDirectory(backend, store.id)});
    }
    return out;
}

namespace {

// One rep row with the store it belongs to and that store's roster.
struct RepLine {
    const core::DashboardRepRow* row;
    const std::optional<std::string>* store;
    const StoreDirectory* directory;

    std::optional<std::string> Name() const {
        if (!row->repId)
            return std::nullopt;
        auto it = directory->repNames.find(*row->repId);
        return it != directory->repNames.end() ? std::optional(it->second) : std::nullopt;
    }
    std::optional<std::string> Person() const {
        if (!row->repId)
            return std::nullopt;
        auto it = directory->people.find(*row->repId);
        return it != directory->people.end() ? std::optional(it->second) : std::nullopt;
    }
};

std::vector<RepLine> RepLines(const ReportRequest& request, const core::DashboardData& data,
                              const StoreDirectory& directory,
                              const std::vector<StoreReps>* byStore,
                              std::vector<std::optional<std::string>>& storeIds) {
    std::vector<RepLine> lines;
    if (byStore) {
        storeIds.reserve(byStore->size());
        for (const auto& s : *byStore)
            storeIds.emplace_back(s.storeId);
        for (std::size_t i = 0; i < byStore->size(); ++i) {
            for (const auto& r : (*byStore)[i].data.reps)
                lines.push_back({&r, &storeIds[i], &(*byStore)[i].directory});
        }
    } else {
        storeIds.push_back(request.storeId ? request.storeId : directory.storeId);
        for (const auto& r : data.reps)
            lines.push_back({&r, &storeIds[0], &directory});
    }
    return lines;
}

}  // namespace

std::string RepsJson(const ReportRequest& request, const core::DashboardData& data,
                     const StoreDirectory& directory, const std::vector<StoreReps>* byStore) {
    Json j = Header(request, data);
    j["total"] = RepJson(data.total, false);
    std::vector<std::optional<std::string>> storeIds;
    auto lines = RepLines(request, data, directory, byStore, storeIds);
    // Legacy order: most responses first.
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
        return a.row->tally.all.Total() > b.row->tally.all.Total();
    });
    Json reps = Json::array();
    for (const auto& line : lines) {
        Json rep = RepJson(*line.row, true);
        rep["store"] = *line.store ? Json(**line.store) : Json(nullptr);
        auto name = line.Name();
        rep["name"] = name ? Json(*name) : Json(nullptr);
        auto person = line.Person();
        rep["person"] = person ? Json(*person) : Json(nullptr);
        reps.push_back(std::move(rep));
    }
    j["reps"] = std::move(reps);
    return Dump(j);
}

std::string RepsCsv(const core::DashboardData& data, const StoreDirectory& directory,
                    const std::vector<StoreReps>* byStore) {
    return CsvOut([&](core::CsvWriter& w) {
        for (const char* h :
             {"rep_id", "responses", "negative", "neutral", "positive", "misuse_excluded", "csat",
              "score", "fair_responses", "satisfaction_pct", "score100", "wilson_lower_pct",
              "enough_data", "not_about_rep", "against_rep", "negative_no_reason", "store", "name",
              "person"})
            w.Text(h);
        for (int r = 1; r <= data.scale.Points(); ++r)
            w.Text("rating_" + std::to_string(r));
        w.EndRow();
        auto row = [&](const std::string& id, const core::DashboardRepRow& r,
                       const std::optional<std::string>& store,
                       const std::optional<std::string>& name,
                       const std::optional<std::string>& person, bool perRep) {
            const auto& t = r.tally;
            if (perRep && !r.summary.fair.enoughData) {
                // Below min_n (as RepJson): the counts of responses only, every rating figure
                // empty.
                w.Text(id).Number(t.all.Total()).Text("").Text("").Text("").Number(t.misuse);
                w.Text("").Text("").Number(r.summary.fair.responses);
                w.Text("").Text("").Text("").Text("no").Text("").Text("").Text("");
                w.Text(store.value_or(std::string())).Text(name.value_or(std::string()));
                for (int k = 1; k <= data.scale.Points(); ++k)
                    w.Text("");
                w.EndRow();
                return;
            }
            const auto raw = core::Summarize(t.all, 1);
            w.Text(id).Number(t.all.Total()).Number(t.all.Count(core::Sentiment::Negative));
            w.Number(t.all.Count(core::Sentiment::Neutral))
                .Number(t.all.Count(core::Sentiment::Positive));
            w.Number(t.misuse)
                .Number(raw.satisfactionPct.value_or(0), 1)
                .Number(raw.score100.value_or(0), 1);
            const auto& f = r.summary.fair;
            w.Number(f.responses);
            OptNumber(w, f.satisfactionPct);
            OptNumber(w, f.score100);
            OptNumber(w, f.wilsonLowerPct);
            w.Text(f.enoughData ? "yes" : "no");
            w.Number(r.summary.notAboutRep)
                .Number(r.summary.againstRep)
                .Number(r.summary.negativeNoReason);
            w.Text(store.value_or(std::string()))
                .Text(name.value_or(std::string()))
                .Text(person.value_or(std::string()));
            for (int k = 1; k <= data.scale.Points(); ++k)
                w.Number(t.all.byRating[static_cast<std::size_t>(k - 1)]);
            w.EndRow();
        };
        std::vector<std::optional<std::string>> storeIds;
        const ReportRequest noStore;
        for (const auto& line : RepLines(noStore, data, directory, byStore, storeIds))
            row(line.row->repId.value_or(""), *line.row, *line.store, line.Name(), line.Person(),
                true);
        row("*total*", data.total, std::nullopt, std::nullopt, std::nullopt, false);
    });
}

std::string ReasonsJson(const ReportRequest& request, const core::DashboardData& data,
                        const StoreDirectory& directory) {
    Json j = Header(request, data);
    Json reasons = Json::array();
    for (const auto& r : data.reasons) {
        auto labels = directory.reasonLabels.find(r.code);
        reasons.push_back(
            Json{{"reason", r.code},
                 {"count", r.count},
                 {"known", r.known},
                 {"attributable_to_rep", r.attributableToRep},
                 {"labels",
                  labels != directory.reasonLabels.end() ? Json(labels->second) : Json::object()}});
    }
    j["reasons"] = std::move(reasons);
    Json perRep = Json::array();
    for (const auto& row : data.reps) {
        Json counts = Json::object();
        for (const auto& [code, n] : row.tally.reasons)
            counts[code] = n;
        perRep.push_back(Json{{"rep_id", OptStr(row.repId)},
                              {"not_about_rep", row.summary.notAboutRep},
                              {"against_rep", row.summary.againstRep},
                              {"reasons", std::move(counts)}});
    }
    j["reps"] = std::move(perRep);
    return Dump(j);
}

std::string ReasonsCsv(const core::DashboardData& data) {
    return CsvOut([&](core::CsvWriter& w) {
        w.Text("reason").Text("count").Text("known").Text("attributable_to_rep").EndRow();
        for (const auto& r : data.reasons) {
            w.Text(r.code)
                .Number(r.count)
                .Text(r.known ? "yes" : "no")
                .Text(r.attributableToRep ? "yes" : "no");
            w.EndRow();
        }
    });
}

std::string TrendJson(const ReportRequest& request, const core::DashboardData& data) {
    Json j = Header(request, data);
    Json days = Json::array();
    for (const auto& d : data.trend) {
        Json s = SummaryJson(d.summary);
        s["day"] = core::FormatIsoDate(d.day);
        days.push_back(std::move(s));
    }
    j["days"] = std::move(days);
    return Dump(j);
}

std::string TrendCsv(const core::DashboardData& data) {
    return CsvOut([&](core::CsvWriter& w) {
        w.Text("day")
            .Text("responses")
            .Text("positive")
            .Text("negative")
            .Text("satisfaction_pct")
            .Text("score100");
        w.EndRow();
        for (const auto& d : data.trend) {
            w.Text(core::FormatIsoDate(d.day))
                .Number(d.summary.responses)
                .Number(d.summary.positive);
            w.Number(d.summary.negative);
            OptNumber(w, d.summary.satisfactionPct);
            OptNumber(w, d.summary.score100);
            w.EndRow();
        }
    });
}

std::string HeatmapJson(const ReportRequest& request, const core::DashboardData& data) {
    Json j = Header(request, data);
    j["min_n_cell"] = request.heatmapMinN;
    Json volume = Json::array();
    Json score = Json::array();
    for (const auto& row : data.heatmap) {
        Json v = Json::array();
        Json s = Json::array();
        for (const auto& cell : row) {
            v.push_back(cell.counts.Total());
            s.push_back(Opt(cell.score100));
        }
        volume.push_back(std::move(v));
        score.push_back(std::move(s));
    }
    j["volume"] = std::move(volume);  // [weekday 0 = Monday][hour]
    j["score100"] = std::move(score);
    return Dump(j);
}

std::string HeatmapCsv(const core::DashboardData& data) {
    static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return CsvOut([&](core::CsvWriter& w) {
        w.Text("weekday").Text("hour").Text("responses").Text("score100").EndRow();
        for (std::size_t d = 0; d < 7; ++d) {
            for (std::size_t h = 0; h < 24; ++h) {
                const auto& cell = data.heatmap[d][h];
                w.Text(kDays[d]).Number(static_cast<std::int64_t>(h)).Number(cell.counts.Total());
                OptNumber(w, cell.score100);
                w.EndRow();
            }
        }
    });
}

std::string StoresJson(const ReportRequest& request, const std::vector<StoreOverview>& stores) {
    Json j = Json::object();
    AddPeriod(j, request);
    Json list = Json::array();
    for (const auto& s : stores) {
        Json o;
        o["store"] = s.store.id;
        o["name"] = s.store.name;
        // This store's own dates and zone: stores in different zones can be on different days.
        o["from"] = core::FormatIsoDate(s.period.from);
        o["to"] = core::FormatIsoDate(s.period.to);
        o["tz_offset_min"] = s.tzOffsetMin ? Json(*s.tzOffsetMin) : Json(nullptr);
        o["time_zone"] = s.timeZone ? Json(*s.timeZone) : Json(nullptr);
        // Two views of one store, each named: every response (as the trend counts them), and
        // the rep-adjusted one (complaints marked "not about the rep" left out).
        auto change = [](const core::RatingSummary& now, const core::RatingSummary& before) {
            return now.score100 && before.score100 ? Json(*now.score100 - *before.score100)
                                                   : Json(nullptr);
        };
        o["current"] = SummaryJson(s.current.fair);
        o["current"]["misuse_excluded"] = s.current.misuse;
        o["previous"] = SummaryJson(s.previous.fair);
        o["score_change"] = change(s.current.fair, s.previous.fair);
        o["current_all"] = SummaryJson(s.current.raw);
        o["current_all"]["misuse_excluded"] = s.current.misuse;
        o["previous_all"] = SummaryJson(s.previous.raw);
        o["score_change_all"] = change(s.current.raw, s.previous.raw);
        o["kiosks"] = s.kiosks;
        o["stale_kiosks"] = s.staleKiosks;
        o["alerts"] = s.alerts;
        if (s.storeAlert) {
            Json a;
            a["raised_at"] = core::FormatRfc3339Ms(s.storeAlert->raisedAt);
            a["checked_at"] = core::FormatRfc3339Ms(s.storeAlert->checkedAt);
            a["negative"] = s.storeAlert->negative;
            a["responses"] = s.storeAlert->responses;
            a["window_min"] = s.storeAlert->windowMs / 60000;
            o["store_alert"] = std::move(a);
        } else {
            o["store_alert"] = nullptr;
        }
        list.push_back(std::move(o));
    }
    j["stores"] = std::move(list);
    return Dump(j);
}

std::string StoresCsv(const std::vector<StoreOverview>& stores) {
    return CsvOut([&](core::CsvWriter& w) {
        // The plain columns count every response; "adjusted_" ones leave out complaints marked
        // "not about the rep" (what the JSON calls current_all and current).
        for (const char* h : {"store",
                              "name",
                              "responses",
                              "satisfaction_pct",
                              "score100",
                              "previous_responses",
                              "previous_score100",
                              "score_change",
                              "adjusted_responses",
                              "adjusted_satisfaction_pct",
                              "adjusted_score100",
                              "adjusted_wilson_lower_pct",
                              "previous_adjusted_responses",
                              "previous_adjusted_score100",
                              "adjusted_score_change",
                              "kiosks",
                              "stale_kiosks",
                              "alerts",
                              "from",
                              "to",
                              "tz_offset_min"})
            w.Text(h);
        w.EndRow();
        auto change = [&w](const core::RatingSummary& now, const core::RatingSummary& before) {
            if (now.score100 && before.score100)
                w.Number(*now.score100 - *before.score100, 1);
            else
                w.Empty();
        };
        for (const auto& s : stores) {
            const auto& all = s.current.raw;
            const auto& allBefore = s.previous.raw;
            const auto& c = s.current.fair;
            const auto& p = s.previous.fair;
            w.Text(s.store.id).Text(s.store.name).Number(all.responses);
            OptNumber(w, all.satisfactionPct);
            OptNumber(w, all.score100);
            w.Number(allBefore.responses);
            OptNumber(w, allBefore.score100);
            change(all, allBefore);
            w.Number(c.responses);
            OptNumber(w, c.satisfactionPct);
            OptNumber(w, c.score100);
            OptNumber(w, c.wilsonLowerPct);
            w.Number(p.responses);
            OptNumber(w, p.score100);
            change(c, p);
            w.Number(s.kiosks).Number(s.staleKiosks).Number(s.alerts);
            w.Text(core::FormatIsoDate(s.period.from)).Text(core::FormatIsoDate(s.period.to));
            if (s.tzOffsetMin)
                w.Number(static_cast<std::int64_t>(*s.tzOffsetMin));
            else
                w.Empty();
            w.EndRow();
        }
    });
}

std::string FleetJson(const std::vector<FleetRow>& fleet, core::UtcMs now,
                      core::UtcMs staleAfterMs) {
    Json j;
    j["server_time"] = core::FormatRfc3339Ms(now);
    j["stale_after_s"] = staleAfterMs / 1000;
    Json list = Json::array();
    for (const auto& row : fleet) {
        const auto& st = row.status;
        Json gaps = Json::array();
        for (const auto& [a, b] : st.gaps)
            gaps.push_back(Json::array({a, b}));
        Json lost = Json::array();  // seqs the kiosk reported lost, with why: not gaps
        for (const auto& l : st.lost)
            lost.push_back(Json{{"from", l.from}, {"to", l.to}, {"reason", l.reason}});
        list.push_back(Json{
            {"kiosk_id", st.kioskId},
            {"store_id", st.storeId},
            {"last_seen", st.lastSeen ? Json(core::FormatRfc3339Ms(*st.lastSeen)) : Json(nullptr)},
            {"last_seen_age_s", st.lastSeen ? Json((now - *st.lastSeen) / 1000) : Json(nullptr)},
            {"pending_reported", OptNum(st.pendingReported)},
            {"oldest_pending_age_ms", OptNum(st.oldestPendingAgeMs)},
            {"clock_skew_ms", OptNum(st.clockSkewMs)},
            {"acked_seq", st.ackedSeq},
            {"max_seq", st.maxSeq},
            {"gaps", std::move(gaps)},
            {"lost", std::move(lost)},
            {"rejected", st.rejected},
            {"version", OptStr(st.version)},
            {"last_error", OptStr(st.lastError)},
            {"alert", OptStr(st.alert)},
            {"config_version", OptNum(st.configVersion)},
            {"latest_config_version", OptNum(st.latestConfigVersion)},
            {"config_behind", st.configBehind},
            {"stale", row.stale},
            {"stale_reason", row.stale ? Json(row.staleWhy) : Json(nullptr)}});
    }
    j["kiosks"] = std::move(list);
    return Dump(j);
}

std::string FleetCsv(const std::vector<FleetRow>& fleet, core::UtcMs now) {
    return CsvOut([&](core::CsvWriter& w) {
        for (const char* h : {"kiosk_id", "store_id", "last_seen", "last_seen_age_s", "pending",
                              "oldest_pending_age_s", "clock_skew_ms", "acked_seq", "max_seq",
                              "gaps", "rejected", "version", "alert", "stale", "stale_reason"})
            w.Text(h);
        w.EndRow();
        for (const auto& row : fleet) {
            const auto& st = row.status;
            w.Text(st.kioskId).Text(st.storeId);
            if (st.lastSeen)
                w.Text(core::FormatRfc3339Ms(*st.lastSeen)).Number((now - *st.lastSeen) / 1000);
            else
                w.Empty().Empty();
            if (st.pendingReported)
                w.Number(*st.pendingReported);
            else
                w.Empty();
            if (st.oldestPendingAgeMs)
                w.Number(*st.oldestPendingAgeMs / 1000);
            else
                w.Empty();
            if (st.clockSkewMs)
                w.Number(*st.clockSkewMs);
            else
                w.Empty();
            w.Number(st.ackedSeq).Number(st.maxSeq);
            std::string gaps;
            for (const auto& [a, b] : st.gaps)
                gaps += (gaps.empty() ? "" : " ") + std::to_string(a) +
                        (a == b ? "" : ".." + std::to_string(b));
            w.Text(gaps)
                .Number(st.rejected)
                .Text(st.version.value_or(""))
                .Text(st.alert.value_or(""));
            w.Text(row.stale ? "yes" : "no").Text(row.staleWhy).EndRow();
        }
    });
}

}  // namespace fk::server
