// People's accounts (issue 20 item 1) on both backends through the real HTTP server: the one-time
// set-password link, name + password login into a server-side session, lockout after repeated
// failures (per user name and per client address) with when to try again, changing one's own
// password, and an admin's reset and disable. The role rules themselves: tests/security
// RoleMatrixTest.cpp.

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "server/HttpServer.h"
#include "server/Passwords.h"
#include "server/Tokens.h"
#include "support/CsvReader.h"

using namespace fk;
using server::Role;

namespace {

const std::string kPassword = "correct horse battery";

httplib::Result Login(test::ServerEnv& env, const std::string& name, const std::string& password) {
    return env.Post("/api/v1/session",
                    nlohmann::json{{"user", name}, {"password", password}}.dump(), "");
}

httplib::Result PostJson(test::ServerEnv& env, const std::string& path, const nlohmann::json& body,
                         const std::string& session) {
    return env.Client().Post(path.c_str(), test::SessionCookie(session), body.dump(),
                             "application/json");
}

// Error bodies say what to do, never how the server is built.
void CheckNoInternals(const httplib::Result& res) {
    REQUIRE(res);
    for (const char* word : {"SELECT", "sqlite", "postgres", "argon", "sodium", "users ", "hash"})
        CHECK_MESSAGE(res->body.find(word) == std::string::npos, res->body);
}

}  // namespace

FK_SERVER_TEST("accounts: a one-time link sets the password once, then name and password log in") {
    const core::UtcMs now = env.Clock().NowUtcMs();
    env.Backend().Users().Add(server::UserRecord{"asha", Role::StoreManager, {"s1"}}, now);
    const std::string secret = server::NewLinkSecret();
    REQUIRE(env.Backend().Users().SetLink("asha", server::HashToken(secret),
                                          now + server::kLinkLifetimeMs, false, now));
    // No password yet: nobody logs in.
    CHECK(test::ErrorCode(Login(env, "asha", kPassword)) == "bad_login");

    auto weak = env.Post("/api/v1/password",
                         nlohmann::json{{"link", secret}, {"password", "short"}}.dump(), "");
    CHECK(weak->status == 400);
    CHECK(test::ErrorCode(weak) == "bad_password");
    auto set = env.Post("/api/v1/password",
                        nlohmann::json{{"link", secret}, {"password", kPassword}}.dump(), "");
    REQUIRE(set->status == 200);
    CHECK(nlohmann::json::parse(set->body)["user"] == "asha");
    auto again =
        env.Post("/api/v1/password",
                 nlohmann::json{{"link", secret}, {"password", kPassword + "2"}}.dump(), "");
    CHECK(again->status == 400);
    CHECK(test::ErrorCode(again) == "bad_link");
    CheckNoInternals(again);

    // Only an argon2id hash is stored.
    auto stored = env.Backend().Users().FindForLogin("asha");
    REQUIRE(stored);
    CHECK(stored->second.rfind("$argon2id$", 0) == 0);
    CHECK(stored->second.find(kPassword) == std::string::npos);

    auto wrong = Login(env, "asha", "correct horse battery!");
    CHECK(wrong->status == 401);
    CHECK(test::ErrorCode(wrong) == "bad_login");
    CheckNoInternals(wrong);
    CHECK(test::ErrorCode(Login(env, "nobody", kPassword)) == "bad_login");

    auto ok = Login(env, "asha", kPassword);
    REQUIRE(ok->status == 200);
    const std::string cookie = ok->get_header_value("Set-Cookie");
    CHECK(cookie.rfind("fk_session=fku_", 0) == 0);
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find(kPassword) == std::string::npos);
    const std::string id = test::LoginUser(env, "asha", kPassword);
    auto who = env.Get("/api/v1/session", "", test::SessionCookie(id));
    REQUIRE(who->status == 200);
    auto j = nlohmann::json::parse(who->body);
    CHECK(j["user"] == "asha");
    CHECK(j["role"] == "store_manager");
    CHECK(j["store"] == "s1");
    // The session reads the manager's store, and only it.
    CHECK(env.Get("/api/v1/reports/reps?store=s1", "", test::SessionCookie(id))->status == 200);
    CHECK(test::ErrorCode(env.Get("/api/v1/reports/reps?store=s2", "", test::SessionCookie(id))) ==
          "wrong_store");
    // Logout deletes it on the server.
    env.Client().Delete("/api/v1/session", test::SessionCookie(id));
    CHECK(env.Get("/api/v1/session", "", test::SessionCookie(id))->status == 401);

    // Token login for scripts still works beside it.
    CHECK(env.Post("/api/v1/session", "", env.managerS1)->status == 200);

    // An expired link does nothing.
    const std::string late = server::NewLinkSecret();
    REQUIRE(env.Backend().Users().SetLink("asha", server::HashToken(late), now + 1000, false, now));
    env.Clock().Advance(2000);
    CHECK(test::ErrorCode(
              env.Post("/api/v1/password",
                       nlohmann::json{{"link", late}, {"password", kPassword + "3"}}.dump(), "")) ==
          "bad_link");
}

