// Store-level alerts (issue 18 item 4) against a real kiosk-server on both databases: the rule over
// every till of a store fires once when two tills each stay below it, however many servers share
// the database, and reaches the kiosks (heartbeat answer) and the stores overview.

#include <doctest/doctest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/TimeFormat.h"
#include "server/ServerSettings.h"
#include "server/ServerTestEnv.h"

using namespace fk;

namespace {

// The responses' own time (ServerEnv::MakeResponse) plus a minute: inside the default 15 min.
constexpr core::UtcMs kBase = 1'795'342'530'123;  // 2026-11-22T10:15:30.123Z

std::optional<protocol::StoreAlert> HeartbeatAlert(httplib::Client& client,
                                                   const std::string& kiosk,
                                                   const std::string& token) {
    protocol::Heartbeat hb;
    hb.clock = kBase;
    hb.version = "test";
    auto res = client.Post(("/api/v1/kiosks/" + kiosk + "/heartbeat").c_str(),
                           httplib::Headers{{"Authorization", "Bearer " + token}},
                           protocol::EncodeHeartbeat(hb), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto ack = protocol::DecodeHeartbeatAck(res->body);
    REQUIRE(ack);
    return ack->storeAlert;
}

void PostBatch(httplib::Client& client, const protocol::Batch& batch, const std::string& token) {
    auto res =
        client.Post("/api/v1/batches", httplib::Headers{{"Authorization", "Bearer " + token}},
                    protocol::EncodeBatch(batch), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
}

nlohmann::json StoreRow(test::ServerEnv& env, const std::string& store) {
    auto res = env.Get("/api/v1/reports/stores?period=today", env.managerAll);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    const auto body = nlohmann::json::parse(res->body);
    for (const auto& s : body["stores"])
        if (s["store"] == store)
            return s;
    FAIL("no row for store " << store);
    return {};
}

// A second server on the same database: for PostgreSQL its own backend (another process behind
// the load balancer would have its own); SQLite serves from one process, so the same backend.
struct SecondServer {
    std::unique_ptr<server::Backend> ownBackend;
    std::unique_ptr<server::HttpServer> server;
    std::unique_ptr<httplib::Client> client;
    explicit SecondServer(test::ServerEnv& env) {
        server::Backend* backend = &env.Backend();
        if (env.Url().rfind("sqlite:", 0) != 0) {
            ownBackend = server::OpenBackend(env.Url());
            backend = ownBackend.get();
        }
        server =
            std::make_unique<server::HttpServer>(*backend, env.Clock(), server::ServerOptions{});
        const int port = server->Start();
        client = std::make_unique<httplib::Client>("127.0.0.1", port);
        client->set_read_timeout(10);
    }
    ~SecondServer() {
        client.reset();
        server->Stop();
        server.reset();
    }
};

}  // namespace

FK_SERVER_TEST(
    "store alert: two tills of one store each send two negatives within the window, through two "
    "servers on one database, and exactly one store alert fires") {
    env.Clock().SetUtc(kBase + 60'000);
    const core::UtcMs now = env.Clock().NowUtcMs();
    env.Backend().Calls().AddWebhook({"wh_s1", std::string("s1"), "http://127.0.0.1:9/x", "k"},
                                     now);
    SecondServer b(env);

    // Till k1, through server A: two negatives. Alone it stays below the rule (2 < 4 responses),
    // as each till's own rule does.
    env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1, 1), env.MakeResponse(2, 1)}),
                  env.kioskToken[1]);
    CHECK_FALSE(HeartbeatAlert(env.Client(), "k1", env.kioskToken[1]));
    CHECK(env.Backend().Alerts().History("s1", 0, now + 1).empty());
    CHECK(StoreRow(env, "s1")["store_alert"].is_null());

    // Till k2, through server B: two more negatives. The store has 4 of 4 negative: it fires.
    PostBatch(*b.client, env.MakeBatch("k2", {env.MakeResponse(1, 1), env.MakeResponse(2, 2)}),
              env.kioskToken[2]);
    auto history = env.Backend().Alerts().History("s1", 0, now + 1);
    REQUIRE(history.size() == 1);
    CHECK(history[0].negative == 4);
    CHECK(history[0].responses == 4);
    CHECK(history[0].raisedAt == now);
    auto deliveries = env.Backend().Calls().Deliveries(history[0].EventKey());
    REQUIRE(deliveries.size() == 1);
    CHECK(deliveries[0].destination == "webhook:wh_s1");

    // More negatives at both tills through both servers while it keeps firing: still one alert.
    // (Each a refresh interval after the last, so each refreshes the alert's counts.)
    env.Clock().Advance(30'000);
    env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(3, 1)}), env.kioskToken[1]);
    env.Clock().Advance(server::StoreAlerts::RefreshInterval(core::AlertRule{}));
    PostBatch(*b.client, env.MakeBatch("k2", {env.MakeResponse(3, 1)}), env.kioskToken[2]);
    history = env.Backend().Alerts().History("s1", 0, env.Clock().NowUtcMs() + 1);
    REQUIRE(history.size() == 1);
    CHECK(history[0].negative == 6);
    CHECK(history[0].responses == 6);

    // It reaches every till of the store (heartbeat answer, through either server), not store s2.
    for (auto* client : {&env.Client(), b.client.get()}) {
        auto seen = HeartbeatAlert(*client, "k1", env.kioskToken[1]);
        REQUIRE(seen);
        CHECK(seen->negative == 6);
        CHECK(seen->responses == 6);
        CHECK(seen->windowMin == 15);
        CHECK(seen->raisedAt == now);
    }
    CHECK(HeartbeatAlert(env.Client(), "k2", env.kioskToken[2]));
    CHECK_FALSE(HeartbeatAlert(env.Client(), "k3", env.kioskToken[3]));

    // And the stores overview.
    auto row = StoreRow(env, "s1");
    REQUIRE(row["store_alert"].is_object());
    CHECK(row["store_alert"]["negative"] == 6);
    CHECK(row["store_alert"]["raised_at"] == core::FormatRfc3339Ms(now));
    CHECK(StoreRow(env, "s2")["store_alert"].is_null());

    // Happy customers at both tills: the share drops below 50 %, the alert clears.
    const std::vector<core::Response> happyK1{env.MakeResponse(4, 4), env.MakeResponse(5, 4),
                                              env.MakeResponse(6, 4), env.MakeResponse(7, 4)};
    env.PostBatch(env.MakeBatch("k1", happyK1), env.kioskToken[1]);
    PostBatch(*b.client,
              env.MakeBatch(
                  "k2", {env.MakeResponse(4, 4), env.MakeResponse(5, 3), env.MakeResponse(6, 4)}),
              env.kioskToken[2]);
    CHECK_FALSE(HeartbeatAlert(*b.client, "k1", env.kioskToken[1]));
    CHECK(StoreRow(env, "s1")["store_alert"].is_null());
    CHECK(env.Backend().Alerts().History("s1", 0, env.Clock().NowUtcMs() + 1).size() == 1);
}

