#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <random>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/Reports.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/CsvReader.h"
#include "support/TempDir.h"

using namespace fk;
using fk::test::ErrorCode;
using Json = nlohmann::json;

namespace {

core::UtcMs At(const char* rfc3339) {
    return *core::ParseRfc3339(rfc3339);
}

Json JsonOf(const httplib::Result& res) {
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return Json::parse(res->body);
}

void SetConfig(test::ServerEnv& env, const std::string& store, int scale = 4) {
    protocol::KioskConfig c;
    c.scale = scale;
    c.roster = {{"r1", "Asha", true}, {"r2", "Bo", true}};
    c.reasons = {{"rude", {{"en", "Rude"}}, true},
                 {"slow_service", {{"en", "Slow service"}}, true},
                 {"wait_time", {{"en", "Waiting time"}}, false},
                 {"price", {{"en", "Price"}}, false}};
    c.locales = {"en", "hi"};
    std::string body = protocol::EncodeKioskConfig(c);
    env.Backend().SetConfig(store, "",
                            server::ConfigRecord{body, "\"" + std::to_string(body.size()) + "\""},
                            env.Clock().NowUtcMs());
}

core::Response Row(test::ServerEnv& env, std::int64_t seq, const char* created, int rating,
                   std::optional<std::string> rep, std::optional<std::string> reason = std::nullopt,
                   std::optional<std::string> misuse = std::nullopt) {
    auto r = env.MakeResponse(seq, rating, std::move(rep));
    r.createdAtMs = At(created);
    r.closedAtMs = r.createdAtMs + 3000;
    r.reason = std::move(reason);
    r.misuse = std::move(misuse);
    return r;
}

const Json* RepOf(const Json& report, const std::optional<std::string>& rep) {
    for (const auto& r : report["reps"]) {
        if ((rep && r["rep_id"] == *rep) || (!rep && r["rep_id"].is_null()))
            return &r;
    }
    return nullptr;
}

}  // namespace

