// Issue 20 item 2: every endpoint the server registers, called by every kind of caller (each
// role's person, a kiosk token, a manager token, nobody), on both backends, gets what the rule
// table (server/Access.cpp) says and nothing more: refused callers get 401/403 with a code, never
// data; allowed ones are not refused. The walk iterates HttpServer::RouteTable(), so a new endpoint
// without a rule, or without an example request here, fails this test. Store scope: a store
// manager and a coach of s1 are refused s2.

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "ServerTestEnv.h"
#include "server/Access.h"

using namespace fk;
using server::CallerKind;
using server::Decision;
using server::Role;

namespace {

struct Reply {
    int status = 0;
    std::string body;
};

// One request over a raw socket: reads the head and a Content-Length body, or stops after the
// head for an event stream (which stays open).
Reply RawRequest(int port, const std::string& method, const std::string& target,
                 const std::string& auth, const std::string& body) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "Connection: close\r\n";
    if (method == "POST" || method == "PUT")
        req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n";
    req += "\r\n" + body;
    REQUIRE(::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
    std::string data;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        const auto head = data.find("\r\n\r\n");
        if (head != std::string::npos) {
            if (data.find("text/event-stream") != std::string::npos)
                break;
            const auto cl = data.find("Content-Length: ");
            if (cl != std::string::npos && cl < head) {
                const std::size_t n = std::stoul(data.substr(cl + 16));
                if (data.size() >= head + 4 + n)
                    break;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              end - std::chrono::steady_clock::now())
                              .count();
        REQUIRE(left > 0);
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            continue;
        char buf[8192];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    Reply r;
    REQUIRE(data.size() > 12);
    r.status = std::stoi(data.substr(9, 3));
    const auto head = data.find("\r\n\r\n");
    r.body = head == std::string::npos ? "" : data.substr(head + 4);
    return r;
}

std::string Code(const Reply& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error"))
        return "";
    return j["error"].value("code", "");
}

struct Example {
    std::string target;
    std::string body;
    bool exportRequest = false;
};

struct Who {
    std::string name;
    server::Caller caller;
    std::string auth;  // a header line, or "" (nobody)
};

const std::string kPassword = "correct horse battery";

}  // namespace

FK_SERVER_TEST("security: every endpoint with every role follows the one rule table") {
    const std::string range = "from=2026-11-01&to=2026-11-30";
    protocol::Heartbeat hb;
    hb.clock = env.Clock().NowUtcMs();
    hb.version = "0.1.0";
    const std::string call = R"({"kiosk_id":"k1","calls":[]})";
    // One or more requests per route (method + label), in scope of store s1 where a store is
    // asked for. A route without an entry here fails the test.
    std::map<std::string, std::vector<Example>> examples = {
        {"POST batches",
         {{"/api/v1/batches", protocol::EncodeBatch(env.MakeBatch("k1", {env.MakeResponse(1)}))}}},
        {"GET config", {{"/api/v1/kiosks/k1/config", ""}}},
        {"POST heartbeat", {{"/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb)}}},
        {"GET status", {{"/api/v1/kiosks/k1/status", ""}}},
        {"GET reports",
         {{"/api/v1/reports/reps?store=s1&" + range, ""},
          {"/api/v1/reports/reps.csv?store=s1&" + range, "", true},
          {"/api/v1/reports/stores?store=s1", ""},
          {"/api/v1/reports/trend.csv?store=s1&" + range, "", true}}},
        {"POST calls", {{"/api/v1/calls", call}}},
        {"GET calls_list",
         {{"/api/v1/calls?store=s1", ""}, {"/api/v1/calls.csv?store=s1", "", true}}},
        {"GET calls_stream", {{"/api/v1/calls/stream?store=s1", ""}}},
        {"POST calls_action",
         {{"/api/v1/calls/0190d4a5-1c2b-7def-8123-456789abcdef/ack?store=s1", R"({"by":"x"})"}}},
        {"GET session", {{"/api/v1/session", ""}}},
        {"POST session", {{"/api/v1/session", "{}"}}},
        {"DELETE session", {{"/api/v1/session", ""}}},
        {"POST password_link", {{"/api/v1/password", R"({"link":"fkl_0","password":"x"})"}}},
        {"POST password_change",
         {{"/api/v1/me/password", R"({"current":"wrong password","password":"x"})"}}},
        {"GET users", {{"/api/v1/users", ""}}},
        {"POST users_action", {{"/api/v1/users/victim/disable", "{}"}}},
        {"GET access_log", {{"/api/v1/access-log", ""}, {"/api/v1/access-log.csv", "", true}}},
        {"GET survey",
         {{"/api/v1/survey?store=s1", ""}, {"/api/v1/survey/screens?store=s1&lang=te", ""}}},
        {"PUT survey_edit", {{"/api/v1/survey?store=s1", R"({"survey":{"scale":4}})"}}},
        {"POST survey_edit", {{"/api/v1/survey/rollback?store=s1", R"({"version":1})"}}},
        {"PUT survey_roster", {{"/api/v1/survey/roster?store=s1", R"({"roster":[]})"}}},
        {"GET web", {{"/", ""}, {"/app.js", ""}}},
        {"GET notice", {{"/api/v1/notice", ""}}},
        {"GET healthz", {{"/healthz", ""}}},
        {"GET metrics", {{"/metrics", ""}}},
    };

    test::AddUserWithPassword(env, "victim", Role::Coach, {"s2"}, kPassword);
    std::vector<Who> callers = {
        {"nobody", {CallerKind::Anonymous, Role::Coach}, ""},
        {"kiosk token k1",
         {CallerKind::KioskToken, Role::Coach},
         "Authorization: Bearer " + env.kioskToken[1] + "\r\n"},
        {"manager token s1",
         {CallerKind::ManagerToken, Role::Coach},
         "Authorization: Bearer " + env.managerS1 + "\r\n"},
    };
    const std::pair<Role, std::vector<std::string>> people[] = {{Role::Admin, {}},
                                                                {Role::HeadOffice, {}},
                                                                {Role::StoreManager, {"s1"}},
                                                                {Role::Coach, {"s1"}}};
    for (const auto& [role, stores] : people) {
        const std::string name = server::to_string(role) + "_person";
        test::AddUserWithPassword(env, name, role, stores, kPassword);
        callers.push_back({name,
                           {CallerKind::User, role},
                           "Cookie: fk_session=" + test::LoginUser(env, name, kPassword) + "\r\n"});
    }

    const int port = env.Server().Port();
    int walked = 0;
    for (const auto& route : env.Server().RouteTable()) {
        const std::string key = route.method + " " + route.label;
        CAPTURE(key);
        CHECK_MESSAGE(server::Decide(route.label, {}, false) != Decision::Unknown,
                      "no rule in server/Access.cpp for this route");
        auto it = examples.find(key);
        REQUIRE_MESSAGE(it != examples.end(), "no example request for this route in this test");
        for (const auto& ex : it->second) {
            CAPTURE(ex.target);
            for (const auto& who : callers) {
                CAPTURE(who.name);
                const Decision d = server::Decide(route.label, who.caller, ex.exportRequest);
                if (d == Decision::Public)
                    continue;  // its own tests cover it
                const Reply r = RawRequest(port, route.method, ex.target, who.auth, ex.body);
                const std::string code = Code(r);
                CAPTURE(r.status);
                CAPTURE(r.body.substr(0, 300));
                // Refused for who they are (not, say, for a wrong current password).
                static const std::set<std::string> kRefusals = {
                    "missing_token", "bad_token",   "forbidden",    "wrong_token_kind",
                    "wrong_store",   "wrong_kiosk", "unknown_kiosk"};
                const bool refused =
                    (r.status == 401 || r.status == 403) && kRefusals.count(code) > 0;
                if (d == Decision::Allow) {
                    CHECK_FALSE(refused);
                } else {
                    CHECK(refused);
                    CHECK(!code.empty());
                    CHECK(r.body.find("\"responses\"") == std::string::npos);
                    CHECK(r.body.find("\"users\"") == std::string::npos);
                }
                ++walked;
            }
        }
    }
    CHECK(walked > 100);

    // Store scope: s1's manager and coach are refused s2, and a coach gets no CSV of s1.
    for (const char* name : {"store_manager_person", "coach_person"}) {
        CAPTURE(name);
        const std::string cookie =
            "Cookie: fk_session=" + test::LoginUser(env, name, kPassword) + "\r\n";
        const Reply other =
            RawRequest(port, "GET", "/api/v1/reports/reps?store=s2&" + range, cookie, "");
        CHECK(other.status == 403);
        CHECK(Code(other) == "wrong_store");
        const Reply kiosk = RawRequest(port, "GET", "/api/v1/kiosks/k3/status", cookie, "");
        CHECK(kiosk.status == 403);
    }
    const std::string coach =
        "Cookie: fk_session=" + test::LoginUser(env, "coach_person", kPassword) + "\r\n";
    const Reply csv =
        RawRequest(port, "GET", "/api/v1/reports/reps.csv?store=s1&" + range, coach, "");
    CHECK(csv.status == 403);
    CHECK(Code(csv) == "forbidden");
    CHECK(csv.body.find("download") != std::string::npos);
}

TEST_CASE(
    "security: the rule table has one row per route label and only admins see people and the "
    "access log") {
    std::set<std::string_view> labels;
    for (const auto& rule : server::AccessRules()) {
        CHECK(labels.insert(rule.label).second);
        if (rule.label == "users" || rule.label == "users_action" || rule.label == "access_log") {
            CHECK(rule.admin);
            const bool others = rule.headOffice || rule.storeManager || rule.coach ||
                                rule.manager || rule.kiosk || rule.isPublic;
            CHECK_FALSE(others);
        }
    }
    CHECK(server::Decide("no_such_route", {}, false) == Decision::Unknown);
}
