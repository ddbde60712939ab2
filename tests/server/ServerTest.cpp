#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "protocol/Wire.h"
#include "server/Tokens.h"
#include "support/CsvReader.h"

using namespace fk;
using fk::test::ErrorCode;
using protocol::ItemStatus;

namespace {

protocol::Receipt ReceiptOf(const httplib::Result& res) {
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto receipt = protocol::DecodeReceipt(res->body);
    REQUIRE_MESSAGE(receipt.Ok(), res->body);
    return *receipt;
}

protocol::KioskStatus StatusOf(fk::test::ServerEnv& env, const std::string& kiosk,
                               const std::string& token) {
    auto res = env.Get("/api/v1/kiosks/" + kiosk + "/status", token);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    auto status = protocol::DecodeKioskStatus(res->body);
    REQUIRE(status.Ok());
    return *status;
}

}  // namespace

FK_SERVER_TEST("a batch is accepted once, its replay is all duplicate and stores nothing twice") {
    std::vector<core::Response> rows;
    for (int i = 1; i <= 20; ++i)
        rows.push_back(env.MakeResponse(i, 1 + i % 4));
    auto batch = env.MakeBatch("k1", rows);
    auto first = ReceiptOf(env.PostBatch(batch, env.kioskToken[1]));
    REQUIRE(first.results.size() == 20);
    for (std::size_t i = 0; i < 20; ++i) {
        CHECK(first.results[i].id == rows[i].id);
        CHECK(first.results[i].status == ItemStatus::Accepted);
    }
    CHECK(first.ackedSeq == 20);
    CHECK(first.serverTime == env.Clock().NowUtcMs());
    auto replay = ReceiptOf(env.PostBatch(batch, env.kioskToken[1]));
    for (const auto& r : replay.results)
        CHECK(r.status == ItemStatus::Duplicate);
    CHECK(replay.ackedSeq == 20);
    CHECK(env.Backend().CountResponses() == 20);
    // A partial overlap: 15..25 -> 15..20 duplicate, 21..25 accepted.
    std::vector<core::Response> overlap(rows.begin() + 14, rows.end());
    for (int i = 21; i <= 25; ++i)
        overlap.push_back(env.MakeResponse(i));
    auto mixed = ReceiptOf(env.PostBatch(env.MakeBatch("k1", overlap), env.kioskToken[1]));
    for (std::size_t i = 0; i < overlap.size(); ++i) {
        CHECK(mixed.results[i].status == (i < 6 ? ItemStatus::Duplicate : ItemStatus::Accepted));
    }
    CHECK(mixed.ackedSeq == 25);
    CHECK(env.Backend().CountResponses() == 25);
    auto status = StatusOf(env, "k1", env.kioskToken[1]);
    CHECK(status.responses == 25);
    CHECK(status.ackedSeq == 25);
    CHECK(status.gaps.empty());
    CHECK(status.lastSeen == env.Clock().NowUtcMs());
}

FK_SERVER_TEST(
    "the same id with different content is rejected as a conflict and kept for inspection") {
    auto original = env.MakeResponse(1, 4);
    ReceiptOf(env.PostBatch(env.MakeBatch("k1", {original}), env.kioskToken[1]));
    auto changed = original;
    changed.rating = 1;
    auto receipt = ReceiptOf(env.PostBatch(env.MakeBatch("k1", {changed}), env.kioskToken[1]));
    REQUIRE(receipt.results.size() == 1);
    CHECK(receipt.results[0].status == ItemStatus::Rejected);
    REQUIRE(receipt.results[0].error.has_value());
    CHECK(receipt.results[0].error->code == "conflict");
    CHECK(env.Backend().CountResponses() == 1);
    auto status = StatusOf(env, "k1", env.kioskToken[1]);
    CHECK(status.rejected == 1);
    // The first version is the one that counts.
    auto report =
        env.Get("/api/v1/reports/reps?store=s1&from=2026-11-22&to=2026-11-22", env.managerS1);
    auto parsed = protocol::DecodeRepReport(report->body);
    REQUIRE(parsed.Ok());
    CHECK(parsed->total.positive == 1);
    CHECK(parsed->total.negative == 0);
    // Another kiosk reusing the id is a conflict too.
    auto stolen = original;
    auto other = ReceiptOf(env.PostBatch(env.MakeBatch("k2", {stolen}), env.kioskToken[2]));
    CHECK(other.results[0].status == ItemStatus::Rejected);
    CHECK(other.results[0].error->code == "conflict");
}