FK_SERVER_TEST(
    "reports follow the store's reason policy, min_n and period on every endpoint, JSON and CSV") {
    SetConfig(env, "s1");
    // All on Friday 2026-11-20 local (+05:30): 10:xx local = 04:xxZ.
    std::vector<core::Response> rows{
        Row(env, 1, "2026-11-20T04:30:00Z", 4, "r1"),
        Row(env, 2, "2026-11-20T04:31:00Z", 4, "r1"),
        Row(env, 3, "2026-11-20T04:32:00Z", 1, "r1", "rude"),
        Row(env, 4, "2026-11-20T04:33:00Z", 2, "r1", "wait_time"),
        Row(env, 5, "2026-11-20T04:34:00Z", 1, "r1", "rude", "rapid_taps"),
        Row(env, 6, "2026-11-20T04:35:00Z", 1, "r1", "gone_reason"),
        Row(env, 7, "2026-11-20T06:00:00Z", 1, std::nullopt, "price"),
        Row(env, 8, "2026-11-20T06:01:00Z", 3, "=HYPERLINK(\"x\")"),
        Row(env, 9, "2026-11-20T06:02:00Z", 4, "రవి"),
    };
    auto receipt = env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1]);
    REQUIRE(receipt->status == 200);
    // A resend (all duplicate) and a conflicting copy (rejected) change no count.
    REQUIRE(env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1])->status == 200);
    auto changed = rows[0];
    changed.rating = 1;
    REQUIRE(env.PostBatch(env.MakeBatch("k1", {changed}), env.kioskToken[1])->status == 200);

    const std::string q = "?store=s1&from=2026-11-20&to=2026-11-20&min_n=3";
    Json reps = JsonOf(env.Get("/api/v1/reports/reps" + q, env.managerS1));
    CHECK(reps["period"] == "custom");
    CHECK(reps["min_n"] == 3);
    const Json* r1 = RepOf(reps, "r1");
    REQUIRE(r1 != nullptr);
    // r1: 4, 4, 1 rude (against), 2 wait_time (not about the rep), 1 unknown reason; misuse apart.
    CHECK((*r1)["responses"] == 5);
    CHECK((*r1)["misuse_excluded"] == 1);
    CHECK((*r1)["not_about_rep"] == 1);
    CHECK((*r1)["against_rep"] == 1);
    CHECK((*r1)["unknown_reason"] == 1);
    CHECK((*r1)["fair"]["responses"] == 4);
    CHECK((*r1)["fair"]["enough_data"] == true);
    CHECK((*r1)["fair"]["satisfaction_pct"].get<double>() == doctest::Approx(50.0));
    CHECK((*r1)["fair"]["wilson_lower_pct"].get<double>() ==
          doctest::Approx(100.0 * core::WilsonLowerBound(2, 4)));
    CHECK((*r1)["raw"]["satisfaction_pct"].get<double>() == doctest::Approx(40.0));
    CHECK((*r1)["distribution"] == Json::array({2, 1, 0, 2}));
    const Json* telugu = RepOf(reps, "రవి");
    REQUIRE(telugu != nullptr);
    CHECK((*telugu)["fair"]["enough_data"] == false);  // 1 < min_n 3: no score at all
    CHECK((*telugu)["fair"]["score100"].is_null());
    CHECK(reps["total"]["fair"]["responses"] == 6);  // 8 non-misuse minus 2 not about the rep

    // CSV: BOM, the legacy columns first, formula-injection guard on names.
    auto csv = env.Get("/api/v1/reports/reps.csv" + q, env.managerS1);
    REQUIRE(csv->status == 200);
    CHECK(csv->get_header_value("Content-Disposition")
              .find("attachment; filename=\"reps-s1-2026-11-20") == 0);
    CHECK(csv->body.rfind(
              "\xEF\xBB\xBFrep_id,responses,negative,neutral,positive,misuse_excluded,csat,score,",
              0) == 0);
    const auto repsCsv = test::ParseCsv(csv->body);
    REQUIRE(repsCsv);
    CHECK(test::HasRow(*repsCsv, {"'=HYPERLINK(\"x\")", "1"}));
    CHECK(test::HasRow(*repsCsv, {"రవి", "1"}));
    CHECK(test::HasRow(*repsCsv, {"r1", "5", "3", "0", "2", "1", "40.0"}));
    CHECK_FALSE(test::HasRow(*repsCsv, {"r1", "5", "3", "0", "2", "1", "40"}));  // whole cells

    Json reasons = JsonOf(env.Get("/api/v1/reports/reasons" + q, env.managerS1));
    REQUIRE(reasons["reasons"].size() == 4);
    CHECK(reasons["reasons"][0]["reason"] == "gone_reason");  // ties by code
    CHECK(reasons["reasons"][0]["known"] == false);
    CHECK(reasons["reasons"][2]["reason"] == "rude");
    CHECK(reasons["reasons"][2]["count"] == 1);  // the misuse one is not counted
    CHECK(reasons["reasons"][2]["attributable_to_rep"] == true);
    CHECK(reasons["reasons"][3]["attributable_to_rep"] == false);
    const auto reasonsCsv =
        test::ParseCsv(env.Get("/api/v1/reports/reasons.csv" + q, env.managerS1)->body);
    REQUIRE(reasonsCsv);
    CHECK(test::HasRow(*reasonsCsv, {"rude", "1", "yes", "yes"}));

    Json heat = JsonOf(env.Get("/api/v1/reports/heatmap" + q, env.managerS1));
    CHECK(heat["volume"][4][10] == 5);  // Friday 10:00 local, misuse left out
    CHECK(heat["volume"][4][11] == 3);  // 11:30 local
    CHECK(heat["score100"][4][10].get<double>() ==
          doctest::Approx((100 + 100 + 0 + 100.0 / 3 + 0) / 5));
    CHECK(heat["score100"][4][11].is_null());  // 3 < 5 per cell
    const auto heatCsv =
        test::ParseCsv(env.Get("/api/v1/reports/heatmap.csv" + q, env.managerS1)->body);
    REQUIRE(heatCsv);
    CHECK(test::HasRow(*heatCsv, {"Fri", "10", "5"}));

    Json trend = JsonOf(
        env.Get("/api/v1/reports/trend?store=s1&from=2026-11-19&to=2026-11-21", env.managerS1));
    REQUIRE(trend["days"].size() == 3);
    CHECK(trend["days"][0]["responses"] == 0);
    CHECK(trend["days"][1]["day"] == "2026-11-20");
    CHECK(trend["days"][1]["responses"] == 8);
    CHECK(trend["days"][1]["enough_data"] == false);  // default min_n 20

    // Periods in the store's zone: the server clock is moved to Saturday 2026-11-21 00:10 local.
    env.Clock().SetUtc(At("2026-11-20T18:40:00Z"));
    Json today = JsonOf(env.Get("/api/v1/reports/reps?store=s1&period=today", env.managerS1));
    CHECK(today["from"] == "2026-11-21");
    CHECK(today["total"]["responses"] == 0);
    Json week = JsonOf(env.Get("/api/v1/reports/reps?store=s1&period=7d", env.managerS1));
    CHECK(week["from"] == "2026-11-15");
    CHECK(week["to"] == "2026-11-21");
    CHECK(week["total"]["responses"] == 8);
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&period=year", env.managerS1)) ==
          "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&period=7d&from=2026-11-01&to=2026-11-02",
                            env.managerS1)) == "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&min_n=0", env.managerS1)) ==
          "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/bogus?store=s1", env.managerS1)) == "not_found");

    // Stores overview: this period against the one before.
    std::vector<core::Response> older{Row(env, 10, "2026-11-12T05:00:00Z", 1, "r2", "rude"),
                                      Row(env, 11, "2026-11-12T05:01:00Z", 4, "r2")};
    REQUIRE(env.PostBatch(env.MakeBatch("k1", older), env.kioskToken[1])->status == 200);
    Json stores = JsonOf(env.Get("/api/v1/reports/stores?period=7d&min_n=2", env.managerAll));
    REQUIRE(stores["stores"].size() == 2);
    CHECK(stores["stores"][0]["store"] == "s1");
    CHECK(stores["stores"][0]["name"] == "Store One");
    CHECK(stores["stores"][0]["current"]["responses"] == 6);
    // Every response but misuse (8), against the rep-adjusted 6: wait_time and price are not
    // about the rep. Both named, so the overview and the trend can agree.
    CHECK(stores["stores"][0]["current_all"]["responses"] == 8);
    CHECK(stores["stores"][0]["previous_all"]["responses"] == 2);
    CHECK(stores["stores"][0]["score_change_all"].is_number());
    CHECK(stores["stores"][0]["previous"]["responses"] == 2);
    CHECK(stores["stores"][0]["previous"]["score100"].get<double>() == doctest::Approx(50.0));
    CHECK(stores["stores"][0]["score_change"].is_number());
    CHECK(stores["stores"][0]["kiosks"] == 2);
    CHECK(stores["stores"][1]["current"]["responses"] == 0);
    // A one-store token sees its store only.
    Json mine = JsonOf(env.Get("/api/v1/reports/stores?period=7d", env.managerS2));
    REQUIRE(mine["stores"].size() == 1);
    CHECK(mine["stores"][0]["store"] == "s2");
    const std::string storesBody =
        env.Get("/api/v1/reports/stores.csv?period=7d", env.managerAll)->body;
    CHECK(storesBody.starts_with("\xEF\xBB\xBF"));
    const auto storesCsv = test::ParseCsv(storesBody);
    REQUIRE(storesCsv);
    REQUIRE_FALSE(storesCsv->empty());
    CHECK(test::HasRow({storesCsv->front()}, {"store", "name", "responses", "satisfaction_pct",
                                              "score100", "previous_responses", "previous_score100",
                                              "score_change", "adjusted_responses"}));
    CHECK(test::HasRow(*storesCsv, {"s1", "Store One", "8"}));
    CHECK(ErrorCode(env.Get("/api/v1/reports/stores?store=s1", env.managerS2)) == "wrong_store");
    CHECK(ErrorCode(env.Get("/api/v1/reports/fleet", env.kioskToken[1])) == "wrong_token_kind");
}

