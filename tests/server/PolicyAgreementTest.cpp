// Kiosk and server per-rep figures with one policy (issue 17 item 3): responses taken on a kiosk
// reach a real kiosk-server through the kiosk's own sync engine; the kiosk's manager mode
// (app::ManagerData over its own store, with the survey definition the server serves it) and the
// server's reps report give identical per-rep numbers, under one reason policy and again after
// head office changes which reasons are about the rep.

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

}  // namespace

FK_SERVER_TEST(
    "per-rep figures: the kiosk's manager mode and the server's reps report agree, before and "
    "after a policy change") {
    test::AddUserWithPassword(env, "ada", server::Role::Admin, {}, kPassword);
    const std::string admin = test::LoginUser(env, "ada", kPassword);
    test::TempDir dir;
    const auto dataDir = dir.Path() / "data";
    core::FakeClock& clock = env.Clock();

    // 120 ratings at kiosk k1 through the kiosk's own store: reps r1, r2 and none, negative
    // ones with each reason or none.
    {
        auto store = storage::ResponseStore::Open(dataDir, clock);
        const std::vector<std::optional<std::string>> reps = {"r1", "r2", std::nullopt};
        const std::vector<std::optional<std::string>> reasons = {"wait_time", "staff_attitude",
                                                                 "price", std::nullopt};
        for (int i = 0; i < 120; ++i) {
            const int rating = 1 + (i * 7 + i / 5) % 4;
            const auto r = store->Begin(
                {4, rating, "en", reps[static_cast<std::size_t>(i % 3)], std::nullopt});
            if (rating <= 2)
                store->SetReason(r.id, reasons[static_cast<std::size_t>((i / 3) % 4)]);
            store->Close(r.id, core::CloseReason::ThankYou);
            clock.Advance(20'000);
        }
    }
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
    const auto status = engine.RunOnce();
    INFO("sync: " << status.lastError);
    REQUIRE(status.pending == 0);

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
        // The kiosk's side: the definition as served, read by the kiosk's loader, shown by
        // manager mode's own data code.
        auto served = env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]);
        REQUIRE(served);
        REQUIRE(served->status == 200);
        config::KioskConfig base;
        base.kioskId = "k1";
        base.storeId = "s1";
        const app::KioskSettings kiosk =
            app::SettingsFromConfig(config::ApplySurveyDefinition(base, served->body, "served"));
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
            if (row.repId == "r1")
                notAboutR1.push_back(row.summary.notAboutRep);
        }
    }
    // The policy change mattered: fewer of r1's negatives are "not about the rep" now.
    REQUIRE(notAboutR1.size() == 2);
    CHECK(notAboutR1[1] < notAboutR1[0]);
}