FK_SERVER_TEST("acked_seq is the contiguous high-water mark and gaps are listed until filled") {
    auto r = [&](int seq) { return env.MakeResponse(seq); };
    auto a =
        ReceiptOf(env.PostBatch(env.MakeBatch("k1", {r(1), r(2), r(5), r(7)}), env.kioskToken[1]));
    CHECK(a.ackedSeq == 2);
    auto status = StatusOf(env, "k1", env.kioskToken[1]);
    CHECK(status.ackedSeq == 2);
    CHECK(status.maxSeq == 7);
    CHECK(status.gaps == std::vector<protocol::SeqRange>{{3, 4}, {6, 6}});
    auto b = ReceiptOf(env.PostBatch(env.MakeBatch("k1", {r(3), r(4)}), env.kioskToken[1]));
    CHECK(b.ackedSeq == 5);
    auto c = ReceiptOf(env.PostBatch(env.MakeBatch("k1", {r(6)}), env.kioskToken[1]));
    CHECK(c.ackedSeq == 7);
    CHECK(StatusOf(env, "k1", env.kioskToken[1]).gaps.empty());
    // Seqs are per kiosk.
    CHECK(ReceiptOf(env.PostBatch(env.MakeBatch("k2", {r(1)}), env.kioskToken[2])).ackedSeq == 1);
}

FK_SERVER_TEST("an invalid item is rejected alone, the rest of the batch is stored and acked") {
    auto bad = env.MakeResponse(2, 5);  // 5 on a 4-face scale
    auto receipt = ReceiptOf(env.PostBatch(
        env.MakeBatch("k1", {env.MakeResponse(1), bad, env.MakeResponse(3)}), env.kioskToken[1]));
    CHECK(receipt.results[0].status == ItemStatus::Accepted);
    CHECK(receipt.results[1].status == ItemStatus::Rejected);
    CHECK(receipt.results[1].error->code == "rating_out_of_scale");
    CHECK(receipt.results[1].error->message.find("1..4") != std::string::npos);
    CHECK(receipt.results[2].status == ItemStatus::Accepted);
    CHECK(receipt.ackedSeq == 3);  // a rejected row is dealt with: no permanent gap
    CHECK(env.Backend().CountResponses() == 2);
    auto badScale = env.MakeResponse(4);
    badScale.scale = 7;
    auto second = ReceiptOf(env.PostBatch(env.MakeBatch("k1", {badScale}), env.kioskToken[1]));
    CHECK(second.results[0].error->code == "invalid_scale");
    // A different id claiming a taken seq.
    auto clash =
        ReceiptOf(env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1)}), env.kioskToken[1]));
    CHECK(clash.results[0].status == ItemStatus::Rejected);
    CHECK(clash.results[0].error->code == "seq_conflict");
    CHECK(StatusOf(env, "k1", env.kioskToken[1]).rejected == 3);
}

FK_SERVER_TEST("a gzip-encoded batch is accepted") {
    std::vector<core::Response> rows;
    for (int i = 1; i <= 200; ++i)
        rows.push_back(env.MakeResponse(i));
    std::string json = protocol::EncodeBatch(env.MakeBatch("k1", rows));
    std::string gz = fk::test::Gzip(json);
    CHECK(gz.size() < json.size() / 3);
    httplib::Headers headers{{"Authorization", "Bearer " + env.kioskToken[1]},
                             {"Content-Encoding", "gzip"}};
    auto res = env.Client().Post("/api/v1/batches", headers, gz, "application/json");
    auto receipt = ReceiptOf(res);
    CHECK(receipt.ackedSeq == 200);
    CHECK(env.Backend().CountResponses() == 200);
}