FK_SERVER_TEST(
    "accounts: repeated failures lock the user name, then the address, and say until "
    "when") {
    test::AddUserWithPassword(env, "ravi", Role::HeadOffice, {}, kPassword);
    for (int i = 0; i < 4; ++i)
        CHECK(test::ErrorCode(Login(env, "ravi", "guess number " + std::to_string(i))) ==
              "bad_login");
    auto locked = Login(env, "ravi", "guess number 5");
    CHECK(locked->status == 429);
    CHECK(test::ErrorCode(locked) == "login_locked");
    CHECK(locked->get_header_value("Retry-After") == "900");
    CHECK(locked->body.find("for this user name; try again after") != std::string::npos);
    CHECK(locked->body.find(" UTC (in 15 min)") != std::string::npos);
    CheckNoInternals(locked);
    // Locked means locked: the right password too.
    CHECK(Login(env, "ravi", kPassword)->status == 429);
    env.Clock().Advance(15 * 60 * 1000 + 1);
    CHECK(Login(env, "ravi", kPassword)->status == 200);

    // The address: 20 failures over many names lock it for every name.
    int refused = 0;
    for (int i = 0; i < 20; ++i) {
        auto r = Login(env, "someone" + std::to_string(i), "guess");
        refused += r->status == 429 ? 1 : 0;
    }
    CHECK(refused == 1);  // the 20th started the address's lock
    auto byAddress = Login(env, "ravi", kPassword);
    CHECK(byAddress->status == 429);
    CHECK(byAddress->body.find("from this address") != std::string::npos);
    env.Clock().Advance(15 * 60 * 1000 + 1);
    CHECK(Login(env, "ravi", kPassword)->status == 200);
}

FK_SERVER_TEST("accounts: change your own password, and an admin resets and disables people") {
    test::AddUserWithPassword(env, "admin", Role::Admin, {}, kPassword);
    test::AddUserWithPassword(env, "coach1", Role::Coach, {"s1"}, kPassword);
    const std::string admin = test::LoginUser(env, "admin", kPassword);
    const std::string coachA = test::LoginUser(env, "coach1", kPassword);
    const std::string coachB = test::LoginUser(env, "coach1", kPassword);

    // Own password: the current one is asked for; the other sessions end, this one stays.
    auto bad =
        PostJson(env, "/api/v1/me/password",
                 {{"current", "not it at all"}, {"password", "a new long password"}}, coachA);
    CHECK(bad->status == 401);
    CHECK(test::ErrorCode(bad) == "bad_login");
    auto changed = PostJson(env, "/api/v1/me/password",
                            {{"current", kPassword}, {"password", "a new long password"}}, coachA);
    CHECK(changed->status == 200);
    CHECK(env.Get("/api/v1/session", "", test::SessionCookie(coachA))->status == 200);
    CHECK(env.Get("/api/v1/session", "", test::SessionCookie(coachB))->status == 401);
    CHECK(test::ErrorCode(Login(env, "coach1", kPassword)) == "bad_login");
    CHECK(Login(env, "coach1", "a new long password")->status == 200);
    // A form post (not JSON) cannot use the cookie to change it.
    auto form = env.Client().Post("/api/v1/me/password", test::SessionCookie(coachA),
                                  "current=x&password=y", "application/x-www-form-urlencoded");
    CHECK(form->status == 415);

    // The list, for admins only.
    auto list = env.Get("/api/v1/users", "", test::SessionCookie(admin));
    REQUIRE(list->status == 200);
    auto users = nlohmann::json::parse(list->body)["users"];
    REQUIRE(users.size() == 2);
    CHECK(users[1]["name"] == "coach1");
    CHECK(users[1]["stores"] == nlohmann::json::array({"s1"}));
    CHECK(users[1]["has_password"] == true);
    CHECK(list->body.find("argon2") == std::string::npos);
    CHECK(test::ErrorCode(env.Get("/api/v1/users", "", test::SessionCookie(coachA))) ==
          "forbidden");

    // Disable: the sessions end and the login is refused; enable again.
    CHECK(PostJson(env, "/api/v1/users/coach1/disable", nlohmann::json::object(), admin)->status ==
          200);
    CHECK(env.Get("/api/v1/session", "", test::SessionCookie(coachA))->status == 401);
    CHECK(test::ErrorCode(Login(env, "coach1", "a new long password")) == "bad_login");
    CHECK(test::ErrorCode(PostJson(env, "/api/v1/users/admin/disable", nlohmann::json::object(),
                                   admin)) == "invalid_parameter");
    CHECK(test::ErrorCode(PostJson(env, "/api/v1/users/nobody/disable", nlohmann::json::object(),
                                   admin)) == "unknown_user");
    CHECK(PostJson(env, "/api/v1/users/coach1/enable", nlohmann::json::object(), admin)->status ==
          200);

    // Reset: the old password stops working; the new link sets one.
    auto reset = PostJson(env, "/api/v1/users/coach1/reset", nlohmann::json::object(), admin);
    REQUIRE(reset->status == 200);
    const std::string link = nlohmann::json::parse(reset->body)["link"];
    REQUIRE(link.rfind(std::string(server::kLinkPath), 0) == 0);
    CHECK(test::ErrorCode(Login(env, "coach1", "a new long password")) == "bad_login");
    auto set = env.Post(
        "/api/v1/password",
        nlohmann::json{{"link", link.substr(server::kLinkPath.size())}, {"password", kPassword}}
            .dump(),
        "");
    CHECK(set->status == 200);
    CHECK(Login(env, "coach1", kPassword)->status == 200);
}

