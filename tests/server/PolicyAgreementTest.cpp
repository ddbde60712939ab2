// Kiosk and server per-rep figures with one policy (issue 17 item 3): responses taken on a kiosk
// reach a real kiosk-server through the kiosk's own sync engine; the kiosk's manager mode
// (app::ManagerData over its own store, with the survey definition the server serves it) and the
// server's reps report give identical per-rep numbers, under one reason policy and again after
// head office changes which reasons are about the rep. Each response keeps the survey version it
// was taken under (issue 17 item 3), so the change applies to later responses only: history does
// not silently change, and rows stored before responses named a version follow today's policy.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ServerTestEnv.h"
#include "app/ManagerData.h"
#include "app/Settings.h"
#include "config/SurveyDefinition.h"
#include "core/TimeFormat.h"
#include "storage/ResponseStore.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

using namespace fk;
using Json = nlohmann::json;

namespace {

const std::string kPassword = "correct horse battery";

// wait_time is not about the rep; staff_attitude is. Version 2 makes wait_time the rep's too.
std::string Definition(bool waitTimeIsTheReps) {
    return std::string(R"({"survey": {"scale": 4},
      "roster": [{"id": "r1", "name": "Asha"}, {"id": "r2", "name": "రవి"}],
      "reasons": [{"id": "wait_time", "attributable_to_rep": )") +
           (waitTimeIsTheReps ? "true" : "false") + R"(},
                  {"id": "staff_attitude", "attributable_to_rep": true},
                  {"id": "price", "attributable_to_rep": false}]})";
}

bool Near(const Json& server, const std::optional<double>& kiosk) {
    if (!kiosk)
        return server.is_null();
    return server.is_number() && std::fabs(server.get<double>() - *kiosk) < 1e-9;
}

// Compares every rep row (and the total) of the kiosk's dashboard with the server's report.
void CheckSame(const core::DashboardData& kiosk, const Json& server) {
    REQUIRE(server["reps"].size() == kiosk.reps.size());
    for (const auto& row : kiosk.reps) {
        const Json* found = nullptr;
        for (const auto& r : server["reps"]) {
            if ((r["rep_id"].is_null() && !row.repId) || (row.repId && r["rep_id"] == *row.repId))
                found = &r;
        }
        REQUIRE_MESSAGE(found != nullptr, "rep " << row.repId.value_or("(none)"));
        const Json& s = *found;
        INFO("rep " << row.repId.value_or("(none)") << ": server " << s.dump());
        CHECK(s["responses"] == row.tally.all.Total());
        CHECK(s["not_about_rep"] == row.summary.notAboutRep);
        CHECK(s["against_rep"] == row.summary.againstRep);
        CHECK(s["negative_no_reason"] == row.summary.negativeNoReason);
        CHECK(s["unknown_reason"] == row.summary.unknownReason);
        CHECK(s["fair"]["responses"] == row.summary.fair.responses);
        CHECK(s["fair"]["enough_data"] == row.summary.fair.enoughData);
        CHECK(Near(s["fair"]["satisfaction_pct"], row.summary.fair.satisfactionPct));
        CHECK(Near(s["fair"]["score100"], row.summary.fair.score100));
        CHECK(Near(s["fair"]["wilson_lower_pct"], row.summary.fair.wilsonLowerPct));
    }
    CHECK(server["total"]["not_about_rep"] == kiosk.total.summary.notAboutRep);
    CHECK(server["total"]["fair"]["responses"] == kiosk.total.summary.fair.responses);
}

struct Taken {
    std::optional<std::int64_t> version;
    std::optional<std::string> rep;
    int rating = 1;
    std::optional<std::string> reason;
};

// 40 ratings at the kiosk's own store under `version` (nullopt: before responses named one):
// reps r1, r2 and none, negative ones with each reason or none.
void TakeRatings(const std::filesystem::path& dataDir, core::FakeClock& clock,
                 std::optional<std::int64_t> version, int first, std::vector<Taken>& taken) {
    auto store = storage::ResponseStore::Open(dataDir, clock);
    const std::vector<std::optional<std::string>> reps = {"r1", "r2", std::nullopt};
    const std::vector<std::optional<std::string>> reasons = {"wait_time", "staff_attitude", "price",
                                                             std::nullopt};
    for (int i = first; i < first + 40; ++i) {
        const int rating = 1 + (i * 7 + i / 5) % 4;
        const storage::BeginRequest request{
            4, rating, "en", reps[static_cast<std::size_t>(i % 3)], std::nullopt, version};
        const auto r = store->Begin(request);
        Taken t{version, request.repId, rating, std::nullopt};
        if (rating <= 2) {
            t.reason = reasons[static_cast<std::size_t>((i / 3) % 4)];
            store->SetReason(r.id, t.reason);
        }
        store->Close(r.id, core::CloseReason::ThankYou);
        taken.push_back(t);
        clock.Advance(20'000);
    }
}

// r1's negatives not about the rep, counted by hand: wait_time is about the rep from version 2
// on, and for rows with no version when the current version is 2 or later.
std::int64_t ExpectedNotAboutR1(const std::vector<Taken>& taken, std::int64_t current) {
    std::int64_t n = 0;
    for (const auto& t : taken) {
        if (t.rep != "r1" || t.rating > 2 || !t.reason)
            continue;
        const std::int64_t judgedBy = t.version.value_or(current);
        if (*t.reason == "price" || (*t.reason == "wait_time" && judgedBy < 2))
            ++n;
    }
    return n;
}

}  // namespace