FK_SERVER_TEST(
    "the heartbeat's alert is stored, shown in status and fleet, and silent kiosks are flagged "
    "stale") {
    protocol::Heartbeat hb;
    hb.pending = 3;
    hb.oldestPendingAgeMs = 120'000;
    hb.clock = env.Clock().NowUtcMs() + 1500;
    hb.version = "1.2.3";
    hb.alert = "6 of 8 negative in the last 15 minutes";
    REQUIRE(
        env.Post("/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb), env.kioskToken[1])
            ->status == 200);
    hb.alert.reset();
    hb.oldestPendingAgeMs = 2LL * 24 * 3600 * 1000;  // a backlog two days old
    REQUIRE(
        env.Post("/api/v1/kiosks/k3/heartbeat", protocol::EncodeHeartbeat(hb), env.kioskToken[3])
            ->status == 200);

    auto status =
        protocol::DecodeKioskStatus(env.Get("/api/v1/kiosks/k1/status", env.managerS1)->body);
    REQUIRE(status.Ok());
    CHECK(status->alert == "6 of 8 negative in the last 15 minutes");

    env.Clock().SetUtc(env.Clock().NowUtcMs() + 30 * 60'000);
    Json fleet = JsonOf(env.Get("/api/v1/reports/fleet", env.managerAll));
    REQUIRE(fleet["kiosks"].size() == 3);
    CHECK(fleet["stale_after_s"] == 3600);
    const Json& k1 = fleet["kiosks"][0];
    CHECK(k1["kiosk_id"] == "k1");
    CHECK(k1["alert"] == "6 of 8 negative in the last 15 minutes");
    CHECK(k1["stale"] == false);
    CHECK(k1["clock_skew_ms"] == 1500);
    CHECK(k1["pending_reported"] == 3);
    CHECK(k1["version"] == "1.2.3");
    CHECK(k1["last_seen_age_s"] == 1800);
    CHECK(fleet["kiosks"][1]["kiosk_id"] == "k2");
    CHECK(fleet["kiosks"][1]["stale"] == true);  // never seen
    CHECK(fleet["kiosks"][2]["stale"] == true);  // backlog older than a day
    CHECK(fleet["kiosks"][2]["stale_reason"].get<std::string>().find("backlog older than a day") !=
          std::string::npos);
    // Two hours later k1 is silent too.
    env.Clock().SetUtc(env.Clock().NowUtcMs() + 90 * 60'000);
    fleet = JsonOf(env.Get("/api/v1/reports/fleet?store=s1", env.managerS1));
    REQUIRE(fleet["kiosks"].size() == 2);
    CHECK(fleet["kiosks"][0]["stale"] == true);
    CHECK(fleet["kiosks"][0]["stale_reason"] == "no contact for 2 h");
    auto csv = env.Get("/api/v1/reports/fleet.csv?store=s1", env.managerS1);
    const auto fleetCsv = test::ParseCsv(csv->body);
    REQUIRE(fleetCsv);
    CHECK(test::HasRow(*fleetCsv, {"k1", "s1"}));
    CHECK(test::HasRow(*fleetCsv,
                       {"6 of 8 negative in the last 15 minutes", "yes", "no contact for 2 h"},
                       test::CellsAt::Anywhere));
    CHECK(ErrorCode(env.Get("/api/v1/reports/fleet?store=s2", env.managerS1)) == "wrong_store");
}

FK_SERVER_TEST("the kiosk and the server give the same fair numbers for the same rows") {
    // The same rows in a kiosk's store (read by storage::Dashboard, the manager screen) and posted
    // to the server in real batches (read through /api/v1/reports/*).
    SetConfig(env, "s1");
    core::ReasonPolicy policy(
        {{"rude", true}, {"slow_service", true}, {"wait_time", false}, {"price", false}});
    test::TempDir dir("fk-same-numbers");
    core::FakeClock clock(At("2026-10-01T03:00:00Z"), 330);
    auto store = storage::ResponseStore::Open(dir.Path(), clock);
    const std::vector<std::optional<std::string>> reps{std::nullopt, "r1", "r2", "अनिल", "రవి",
                                                       "Søren",      "r6", "r7", "=cmd"};
    const std::vector<std::optional<std::string>> reasons{std::nullopt, "rude",  "slow_service",
                                                          "wait_time",  "price", "retired_reason"};
    std::mt19937 rng(20261122);
    for (int i = 0; i < 3000; ++i) {
        // Spread over 30 days, at any hour.
        clock.SetUtc(At("2026-10-01T03:00:00Z") +
                     static_cast<core::UtcMs>(rng() % (30ULL * 86'400'000)));
        storage::BeginRequest req;
        req.scale = rng() % 40 == 0 ? 5 : 4;  // a few rows from before a survey change
        req.rating = 1 + static_cast<int>(rng() % static_cast<unsigned>(req.scale));
        req.repId = reps[rng() % reps.size()];
        if (rng() % 25 == 0)
            req.misuse = "rapid_taps";
        auto r = store->Begin(req);
        if (req.rating <= 2 && rng() % 3 != 0)
            store->SetReason(r.id, reasons[rng() % reasons.size()]);
        store->Close(r.id, core::CloseReason::ThankYou);
    }
    for (;;) {
        auto batch = store->NextPending(500);
        if (batch.responses.empty())
            break;
        std::vector<core::Uuid> ids;
        for (const auto& r : batch.responses)
            ids.push_back(r.id);
        auto res = env.PostBatch(env.MakeBatch("k1", batch.responses), env.kioskToken[1]);
        REQUIRE(res->status == 200);
        auto receipt = protocol::DecodeReceipt(res->body);
        REQUIRE(receipt.Ok());
        for (const auto& item : receipt->results)
            REQUIRE(item.status == protocol::ItemStatus::Accepted);
        store->MarkSent(ids);
    }

    auto dash = storage::Dashboard::Open(dir.Path(), clock);
    for (auto [from, to] :
         {std::pair{core::CivilDate{2026, 10, 1}, core::CivilDate{2026, 10, 30}},
          std::pair{core::CivilDate{2026, 10, 7}, core::CivilDate{2026, 10, 13}}}) {
        auto period = core::MakeCustomPeriod(from, to, clock);
        REQUIRE(period.period);
        storage::DashboardRequest request{*period.period, core::RatingScale(), 20, 5, false};
        const core::DashboardData kiosk = dash->Load(request, policy);
        const std::string q = "?store=s1&from=" + core::FormatIsoDate(from) +
                              "&to=" + core::FormatIsoDate(to) + "&min_n=20";
        Json server = JsonOf(env.Get("/api/v1/reports/reps" + q, env.managerS1));
        REQUIRE(server["reps"].size() == kiosk.reps.size());
        std::int64_t withScore = 0;
        auto same = [](const Json& j, const core::RatingSummary& s) {
            CHECK(j["responses"] == s.responses);
            CHECK(j["positive"] == s.positive);
            CHECK(j["negative"] == s.negative);
            CHECK(j["enough_data"] == s.enoughData);
            // Identical, not approximately equal: one definition, the same counts.
            CHECK(j["satisfaction_pct"] ==
                  Json(s.satisfactionPct ? Json(*s.satisfactionPct) : Json(nullptr)));
            CHECK(j["score100"] == Json(s.score100 ? Json(*s.score100) : Json(nullptr)));
            CHECK(j["wilson_lower_pct"] ==
                  Json(s.wilsonLowerPct ? Json(*s.wilsonLowerPct) : Json(nullptr)));
        };
        for (const auto& k : kiosk.reps) {
            CAPTURE(k.repId.value_or("(none)"));
            const Json* s = RepOf(server, k.repId);
            REQUIRE(s != nullptr);
            if (!k.summary.fair.enoughData) {
                // Below min_n: the count only; nothing on how customers rated the rep.
                CHECK((*s)["withheld"] == true);
                CHECK((*s)["fair"]["responses"] == k.summary.fair.responses);
                CHECK((*s)["responses"] == k.tally.all.Total());
                for (const char* key : {"raw", "distribution", "negative", "positive", "csat",
                                        "against_rep", "not_about_rep"})
                    CHECK((*s)[key].is_null());
                CHECK((*s)["fair"]["positive"].is_null());
                continue;
            }
            CHECK((*s)["withheld"] == false);
            same((*s)["fair"], k.summary.fair);
            same((*s)["raw"], k.summary.raw);
            CHECK((*s)["misuse_excluded"] == k.summary.misuse);
            CHECK((*s)["not_about_rep"] == k.summary.notAboutRep);
            CHECK((*s)["against_rep"] == k.summary.againstRep);
            CHECK((*s)["negative_no_reason"] == k.summary.negativeNoReason);
            CHECK((*s)["unknown_reason"] == k.summary.unknownReason);
            CHECK((*s)["other_scale"] == k.otherScale);
            if (k.summary.fair.enoughData)
                ++withScore;
        }
        same(server["total"]["fair"], kiosk.total.summary.fair);
        CHECK(withScore >= 3);  // the comparison covers real scores, not only "not enough data"

        Json trend = JsonOf(env.Get("/api/v1/reports/trend" + q, env.managerS1));
        REQUIRE(trend["days"].size() == kiosk.trend.size());
        for (std::size_t i = 0; i < kiosk.trend.size(); ++i)
            same(trend["days"][i], kiosk.trend[i].summary);
        Json heat = JsonOf(env.Get("/api/v1/reports/heatmap" + q, env.managerS1));
        for (std::size_t d = 0; d < 7; ++d) {
            for (std::size_t h = 0; h < 24; ++h) {
                CHECK(heat["volume"][d][h] == kiosk.heatmap[d][h].counts.Total());
                const auto& sc = kiosk.heatmap[d][h].score100;
                CHECK(heat["score100"][d][h] == (sc ? Json(*sc) : Json(nullptr)));
            }
        }
        Json rs = JsonOf(env.Get("/api/v1/reports/reasons" + q, env.managerS1));
        REQUIRE(rs["reasons"].size() == kiosk.reasons.size());
        for (std::size_t i = 0; i < kiosk.reasons.size(); ++i) {
            CHECK(rs["reasons"][i]["reason"] == kiosk.reasons[i].code);
            CHECK(rs["reasons"][i]["count"] == kiosk.reasons[i].count);
            CHECK(rs["reasons"][i]["attributable_to_rep"] == kiosk.reasons[i].attributableToRep);
        }
    }
}

TEST_CASE(
    "the web page is served from the binary and its session cookie is HttpOnly, SameSite=Strict "
    "and read-only") {
    auto env = test::ServerEnv::Sqlite();
    auto page = env->Get("/", "");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type").find("text/html") == 0);
    CHECK(page->body.find("<html") != std::string::npos);
    CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'self'") !=
          std::string::npos);
    CHECK(env->Get("/nope.js", "")->status == 404);

    // Logging in: POST with the bearer token sets the cookie (no Secure without TLS).
    CHECK(env->Post("/api/v1/session", "", "fk1_wrong")->status == 401);
    CHECK(ErrorCode(env->Post("/api/v1/session", "", env->kioskToken[1])) == "wrong_token_kind");
    auto login = env->Post("/api/v1/session", "", env->managerS1);
    REQUIRE(login->status == 200);
    const std::string cookie = login->get_header_value("Set-Cookie");
    // The cookie is a server-side session's random id, never the token
    // (tests/server/SessionsTest.cpp).
    REQUIRE(cookie.rfind("fk_session=fks_", 0) == 0);
    CHECK(cookie.find(env->managerS1) == std::string::npos);
    const std::string sessionId = cookie.substr(11, cookie.find(';') - 11);
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("Secure") == std::string::npos);
    CHECK(Json::parse(login->body)["store"] == "s1");

    httplib::Headers withCookie{{"Cookie", "other=1; fk_session=" + sessionId}};
    CHECK(env->Get("/api/v1/session", "", withCookie)->status == 200);
    CHECK(env->Get("/api/v1/reports/reps?store=s1", "", withCookie)->status == 200);
    CHECK(env->Get("/api/v1/reports/reps?store=s2", "", withCookie)->status == 403);
    // The cookie never authorises a write: a cross-site form posting a batch gets nothing.
    auto post = env->Client().Post("/api/v1/batches", withCookie, "{}", "application/json");
    CHECK(post->status == 401);
    CHECK(env->Get("/api/v1/reports/reps?store=s1", "", {{"Cookie", "fk_session=fk1_forged"}})
              ->status == 401);
    CHECK(env->Get("/api/v1/session", "")->status == 401);
    // Logging out clears the cookie and ends the session on the server.
    auto logout = env->Client().Delete("/api/v1/session", withCookie);
    REQUIRE(logout->status == 200);
    CHECK(logout->get_header_value("Set-Cookie").find("fk_session=; Path=/; Max-Age=0") == 0);
    CHECK(env->Get("/api/v1/session", "", withCookie)->status == 401);
}

TEST_CASE(
    "a version 1 SQLite database gets the alert column and its report counts backfilled on open") {
    test::TempDir dir("fk-migrate");
    const std::string url = "sqlite:" + (dir.Path() / "server.db").string();
    core::FakeClock clock(At("2026-11-20T12:00:00Z"));
    core::Uuid7Generator ids(clock);
    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    const int ratings[] = {4, 4, 1, 2, 3, 1};
    const char* reasonOf[] = {nullptr, nullptr, "rude", "wait_time", nullptr, nullptr};
    for (int i = 0; i < 6; ++i) {
        core::Response r;
        r.id = ids.Next();
        r.seq = i + 1;
        r.createdAtMs = At("2026-11-20T04:00:00Z") + i * 3'600'000LL;
        r.closedAtMs = r.createdAtMs + 1000;
        r.tzOffsetMin = 330;
        r.rating = ratings[i];
        r.repId = i < 4 ? std::optional<std::string>("r1") : std::nullopt;
        if (reasonOf[i] != nullptr)
            r.reason = reasonOf[i];
        if (i == 5)
            r.misuse = "rapid_taps";
        r.language = "en";
        batch.responses.push_back(r);
    }
    server::ReportRequest request;
    request.storeId = "s1";
    request.kind = core::PeriodKind::Custom;
    request.from = request.to = core::CivilDate{2026, 11, 20};
    request.minN = 1;
    std::string before;
    {
        auto backend = server::OpenBackend(url);
        backend->AddStore("s1", "One", clock.NowUtcMs());
        backend->AddKiosk("k1", "s1", clock.NowUtcMs());
        server::Ingest(*backend, server::KioskRecord{"k1", "s1"}, batch, clock.NowUtcMs());
        const auto data = server::LoadDashboard(*backend, request);
        before = server::RepsJson(request, data) + server::HeatmapJson(request, data) +
                 server::TrendJson(request, data);
        CHECK(data.trend[0].counts.Total() == 5);
    }
    {
        // Back to what version 1 had: no aggregates, no alert column.
        storage::Database db(dir.Path() / "server.db");
        db.Exec("DROP TABLE agg_rep_day");
        db.Exec("DROP TABLE agg_store_day");
        db.Exec("DROP TABLE agg_hour");
        db.Exec("DROP TABLE agg_rep_month");
        db.Exec("DROP TABLE agg_store_month");
        db.Exec("ALTER TABLE kiosks DROP COLUMN alert");
        db.Exec("DROP TABLE web_sessions");  // version 3
        db.Exec("DROP TABLE calls");         // version 5
        db.Exec("DROP TABLE webhooks");
        db.Exec("DROP TABLE outbox");
        db.Exec("DROP TABLE user_sessions");  // version 6
        db.Exec("DROP TABLE users");
        db.Exec("DROP TABLE access_log");       // version 7
        db.Exec("DROP TABLE survey_versions");  // version 8
        db.Exec("DROP TABLE kiosk_survey");
        db.Exec("DROP TABLE store_alerts");  // version 9
        db.Exec("DROP TABLE store_alert_state");
        db.Exec("DROP TABLE rep_links");
        db.Exec("DROP TABLE login_failures");  // version 10
        db.Exec("DROP TABLE retention");       // version 11
        db.Exec("DROP TABLE purged_keys");
        db.Exec("DROP TABLE store_alert_minutes");  // version 12
        db.Exec("DROP TABLE call_facts");           // version 13
        db.Exec("PRAGMA user_version = 1");
    }
    auto backend = server::OpenBackend(url);
    const auto data = server::LoadDashboard(*backend, request);
    CHECK(server::RepsJson(request, data) + server::HeatmapJson(request, data) +
              server::TrendJson(request, data) ==
          before);
    CHECK(data.total.tally.all.Total() == 5);
    CHECK(data.total.tally.misuse == 1);
    protocol::Heartbeat hb;
    hb.alert = "firing";
    backend->RecordHeartbeat("k1", hb, clock.NowUtcMs());
    CHECK(backend->Status("k1")->alert == "firing");
}

FK_SERVER_TEST(
    "the fleet view (one query for every kiosk) agrees with each kiosk's status: gaps, max seq, "
    "rejected and lost") {
    std::vector<core::Response> rows;
    for (int i : {1, 2, 3, 7, 8, 12})
        rows.push_back(env.MakeResponse(i));
    REQUIRE(env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1])->status == 200);
    // A conflicting copy of seq 2 (rejected), and a lost report for 4..5.
    core::Response conflict = rows[1];
    conflict.rating = conflict.rating == 1 ? 2 : 1;
    auto batch = env.MakeBatch("k1", {conflict});
    batch.lost = {{4, 5, "damaged kiosk file"}};
    REQUIRE(env.PostBatch(batch, env.kioskToken[1])->status == 200);
    REQUIRE(env.PostBatch(env.MakeBatch("k3", {env.MakeResponse(2)}), env.kioskToken[3])->status ==
            200);
    for (const std::optional<std::string>& store :
         {std::optional<std::string>{}, std::optional<std::string>{"s1"}}) {
        const auto fleet = env.Backend().FleetStatuses(store);
        REQUIRE(fleet.size() == (store ? 2U : 3U));
        for (const auto& f : fleet) {
            CAPTURE(f.kioskId);
            const auto st = env.Backend().Status(f.kioskId);
            REQUIRE(st);
            CHECK(f.storeId == st->storeId);
            CHECK(f.ackedSeq == st->ackedSeq);
            CHECK(f.maxSeq == st->maxSeq);
            CHECK(f.gaps == st->gaps);
            CHECK(f.rejected == st->rejected);
            REQUIRE(f.lost.size() == st->lost.size());
            for (std::size_t i = 0; i < f.lost.size(); ++i) {
                CHECK(f.lost[i].from == st->lost[i].from);
                CHECK(f.lost[i].to == st->lost[i].to);
                CHECK(f.lost[i].reason == st->lost[i].reason);
            }
        }
        const auto& k1 = fleet[0];
        CHECK(k1.kioskId == "k1");
        CHECK(k1.ackedSeq == 5);  // 6 is missing
        CHECK(k1.maxSeq == 12);
        CHECK(k1.gaps == std::vector<protocol::SeqRange>{{6, 6}, {9, 11}});
        CHECK(k1.rejected == 1);
        REQUIRE(k1.lost.size() == 1);
        CHECK(k1.lost[0].from == 4);
        CHECK(k1.lost[0].to == 5);
    }
}