FK_SERVER_TEST("accounts: a store manager of two stores lists those two and reads each by ?store") {
    env.Backend().AddStore("s3", "Store Three", env.Clock().NowUtcMs());
    test::AddUserWithPassword(env, "multi", Role::StoreManager, {"s1", "s3"}, kPassword);
    const auto cookie = test::SessionCookie(test::LoginUser(env, "multi", kPassword));
    auto stores = env.Get("/api/v1/reports/stores", "", cookie);
    REQUIRE(stores->status == 200);
    std::vector<std::string> ids;
    const auto overview = nlohmann::json::parse(stores->body);
    for (const auto& s : overview["stores"])
        ids.push_back(s["store"]);
    std::sort(ids.begin(), ids.end());
    CHECK(ids == std::vector<std::string>{"s1", "s3"});
    auto fleet = env.Get("/api/v1/reports/fleet", "", cookie);
    REQUIRE(fleet->status == 200);
    CHECK(fleet->body.find("\"k1\"") != std::string::npos);
    CHECK(fleet->body.find("\"k3\"") == std::string::npos);  // s2's kiosk
    auto none = env.Get("/api/v1/reports/reps", "", cookie);
    CHECK(none->status == 400);
    CHECK(none->body.find("s1, s3") != std::string::npos);
    CHECK(env.Get("/api/v1/reports/reps?store=s3", "", cookie)->status == 200);
    CHECK(test::ErrorCode(env.Get("/api/v1/reports/reps?store=s2", "", cookie)) == "wrong_store");
    CHECK(env.Get("/api/v1/kiosks/k1/status", "", cookie)->status == 200);
    CHECK(test::ErrorCode(env.Get("/api/v1/kiosks/k3/status", "", cookie)) == "wrong_store");
    CHECK(test::ErrorCode(env.Get("/api/v1/calls", "", cookie)) == "missing_parameter");
    CHECK(env.Get("/api/v1/calls?store=s1", "", cookie)->status == 200);
}

