// The kiosk's manager-mode client for help calls (sync::StaffCalls) against a real kiosk-server:
// it lists its own store's open calls with the kiosk token, acknowledges and closes them, and says
// in words what went wrong when the server refuses, is away, or the token file is bad.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "protocol/Calls.h"
#include "server/ServerTestEnv.h"
#include "support/TempDir.h"
#include "sync/StaffCalls.h"

using namespace fk;

namespace {

protocol::Call NewCall(core::Uuid7Generator& ids, int rating) {
    protocol::Call c;
    c.responseId = ids.Next();
    c.askedAt = 1'795'000'000'000;
    c.tzOffsetMin = 60;
    c.scale = 4;
    c.rating = rating;
    c.repId = "r2";
    c.reason = "wait_time";
    c.language = "da";
    return c;
}

void PostCall(test::ServerEnv& env, const std::string& kiosk, const protocol::Call& call,
              const std::string& token) {
    auto res = env.Post("/api/v1/calls", protocol::EncodeCallsRequest({1, kiosk, {call}}), token);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
}

std::string BaseUrl(test::ServerEnv& env) {
    return "http://127.0.0.1:" + std::to_string(env.Server().Port());
}

std::filesystem::path TokenFile(const test::TempDir& dir, const std::string& name,
                                const std::string& secret) {
    const auto path = dir / name;
    std::ofstream(path) << secret << "\n";
    ::chmod(path.c_str(), 0600);
    return path;
}

// Asks, then waits until the client is idle again with a newer snapshot.
sync::StaffCallsSnapshot After(sync::StaffCalls& calls, const std::function<void()>& ask) {
    const std::uint64_t before = calls.Snapshot().version;
    ask();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        auto s = calls.Snapshot();
        if (s.version > before && !s.busy)
            return s;
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until, "the client never answered");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

const protocol::CallRecord* Find(const sync::StaffCallsSnapshot& s, const core::Uuid& id) {
    for (const auto& c : s.calls) {
        if (c.call.responseId == id)
            return &c;
    }
    return nullptr;
}

}  // namespace

FK_SERVER_TEST(
    "kiosk manager mode's help calls: lists its store's open calls, acknowledges and closes them "
    "with the kiosk token") {
    core::SystemClock clock;
    core::Uuid7Generator ids(clock);
    const auto first = NewCall(ids, 1);
    const auto second = NewCall(ids, 2);
    const auto otherStore = NewCall(ids, 1);
    PostCall(env, "k1", first, env.kioskToken[1]);
    PostCall(env, "k2", second, env.kioskToken[2]);  // another till of the same store
    PostCall(env, "k3", otherStore, env.kioskToken[3]);

    test::TempDir dir("fk-staffcalls");
    std::atomic<int> changes{0};
    sync::StaffCalls calls({BaseUrl(env), "s1", TokenFile(dir, "k1.token", env.kioskToken[1]), {}},
                           clock, [&] { ++changes; });
    auto s = After(calls, [&] { calls.Refresh(); });
    CHECK(s.error == "");
    REQUIRE(s.calls.size() == 2);
    CHECK(s.calls[0].call.responseId == second.responseId);  // newest first
    CHECK(s.calls[1].kioskId == "k1");
    CHECK(Find(s, otherStore.responseId) == nullptr);
    CHECK(s.listedAtSteadyMs.has_value());
    CHECK(changes > 0);

    s = After(calls, [&] { calls.Acknowledge(second.responseId, "Till k1, manager mode"); });
    CHECK(s.error == "");
    REQUIRE(Find(s, second.responseId) != nullptr);
    CHECK(Find(s, second.responseId)->status == protocol::CallStatus::Acknowledged);
    CHECK(Find(s, second.responseId)->ackedBy == "Till k1, manager mode");

    s = After(calls, [&] {
        calls.Close(first.responseId, "Till k1, manager mode", protocol::CallOutcome::Helped);
    });
    CHECK(s.error == "");
    CHECK(Find(s, first.responseId) == nullptr);  // closed calls leave the open list
    CHECK(Find(s, second.responseId) != nullptr);
    auto all = env.Get("/api/v1/calls?store=s1&status=all", env.managerS1);
    REQUIRE(all);
    auto list = protocol::DecodeCallList(all->body);
    REQUIRE(list.Ok());
    bool closedOnServer = false;
    for (const auto& c : list->calls) {
        if (c.call.responseId == first.responseId) {
            closedOnServer = c.status == protocol::CallStatus::Closed &&
                             c.outcome == protocol::CallOutcome::Helped &&
                             c.closedBy == "Till k1, manager mode";
        }
    }
    CHECK(closedOnServer);

    // The period's report lists every call received in it, closed ones included; a period that
    // ends before they arrived lists none.
    const core::UtcMs now = env.Clock().NowUtcMs();
    s = After(calls, [&] { calls.ReportPeriod(now - 3'600'000, now + 3'600'000); });
    CHECK(s.error == "");
    CHECK(s.periodListed);
    CHECK(s.periodCalls.size() == 2);
    s = After(calls, [&] { calls.ReportPeriod(now - 7'200'000, now - 3'600'000); });
    CHECK(s.periodCalls.empty());
    CHECK(s.periodFromUtc == now - 7'200'000);
}

FK_SERVER_TEST(
    "kiosk manager mode's help calls: another store, a refused token, a bad token file and a "
    "server that is away are errors in words, and the last list stays") {
    core::SystemClock clock;
    core::Uuid7Generator ids(clock);
    const auto call = NewCall(ids, 1);
    PostCall(env, "k1", call, env.kioskToken[1]);
    test::TempDir dir("fk-staffcalls");

    sync::StaffCalls wrongStore(
        {BaseUrl(env), "s2", TokenFile(dir, "k1.token", env.kioskToken[1]), {}}, clock);
    auto s = After(wrongStore, [&] { wrongStore.Refresh(); });
    CHECK(s.error.find("HTTP 403") != std::string::npos);
    CHECK(s.error.find("wrong_store") != std::string::npos);
    CHECK(s.calls.empty());

    sync::StaffCalls refused({BaseUrl(env), "s1", TokenFile(dir, "bad.token", "fk_k1_nope"), {}},
                             clock);
    s = After(refused, [&] { refused.Refresh(); });
    CHECK(s.error.find("HTTP 401") != std::string::npos);

    const auto open = dir / "open.token";
    std::ofstream(open) << env.kioskToken[1] << "\n";
    ::chmod(open.c_str(), 0644);
    sync::StaffCalls readable({BaseUrl(env), "s1", open, {}}, clock);
    s = After(readable, [&] { readable.Refresh(); });
    CHECK(s.error.find("chmod 600") != std::string::npos);

    // A list that worked stays shown when the server goes away; the error says so.
    sync::HttpOptions quick;
    quick.connectTimeout = std::chrono::milliseconds(500);
    quick.totalTimeout = std::chrono::milliseconds(2000);
    sync::StaffCalls client(
        {BaseUrl(env), "s1", TokenFile(dir, "k1b.token", env.kioskToken[1]), quick}, clock);
    s = After(client, [&] { client.Refresh(); });
    REQUIRE(s.calls.size() == 1);
    env.Server().Stop();
    s = After(client, [&] { client.Acknowledge(call.responseId, "Asha"); });
    CHECK(s.error.find("cannot be reached") != std::string::npos);
    CHECK(s.calls.size() == 1);
}