FK_SERVER_TEST(
    "the all-stores reps report keeps one id in two stores as two rows, each with its store and "
    "its roster's name") {
    auto config = [&](const std::string& store, const std::string& r1Name) {
        protocol::KioskConfig c;
        c.scale = 4;
        c.roster = {{"r1", r1Name, true}};
        c.locales = {"en"};
        std::string body = protocol::EncodeKioskConfig(c);
        env.Backend().SetConfig(
            store, "", server::ConfigRecord{body, "\"" + std::to_string(body.size()) + "\""},
            env.Clock().NowUtcMs());
    };
    config("s1", "Asha");
    config("s2", "Søren");
    std::vector<core::Response> s1{Row(env, 1, "2026-11-20T04:30:00Z", 4, "r1"),
                                   Row(env, 2, "2026-11-20T04:31:00Z", 4, "r1"),
                                   Row(env, 3, "2026-11-20T04:32:00Z", 1, "r1")};
    std::vector<core::Response> s2{Row(env, 1, "2026-11-20T05:30:00Z", 1, "r1")};
    REQUIRE(env.PostBatch(env.MakeBatch("k1", s1), env.kioskToken[1])->status == 200);
    REQUIRE(env.PostBatch(env.MakeBatch("k3", s2), env.kioskToken[3])->status == 200);
    const std::string q = "?from=2026-11-20&to=2026-11-20&min_n=1";

    Json all = JsonOf(env.Get("/api/v1/reports/reps" + q, env.managerAll));
    REQUIRE(all["reps"].size() == 2);
    std::map<std::string, Json> byStore;
    for (const auto& r : all["reps"]) {
        CHECK(r["rep_id"] == "r1");
        byStore[r["store"].get<std::string>()] = r;
    }
    REQUIRE(byStore.count("s1") == 1);
    REQUIRE(byStore.count("s2") == 1);
    CHECK(byStore["s1"]["name"] == "Asha");
    CHECK(byStore["s1"]["responses"] == 3);
    CHECK(byStore["s2"]["name"] == "Søren");
    CHECK(byStore["s2"]["responses"] == 1);
    CHECK(all["total"]["responses"] == 4);
    // Above store level the minimum group size (5 by default) wins over a smaller min_n: the
    // counts stay, every rating figure of a smaller group is withheld (issue 20 item 5). The
    // store's own manager may look closer.
    CHECK(all["min_n"] == 5);
    CHECK(byStore["s1"]["withheld"] == true);
    CHECK(byStore["s1"]["distribution"].is_null());
    CHECK(byStore["s1"]["fair"]["satisfaction_pct"].is_null());
    Json own = JsonOf(env.Get("/api/v1/reports/reps" + q + "&store=s1", env.managerS1));
    CHECK(own["min_n"] == 1);
    REQUIRE(own["reps"].size() == 1);
    CHECK(own["reps"][0]["withheld"] == false);
    CHECK(own["reps"][0]["distribution"] == Json::array({1, 0, 0, 2}));
    // One store: its rows carry the store too.
    Json one = JsonOf(env.Get("/api/v1/reports/reps" + q + "&store=s2", env.managerAll));
    REQUIRE(one["reps"].size() == 1);
    CHECK(one["reps"][0]["store"] == "s2");
    CHECK(one["reps"][0]["name"] == "Søren");

    auto csv = env.Get("/api/v1/reports/reps.csv" + q, env.managerAll);
    REQUIRE(csv->status == 200);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"negative_no_reason", "store", "name"}, test::CellsAt::Anywhere));
    CHECK(test::HasRow(*table, {"s1", "Asha"}, test::CellsAt::Anywhere));
    CHECK(test::HasRow(*table, {"s2", "Søren"}, test::CellsAt::Anywhere));
}

