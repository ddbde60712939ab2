// `kiosk-server migrate`: a SQLite server database copied into the real PostgreSQL cluster that
// scripts/test starts (FK_TEST_PG_URL), checked through the PostgreSQL backend itself: tokens
// still authenticate, statuses and reports agree, a second run is refused or (with merge) adds
// nothing.
#include <doctest/doctest.h>

#include "core/Clock.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "server/Backend.h"
#include "server/Migrate.h"
#include "server/Reports.h"
#include "server/Tokens.h"
#include "support/PgSchema.h"
#include "support/TempDir.h"

namespace fk::server {

namespace {

struct Source {
    std::string url;
    std::string kioskSecret;
    std::string managerSecret;
    std::string revokedSecret;
};

core::Response MakeResponse(core::Uuid7Generator& ids, std::int64_t seq, int rating,
                            std::optional<std::string> rep) {
    core::Response r;
    r.id = ids.Next();
    r.seq = seq;
    r.createdAtMs = *core::ParseRfc3339("2026-11-22T10:15:30.123Z") + seq * 1000;
    r.closedAtMs = r.createdAtMs + 5000;
    r.tzOffsetMin = 330;
    r.scale = 4;
    r.rating = rating;
    r.repId = std::move(rep);
    r.reason = rating <= 2 ? std::optional<std::string>("wait_time") : std::nullopt;
    r.language = "hi";
    return r;
}

// A SQLite server database with two stores, kiosks, tokens (one revoked), a config, accepted
// responses with a gap, and a rejected item.
Source MakeSource(const std::filesystem::path& dir) {
    core::FakeClock clock(*core::ParseRfc3339("2026-11-22T12:00:00Z"));
    core::Uuid7Generator ids(clock);
    Source s;
    s.url = "sqlite:" + (dir / "server.db").string();
    auto db = OpenBackend(s.url);
    const core::UtcMs now = clock.NowUtcMs();
    db->AddStore("s1", "Main Street", now);
    db->AddStore("s2", "Harbour", now);
    db->AddKiosk("k1", "s1", now);
    db->AddKiosk("k2", "s2", now);
    s.kioskSecret = IssueKioskToken(*db, KioskRecord{"k1", "s1"}, now).secret;
    const auto revoked = IssueKioskToken(*db, KioskRecord{"k2", "s2"}, now);
    s.revokedSecret = revoked.secret;
    REQUIRE(db->RevokeToken(revoked.record.id, now));
    s.managerSecret = IssueManagerToken(*db, std::nullopt, now).secret;
    db->SetConfig("s1", "", ConfigRecord{R"({"roster":[]})", "\"e1\""}, now);

    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    for (std::int64_t seq : {1, 2, 3, 5}) {
        batch.responses.push_back(MakeResponse(ids, seq, static_cast<int>(seq % 4) + 1, "r1"));
    }
    Ingest(*db, KioskRecord{"k1", "s1"}, batch, now);
    protocol::Batch bad;
    bad.kioskId = "k1";
    bad.batchId = ids.Next();
    auto invalid = MakeResponse(ids, 6, 3, std::nullopt);
    invalid.rating = 9;  // out of range: rejected and kept
    bad.responses.push_back(invalid);
    const auto receipt = Ingest(*db, KioskRecord{"k1", "s1"}, bad, now);
    REQUIRE(receipt.results.size() == 1);
    REQUIRE(receipt.results[0].status == protocol::ItemStatus::Rejected);
    protocol::Heartbeat beat;
    beat.pending = 2;
    beat.clock = now;
    beat.version = "0.9.0";
    beat.alert = "4 of 5 responses negative in the last 15 min";
    db->RecordHeartbeat("k1", beat, now);
    // A help call with its outbox row for a webhook (schema version 5).
    db->Calls().AddWebhook({"wh_1", std::string("s1"), "http://127.0.0.1:9/h", "secret"}, now);
    protocol::CallRecord call;
    call.call.responseId = batch.responses[0].id;
    call.call.askedAt = now;
    call.kioskId = "k1";
    call.storeId = "s1";
    call.receivedAt = now;
    REQUIRE(db->Calls().Insert(call, 120'000, CallEvent(call, false)).kind ==
            CallStore::InsertKind::Accepted);
    return s;
}

std::int64_t Added(const MigrateReport& report) {
    std::int64_t n = 0;
    for (const auto& t : report.tables)
        n += t.added;
    return n;
}

}  // namespace

TEST_CASE(
    "migrate copies a SQLite server database into PostgreSQL, and a second run changes nothing") {
    auto schema = test::PgSchema::Create("fk_mig_");
    if (!schema)
        return;
    test::TempDir dir;
    const Source src = MakeSource(dir.Path());

    const MigrateReport report = MigrateDatabase(src.url, schema->Url(), false);
    INFO(report.to_string());
    for (const auto& t : report.tables)
        CHECK_MESSAGE(t.added == t.source, t.table);

    auto pg = OpenBackend(schema->Url());
    auto sqlite = OpenBackend(src.url);
    CHECK(pg->CountResponses() == 4);
    CHECK(pg->CountResponses() == sqlite->CountResponses());
    CHECK(pg->StoreExists("s2"));
    const auto calls = sqlite->Calls().List({std::nullopt, false, 0, INT64_MAX, 10});
    REQUIRE(calls.size() == 1);
    CHECK(pg->Calls().Find(calls[0].call.responseId.ToString()) == calls[0]);
    CHECK(pg->Calls().FindWebhook("wh_1").has_value());
    CHECK(pg->Calls().Deliveries("call:" + calls[0].call.responseId.ToString()).size() == 1);
    REQUIRE(pg->FindKiosk("k2"));
    CHECK(pg->FindKiosk("k2")->storeId == "s2");
    // Tokens keep working (only hashes are stored, so this proves the hashes moved intact).
    const auto kioskToken = pg->FindToken(HashToken(src.kioskSecret));
    REQUIRE(kioskToken);
    CHECK(kioskToken->kioskId == std::optional<std::string>("k1"));
    const auto managerToken = pg->FindToken(HashToken(src.managerSecret));
    REQUIRE(managerToken);
    CHECK(managerToken->kind == TokenKind::Manager);
    CHECK_FALSE(pg->FindToken(HashToken(src.revokedSecret)));
    const auto config = pg->FindConfig("s1", "k1");
    REQUIRE(config);
    CHECK(config->etag == "\"e1\"");
    // The kiosk's sync state: acked seq, the gap at 4, the rejected item.
    const auto a = sqlite->Status("k1");
    const auto b = pg->Status("k1");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->ackedSeq == a->ackedSeq);
    CHECK(b->ackedSeq == 3);
    CHECK(b->gaps.size() == a->gaps.size());
    CHECK(b->maxSeq == a->maxSeq);
    CHECK(b->maxSeq == 6);  // the rejected item counts as received
    CHECK(b->responses == 4);
    CHECK(b->rejected == a->rejected);
    CHECK(b->rejected == 1);
    CHECK(b->alert == std::optional<std::string>("4 of 5 responses negative in the last 15 min"));
    CHECK(b->version == a->version);
    // Reports agree.
    ReportRequest request;
    request.storeId = "s1";
    request.kind = core::PeriodKind::Custom;
    request.from = core::CivilDate{2026, 11, 1};
    request.to = core::CivilDate{2026, 11, 30};
    const std::string fromPg = RepsCsv(LoadDashboard(*pg, request));
    CHECK(fromPg == RepsCsv(LoadDashboard(*sqlite, request)));
    CHECK(fromPg.find("r1") != std::string::npos);

