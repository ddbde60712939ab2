// Survey definitions on both backends through the real HTTP server (issue 17): an admin stores a
// definition the kiosk's own loader checks (a refused one is answered with the loader's
// problems by JSON pointer and not stored), each stored one gets the store's next version with
// who and when, kiosks are served it, report the version they run in the heartbeat, the fleet
// flags a kiosk not on the latest for over an hour, and a roll back serves an earlier one again.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ServerTestEnv.h"

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
    "survey roster: a store manager edits their own store's roster and nothing else; a store "
    "with no definition is listed with the built-in reasons") {
    test::AddUserWithPassword(env, "ada", server::Role::Admin, {}, kPassword);
    test::AddUserWithPassword(env, "mira", server::Role::StoreManager, {"s1"}, kPassword);
    test::AddUserWithPassword(env, "coco", server::Role::Coach, {"s1"}, kPassword);
    const std::string admin = test::LoginUser(env, "ada", kPassword);
    const std::string manager = test::LoginUser(env, "mira", kPassword);
    const std::string coach = test::LoginUser(env, "coco", kPassword);

    // No definition yet: the editor's starting point is the built-in reason list.
    const Json none = JsonOf(env.Get("/api/v1/survey?store=s1", "", test::SessionCookie(admin)));
    CHECK(none["definition"].is_null());
    REQUIRE(none["built_in_reasons"].size() == 6);
    CHECK(none["built_in_reasons"][0]["id"] == "wait_time");
    CHECK(none["built_in_reasons"][1]["attributable_to_rep"] == true);

    // On a store with no definition the roster alone becomes version 1, with the built-ins.
    auto first = Put(env, "/api/v1/survey/roster?store=s1",
                     R"({"roster": [{"id": "r1", "name": "Asha"}]})", manager);
    REQUIRE(first);
    REQUIRE(first->status == 200);
    CHECK(JsonOf(first)["version"] == 1);
    CHECK(JsonOf(first)["created_by"] == "mira");
    CHECK(JsonOf(first)["note"] == "roster");
    CHECK(JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]))["reasons"].size() == 6);

    // Head office sets five faces and a reason; the manager then adds a rep with a Hindi name
    // and hides one: the scale and reasons stay as head office left them.
    REQUIRE(Put(env, "/api/v1/survey?store=s1", kFive, admin)->status == 200);
    auto roster = Put(env, "/api/v1/survey/roster?store=s1",
                      R"({"roster": [{"id": "r1", "name": "Asha", "active": false},
                                     {"id": "r2", "name": "రవి"},
                                     {"id": "r3", "name": "सुनीता"}]})",
                      manager);
    REQUIRE(roster);
    REQUIRE(roster->status == 200);
    CHECK(JsonOf(roster)["version"] == 3);
    const Json served = JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]));
    CHECK(served["version"] == 3);
    CHECK(served["survey"]["scale"] == 5);
    CHECK(served["reasons"][0]["id"] == "rude");
    REQUIRE(served["roster"].size() == 3);
    CHECK(served["roster"][0]["active"] == false);
    CHECK(served["roster"][2]["name"] == "सुनीता");

    // Anything but the roster is refused, as is another store's roster, a coach, and a roster
    // the kiosk's loader refuses (with its words); none of them stores a version.
    auto more = Put(env, "/api/v1/survey/roster?store=s1",
                    R"({"roster": [], "survey": {"scale": 4}})", manager);
    REQUIRE(more);
    CHECK(more->status == 400);
    CHECK(Put(env, "/api/v1/survey/roster?store=s2", R"({"roster": []})", manager)->status == 403);
    CHECK(Put(env, "/api/v1/survey/roster?store=s1", R"({"roster": []})", coach)->status == 403);
    auto broken =
        Put(env, "/api/v1/survey/roster?store=s1", R"({"roster": [{"id": "r9"}]})", manager);
    REQUIRE(broken);
    CHECK(broken->status == 422);
    CHECK(JsonOf(broken)["problems"][0].get<std::string>().starts_with(
        "definition: /roster/0/name: missing"));
    CHECK(JsonOf(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]))["version"] == 3);
    // Head office's full editor stays closed to the manager.
    CHECK(Put(env, "/api/v1/survey?store=s1", kFour, manager)->status == 403);
}
