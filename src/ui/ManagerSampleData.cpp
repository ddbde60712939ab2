#include "ui/ManagerSampleData.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/Calendar.h"
#include "core/RepStats.h"
#include "ui/ManagerSort.h"

namespace fk::ui {

namespace {

// A small deterministic generator (the same pictures on every machine).
class Lcg {
  public:
    explicit Lcg(std::uint32_t seed) : m_state(seed * 2654435761u + 1) {}
    std::uint32_t Next() {
        m_state = m_state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(m_state >> 33);
    }
    int Below(int n) {
        return static_cast<int>(Next() % static_cast<std::uint32_t>(std::max(1, n)));
    }
    double Unit() { return static_cast<double>(Next() % 1000000u) / 1000000.0; }

  private:
    std::uint64_t m_state;
};

constexpr std::array<const char*, 50> kNames = {
    "Emma Wilson",    "आशा शर्मा",   "सुमन श्रेष्ठ",     "శ్రీనివాస్ రెడ్డి", "Mette Sørensen",
    "James Carter",   "रवि कुमार",   "बिनिता तामाङ", "లక్ష్మి దేవి",   "Jens Østergaard",
    "Olivia Brown",   "प्रिया सिंह",  "रमेश गुरुङ",      "వెంకటేష్ రావు", "Søren Kjær",
    "Liam Turner",    "अमित वर्मा",  "सरिता थापा",   "పద్మ కుమారి",  "Anne Bækgaard",
    "Sophie Hughes",  "सुनीता गुप्ता", "दीपक अधिकारी", "రాజేష్ నాయుడు", "Lars Mølgaard",
    "Noah Bennett",   "राहुल मिश्रा", "निर्मला राई",   "సుజాత వర్మ",  "Kirsten Åberg",
    "Grace Mitchell", "कविता जोशी", "कृष्ण पौडेल",     "కిరణ్ కుమార్",  "Rasmus Højgaard",
    "Oliver Reed",    "विकास यादव", "अनिता मगर",    "అనిత చౌదరి",   "Ida Frølund",
    "Chloe Parker",   "पूजा अग्रवाल", "प्रकाश खड्का",   "రవి తేజ",     "Mads Nørgaard",
    "Henry Wood",     "संजय पांडे",    "गीता भट्टराई",  "స్వప్న రాణి",   "Sofie Lærke Dahl"};

struct ReasonDef {
    const char* code;
    const char* label;
    bool attributable;
};
constexpr std::array<ReasonDef, 5> kReasons = {
    ReasonDef{"rude", "Unfriendly staff", true}, ReasonDef{"slow_service", "Slow service", true},
    ReasonDef{"wait_time", "Long wait", false}, ReasonDef{"price", "Prices", false},
    ReasonDef{"stock", "Out of stock", false}};

}  // namespace

ManagerView SampleManagerView(const SampleOptions& o) {
    Lcg rng(o.seed);
    ManagerView v;
    v.tab = ManagerTab::Reps;
    v.periodKind = o.days == 30 ? core::PeriodKind::Last30Days : core::PeriodKind::Custom;
    v.minResponses = o.minResponses;
    v.customLast = o.lastDay;
    v.customFirst = core::CivilFromDays(core::DaysFromCivil(o.lastDay) - (o.days - 1));

    core::DashboardData& d = v.data;
    d.period.kind = v.periodKind;
    d.period.firstDay = v.customFirst;
    d.period.lastDay = v.customLast;
    std::vector<core::ReasonPolicy::Reason> reasons;
    for (const auto& r : kReasons) {
        reasons.push_back({r.code, r.attributable});
        v.reasonLabels[r.code] = r.label;
    }
    const core::ReasonPolicy policy(reasons);
    const std::int64_t firstDays = core::DaysFromCivil(v.customFirst);

    std::vector<core::RatingCounts> days(static_cast<std::size_t>(o.days));
    std::map<std::string, std::int64_t> reasonCounts;
    core::RepTally total;
    auto addTo = [&](core::RepTally& tally, int rating, const char* reason, bool misuse, int day,
                     int hour) {
        tally.Add(rating, reason ? std::optional<std::string_view>(reason) : std::nullopt, misuse,
                  policy);
        total.Add(rating, reason ? std::optional<std::string_view>(reason) : std::nullopt, misuse,
                  policy);
        if (misuse)
            return;
        if (reason)
            ++reasonCounts[reason];
        days[static_cast<std::size_t>(day)].Add(rating);
        const auto weekday = static_cast<std::size_t>(core::WeekdayIndex(firstDays + day));
        d.heatmap[weekday][static_cast<std::size_t>(hour)].counts.Add(rating);
    };

    const int reps = std::clamp(o.reps, 0, 5000);
    for (int i = 0; i <= reps; ++i) {
        core::DashboardRepRow row;
        const bool noRep = i == reps;
        if (!noRep) {
            row.repId = "rep" + std::to_string(i + 1);
            v.repNames[*row.repId] = kNames[static_cast<std::size_t>(i) % kNames.size()];
            v.roster.reps.push_back(
                {*row.repId, kNames[static_cast<std::size_t>(i) % kNames.size()], i % 9 != 4});
        }
        // Most reps are busy; every seventh is new or part-time (below the minimum n).
        const int n = noRep ? 140 : (i % 7 == 3 ? 2 + rng.Below(16) : 25 + rng.Below(110));
        const double quality = 0.3 + 0.65 * rng.Unit();
        for (int k = 0; k < n; ++k) {
            const int day = rng.Below(o.days);
            const bool quiet =
                (firstDays + day + 3) % 7 == 6 && rng.Below(8) != 0;  // Sundays are quiet
            if (quiet)
                continue;
            const int hour = 9 + std::min(rng.Below(7) + rng.Below(6), 11);
            const double u = rng.Unit();
            int rating =
                u < quality ? 3 + (rng.Unit() < quality ? 1 : 0) : 1 + (rng.Unit() < 0.6 ? 1 : 0);
            const char* reason = nullptr;
            if (rating <= 2 && rng.Below(5) != 0)
                reason = kReasons[static_cast<std::size_t>(rng.Below(5))].code;
            const bool misuse = rng.Below(40) == 0;
            addTo(row.tally, rating, reason, misuse, day, hour);
        }
        row.summary = core::SummarizeRep(row.tally, o.minResponses);
        d.reps.push_back(std::move(row));
    }
    // Sorted the default way, as the app hands rows to the screen.
    SortManagerRows(d.reps, v.sortColumn, v.sortDescending, v.repNames);
    d.total.tally = total;
    d.total.summary = core::SummarizeRep(total, o.minResponses);
    for (int i = 0; i < o.days; ++i) {
        core::DashboardDay day;
        day.day = core::CivilFromDays(firstDays + i);
        day.counts = days[static_cast<std::size_t>(i)];
        day.summary = core::Summarize(day.counts, o.minResponses);
        d.trend.push_back(day);
    }
    for (auto& row : d.heatmap) {
        for (auto& cell : row)
            cell.score100 = core::Summarize(cell.counts, 5).score100;
    }
    for (const auto& [code, count] : reasonCounts) {
        d.reasons.push_back({code, count, policy.Knows(code), policy.IsAttributable(code)});
    }
    d.reasons.push_back({"music", 3, false, false});  // a reason no longer in the survey
    std::sort(d.reasons.begin(), d.reasons.end(),
              [](const core::ReasonRow& a, const core::ReasonRow& b) {
                  return a.count != b.count ? a.count > b.count : a.code < b.code;
              });
    d.rowsScanned = total.all.Total() + total.misuse;

    v.alertBanner = ManagerView::AlertBanner{5, 7, 15};
    v.storeAlertBanner = ManagerView::StoreAlertBanner{9, 14, 15, 40};
    v.sync.configured = true;
    v.sync.phase = SyncPhaseView::Retrying;
    v.sync.pendingCalls = 1;
    v.sync.pending = 37;
    v.sync.oldestPendingAgeS = 1260;
    v.sync.lastSuccessAgeS = 1500;
    v.sync.lastError = "could not connect to reports.example.com: connection timed out after 10 s";
    v.sync.serverAckedSeq = 48213;
    v.sync.rejected = {
        {48102, "0191e0b4-7c2a-7d1e-9c4f-2b7f6e0a1d33", "conflict: same id, different rating"},
        {48150, "0191e0b9-11aa-7b3c-8d2e-5f9a0c4b7e21", "rep_id \"rep99\" is not on the roster"}};
    v.sync.tlsVerificationOff = true;
    v.sync.surveyVersion = 7;
    v.sync.surveyStale = true;
    v.roster.mode = RosterMode::OnDuty;
    v.roster.signedInRep = "rep2";
    v.roster.fromServer = true;
    v.exportJob.directories = {"/media/usb0", "/media/MANAGER-STICK", "/var/lib/kiosk/exports"};
    v.exportJob.progress.stage = ExportStage::Running;
    v.exportJob.progress.fraction = 0.42;
    v.exportJob.progress.done = 12345;
    v.exportJob.progress.total = 29400;
    v.calls.configured = true;
    v.calls.listedAgeS = 4;
    {
        CallRowView waiting;
        waiting.id = "0191e0c2-5b10-7a44-8e0f-3c9d2a7b6e10";
        waiting.waitingS = 95;
        waiting.rating = 1;
        waiting.kiosk = "till-2";
        waiting.repName = v.roster.reps.size() > 2 ? v.roster.reps[2].name : "Rep";
        waiting.reasonLabel = "Long wait";
        waiting.repeats = 1;
        CallRowView going = waiting;
        going.id = "0191e0b7-2f31-7c05-9a6d-1e4b8c3f5a22";
        going.waitingS = 410;
        going.rating = 2;
        going.kiosk = "till-1";
        going.thisKiosk = true;
        going.repName.clear();
        going.reasonLabel = "Price";
        going.repeats = 0;
        going.late = true;
        going.acknowledged = true;
        going.ackedBy = "Manager mode at till till-1";
        v.calls.calls = {waiting, going};
        core::CallSummary report;
        report.calls = 9;
        report.acknowledged = 8;
        report.ackP50S = 75;
        report.ackP90S = 260;
        report.closed = 7;
        report.helped = 5;
        report.overdue = 0;
        v.calls.report = report;
    }
    v.autoExitInS = 18;
    return v;
}

}  // namespace fk::ui
