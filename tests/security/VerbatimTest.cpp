// Rep names, rep ids and reasons holding quotes, SQL, control characters, bidi overrides and
// formula starts go kiosk store -> sync -> server -> reports JSON and CSV unchanged, and the CSV
// is formula-safe. NUL, which PostgreSQL cannot store, is rejected per item on both backends.
// Roster names pushed by the server reach the kiosk unchanged. The real ResponseStore, SyncEngine
// and HTTP server on 127.0.0.1, both backends. Also covered elsewhere: tests/core/CsvTest.cpp (the
// guard), tests/storage/CsvExportTest.cpp (the kiosk's own CSV export of such names, read back with
// Python's csv module).

#include <doctest/doctest.h>

#include <set>

#include "SecurityHelpers.h"
#include "ServerTestEnv.h"
#include "core/Csv.h"
#include "protocol/Wire.h"
#include "storage/ResponseStore.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

using namespace fk;
using namespace std::chrono_literals;

namespace {

// Each at most 64 bytes (the wire's limit for rep_id and reason).
std::vector<std::string> Hostile() {
    return {
        "r\"'; DROP TABLE responses;--",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+SUM(1)",
        "-1+1",
        "@cmd",
        "\tlead-tab",
        "\rlead-cr",
        "ctl\x01\x1b[31mred\x7f",
        "bidi \xE2\x80\xAEgnp.exe\xE2\x80\xAC",
        "comma, \"quote\"\nnewline",
        "\xCE\xA9 \xF0\x9F\x98\x80 \xE0\xB0\xAA\xE0\xB1\x8D\xE0\xB0\xB0\xE0\xB0\xBF\xE0\xB0\xAF",
        "' OR '1'='1",
        "<script>alert(1)</script>",
    };
}

}  // namespace

FK_SERVER_TEST(
    "security: hostile rep ids, reasons and names travel verbatim, and the CSV is formula-safe") {
    const auto hostile = Hostile();
    // The server's roster for store s1 carries the hostile strings as names and reason labels.
    protocol::KioskConfig pushed;
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        pushed.roster.push_back({"r" + std::to_string(i), hostile[i], true});
    }
    pushed.reasons.push_back({"wait_time", {{"en", hostile[0]}, {"hi", hostile[8]}}});
    pushed.question = {{"en", hostile[9]}};
    pushed.locales = {"en", "hi"};
    env.Backend().SetConfig("s1", "", {protocol::EncodeKioskConfig(pushed), "\"v1\""},
                            env.Clock().NowUtcMs());

    // The kiosk: one closed response per hostile string, as rep id, with the next one as reason.
    test::TempDir dir("fk-security");
    core::FakeClock clock{env.Clock().NowUtcMs(), 330};
    auto store = storage::ResponseStore::Open(dir.Path() / "data", clock);
    std::vector<core::Uuid> ids;
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        auto r = store->Begin(
            {4, 1 + static_cast<int>(i % 4), "en", hostile[i], std::nullopt, std::nullopt});
        store->SetReason(r.id, hostile[(i + 1) % hostile.size()]);
        clock.Advance(5000);
        REQUIRE(store->Close(r.id, core::CloseReason::ThankYou));
        ids.push_back(r.id);
    }
    test::WriteTokenFile(dir / "token", env.kioskToken[1]);
    sync::SyncSettings settings;
    settings.serverUrl = env.Server().BaseUrl();
    settings.kioskId = "k1";
    settings.tokenFile = dir / "token";
    settings.dataDir = dir.Path() / "data";
    settings.seed = 7;
    std::optional<protocol::KioskConfig> received;
    sync::SyncEngine engine(settings, clock, {},
                            [&](const protocol::KioskConfig& c) { received = c; });
    auto status = engine.RunOnce();
    INFO("sync: " << status.lastError);
    CHECK(status.lastError.empty());
    CHECK(status.pending == 0);
    CHECK(status.rejected == 0);
    REQUIRE(status.serverAckedSeq == static_cast<std::int64_t>(hostile.size()));

    // The kiosk's own rows are unchanged after the round trip.
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto row = store->Find(ids[i]);
        REQUIRE(row.has_value());
        CHECK(row->repId == hostile[i]);
        CHECK(row->reason == hostile[(i + 1) % hostile.size()]);
    }

    // The server stored them byte for byte.
    {
        std::vector<std::string> idTexts;
        for (const auto& id : ids)
            idTexts.push_back(id.ToString());
        auto tx = env.Backend().BeginIngest();
        auto stored = tx->FindByIds(idTexts);
        REQUIRE(stored.size() == hostile.size());
        for (const auto& row : stored) {
            auto at = std::find(idTexts.begin(), idTexts.end(), row.response.id.ToString());
            REQUIRE(at != idTexts.end());
            const auto i = static_cast<std::size_t>(at - idTexts.begin());
            CAPTURE(i);
            CHECK(row.kioskId == "k1");
            CHECK(row.response.repId == hostile[i]);
            CHECK(row.response.reason == hostile[(i + 1) % hostile.size()]);
        }
    }

    // Reports JSON: every rep id exactly as sent.
    const std::string query = "?store=s1&from=2026-11-01&to=2026-11-30";
    auto json = env.Get("/api/v1/reports/reps" + query, env.managerS1);
    REQUIRE(json);
    REQUIRE(json->status == 200);
    auto report = protocol::DecodeRepReport(json->body);
    REQUIRE(report.Ok());
    std::set<std::string> expected(hostile.begin(), hostile.end());
    std::set<std::string> got;
    for (const auto& rep : report->reps)
        got.insert(rep.repId.value_or("(null)"));
    CHECK(got == expected);
    CHECK(report->total.responses == static_cast<std::int64_t>(hostile.size()));

    // Reports CSV: parses as RFC 4180; each rep id reads back as sent, with one leading quote
    // where a spreadsheet would otherwise run it; no text cell starts like a formula.
    auto csv = env.Get("/api/v1/reports/reps.csv" + query, env.managerS1);
    REQUIRE(csv);
    REQUIRE(csv->status == 200);
    auto table = test::ParseCsv(csv->body);
    REQUIRE(table.has_value());
    REQUIRE(table->size() == hostile.size() + 2);  // header, reps, total
    std::set<std::string> csvIds;
    for (std::size_t row = 1; row + 1 < table->size(); ++row) {
        const std::string& cell = (*table)[row].at(0);
        CAPTURE(cell);
        CHECK_FALSE(core::CsvNeedsFormulaGuard(cell));
        csvIds.insert(cell.starts_with('\'') && core::CsvNeedsFormulaGuard(cell.substr(1))
                          ? cell.substr(1)
                          : cell);
    }
    CHECK(csvIds == expected);

    // The roster the server pushed reached the kiosk unchanged.
    REQUIRE(received.has_value());
    REQUIRE(received->roster.size() == hostile.size());
    for (std::size_t i = 0; i < hostile.size(); ++i)
        CHECK(received->roster[i].name == hostile[i]);
    CHECK(received->reasons == pushed.reasons);
    CHECK(received->question == pushed.question);
}