FK_SERVER_TEST(
    "per-rep figures: the kiosk's manager mode and the server's reps report agree, before and "
    "after a policy change, each response judged by the survey version it was taken under") {
    test::AddUserWithPassword(env, "ada", server::Role::Admin, {}, kPassword);
    const std::string admin = test::LoginUser(env, "ada", kPassword);
    test::TempDir dir;
    const auto dataDir = dir.Path() / "data";
    core::FakeClock& clock = env.Clock();
    std::vector<Taken> taken;

    // 40 ratings stored before responses named a version: today's policy judges them.
    TakeRatings(dataDir, clock, std::nullopt, 0, taken);

    std::ofstream(dir.Path() / "token") << env.kioskToken[1] << "\n";
    std::filesystem::permissions(dir.Path() / "token", std::filesystem::perms::owner_read |
                                                           std::filesystem::perms::owner_write);
    sync::SyncSettings settings;
    settings.serverUrl = "http://127.0.0.1:" + std::to_string(env.Server().Port());
    settings.kioskId = "k1";
    settings.tokenFile = dir.Path() / "token";
    settings.dataDir = dataDir;
    settings.seed = 7;
    sync::SyncEngine engine(settings, clock);

    const core::Period period = core::MakePeriod(core::PeriodKind::Today, clock);
    const std::string dates = "&from=" + core::FormatIsoDate(period.firstDay) +
                              "&to=" + core::FormatIsoDate(period.lastDay);
    std::vector<std::int64_t> notAboutR1;
    for (const bool waitTimeIsTheReps : {false, true}) {
        CAPTURE(waitTimeIsTheReps);
        auto put = env.Client().Put("/api/v1/survey?store=s1", test::SessionCookie(admin),
                                    Definition(waitTimeIsTheReps), "application/json");
        REQUIRE(put);
        REQUIRE(put->status == 200);
        // The kiosk's side: the definition as served, read by the kiosk's loader, put in force
        // as the kiosk does (its policy kept in the store), then 40 ratings taken under it.
        auto served = env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]);
        REQUIRE(served);
        REQUIRE(served->status == 200);
        const std::int64_t version = Json::parse(served->body)["version"].get<std::int64_t>();
        CHECK(version == (waitTimeIsTheReps ? 2 : 1));
        config::KioskConfig base;
        base.kioskId = "k1";
        base.storeId = "s1";
        const app::KioskSettings kiosk =
            app::SettingsFromConfig(config::ApplySurveyDefinition(base, served->body, "served"));
        storage::ResponseStore::Open(dataDir, clock)
            ->RecordPolicy(version, core::ReasonPolicy(kiosk.manager.reasonPolicy));
        TakeRatings(dataDir, clock, version, static_cast<int>(taken.size()), taken);
        const auto status = engine.RunOnce();
        INFO("sync: " << status.lastError);
        REQUIRE(status.pending == 0);

        app::ManagerData data(clock, dataDir, kiosk);
        ui::ManagerView view;
        data.Load(period, view);
        REQUIRE_FALSE(view.periodError);

        auto report = env.Get("/api/v1/reports/reps?store=s1" + dates, env.managerS1);
        REQUIRE(report);
        REQUIRE(report->status == 200);
        const Json server = Json::parse(report->body);
        CheckSame(data.Data(), server);
        for (const auto& row : data.Data().reps) {
            if (row.repId == "r1") {
                CHECK(row.summary.notAboutRep == ExpectedNotAboutR1(taken, version));
                notAboutR1.push_back(row.summary.notAboutRep);
            }
        }
    }
    REQUIRE(notAboutR1.size() == 2);
    // History kept: the 40 ratings of version 1 still count wait_time as not about the rep.
    std::int64_t keptFromVersion1 = 0;
    for (const auto& t : taken) {
        if (t.version == 1 && t.rep == "r1" && t.rating <= 2 &&
            (t.reason == "wait_time" || t.reason == "price"))
            ++keptFromVersion1;
    }
    REQUIRE(keptFromVersion1 > 0);
    CHECK(notAboutR1[1] >= keptFromVersion1);
    // The rows with no version followed the change: their wait_time counts against r1 now.
    std::int64_t unversionedWait = 0;
    for (const auto& t : taken) {
        if (!t.version && t.rep == "r1" && t.rating <= 2 && t.reason == "wait_time")
            ++unversionedWait;
    }
    REQUIRE(unversionedWait > 0);
}