    SUBCASE("a non-empty target is refused without merge, and left as it was") {
        try {
            MigrateDatabase(src.url, schema->Url(), false);
            FAIL("migrate into a non-empty target did not refuse");
        } catch (const BackendError& e) {
            CHECK(e.GetKind() == BackendError::Kind::AlreadyExists);
            CHECK(std::string(e.what()).find("--merge") != std::string::npos);
        }
        CHECK(pg->CountResponses() == 4);
    }
    SUBCASE("with merge a second run adds nothing, and rows new in the source are added") {
        CHECK(Added(MigrateDatabase(src.url, schema->Url(), true)) == 0);
        CHECK(pg->CountResponses() == 4);
        sqlite->AddStore("s3", "New", 1);
        const auto again = MigrateDatabase(src.url, schema->Url(), true);
        CHECK(Added(again) == 1);
        CHECK(pg->StoreExists("s3"));
    }
}

TEST_CASE("migrate says what is wrong with its arguments") {
    test::TempDir dir;
    try {
        MigrateDatabase((dir.Path() / "missing.db").string(), "postgresql://127.0.0.1/x", false);
        FAIL("a missing source was accepted");
    } catch (const BackendError& e) {
        CHECK(e.GetKind() == BackendError::Kind::NotFound);
        CHECK(std::string(e.what()).find("missing.db") != std::string::npos);
    }
    OpenBackend("sqlite:" + (dir.Path() / "s.db").string()).reset();
    CHECK_THROWS_AS(MigrateDatabase((dir.Path() / "s.db").string(), "sqlite:/tmp/other.db", false),
                    BackendError);
    CHECK_THROWS_AS(MigrateDatabase("postgresql://127.0.0.1/x", "postgresql://127.0.0.1/y", false),
                    BackendError);
}

}  // namespace fk::server