FK_SERVER_TEST(
    "store alert: an open alert is refreshed at most every RefreshInterval, cleared at once") {
    env.Clock().SetUtc(kBase + 60'000);
    const core::UtcMs raisedAt = env.Clock().NowUtcMs();
    env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1, 1), env.MakeResponse(2, 1)}),
                  env.kioskToken[1]);
    env.PostBatch(env.MakeBatch("k2", {env.MakeResponse(1, 1), env.MakeResponse(2, 1)}),
                  env.kioskToken[2]);
    auto current = env.Backend().Alerts().Current(std::string("s1"), raisedAt);
    REQUIRE(current.size() == 1);
    CHECK(current[0].negative == 4);
    const std::int64_t refresh = server::StoreAlerts::RefreshInterval(core::AlertRule{});
    CHECK(refresh == 10'000);

    // Within the interval a negative batch is counted by the rule but not written to the alert.
    env.Clock().Advance(refresh - 1);
    env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(3, 1)}), env.kioskToken[1]);
    current = env.Backend().Alerts().Current(std::string("s1"), env.Clock().NowUtcMs());
    REQUIRE(current.size() == 1);
    CHECK(current[0].checkedAt == raisedAt);
    CHECK(current[0].negative == 4);

    // At the interval the next batch refreshes it with every till's counts.
    env.Clock().Advance(1);
    env.PostBatch(env.MakeBatch("k2", {env.MakeResponse(3, 1)}), env.kioskToken[2]);
    current = env.Backend().Alerts().Current(std::string("s1"), env.Clock().NowUtcMs());
    REQUIRE(current.size() == 1);
    CHECK(current[0].checkedAt == raisedAt + refresh);
    CHECK(current[0].negative == 6);
    CHECK(current[0].responses == 6);

    // A clear is never delayed: one second later happy customers end it.
    env.Clock().Advance(1'000);
    std::vector<core::Response> happy;
    for (int i = 4; i < 12; ++i)
        happy.push_back(env.MakeResponse(i, 4));
    env.PostBatch(env.MakeBatch("k1", happy), env.kioskToken[1]);
    CHECK(env.Backend().Alerts().Current(std::string("s1"), env.Clock().NowUtcMs()).empty());
    CHECK(env.Backend().Alerts().History("s1", 0, env.Clock().NowUtcMs() + 1).size() == 1);

    // The window's quarter bounds it for short windows.
    CHECK(server::StoreAlerts::RefreshInterval(core::AlertRule{50.0, 20'000, 4}) == 5'000);
}

FK_SERVER_TEST(
    "store alert minutes: a resent batch is not counted twice, rows older than a day are not "
    "counted, minutes older than a day are purged") {
    env.Clock().SetUtc(kBase + 60'000);
    const auto batch = env.MakeBatch(
        "k1", {env.MakeResponse(1, 1), env.MakeResponse(2, 1), env.MakeResponse(3, 1)});
    env.PostBatch(batch, env.kioskToken[1]);
    env.PostBatch(batch, env.kioskToken[1]);  // the kiosk missed the receipt and sent it again
    const core::AlertRule rule{50.0, 15 * 60 * 1000, 4};
    auto outcome = env.Backend().Alerts().Evaluate("s1", rule, env.Clock().NowUtcMs());
    CHECK(outcome.state.negative == 3);
    CHECK(outcome.state.responses == 3);
    CHECK_FALSE(outcome.state.raised);

    // A kiosk back from two days offline: its old rows are stored and reported, not counted by
    // the rule (no window reaches them).
    auto old = env.MakeResponse(4, 1);
    old.createdAtMs -= 2 * 86'400'000;
    old.closedAtMs = old.createdAtMs + 5000;
    env.PostBatch(env.MakeBatch("k1", {old}), env.kioskToken[1]);
    outcome = env.Backend().Alerts().Evaluate("s1", core::AlertRule{50.0, 1440 * 60 * 1000, 4},
                                              env.Clock().NowUtcMs());
    CHECK(outcome.state.responses == 3);

    // Two days on, the hourly purge deletes the minutes; the responses stay.
    CHECK(env.Backend().Alerts().PurgeMinutes(env.Clock().NowUtcMs()) == 0);
    CHECK(env.Backend().Alerts().PurgeMinutes(env.Clock().NowUtcMs() + 2 * 86'400'000) == 1);
    CHECK(env.Backend().CountResponses() == 4);
}

FK_SERVER_TEST("store alert: concurrent evaluations on two connections raise one alert") {
    env.Clock().SetUtc(kBase + 60'000);
    env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1, 1), env.MakeResponse(2, 1)}),
                  env.kioskToken[1]);
    env.PostBatch(env.MakeBatch("k2", {env.MakeResponse(1, 1), env.MakeResponse(2, 1)}),
                  env.kioskToken[2]);
    // The batches raised it already; clear it by hand to race a fresh raise.
    const core::AlertRule quiet{50.0, 15 * 60 * 1000, 100};
    auto cleared = env.Backend().Alerts().Evaluate("s1", quiet, kBase + 61'000);
    CHECK_FALSE(cleared.alert);
    std::unique_ptr<server::Backend> other;
    server::Backend* second = &env.Backend();
    if (env.Url().rfind("sqlite:", 0) != 0) {
        other = server::OpenBackend(env.Url());
        second = other.get();
    }
    std::atomic<int> raised{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            server::Backend& backend = t % 2 ? *second : env.Backend();
            for (int i = 0; i < 5; ++i) {
                auto o = backend.Alerts().Evaluate("s1", core::AlertRule{}, kBase + 62'000 + i);
                if (o.raisedHere)
                    ++raised;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    CHECK(raised.load() == 1);
    auto history = env.Backend().Alerts().History("s1", 0, kBase + 70'000);
    CHECK(history.size() == 2);  // the batches' alert (cleared) and the raced one
    auto current = env.Backend().Alerts().Current(std::string("s1"), kBase + 70'000);
    REQUIRE(current.size() == 1);
    CHECK(current[0].raisedAt >= kBase + 62'000);
}

TEST_CASE("store alert settings: [alerts] in the settings file, bad values refused with the key") {
    const auto s = server::ParseServerSettings(
        "[alerts]\nstore = false\nstore_negative_pct = 40\nstore_window_min = 30\n"
        "store_min_responses = 6\n",
        "s.toml");
    CHECK(s.storeAlerts == false);
    CHECK(s.storeNegativePct == 40);
    CHECK(s.storeWindowMin == 30);
    CHECK(s.storeMinResponses == 6);
    CHECK_FALSE(server::ParseServerSettings("", "e.toml").storeAlerts);
    auto problems = [](const std::string& text) {
        try {
            server::ParseServerSettings(text, "s.toml");
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(problems("[alerts]\nstore_negative_pct = 0\n").find("store_negative_pct") !=
          std::string::npos);
    CHECK(problems("[alerts]\nstore_window_min = 100000\n").find("store_window_min") !=
          std::string::npos);
    CHECK(problems("[alerts]\nstore = 3\n").find("store") != std::string::npos);
    CHECK(problems("[alerts]\nstores = true\n").find("stores") != std::string::npos);
}
