// A kiosk token acts only as its own kiosk: it cannot read reports, cannot post batches or
// heartbeats as another kiosk, cannot read another kiosk's config or status, and what it was
// refused leaves nothing behind. The real HTTP server on 127.0.0.1, both backends.
// Already covered elsewhere and not repeated: tests/server/ServerTest.cpp "token rules" (status,
// JSON reports, config of a kiosk in the same store, manager tokens) and "bad batches" (a batch
// naming another kiosk in the same store).

#include <doctest/doctest.h>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"

using namespace fk;

namespace {

std::string HeartbeatBody() {
    protocol::Heartbeat hb;
    hb.pending = 7;
    hb.clock = *core::ParseRfc3339("2026-11-22T10:15:30.123Z");
    hb.version = "0.1.0";
    hb.lastError = "spoofed";
    return protocol::EncodeHeartbeat(hb);
}

}  // namespace

FK_SERVER_TEST("security: a kiosk token cannot act as another kiosk or read reports") {
    const std::string& k1 = env.kioskToken[1];
    const std::string range = "from=2026-11-01&to=2026-11-30";
    struct Case {
        const char* what;
        httplib::Result res;
        int status;
        const char* code;
    };
    Case cases[] = {
        {"reports JSON", env.Get("/api/v1/reports/reps?store=s1&" + range, k1), 403,
         "wrong_token_kind"},
        {"reports CSV", env.Get("/api/v1/reports/reps.csv?store=s1&" + range, k1), 403,
         "wrong_token_kind"},
        {"reports of all stores", env.Get("/api/v1/reports/reps?" + range, k1), 403,
         "wrong_token_kind"},
        {"batch as a kiosk of another store",
         env.PostBatch(env.MakeBatch("k3", {env.MakeResponse(1)}), k1), 403, "wrong_kiosk"},
        {"batch as an unregistered kiosk",
         env.PostBatch(env.MakeBatch("k9", {env.MakeResponse(1)}), k1), 403, "wrong_kiosk"},
        {"heartbeat as k2", env.Post("/api/v1/kiosks/k2/heartbeat", HeartbeatBody(), k1), 403,
         "wrong_kiosk"},
        {"heartbeat as k3", env.Post("/api/v1/kiosks/k3/heartbeat", HeartbeatBody(), k1), 403,
         "wrong_kiosk"},
        {"config of k3 (another store)", env.Get("/api/v1/kiosks/k3/config", k1), 403,
         "wrong_kiosk"},
        {"status of k3 (another store)", env.Get("/api/v1/kiosks/k3/status", k1), 403,
         "wrong_kiosk"},
        {"encoded path to k2", env.Get("/api/v1/kiosks/k%32/config", k1), 403, "wrong_kiosk"},
    };
    for (auto& c : cases) {
        CAPTURE(c.what);
        REQUIRE(c.res);
        CHECK(c.res->status == c.status);
        CHECK(test::ErrorCode(c.res) == c.code);
        // The refusal names no other kiosk's data: no report numbers, no config, no status.
        CHECK(c.res->body.find("acked_seq") == std::string::npos);
        CHECK(c.res->body.find("roster") == std::string::npos);
    }
    // Nothing was stored or recorded for the kiosks it tried to be.
    CHECK(env.Backend().CountResponses() == 0);
    for (const char* kiosk : {"k2", "k3"}) {
        CAPTURE(kiosk);
        auto status = env.Backend().Status(kiosk);
        REQUIRE(status.has_value());
        CHECK_FALSE(status->pendingReported.has_value());
        CHECK_FALSE(status->lastError.has_value());
        CHECK(status->ackedSeq == 0);
    }
    // While its own kiosk's requests work with the same token.
    CHECK(env.Post("/api/v1/kiosks/k1/heartbeat", HeartbeatBody(), k1)->status == 200);
    CHECK(env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1)}), k1)->status == 200);
    CHECK(env.Backend().CountResponses() == 1);
}

FK_SERVER_TEST("security: a manager token cannot write as a kiosk") {
    const std::string& manager = env.managerAll;
    auto batch = env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1)}), manager);
    REQUIRE(batch);
    CHECK(batch->status == 403);
    CHECK(test::ErrorCode(batch) == "wrong_token_kind");
    auto config = env.Get("/api/v1/kiosks/k1/config", manager);
    REQUIRE(config);
    CHECK(config->status == 403);
    CHECK(env.Backend().CountResponses() == 0);
}