FK_SERVER_TEST(
    "security: a rep id or reason with NUL is rejected per item, the same on both backends") {
    // PostgreSQL text cannot hold U+0000; libpq used to cut the value short, so the two backends
    // stored different things and a resend of the row was a conflict.
    auto withNulRep = env.MakeResponse(1, 2, std::string("nul\0byte", 8));
    auto withNulReason = env.MakeResponse(2, 1, "r1");
    withNulReason.reason = std::string("wait\0", 5);
    auto fine = env.MakeResponse(3, 4, "r1");
    auto res =
        env.PostBatch(env.MakeBatch("k1", {withNulRep, withNulReason, fine}), env.kioskToken[1]);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto receipt = protocol::DecodeReceipt(res->body);
    REQUIRE(receipt.Ok());
    REQUIRE(receipt->results.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CAPTURE(i);
        CHECK(receipt->results[i].status == protocol::ItemStatus::Rejected);
        REQUIRE(receipt->results[i].error.has_value());
        CHECK(receipt->results[i].error->code == "invalid_item");
        CHECK(receipt->results[i].error->message.find("NUL") != std::string::npos);
    }
    CHECK(receipt->results[2].status == protocol::ItemStatus::Accepted);
    CHECK(receipt->ackedSeq == 3);  // rejected rows are dealt with, not gaps
    CHECK(env.Backend().CountResponses() == 1);
    // A resend gets the same answers, not a conflict.
    auto again = protocol::DecodeReceipt(
        env.PostBatch(env.MakeBatch("k1", {withNulRep, withNulReason, fine}), env.kioskToken[1])
            ->body);
    REQUIRE(again.Ok());
    CHECK(again->results[0].status == protocol::ItemStatus::Rejected);
    CHECK(again->results[2].status == protocol::ItemStatus::Duplicate);
}
