// Survey definitions on both backends through the real HTTP server (issue 17): an admin stores a
// definition the kiosk's own loader checks (a refused one is answered with the loader's
// problems by JSON pointer and not stored), each stored one gets the store's next version with
// who and when, kiosks are served it, report the version they run in the heartbeat, the fleet
// flags a kiosk not on the latest for over an hour, and a roll back serves an earlier one again.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ServerTestEnv.h"
#include "config/PinHash.h"

using namespace fk;
using Json = nlohmann::json;

namespace {

const std::string kPassword = "correct horse battery";

const std::string kFive = R"({"survey": {"scale": 5},
  "reasons": [{"id": "rude", "labels": {"en": "Rude"}, "attributable_to_rep": true},
              {"id": "wait_time"}],
  "roster": [{"id": "r1", "name": "Asha"}, {"id": "r2", "name": "రవి"}]})";
const std::string kFour = R"({"survey": {"scale": 4}, "roster": [{"id": "r1", "name": "Asha"}]})";

httplib::Result Put(test::ServerEnv& env, const std::string& path, const std::string& body,
                    const std::string& session) {
    return env.Client().Put(path.c_str(), test::SessionCookie(session), body, "application/json");
}

Json JsonOf(const httplib::Result& res) {
    REQUIRE(res);
    return Json::parse(res->body);
}

void Beat(test::ServerEnv& env, const std::string& kiosk, const std::string& token,
          std::optional<std::int64_t> version) {
    protocol::Heartbeat hb{0,   std::nullopt, env.Clock().NowUtcMs(),
                           "t", std::nullopt, std::nullopt};
    hb.configVersion = version;
    auto res =
        env.Post("/api/v1/kiosks/" + kiosk + "/heartbeat", protocol::EncodeHeartbeat(hb), token);
    REQUIRE(res);
    CHECK(res->status == 200);
}

Json FleetKiosk(test::ServerEnv& env, const std::string& kiosk) {
    Json fleet = JsonOf(env.Get("/api/v1/reports/fleet", env.managerAll));
    for (const auto& k : fleet["kiosks"]) {
        if (k["kiosk_id"] == kiosk)
            return k;
    }
    FAIL("kiosk " << kiosk << " not in the fleet");
    return {};
}

}  // namespace