FK_SERVER_TEST("every bad request gets its status and error code, and nothing is stored") {
    const std::string k1 = env.kioskToken[1];
    std::string good = protocol::EncodeBatch(env.MakeBatch("k1", {env.MakeResponse(1)}));
    auto replace = [&](const std::string& from, const std::string& to) {
        std::string s = good;
        auto pos = s.find(from);
        REQUIRE(pos != std::string::npos);
        return s.replace(pos, from.size(), to);
    };
    struct Case {
        const char* what;
        httplib::Result res;
        int status;
        const char* code;
    };
    Case cases[] = {
        {"malformed JSON", env.Post("/api/v1/batches", "{\"protocol\": 1,", k1), 400,
         "malformed_json"},
        {"HTML", env.Post("/api/v1/batches", "<html></html>", k1), 400, "malformed_json"},
        {"wrong type", env.Post("/api/v1/batches", replace("\"rating\":4", "\"rating\":\"4\""), k1),
         400, "wrong_type"},
        {"missing field", env.Post("/api/v1/batches", replace("\"seq\":1,", ""), k1), 400,
         "missing_field"},
        {"protocol 2", env.Post("/api/v1/batches", replace("\"protocol\":1", "\"protocol\":2"), k1),
         400, "unsupported_protocol"},
        {"too large", env.Post("/api/v1/batches", std::string(300 * 1024, ' ') + good, k1), 413,
         "too_large"},
        {"wrong content type", env.Post("/api/v1/batches", good, k1, "text/plain"), 415,
         "unsupported_media_type"},
        {"no token", env.Post("/api/v1/batches", good, ""), 401, "missing_token"},
        {"bad token", env.Post("/api/v1/batches", good, "fk1_" + std::string(64, '0')), 401,
         "bad_token"},
        {"another kiosk's id", env.Post("/api/v1/batches", good, env.kioskToken[2]), 403,
         "wrong_kiosk"},
        {"manager token", env.Post("/api/v1/batches", good, env.managerAll), 403,
         "wrong_token_kind"},
        {"unknown route", env.Get("/api/v1/nothing", k1), 404, "not_found"},
    };
    for (auto& c : cases) {
        CAPTURE(c.what);
        REQUIRE(c.res);
        CHECK(c.res->status == c.status);
        CHECK(ErrorCode(c.res) == c.code);
        auto body = protocol::DecodeErrorBody(c.res->body);
        REQUIRE(body.Ok());
        CHECK(body->message.size() > 10);
    }
    // A batch over the item limit (500 here).
    std::vector<core::Response> many;
    for (int i = 1; i <= 501; ++i)
        many.push_back(env.MakeResponse(i));
    auto tooMany = env.PostBatch(env.MakeBatch("k1", many), k1);
    REQUIRE(tooMany);
    CHECK(tooMany->status == 400);
    CHECK(ErrorCode(tooMany) == "too_many_items");
    CHECK(env.Backend().CountResponses() == 0);
    CHECK(StatusOf(env, "k1", k1).ackedSeq == 0);
    CHECK(StatusOf(env, "k1", k1).rejected == 0);
    // And the good body still works afterwards.
    CHECK(ReceiptOf(env.Post("/api/v1/batches", good, k1)).ackedSeq == 1);
}