FK_SERVER_TEST("access log: a per-rep report view and an export are recorded, admins read it") {
    test::AddUserWithPassword(env, "admin", Role::Admin, {}, kPassword);
    test::AddUserWithPassword(env, "coach1", Role::Coach, {"s1"}, kPassword);
    const auto admin = test::SessionCookie(test::LoginUser(env, "admin", kPassword));
    const auto coach = test::SessionCookie(test::LoginUser(env, "coach1", kPassword));
    const std::string range = "from=2026-11-01&to=2026-11-30";
    REQUIRE(env.Get("/api/v1/reports/reps?store=s1&" + range, "", coach)->status == 200);
    REQUIRE(env.Get("/api/v1/reports/reps.csv?store=s1&" + range, env.managerS1)->status == 200);
    REQUIRE(env.Get("/api/v1/reports/trend?store=s1&" + range, "", coach)->status == 200);
    // Refused reads are not views.
    REQUIRE(env.Get("/api/v1/reports/reps.csv?store=s1&" + range, "", coach)->status == 403);

    auto log = env.Get("/api/v1/access-log", "", admin);
    REQUIRE(log->status == 200);
    const auto entries = nlohmann::json::parse(log->body)["entries"];
    REQUIRE(entries.size() == 2);  // newest first; the trend is not per rep
    CHECK(entries[0]["who"].get<std::string>().rfind("token:", 0) == 0);
    CHECK(entries[0]["role"] == "manager_token");
    CHECK(entries[0]["what"] == "reports/reps.csv store=s1 2026-11-01..2026-11-30");
    CHECK(entries[0]["from"] == "127.0.0.1");
    CHECK(entries[1]["who"] == "coach1");
    CHECK(entries[1]["role"] == "coach");
    CHECK(entries[1]["what"] == "reports/reps store=s1 2026-11-01..2026-11-30");
    CHECK(entries[1]["at"] == core::FormatRfc3339Ms(env.Clock().NowUtcMs()));

    // A calls export names reps call by call: recorded too.
    REQUIRE(env.Get("/api/v1/calls.csv?store=s1&status=all", env.managerS1)->status == 200);
    auto withCalls = env.Get("/api/v1/access-log", "", admin);
    REQUIRE(withCalls->status == 200);
    const auto newest = nlohmann::json::parse(withCalls->body)["entries"];
    REQUIRE(newest.size() == 3);
    CHECK(newest[0]["what"] == "calls.csv store=s1 status=all");

    auto csv = env.Get("/api/v1/access-log.csv", "", admin);
    REQUIRE(csv->status == 200);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"at", "who", "role", "what", "from"}));
    CHECK(test::HasRow(*table, {"coach1", "coach", "reports/reps store=s1 2026-11-01..2026-11-30"},
                       test::CellsAt::Anywhere));
    CHECK(test::ErrorCode(env.Get("/api/v1/access-log", "", coach)) == "forbidden");
    CHECK(test::ErrorCode(env.Get("/api/v1/access-log", env.managerAll)) == "wrong_token_kind");
    CHECK(test::ErrorCode(env.Get("/api/v1/access-log?from=yesterday", "", admin)) ==
          "invalid_parameter");

    // Kept for the configured time (365 days by default): a year later the old rows go as a new
    // one is written.
    env.Clock().Advance(366LL * 86'400'000);
    REQUIRE(env.Get("/api/v1/reports/reps?store=s1&" + range, env.managerS1)->status == 200);
    auto later = env.Get("/api/v1/access-log?from=2020-01-01", "",
                         test::SessionCookie(test::LoginUser(env, "admin", kPassword)));
    REQUIRE(later->status == 200);
    CHECK(nlohmann::json::parse(later->body)["entries"].size() == 1);
}

FK_SERVER_TEST(
    "accounts: the lockout is kept in the database, so a second server on it refuses the same "
    "name") {
    test::AddUserWithPassword(env, "ravi", Role::HeadOffice, {}, kPassword);
    // A second server process on the same database, as behind a load balancer.
    server::HttpServer second(env.Backend(), env.Clock(), server::ServerOptions{});
    httplib::Client other("127.0.0.1", second.Start());
    other.set_read_timeout(10);
    auto loginOther = [&](const std::string& password) {
        return other.Post("/api/v1/session",
                          nlohmann::json{{"user", "ravi"}, {"password", password}}.dump(),
                          "application/json");
    };
    // Five guesses, alternating between the servers: each alone has seen fewer than five.
    for (int i = 0; i < 4; ++i) {
        auto r = i % 2 == 0 ? Login(env, "ravi", "guess " + std::to_string(i))
                            : loginOther("guess " + std::to_string(i));
        CHECK(test::ErrorCode(r) == "bad_login");
    }
    CHECK(loginOther("guess 4")->status == 429);
    CHECK(Login(env, "ravi", kPassword)->status == 429);
    CHECK(loginOther(kPassword)->status == 429);
    env.Clock().Advance(15 * 60 * 1000 + 1);
    CHECK(loginOther(kPassword)->status == 200);
    // A right password clears the name's count on every server.
    for (int i = 0; i < 4; ++i)
        CHECK(test::ErrorCode(Login(env, "ravi", "again " + std::to_string(i))) == "bad_login");
    CHECK(loginOther(kPassword)->status == 200);
    CHECK(test::ErrorCode(Login(env, "ravi", "once more")) == "bad_login");
    second.Stop();
}