FK_SERVER_TEST("survey definition: validated, versioned, served, reported, rolled back") {
    test::AddUserWithPassword(env, "ada", server::Role::Admin, {}, kPassword);
    test::AddUserWithPassword(env, "mira", server::Role::StoreManager, {"s1"}, kPassword);
    const std::string admin = test::LoginUser(env, "ada", kPassword);
    const std::string manager = test::LoginUser(env, "mira", kPassword);

    // Refused with the loader's words, nothing stored.
    auto bad = Put(env, "/api/v1/survey?store=s1",
                   R"({"survey": {"scale": 7}, "roster": [{"id": "r1"}]})", admin);
    REQUIRE(bad);
    CHECK(bad->status == 422);
    const Json problems = JsonOf(bad)["problems"];
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].get<std::string>().starts_with("definition: /survey/scale: "));
    CHECK(problems[1].get<std::string>().starts_with("definition: /roster/0/name: missing"));
    CHECK(test::ErrorCode(bad) == "invalid_definition");
    CHECK(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1])->status == 404);

    // A store manager may read but not store; a kiosk token may do neither.
    CHECK(Put(env, "/api/v1/survey?store=s1", kFive, manager)->status == 403);
    CHECK(env.Get("/api/v1/survey?store=s1", env.kioskToken[1])->status == 403);

    auto ok = Put(env, "/api/v1/survey?store=s1", kFive, admin);
    REQUIRE(ok);
    REQUIRE(ok->status == 200);
    CHECK(JsonOf(ok)["version"] == 1);
    CHECK(JsonOf(ok)["created_by"] == "ada");
    const Json served = JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]));
    CHECK(served["version"] == 1);
    CHECK(served["survey"]["scale"] == 5);
    CHECK(served["reasons"][0]["attributable_to_rep"] == true);
    // Another store's numbering is its own.
    CHECK(env.Get("/api/v1/kiosks/k3/config", env.kioskToken[3])->status == 404);

    // k1 runs it, k2 has not picked it up: flagged once the version is over an hour old.
    Beat(env, "k1", env.kioskToken[1], 1);
    Beat(env, "k2", env.kioskToken[2], std::nullopt);
    Json status = JsonOf(env.Get("/api/v1/kiosks/k1/status", env.managerS1));
    CHECK(status["config_version"] == 1);
    CHECK(status["latest_config_version"] == 1);
    CHECK(status["config_behind"] == false);
    CHECK(FleetKiosk(env, "k2")["config_behind"] == false);  // stored just now
    env.Clock().Advance(61 * 60 * 1000);
    Beat(env, "k1", env.kioskToken[1], 1);
    Beat(env, "k2", env.kioskToken[2], std::nullopt);
    CHECK(FleetKiosk(env, "k1")["config_behind"] == false);
    const Json k2 = FleetKiosk(env, "k2");
    CHECK(k2["config_behind"] == true);
    CHECK(k2["config_version"].is_null());
    CHECK(k2["latest_config_version"] == 1);

    // Version 2, then back to 1 as version 3, attributed.
    REQUIRE(Put(env, "/api/v1/survey?store=s1", kFour, admin)->status == 200);
    CHECK(JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]))["survey"]["scale"] == 4);
    CHECK(env.Client()
              .Post("/api/v1/survey/rollback?store=s1", test::SessionCookie(admin),
                    R"({"version": 9})", "application/json")
              ->status == 404);
    auto back = env.Client().Post("/api/v1/survey/rollback?store=s1", test::SessionCookie(admin),
                                  R"({"version": 1})", "application/json");
    REQUIRE(back);
    REQUIRE(back->status == 200);
    CHECK(JsonOf(back)["version"] == 3);
    CHECK(JsonOf(back)["note"] == "rollback to 1");
    const Json again = JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]));
    CHECK(again["version"] == 3);
    CHECK(again["survey"]["scale"] == 5);
    CHECK(again["roster"][1]["name"] == "రవి");

    const Json listed =
        JsonOf(env.Get("/api/v1/survey?store=s1", "", test::SessionCookie(manager)));
    REQUIRE(listed["versions"].size() == 3);
    CHECK(listed["versions"][0]["version"] == 3);
    CHECK(listed["versions"][0]["created_by"] == "ada");
    CHECK(listed["versions"][2]["version"] == 1);
    CHECK(listed["definition"]["version"] == 3);
    // The latest moved on: k1 (on 1) is behind only after another hour.
    Beat(env, "k1", env.kioskToken[1], 1);
    CHECK(FleetKiosk(env, "k1")["config_behind"] == false);
    CHECK(FleetKiosk(env, "k1")["latest_config_version"] == 3);
}

FK_SERVER_TEST(
    "staff codes in a definition: kiosks are served the hash, people see only has_code, and a "
    "person's edit without the hashes keeps them") {
    test::AddUserWithPassword(env, "ada", server::Role::Admin, {}, kPassword);
    const std::string admin = test::LoginUser(env, "ada", kPassword);
    const std::string hash = config::HashPin("246813");
    Json definition = Json::parse(kFive);
    definition["roster"][0]["code_hash"] = hash;
    REQUIRE(Put(env, "/api/v1/survey?store=s1", definition.dump(), admin)->status == 200);
    // A hash that is not one is refused by the loader, without echoing it.
    Json bad = definition;
    bad["roster"][1]["code_hash"] = "1234";
    auto refused = Put(env, "/api/v1/survey?store=s1", bad.dump(), admin);
    REQUIRE(refused);
    CHECK(refused->status == 422);
    CHECK(refused->body.find("/roster/1/code_hash") != std::string::npos);
    CHECK(refused->body.find("1234") == std::string::npos);

    const Json seen =
        JsonOf(env.Get("/api/v1/survey?store=s1", "", test::SessionCookie(admin)))["definition"];
    CHECK(seen.dump().find("argon2") == std::string::npos);
    CHECK(seen["roster"][0]["has_code"] == true);
    CHECK_FALSE(seen["roster"][1].contains("has_code"));

    // The web page sends back what it saw, renamed: the code stays.
    Json edited = seen;
    edited["roster"][0]["name"] = "Asha V.";
    REQUIRE(Put(env, "/api/v1/survey?store=s1", edited.dump(), admin)->status == 200);
    const Json served = JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]));
    CHECK(served["version"] == 2);
    CHECK(served["roster"][0]["name"] == "Asha V.");
    CHECK(served["roster"][0]["code_hash"] == hash);
    CHECK_FALSE(served["roster"][0].contains("has_code"));
    CHECK_FALSE(served["roster"][1].contains("code_hash"));
}