FK_SERVER_TEST(
    "the stores overview counts each store's today in its own zone: a store past midnight in "
    "Kolkata and one still on the evening before in Copenhagen") {
    // 18:50Z: 00:20 on Nov 21 in Kolkata (+05:30), 19:50 on Nov 20 in Copenhagen (+01:00).
    auto row = [&](std::int64_t seq, int tz) {
        auto r = Row(env, seq, "2026-11-20T18:50:00Z", 4, "r1");
        r.tzOffsetMin = tz;
        return r;
    };
    REQUIRE(env.PostBatch(env.MakeBatch("k1", {row(1, 330)}), env.kioskToken[1])->status == 200);
    REQUIRE(env.PostBatch(env.MakeBatch("k3", {row(1, 60)}), env.kioskToken[3])->status == 200);
    env.Clock().SetUtc(At("2026-11-20T19:00:00Z"));

    Json today = JsonOf(env.Get("/api/v1/reports/stores?period=today", env.managerAll));
    REQUIRE(today["stores"].size() == 2);
    const Json& kolkata = today["stores"][0];
    const Json& copenhagen = today["stores"][1];
    REQUIRE(kolkata["store"] == "s1");
    CHECK(kolkata["from"] == "2026-11-21");
    CHECK(kolkata["tz_offset_min"] == 330);
    CHECK(kolkata["current_all"]["responses"] == 1);
    REQUIRE(copenhagen["store"] == "s2");
    CHECK(copenhagen["from"] == "2026-11-20");
    CHECK(copenhagen["to"] == "2026-11-20");
    CHECK(copenhagen["tz_offset_min"] == 60);
    CHECK(copenhagen["current_all"]["responses"] == 1);  // on the Kolkata date it was 0
    // A custom range is the same dates everywhere; the zone is still stated.
    Json custom =
        JsonOf(env.Get("/api/v1/reports/stores?from=2026-11-21&to=2026-11-21", env.managerAll));
    CHECK(custom["stores"][0]["current_all"]["responses"] == 1);
    CHECK(custom["stores"][1]["current_all"]["responses"] == 0);
    CHECK(custom["stores"][1]["tz_offset_min"] == 60);
    auto csv = env.Get("/api/v1/reports/stores.csv?period=today", env.managerAll);
    REQUIRE(csv->status == 200);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"2026-11-21", "2026-11-21", "330"}, test::CellsAt::End));
    CHECK(test::HasRow(*table, {"2026-11-20", "2026-11-20", "60"}, test::CellsAt::End));
}

