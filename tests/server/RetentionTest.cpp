// Retention (issue 20 item 4) on both backends with a fake clock: raw responses older than the
// chain's age are deleted while every report over any period, old or new, reads the same figures
// before and after (and after a roll-up rebuild); a late resend of a deleted row is a duplicate,
// never counted again; the kiosks are told the age in the heartbeat answer. Help calls and rejected
// items older than the age go too, and the calls report (per store and per rep) reads the same.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Calls.h"
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

// The calls report of every period, both stores and the chain, JSON and CSV, read at the
// clock's now (its overdue count depends on it).
std::map<std::string, std::string> CallReports(test::ServerEnv& env) {
    std::map<std::string, std::string> out;
    for (const char* period : {"from=2024-09-01&to=2026-01-20", "from=2024-10-01&to=2024-12-31",
                               "from=2024-12-10&to=2025-02-20", "from=2025-06-01&to=2025-06-30"}) {
        for (const char* store : {"&store=s1", "&store=s2", ""}) {
            for (const char* what : {"calls", "calls.csv"}) {
                const std::string path =
                    std::string("/api/v1/reports/") + what + "?" + period + store + "&min_n=1";
                auto res = env.Get(path, env.managerAll);
                REQUIRE(res);
                REQUIRE_MESSAGE(res->status == 200, path << ": " << res->body);
                out[path] = res->body;
            }
        }
    }
    return out;
}

// Help calls about every 5 days from September 2024 to January 2026 from k1 (s1) and k3 (s2),
// each received as asked (the fake clock set to it), most acknowledged, some closed. Returns how
// many calls were asked before local day cut.
std::int64_t AskForHelp(test::ServerEnv& env, std::int64_t cut) {
    std::mt19937 rng(2020);
    const core::UtcMs first = *core::ParseRfc3339("2024-09-06T10:00:00Z");
    static core::SystemClock idClock;
    static core::Uuid7Generator ids(idClock);
    std::int64_t before = 0;
    for (int i = 0; i < 100; ++i) {
        const int kiosk = i % 2 == 0 ? 1 : 3;
        protocol::Call c;
        c.responseId = ids.Next();
        c.askedAt = first + i * 5 * 86'400'000LL + static_cast<core::UtcMs>(rng() % 3'600'000);
        c.tzOffsetMin = i % 3 == 0 ? 330 : 60;
        c.scale = 4;
        c.rating = 1 + static_cast<int>(rng() % 2);
        c.reason = "wait_time";
        c.language = "en";
        if (rng() % 4 != 0)
            c.repId = "r" + std::to_string(rng() % 4);
        if (rng() % 10 == 0)
            c.misuse = "rapid_taps";
        before += (c.askedAt + c.tzOffsetMin * 60'000LL) / 86'400'000 < cut ? 1 : 0;
        env.Clock().SetUtc(c.askedAt + 2000);
        auto res = env.Post("/api/v1/calls",
                            protocol::EncodeCallsRequest({1, "k" + std::to_string(kiosk), {c}}),
                            env.kioskToken[kiosk]);
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, res->body);
        const std::string id = c.responseId.ToString();
        if (rng() % 5 != 0) {
            env.Clock().SetUtc(c.askedAt + 2000 + static_cast<core::UtcMs>(rng() % 600'000));
            REQUIRE(env.Post("/api/v1/calls/" + id + "/ack", R"({"by": "Asha"})", env.managerAll)
                        ->status == 200);
            if (rng() % 2 == 0) {
                env.Clock().SetUtc(c.askedAt + 900'000);
                REQUIRE(env.Post("/api/v1/calls/" + id + "/close",
                                 rng() % 2 == 0 ? R"({"by": "Ravi", "outcome": "helped"})"
                                                : R"({"by": "Ravi", "outcome": "other"})",
                                 env.managerAll)
                            ->status == 200);
            }
        }
    }
    return before;
}

// One rejected item (a rating off the scale) from k2 received at the clock's now.
void Reject(test::ServerEnv& env, std::int64_t seq, core::UtcMs at) {
    env.Clock().SetUtc(at);
    auto bad = env.MakeResponse(seq, 5);
    bad.createdAtMs = at - 5000;
    bad.closedAtMs = at - 2000;
    bad.repId = "r1";
    auto res = env.PostBatch(env.MakeBatch("k2", {bad}), env.kioskToken[2]);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    REQUIRE(res->body.find("rating_out_of_scale") != std::string::npos);
}

std::int64_t RejectedOfK2(test::ServerEnv& env) {
    auto status = env.Get("/api/v1/kiosks/k2/status", env.kioskToken[2]);
    REQUIRE(status);
    auto parsed = protocol::DecodeKioskStatus(status->body);
    REQUIRE(parsed);
    return parsed->rejected;
}

}  // namespace

FK_SERVER_TEST(
    "retention deletes help calls and rejected items older than the age; the calls report per "
    "store and per rep reads the same before and after") {
    const std::int64_t cut = core::DaysFromCivil({2024, 12, 16});
    const std::int64_t oldCalls = AskForHelp(env, cut);
    CHECK(oldCalls > 10);
    Reject(env, 1, *core::ParseRfc3339("2024-10-02T12:00:00Z"));
    Reject(env, 2, *core::ParseRfc3339("2026-01-10T12:00:00Z"));
    CHECK(RejectedOfK2(env) == 2);

    env.Clock().SetUtc(*core::ParseRfc3339("2026-01-20T09:00:00Z"));
    const auto before = CallReports(env);
    CHECK(before.at("/api/v1/reports/calls?from=2024-09-01&to=2026-01-20&min_n=1")
              .find("\"rep_id\":\"r1\"") != std::string::npos);
    // The calls the list shows (GET /api/v1/calls?status=all), every store.
    const auto listed = [&] {
        auto res =
            env.Get("/api/v1/calls?status=all&from=2024-09-01&to=2026-01-20", env.managerAll);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        auto list = protocol::DecodeCallList(res->body);
        REQUIRE(list.Ok());
        return list->calls;
    };
    CHECK(listed().size() == 100);
    server::Privacy& privacy = env.Backend().PersonalData();
    server::ApplyRetention(privacy, env.Clock().NowUtcMs(), 400);
    CHECK(RejectedOfK2(env) == 1);  // the one from 2024 went, the recent one stays
    const auto left = listed();
    CHECK(static_cast<std::int64_t>(left.size()) == 100 - oldCalls);
    for (const auto& c : left)
        CHECK((c.call.askedAt + c.call.tzOffsetMin * 60'000LL) / 86'400'000 >= cut);
    CHECK(CallReports(env) == before);
    // Again at the same time: nothing more goes; a rebuild of the response roll-ups changes
    // nothing.
    server::ApplyRetention(privacy, env.Clock().NowUtcMs(), 400);
    CHECK(listed().size() == left.size());
    CHECK(RejectedOfK2(env) == 1);
    env.Backend().RebuildRollups();
    CHECK(CallReports(env) == before);
}

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