FK_SERVER_TEST("token rules: kiosks act only as themselves, managers only read their stores") {
    CHECK(env.Get("/api/v1/kiosks/k1/status", env.kioskToken[1])->status == 200);
    CHECK(ErrorCode(env.Get("/api/v1/kiosks/k2/status", env.kioskToken[1])) == "wrong_kiosk");
    CHECK(env.Get("/api/v1/kiosks/k2/status", env.kioskToken[1])->status == 403);
    CHECK(env.Get("/api/v1/kiosks/k1/status", env.managerS1)->status == 200);
    CHECK(env.Get("/api/v1/kiosks/k3/status", env.managerS1)->status == 403);
    CHECK(ErrorCode(env.Get("/api/v1/kiosks/k3/status", env.managerS1)) == "wrong_store");
    CHECK(env.Get("/api/v1/kiosks/k3/status", env.managerAll)->status == 200);
    CHECK(env.Get("/api/v1/kiosks/nope/status", env.managerAll)->status == 404);
    const std::string q = "?store=s1&from=2026-11-01&to=2026-11-30";
    CHECK(env.Get("/api/v1/reports/reps" + q, env.managerS1)->status == 200);
    CHECK(env.Get("/api/v1/reports/reps" + q, env.managerAll)->status == 200);
    CHECK(env.Get("/api/v1/reports/reps" + q, env.managerS2)->status == 403);
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps" + q, env.managerS2)) == "wrong_store");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps" + q, env.kioskToken[1])) == "wrong_token_kind");
    CHECK(ErrorCode(env.Get("/api/v1/kiosks/k1/config", env.managerS1)) == "wrong_token_kind");
    CHECK(ErrorCode(env.Get("/api/v1/kiosks/k2/config", env.kioskToken[1])) == "wrong_kiosk");
    CHECK(ErrorCode(env.Post("/api/v1/kiosks/k1/heartbeat", "{}", env.managerAll)) ==
          "wrong_token_kind");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps" + q, "")) == "missing_token");
    // Revocation takes effect at once.
    auto issued = server::IssueKioskToken(env.Backend(), {"k1", "s1"}, env.Clock().NowUtcMs());
    CHECK(env.Get("/api/v1/kiosks/k1/status", issued.secret)->status == 200);
    CHECK(env.Backend().RevokeToken(issued.record.id, env.Clock().NowUtcMs()));
    CHECK_FALSE(env.Backend().RevokeToken(issued.record.id, env.Clock().NowUtcMs()));
    auto revoked = env.Get("/api/v1/kiosks/k1/status", issued.secret);
    CHECK(revoked->status == 401);
    CHECK(ErrorCode(revoked) == "bad_token");
    CHECK(env.Get("/api/v1/kiosks/k1/status", env.kioskToken[1])->status == 200);
}

FK_SERVER_TEST("config is served with an ETag, If-None-Match gets 304, a kiosk override wins") {
    auto none = env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]);
    CHECK(none->status == 404);
    CHECK(ErrorCode(none) == "no_config");
    protocol::KioskConfig cfg;
    cfg.roster = {{"r1", "Asha", true}};
    cfg.reasons = {{"wait_time", {{"en", "Waiting time"}}}};
    cfg.locales = {"en", "hi"};
    std::string body = protocol::EncodeKioskConfig(cfg);
    env.Backend().SetConfig("s1", "", {body, "\"v1\""}, env.Clock().NowUtcMs());
    auto res = env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1]);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("ETag") == "\"v1\"");
    auto decoded = protocol::DecodeKioskConfig(res->body);
    REQUIRE(decoded.Ok());
    CHECK(*decoded == cfg);
    auto cached =
        env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1], {{"If-None-Match", "\"v1\""}});
    CHECK(cached->status == 304);
    CHECK(cached->body.empty());
    CHECK(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1], {{"If-None-Match", "\"old\""}})
              ->status == 200);
    cfg.roster.push_back({"r2", "Ravi", true});
    env.Backend().SetConfig("s1", "", {protocol::EncodeKioskConfig(cfg), "\"v2\""},
                            env.Clock().NowUtcMs());
    auto changed =
        env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1], {{"If-None-Match", "\"v1\""}});
    CHECK(changed->status == 200);
    CHECK(changed->get_header_value("ETag") == "\"v2\"");
    env.Backend().SetConfig("s1", "k2", {"{\"roster\":[]}", "\"k2-only\""}, env.Clock().NowUtcMs());
    CHECK(env.Get("/api/v1/kiosks/k2/config", env.kioskToken[2])->get_header_value("ETag") ==
          "\"k2-only\"");
    CHECK(env.Get("/api/v1/kiosks/k1/config", env.kioskToken[1])->get_header_value("ETag") ==
          "\"v2\"");
    CHECK(env.Get("/api/v1/kiosks/k3/config", env.kioskToken[3])->status == 404);
}