FK_SERVER_TEST(
    "the all-stores reps report names the person head office linked; unlinked ids stay apart") {
    auto config = [&](const std::string& store, const std::string& id, const std::string& name) {
        protocol::KioskConfig c;
        c.scale = 4;
        c.roster = {{id, name, true}, {"r9", "Someone else", true}};
        c.locales = {"en"};
        std::string body = protocol::EncodeKioskConfig(c);
        env.Backend().SetConfig(
            store, "", server::ConfigRecord{body, "\"" + std::to_string(body.size()) + "\""},
            env.Clock().NowUtcMs());
    };
    config("s1", "r1", "Asha");
    config("s2", "a7", "Asha K.");
    std::vector<core::Response> s1{Row(env, 1, "2026-11-20T04:30:00Z", 4, "r1"),
                                   Row(env, 2, "2026-11-20T04:31:00Z", 1, "r9")};
    std::vector<core::Response> s2{Row(env, 1, "2026-11-20T05:30:00Z", 1, "a7"),
                                   Row(env, 2, "2026-11-20T05:31:00Z", 4, "r9")};
    REQUIRE(env.PostBatch(env.MakeBatch("k1", s1), env.kioskToken[1])->status == 200);
    REQUIRE(env.PostBatch(env.MakeBatch("k3", s2), env.kioskToken[3])->status == 200);
    // The same person under r1 in s1 and a7 in s2; r9 is a different person in each store.
    env.Backend().Links().Link({"s1", "r1", "asha.k"}, env.Clock().NowUtcMs());
    env.Backend().Links().Link({"s2", "a7", "asha.k"}, env.Clock().NowUtcMs());
    REQUIRE(env.Backend().Links().List(std::nullopt).size() == 2);
    const std::string q = "?from=2026-11-20&to=2026-11-20&min_n=1";

    Json all = JsonOf(env.Get("/api/v1/reports/reps" + q, env.managerAll));
    REQUIRE(all["reps"].size() == 4);
    std::map<std::pair<std::string, std::string>, Json> byKey;
    for (const auto& r : all["reps"])
        byKey[{r["store"].get<std::string>(), r["rep_id"].get<std::string>()}] = r;
    CHECK(byKey[{"s1", "r1"}]["person"] == "asha.k");
    CHECK(byKey[{"s2", "a7"}]["person"] == "asha.k");
    CHECK(byKey[{"s2", "a7"}]["name"] == "Asha K.");
    CHECK(byKey[{"s1", "r9"}]["person"].is_null());
    CHECK(byKey[{"s2", "r9"}]["person"].is_null());
    CHECK(byKey[{"s1", "r9"}]["responses"] == 1);

    auto csv = env.Get("/api/v1/reports/reps.csv" + q, env.managerAll);
    REQUIRE(csv->status == 200);
    // Every row has the header's columns, the withheld ones too (below min_group_size here).
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"store", "name", "person"}, test::CellsAt::Anywhere));
    CHECK(test::HasRow(*table, {"s2", "Asha K.", "asha.k"}, test::CellsAt::Anywhere));
    REQUIRE(table->size() == 6);
    for (const auto& row : *table)
        CHECK(row.size() == table->front().size());

    // Unlinking puts them apart again; relinking replaces.
    CHECK(env.Backend().Links().Unlink("s2", "a7"));
    CHECK_FALSE(env.Backend().Links().Unlink("s2", "a7"));
    all = JsonOf(env.Get("/api/v1/reports/reps" + q + "&store=s2", env.managerAll));
    for (const auto& r : all["reps"])
        CHECK(r["person"].is_null());
    env.Backend().Links().Link({"s1", "r1", "asha.2"}, env.Clock().NowUtcMs());
    auto links = env.Backend().Links().List(std::string("s1"));
    REQUIRE(links.size() == 1);
    CHECK(links[0].person == "asha.2");
}
