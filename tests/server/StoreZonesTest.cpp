// Each store's IANA time zone (issue 17 item 5) on both backends through the real HTTP server: a
// chain with a store in Asia/Kolkata and one in Europe/Copenhagen gets "today" right at each
// store's own midnight (fake clock), the all-stores report names each store's zone, and a store
// without one keeps the zone of its newest response as before. Offsets come from the system's
// ICU zone data.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "server/StoreZones.h"

using namespace fk;
using Json = nlohmann::json;

namespace {

core::UtcMs At(const char* text) {
    auto t = core::ParseRfc3339(text);
    REQUIRE(t.has_value());
    return *t;
}

// store id -> (from, time_zone) of the stores report for period=today.
std::map<std::string, std::pair<std::string, Json>> Today(test::ServerEnv& env) {
    auto res = env.Get("/api/v1/reports/stores?period=today", env.managerAll);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    std::map<std::string, std::pair<std::string, Json>> out;
    for (const auto& s : Json::parse(res->body)["stores"]) {
        CHECK(s["from"] == s["to"]);
        out[s["store"].get<std::string>()] = {s["from"].get<std::string>(), s["time_zone"]};
    }
    return out;
}

std::string RepsFrom(test::ServerEnv& env, const std::string& store) {
    auto res = env.Get("/api/v1/reports/reps?store=" + store + "&period=today", env.managerAll);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return Json::parse(res->body)["from"].get<std::string>();
}

}  // namespace

TEST_CASE("IANA zones: known names, offsets with and without daylight saving") {
    CHECK(server::KnownZone("Asia/Kolkata"));
    CHECK(server::KnownZone("Europe/Copenhagen"));
    CHECK_FALSE(server::KnownZone("Mars/Olympus_Mons"));
    CHECK_FALSE(server::KnownZone(""));
    CHECK(server::ZoneOffsetMinutes("Asia/Kolkata", At("2026-12-03T12:00:00Z")) == 330);
    CHECK(server::ZoneOffsetMinutes("Europe/Copenhagen", At("2026-12-03T12:00:00Z")) == 60);
    CHECK(server::ZoneOffsetMinutes("Europe/Copenhagen", At("2026-07-01T12:00:00Z")) == 120);
    CHECK_FALSE(server::ZoneOffsetMinutes("Nowhere/Land", At("2026-12-03T12:00:00Z")));
}

FK_SERVER_TEST("store time zones: today at each store's own midnight, Kolkata and Copenhagen") {
    env.Backend().Zones().Set("s1", "Asia/Kolkata", "test", env.Clock().NowUtcMs());
    env.Backend().Zones().Set("s2", "Europe/Copenhagen", "test", env.Clock().NowUtcMs());
    CHECK_THROWS_AS(env.Backend().Zones().Set("s9", "UTC", "test", env.Clock().NowUtcMs()),
                    server::BackendError);

    // One minute before Kolkata's midnight: both stores are on 3 December.
    env.Clock().SetUtc(At("2026-12-03T18:29:00Z"));
    auto today = Today(env);
    CHECK(today["s1"] == std::pair<std::string, Json>("2026-12-03", "Asia/Kolkata"));
    CHECK(today["s2"] == std::pair<std::string, Json>("2026-12-03", "Europe/Copenhagen"));
    // Kolkata's midnight (18:30Z): s1 is on the 4th, s2 still on the 3rd.
    env.Clock().SetUtc(At("2026-12-03T18:31:00Z"));
    today = Today(env);
    CHECK(today["s1"].first == "2026-12-04");
    CHECK(today["s2"].first == "2026-12-03");
    CHECK(RepsFrom(env, "s1") == "2026-12-04");
    CHECK(RepsFrom(env, "s2") == "2026-12-03");
    // Copenhagen's midnight (23:00Z in winter): both on the 4th.
    env.Clock().SetUtc(At("2026-12-03T22:59:00Z"));
    CHECK(Today(env)["s2"].first == "2026-12-03");
    env.Clock().SetUtc(At("2026-12-03T23:01:00Z"));
    today = Today(env);
    CHECK(today["s1"].first == "2026-12-04");
    CHECK(today["s2"].first == "2026-12-04");
    CHECK(RepsFrom(env, "s2") == "2026-12-04");
    // In summer Copenhagen's midnight is 22:00Z.
    env.Clock().SetUtc(At("2026-07-01T22:01:00Z"));
    CHECK(RepsFrom(env, "s2") == "2026-07-02");
}

FK_SERVER_TEST("store time zones: a store without one keeps its newest response's zone") {
    env.Clock().SetUtc(At("2026-12-03T18:31:00Z"));
    // A response from s1's kiosk at +05:30: s1 is on the 4th, by that offset.
    core::Response r = env.MakeResponse(1);
    r.createdAtMs = env.Clock().NowUtcMs() - 60'000;
    r.closedAtMs = r.createdAtMs + 5'000;
    r.tzOffsetMin = 330;
    REQUIRE(env.PostBatch(env.MakeBatch("k1", {r}), env.kioskToken[1])->status == 200);
    auto today = Today(env);
    CHECK(today["s1"].first == "2026-12-04");
    CHECK(today["s1"].second.is_null());
    // A zone set for it wins over the responses' offset.
    env.Backend().Zones().Set("s1", "Europe/Copenhagen", "test", env.Clock().NowUtcMs());
    today = Today(env);
    CHECK(today["s1"].first == "2026-12-03");
    CHECK(today["s1"].second == "Europe/Copenhagen");
}
