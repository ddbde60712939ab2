// Retention (issue 20 item 4) on both backends with a fake clock: raw responses older than the
// chain's age are deleted while every report over any period, old or new, reads the same figures
// before and after (and after a roll-up rebuild); a late resend of a deleted row is a duplicate,
// never counted again; the kiosks are told the age in the heartbeat answer.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/Privacy.h"

using namespace fk;

namespace {

// Every report body of both stores' managers over periods reaching before and after the cut.
std::map<std::string, std::string> Reports(test::ServerEnv& env) {
    std::map<std::string, std::string> out;
    const char* periods[] = {
        "from=2024-09-01&to=2026-01-20",  // everything
        "from=2024-10-01&to=2024-12-31",  // deleted whole months
        "from=2024-11-03&to=2024-11-17",  // deleted days
        "from=2024-12-10&to=2025-02-20",  // across the cut (around 2024-12-16)
        "from=2025-06-01&to=2025-06-30",  // kept
    };
    for (const char* what : {"reps", "reasons", "heatmap", "trend", "reps.csv"}) {
        for (const char* period : periods) {
            for (const auto& [store, token] :
                 {std::pair<std::string, std::string>{"s1", env.managerS1},
                  {"s2", env.managerS2}}) {
                const std::string path = std::string("/api/v1/reports/") + what +
                                         "?store=" + store + "&" + period + "&min_n=1";
                auto res = env.Get(path, token);
                REQUIRE(res);
                REQUIRE_MESSAGE(res->status == 200, path << ": " << res->body);
                out[path] = res->body;
            }
        }
    }
    return out;
}

}  // namespace

FK_SERVER_TEST(
    "retention deletes raw responses older than the age and every report reads the same, also "
    "after a rebuild; a resend of a deleted row is a duplicate") {
    std::mt19937 rng(20);
    const core::UtcMs first = *core::ParseRfc3339("2024-09-05T00:00:00Z");
    const int offsets[] = {-300, 0, 60, 330};
    std::map<int, std::vector<core::Response>> byKiosk;  // k1 (s1), k3 (s2)
    for (int kiosk : {1, 3}) {
        for (int i = 1; i <= 300; ++i) {
            core::Response r = env.MakeResponse(
                i, 1 + static_cast<int>(rng() % 4),
                rng() % 5 == 0 ? std::nullopt
                               : std::optional<std::string>("r" + std::to_string(rng() % 4)));
            // Ordered in time as a kiosk makes them: about 1.6 days apart, to January 2026.
            r.createdAtMs =
                first + (i - 1) * 138'000'000LL + static_cast<core::UtcMs>(rng() % 3'600'000);
            r.closedAtMs = r.createdAtMs + 3000;
            r.tzOffsetMin = offsets[rng() % 4];
            if (r.rating <= 2)
                r.reason = rng() % 2 == 0 ? "rude" : "price";
            if (rng() % 15 == 0)
                r.misuse = "rapid_taps";
            byKiosk[kiosk].push_back(r);
        }
    }
    const auto send = [&](int kiosk, const std::vector<core::Response>& rows) {
        for (std::size_t at = 0; at < rows.size(); at += 100) {
            std::vector<core::Response> part(
                rows.begin() + static_cast<long>(at),
                rows.begin() + static_cast<long>(std::min(at + 100, rows.size())));
            auto res = env.PostBatch(env.MakeBatch("k" + std::to_string(kiosk), part),
                                     env.kioskToken[kiosk]);
            REQUIRE(res);
            REQUIRE_MESSAGE(res->status == 200, res->body);
        }
    };
    for (const auto& [kiosk, rows] : byKiosk)
        send(kiosk, rows);
    REQUIRE(env.Backend().CountResponses() == 600);
    const auto before = Reports(env);

    // 400 days before 2026-01-20: local days before 2024-12-16 go.
    env.Clock().SetUtc(*core::ParseRfc3339("2026-01-20T09:00:00Z"));
    server::Privacy& privacy = env.Backend().PersonalData();
    CHECK_FALSE(privacy.Mark().has_value());
    const std::int64_t deleted = server::ApplyRetention(privacy, env.Clock().NowUtcMs(), 400);
    std::int64_t expected = 0;
    const std::int64_t cut = core::DaysFromCivil({2024, 12, 16});
    for (const auto& [kiosk, rows] : byKiosk)
        for (const auto& r : rows)
            expected += (r.createdAtMs + r.tzOffsetMin * 60'000LL) / 86'400'000 < cut ? 1 : 0;
    CHECK(expected > 100);
    CHECK(deleted == expected);
    CHECK(env.Backend().CountResponses() == 600 - expected);
    CHECK(privacy.Mark() == cut);
    CHECK(Reports(env) == before);

    // Again at the same time: nothing more; the mark never moves down.
    CHECK(server::ApplyRetention(privacy, env.Clock().NowUtcMs(), 400) == 0);
    CHECK(server::ApplyRetention(privacy, env.Clock().NowUtcMs(), 3000) == 0);
    CHECK(privacy.Mark() == cut);

    env.Backend().RebuildRollups();
    CHECK(Reports(env) == before);

    // The kiosk resends everything (a restored kiosk): nothing accepted, nothing counted twice,
    // no conflict for the deleted rows; its marks stay whole.
    for (const auto& [kiosk, rows] : byKiosk) {
        auto res =
            env.PostBatch(env.MakeBatch("k" + std::to_string(kiosk), rows), env.kioskToken[kiosk]);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        CHECK(res->body.find("\"accepted\"") == std::string::npos);
        CHECK(res->body.find("\"rejected\"") == std::string::npos);
        auto receipt = protocol::DecodeReceipt(res->body);
        REQUIRE(receipt);
        CHECK(receipt->ackedSeq == 300);
    }
    CHECK(Reports(env) == before);
    auto status = env.Get("/api/v1/kiosks/k1/status", env.kioskToken[1]);
    REQUIRE(status);
    auto parsed = protocol::DecodeKioskStatus(status->body);
    REQUIRE(parsed);
    CHECK(parsed->ackedSeq == 300);
    CHECK(parsed->gaps.empty());

    // The kiosks learn the age from the heartbeat answer.
    protocol::Heartbeat hb;
    hb.clock = env.Clock().NowUtcMs();
    hb.version = "test";
    auto ack =
        env.Post("/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb), env.kioskToken[1]);
    REQUIRE(ack);
    REQUIRE(ack->status == 200);
    auto decoded = protocol::DecodeHeartbeatAck(ack->body);
    REQUIRE(decoded);
    CHECK(decoded->keepDays == 400);
}