FK_SERVER_TEST("a heartbeat shows up in status: pending, clock skew, version, last error") {
    protocol::Heartbeat hb{
        12, 90'000, env.Clock().NowUtcMs() - 4'000, "0.1.0", "timeout after 10 s", std::nullopt};
    auto res =
        env.Post("/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb), env.kioskToken[1]);
    REQUIRE(res);
    CHECK(res->status == 200);
    auto status = StatusOf(env, "k1", env.managerS1);
    CHECK(status.pendingReported == 12);
    CHECK(status.oldestPendingAgeMs == 90'000);
    CHECK(status.clockSkewMs == -4'000);
    CHECK(status.version == "0.1.0");
    CHECK(status.lastError == "timeout after 10 s");
    CHECK(status.lastSeen == env.Clock().NowUtcMs());
    auto bad = env.Post("/api/v1/kiosks/k1/heartbeat", R"({"pending": "many"})", env.kioskToken[1]);
    CHECK(bad->status == 400);
    CHECK(ErrorCode(bad) == "wrong_type");
    CHECK(ErrorCode(env.Post("/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb),
                             env.kioskToken[2])) == "wrong_kiosk");
    CHECK(env.Post("/api/v1/kiosks/k1/heartbeat", "x", env.kioskToken[1], "text/plain")->status ==
          415);
}

FK_SERVER_TEST(
    "receipts and heartbeat answers carry acked_seq and max_seq, and a lost report closes the gap "
    "with a reason") {
    std::vector<core::Response> rows;
    for (int i : {1, 2, 3, 7, 8})
        rows.push_back(env.MakeResponse(i));
    auto receipt = ReceiptOf(env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1]));
    CHECK(receipt.ackedSeq == 3);
    CHECK(receipt.maxSeq == std::optional<std::int64_t>(8));
    CHECK_FALSE(receipt.lostRecorded.has_value());
    protocol::Heartbeat hb{0,       std::nullopt, env.Clock().NowUtcMs(),
                           "0.1.0", std::nullopt, std::nullopt};
    auto res =
        env.Post("/api/v1/kiosks/k1/heartbeat", protocol::EncodeHeartbeat(hb), env.kioskToken[1]);
    REQUIRE(res);
    auto ack = protocol::DecodeHeartbeatAck(res->body);
    REQUIRE(ack.Ok());
    CHECK(ack->ackedSeq == std::optional<std::int64_t>(3));
    CHECK(ack->maxSeq == std::optional<std::int64_t>(8));
    CHECK(StatusOf(env, "k1", env.managerS1).gaps == std::vector<protocol::SeqRange>{{4, 6}});

    // The kiosk's damaged file lost 2..6 (2, 3 already here); an empty batch carries the report.
    auto report = env.MakeBatch("k1", {});
    report.lost = {
        {2, 6, "damaged kiosk file on 2026-12-02 (responses.db.corrupt-20261202T101500Z)"}};
    auto lostReceipt = ReceiptOf(env.PostBatch(report, env.kioskToken[1]));
    CHECK(lostReceipt.results.empty());
    CHECK(lostReceipt.lostRecorded == std::optional<std::int64_t>(3));
    CHECK(lostReceipt.ackedSeq == 8);
    auto status = StatusOf(env, "k1", env.managerS1);
    CHECK(status.gaps.empty());
    CHECK(status.rejected == 0);  // lost is not rejected
    REQUIRE(status.lost.size() == 1);
    CHECK(status.lost[0].from == 4);
    CHECK(status.lost[0].to == 6);
    CHECK(status.lost[0].reason.rfind("damaged kiosk file on 2026-12-02", 0) == 0);
    // Reported twice (a resend): nothing new.
    CHECK(ReceiptOf(env.PostBatch(report, env.kioskToken[1])).lostRecorded ==
          std::optional<std::int64_t>(0));
    CHECK(StatusOf(env, "k1", env.managerS1).lost.size() == 1);
    // Bounds: too many seqs in one report is a 400 naming the limit.
    auto huge = env.MakeBatch("k1", {});
    huge.lost = {{100, 100 + protocol::kMaxLostSeqs, "damaged"}};
    auto tooMany = env.PostBatch(huge, env.kioskToken[1]);
    CHECK(tooMany->status == 400);
    CHECK(ErrorCode(tooMany) == "too_many_items");
}

FK_SERVER_TEST("reports count per rep by the kiosk's local date, misuse apart, CSV matches") {
    std::vector<core::Response> rows;
    auto add = [&](int seq, int rating, std::optional<std::string> rep, const char* created) {
        auto r = env.MakeResponse(seq, rating, std::move(rep));
        r.createdAtMs = *core::ParseRfc3339(created);
        r.closedAtMs = r.createdAtMs + 1000;
        rows.push_back(r);
        return rows.size() - 1;
    };
    add(1, 4, "r1", "2026-11-22T10:00:00.000Z");
    add(2, 3, "r1", "2026-11-22T11:00:00.000Z");
    add(3, 1, "r1", "2026-11-22T12:00:00.000Z");
    add(4, 2, "r2", "2026-11-22T12:00:00.000Z");
    add(5, 4, std::nullopt, "2026-11-22T12:00:00.000Z");
    rows[add(6, 4, "r2", "2026-11-22T12:00:00.000Z")].misuse = "rapid_taps";
    // 20:00 UTC on the 21st is 01:30 on the 22nd in India (+330).
    add(7, 4, "r2", "2026-11-21T20:00:00.000Z");
    // 18:00 UTC on the 22nd is 23:30 local: still the 22nd; 19:00 UTC is the 23rd.
    add(8, 4, "r2", "2026-11-22T18:00:00.000Z");
    add(9, 1, "r2", "2026-11-22T19:00:00.000Z");
    ReceiptOf(env.PostBatch(env.MakeBatch("k1", rows), env.kioskToken[1]));
    ReceiptOf(
        env.PostBatch(env.MakeBatch("k3", {env.MakeResponse(1, 1, "r1")}), env.kioskToken[3]));

    auto res = env.Get("/api/v1/reports/reps?store=s1&from=2026-11-22&to=2026-11-22&min_n=1",
                       env.managerS1);
    REQUIRE(res->status == 200);
    auto report = protocol::DecodeRepReport(res->body);
    REQUIRE_MESSAGE(report.Ok(), res->body);
    CHECK(report->store == "s1");
    CHECK(report->total.responses == 7);  // 1,2,3,4,5,7,8
    CHECK(report->total.misuse == 1);
    CHECK(report->total.positive == 5);
    CHECK(report->total.negative == 2);
    REQUIRE(report->reps.size() == 3);
    const protocol::RepStats* r1 = nullptr;
    const protocol::RepStats* r2 = nullptr;
    for (const auto& r : report->reps) {
        if (r.repId == "r1")
            r1 = &r;
        if (r.repId == "r2")
            r2 = &r;
    }
    REQUIRE(r1 != nullptr);
    REQUIRE(r2 != nullptr);
    CHECK(r1->responses == 3);
    CHECK(r1->positive == 2);
    CHECK(r1->negative == 1);
    CHECK(r1->csat == doctest::Approx(66.7));
    CHECK(r1->score == doctest::Approx(55.6));  // (100 + 66.7 + 0) / 3
    CHECK(r2->responses == 3);
    CHECK(r2->misuse == 1);
    auto csv = env.Get("/api/v1/reports/reps.csv?store=s1&from=2026-11-22&to=2026-11-22&min_n=1",
                       env.managerS1);
    REQUIRE(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type").find("text/csv") == 0);
    CHECK(
        csv->body.find(
            "\xEF\xBB\xBFrep_id,responses,negative,neutral,positive,misuse_excluded,csat,score,") ==
        0);
    const auto table = test::ParseCsv(csv->body);
    REQUIRE(table);
    CHECK(test::HasRow(*table, {"r1", "3", "1", "0", "2", "0", "66.7", "55.6"}));
    // All stores with the HQ token.
    auto all = protocol::DecodeRepReport(
        env.Get("/api/v1/reports/reps?from=2026-11-22&to=2026-11-22", env.managerAll)->body);
    REQUIRE(all.Ok());
    CHECK_FALSE(all->store.has_value());
    CHECK(all->total.responses == 8);
    // Parameter errors.
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&from=2026-11-22", env.managerS1)) ==
          "missing_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&from=22.11.2026&to=2026-11-22",
                            env.managerS1)) == "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?store=s1&from=2026-11-23&to=2026-11-22",
                            env.managerS1)) == "invalid_parameter");
    CHECK(ErrorCode(env.Get("/api/v1/reports/reps?from=2026-11-22&to=2026-11-22", env.managerS1)) ==
          "missing_parameter");
    CHECK(env.Get("/api/v1/reports/reps?store=zz&from=2026-11-22&to=2026-11-22", env.managerAll)
              ->status == 404);
}

FK_SERVER_TEST("healthz answers and metrics count requests and ingested items") {
    auto health = env.Get("/healthz", "");
    REQUIRE(health);
    CHECK(health->status == 200);
    ReceiptOf(env.PostBatch(env.MakeBatch("k1", {env.MakeResponse(1), env.MakeResponse(2)}),
                            env.kioskToken[1]));
    env.Post("/api/v1/batches", "{", env.kioskToken[1]);
    // Request counters are updated just after the response is written: poll briefly.
    auto metrics = env.Get("/metrics", "");
    auto counted = [&] {
        return metrics &&
               metrics->body.find("route=\"batches\",status=\"400\"") != std::string::npos &&
               metrics->body.find("route=\"batches\",status=\"200\"") != std::string::npos;
    };
    for (int i = 0; i < 200 && !counted(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        metrics = env.Get("/metrics", "");
    }
    REQUIRE(metrics->status == 200);
    CAPTURE(metrics->body);
    CHECK(metrics->get_header_value("Content-Type").find("text/plain") == 0);
    CHECK(metrics->body.find("fk_ingest_items_total{status=\"accepted\"} 2\n") !=
          std::string::npos);
    CHECK(metrics->body.find("fk_batches_total 1\n") != std::string::npos);
    CHECK(metrics->body.find("fk_http_requests_total{route=\"batches\",status=\"200\"} 1\n") !=
          std::string::npos);
    CHECK(metrics->body.find("fk_http_requests_total{route=\"batches\",status=\"400\"} 1\n") !=
          std::string::npos);
}

FK_SERVER_TEST(
    "concurrent posts and racing replays from several kiosks store each response exactly once") {
    constexpr int kBatches = 8;
    constexpr int kPerBatch = 50;
    struct KioskRun {
        std::string id;
        std::string token;
        std::vector<protocol::Batch> batches;
        std::vector<protocol::Receipt> receipts[2];
    };
    std::vector<KioskRun> runs;
    for (int k = 1; k <= 3; ++k) {
        KioskRun run{"k" + std::to_string(k), env.kioskToken[k], {}, {}};
        for (int b = 0; b < kBatches; ++b) {
            std::vector<core::Response> rows;
            for (int i = 1; i <= kPerBatch; ++i)
                rows.push_back(env.MakeResponse(b * kPerBatch + i, 1 + i % 4));
            run.batches.push_back(env.MakeBatch(run.id, rows));
        }
        runs.push_back(std::move(run));
    }
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (auto& run : runs) {
        for (int copy = 0; copy < 2; ++copy) {
            threads.emplace_back([&, copy] {
                httplib::Client client("127.0.0.1", env.Server().Port());
                httplib::Headers headers{{"Authorization", "Bearer " + run.token}};
                for (const auto& batch : run.batches) {
                    auto res = client.Post("/api/v1/batches", headers, protocol::EncodeBatch(batch),
                                           "application/json");
                    auto receipt =
                        res && res->status == 200
                            ? protocol::DecodeReceipt(res->body)
                            : protocol::Result<protocol::Receipt>(protocol::DecodeError{});
                    if (!receipt) {
                        ++failures;
                        return;
                    }
                    run.receipts[copy].push_back(*receipt);
                }
            });
        }
    }
    for (auto& t : threads)
        t.join();
    REQUIRE(failures == 0);
    CHECK(env.Backend().CountResponses() == 3 * kBatches * kPerBatch);
    for (auto& run : runs) {
        for (int b = 0; b < kBatches; ++b) {
            for (int i = 0; i < kPerBatch; ++i) {
                auto a = run.receipts[0][static_cast<std::size_t>(b)]
                             .results[static_cast<std::size_t>(i)]
                             .status;
                auto c = run.receipts[1][static_cast<std::size_t>(b)]
                             .results[static_cast<std::size_t>(i)]
                             .status;
                bool oneEach = (a == ItemStatus::Accepted && c == ItemStatus::Duplicate) ||
                               (a == ItemStatus::Duplicate && c == ItemStatus::Accepted);
                CHECK(oneEach);
            }
        }
        auto status = StatusOf(env, run.id, run.token);
        CHECK(status.ackedSeq == kBatches * kPerBatch);
        CHECK(status.gaps.empty());
        CHECK(status.responses == kBatches * kPerBatch);
    }
}
