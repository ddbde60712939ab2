#include <doctest/doctest.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "storage/ChildProcess.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/TempDir.h"

using namespace fk;
using namespace fk::storage;

namespace {

BeginRequest Req(int rating, std::optional<std::string> rep = std::nullopt,
                 std::optional<std::string> misuse = std::nullopt) {
    BeginRequest r;
    r.scale = 4;
    r.rating = rating;
    r.language = "en";
    r.repId = std::move(rep);
    r.misuse = std::move(misuse);
    return r;
}

StoreErrorKind KindOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.Kind();
    }
    FAIL("expected a StoreError");
    return StoreErrorKind::Other;
}

}  // namespace

TEST_CASE("Begin commits a row with id, gapless seq, time and tz from the clock") {
    test::TempDir dir;
    core::FakeClock clock(1'795'000'000'000, 330);
    auto store = ResponseStore::Open(dir.Path(), clock);
    std::set<core::Uuid> ids;
    for (int i = 1; i <= 5; ++i) {
        auto r = store->Begin(Req(i % 4 + 1, "r1"));
        CHECK(r.seq == i);
        CHECK(r.id.Version() == 7);
        CHECK(r.createdAtMs == clock.NowUtcMs());
        CHECK(r.tzOffsetMin == 330);
        CHECK_FALSE(r.IsClosed());
        ids.insert(r.id);
        auto found = store->Find(r.id);
        REQUIRE(found);
        CHECK(found->seq == r.seq);
        CHECK(found->rating == r.rating);
        CHECK(found->repId == std::optional<std::string>("r1"));
        CHECK(found->syncState == core::SyncState::Pending);
        clock.Advance(10);
    }
    CHECK(ids.size() == 5);
    CHECK(store->MaxSeq() == 5);
    CHECK(store->OpenCount() == 5);
    CHECK_FALSE(store->Find(core::Uuid()).has_value());
}

TEST_CASE("Begin refuses a rating outside the scale with a typed error") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    CHECK(KindOf([&] { store->Begin(Req(0)); }) == StoreErrorKind::Invalid);
    CHECK(KindOf([&] { store->Begin(Req(5)); }) == StoreErrorKind::Invalid);
    BeginRequest five = Req(5);
    five.scale = 5;
    CHECK(store->Begin(five).rating == 5);
    five.scale = 6;
    CHECK(KindOf([&] { store->Begin(five); }) == StoreErrorKind::Invalid);
    BeginRequest noLanguage = Req(1);
    noLanguage.language = "";
    CHECK(KindOf([&] { store->Begin(noLanguage); }) == StoreErrorKind::Invalid);
    CHECK(store->MaxSeq() == 1);
}

TEST_CASE("amendments apply while open only, and Close is idempotent") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    auto r = store->Begin(Req(1));
    store->SetRep(r.id, "r7");
    store->SetReason(r.id, "wait_time");
    store->SetLanguage(r.id, "hi");
    store->SetRep(r.id, std::nullopt);
    clock.Advance(4000);
    CHECK(store->Close(r.id, core::CloseReason::ThankYou));
    auto found = store->Find(r.id);
    REQUIRE(found);
    CHECK_FALSE(found->repId.has_value());
    CHECK(found->reason == std::optional<std::string>("wait_time"));
    CHECK(found->language == "hi");
    CHECK(found->closedAtMs == clock.NowUtcMs());
    CHECK(found->closeReason == core::CloseReason::ThankYou);

    CHECK_FALSE(store->Close(r.id, core::CloseReason::IdleTimeout));
    CHECK(store->Find(r.id)->closeReason == core::CloseReason::ThankYou);
    try {
        store->SetRep(r.id, "r1");
        FAIL("amending a closed row must throw");
    } catch (const StoreError& e) {
        CHECK(e.Kind() == StoreErrorKind::Invalid);
        CHECK(std::string(e.what()).find("already closed") != std::string::npos);
    }
    core::Uuid7Generator gen(clock);
    CHECK(KindOf([&] { store->SetReason(gen.Next(), "x"); }) == StoreErrorKind::Invalid);
    CHECK(KindOf([&] { store->Close(gen.Next(), core::CloseReason::ThankYou); }) ==
          StoreErrorKind::Invalid);
    CHECK(store->Find(r.id)->repId == std::nullopt);
}

TEST_CASE("reopening closes rows a crash left open, at their last activity") {
    test::TempDir dir;
    core::FakeClock clock;
    core::Uuid openId, closedId;
    core::UtcMs lastTouch = 0;
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        closedId = store->Begin(Req(3)).id;
        store->Close(closedId, core::CloseReason::IdleTimeout);
        openId = store->Begin(Req(2)).id;
        clock.Advance(1500);
        store->SetRep(openId, "r2");
        lastTouch = clock.NowUtcMs();
    }
    clock.Advance(3'600'000);
    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    CHECK(report.recoveryRan);
    CHECK(report.closedOnOpen == 1);
    CHECK_FALSE(report.corruptFileSetAside);
    auto open = store->Find(openId);
    REQUIRE(open);
    CHECK(open->closeReason == core::CloseReason::Recovered);
    CHECK(open->closedAtMs == lastTouch);
    CHECK(store->Find(closedId)->closeReason == core::CloseReason::IdleTimeout);
    CHECK(store->OpenCount() == 0);
    CHECK(store->Begin(Req(1)).seq == 3);
}

TEST_CASE("the outbox hands out closed pending rows in seq order and tracks sent/rejected") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    std::vector<core::Response> rows;
    for (int i = 0; i < 10; ++i) {
        rows.push_back(store->Begin(Req(i % 4 + 1)));
        clock.Advance(1000);
    }
    CHECK(store->PendingCount() == 0);
    CHECK_FALSE(store->OldestPendingCreatedAt().has_value());
    // Close out of order; row 4 stays open.
    for (int i : {7, 1, 0, 2, 3, 5, 6, 8, 9})
        store->Close(rows[static_cast<std::size_t>(i)].id, core::CloseReason::ThankYou);
    CHECK(store->PendingCount() == 9);
    CHECK(store->OldestPendingCreatedAt() == rows[0].createdAtMs);

    auto batch = store->NextPending(4);
    REQUIRE(batch.responses.size() == 4);
    CHECK(batch.responses[0].seq == 1);
    CHECK(batch.responses[3].seq == 4);
    std::vector<core::Uuid> sent;
    for (auto& r : batch.responses)
        sent.push_back(r.id);
    sent.push_back(rows[4].id);  // open: ignored
    CHECK(store->MarkSent(sent) == 4);
    CHECK(store->MarkSent(sent) == 0);

    store->MarkRejected(rows[5].id, "conflict: same id, different content");
    CHECK(KindOf([&] { store->MarkRejected(rows[4].id, "open"); }) == StoreErrorKind::Invalid);
    CHECK(store->RejectedCount() == 1);
    auto rejected = store->Rejected(10);
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].syncError ==
          std::optional<std::string>("conflict: same id, different content"));

    batch = store->NextPending(100);
    std::vector<std::int64_t> seqs;
    for (auto& r : batch.responses)
        seqs.push_back(r.seq);
    CHECK(seqs == std::vector<std::int64_t>{7, 8, 9, 10});
    CHECK(store->PendingCount() == 4);
    CHECK(store->OldestPendingCreatedAt() == rows[6].createdAtMs);
    store->Close(rows[4].id, core::CloseReason::IdleTimeout);
    CHECK(store->NextPending(1).responses.at(0).seq == 5);
}

TEST_CASE("a new store is at schema version 7 and in WAL mode") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    store->Begin(Req(1, "r1"));
    Database db(store->DatabasePath());
    // 3: responses_dashboard, 4: lost_seqs, 5: help + calls, 6: first_rating,
    // 7: survey_version + survey_policies
    CHECK(db.QueryInt("PRAGMA user_version") == 7);
    CHECK(db.QueryText("PRAGMA journal_mode") == "wal");
}

TEST_CASE("ForEach visits in seq order from a given seq and can stop") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    for (int i = 0; i < 20; ++i)
        store->Begin(Req(1));
    std::vector<std::int64_t> seqs;
    store->ForEach(
        [&](const core::Response& r) {
            seqs.push_back(r.seq);
            return r.seq < 15;
        },
        10);
    CHECK(seqs == std::vector<std::int64_t>{11, 12, 13, 14, 15});
}

TEST_CASE("a second connection on another thread shares the store and does not recover live rows") {
    test::TempDir dir;
    core::SystemClock clock;
    auto ui = ResponseStore::Open(dir.Path(), clock);
    auto live = ui->Begin(Req(2));  // open while the sync thread connects

    constexpr int kRows = 150;
    std::atomic<bool> uiDone{false};
    std::atomic<std::int64_t> syncSent{0};
    std::string syncError;
    OpenReport syncReport;
    std::thread sync([&] {
        try {
            auto store = ResponseStore::Open(dir.Path(), clock, &syncReport);
            for (;;) {
                bool last = uiDone.load();
                auto batch = store->NextPending(20);
                std::vector<core::Uuid> ids;
                for (auto& r : batch.responses)
                    ids.push_back(r.id);
                syncSent += static_cast<std::int64_t>(store->MarkSent(ids));
                if (last && batch.responses.empty())
                    break;
            }
        } catch (const std::exception& e) {
            syncError = e.what();
        }
    });
    for (int i = 0; i < kRows; ++i) {
        auto r = ui->Begin(Req(i % 4 + 1));
        ui->SetRep(r.id, "r1");
        ui->Close(r.id, core::CloseReason::ThankYou);
    }
    uiDone = true;
    sync.join();
    CHECK(syncError.empty());
    CHECK_FALSE(syncReport.recoveryRan);
    CHECK(syncReport.closedOnOpen == 0);
    CHECK(syncSent.load() == kRows);
    CHECK_FALSE(ui->Find(live.id)->IsClosed());
    CHECK(ui->PendingCount() == 0);
    CHECK(ui->MaxSeq() == kRows + 1);
}

TEST_CASE("a second process is refused while a kiosk holds the data dir") {
    test::TempDir dir;
    core::FakeClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    auto open = store->Begin(Req(1));
    auto out = test::RunHelper({"open", dir.Path().string()});
    CHECK(out.exitCode == 0);
    CHECK(out.output.find("error other") == 0);
    CHECK(out.output.find("another process is using this data directory") != std::string::npos);
    CHECK_FALSE(store->Find(open.id)->IsClosed());
    store.reset();
    out = test::RunHelper({"open", dir.Path().string()});
    CHECK(out.output.find("ok closed_on_open=1") == 0);
}

TEST_CASE("an I/O error whose errno says no space counts as a full disk") {
    CHECK(SqliteError(13, 13, "full").IsDiskFull());
    CHECK(SqliteError(10, 778, "write", EFBIG).IsDiskFull());
    CHECK(SqliteError(10, 778, "write", ENOSPC).IsDiskFull());
    CHECK_FALSE(SqliteError(10, 778, "write", EIO).IsDiskFull());
    CHECK(SqliteError(10, 778, "write", EIO).IsIo());
    CHECK(to_string(StoreErrorKind::DiskFull) == "disk_full");
    CHECK(to_string(StoreErrorKind::ReadOnly) == "read_only");
}

TEST_CASE("with automatic checkpoints off the WAL grows until another connection checkpoints") {
    test::TempDir dir;
    core::FakeClock clock;
    auto ui = ResponseStore::Open(dir.Path(), clock);
    auto sync = ResponseStore::Open(dir.Path(), clock);
    ui->SetAutoCheckpoint(false);
    for (int i = 0; i < 200; ++i) {
        auto r = ui->Begin(Req(i % 4 + 1, "r1"));
        ui->Close(r.id, core::CloseReason::ThankYou);
    }
    // ~7 pages per response: well past the 1000-page automatic threshold, yet nothing copied.
    auto first = sync->Checkpoint();
    CHECK(first.walFrames > 1000);
    CHECK(first.checkpointedFrames == first.walFrames);
    CHECK(ui->MaxSeq() == 200);
    ui->SetAutoCheckpoint(true);
}

TEST_CASE("help: the answer is on the row, yes queues a durable call that survives a reopen") {
    test::TempDir dir;
    core::FakeClock clock(1'795'000'000'000, 330);
    core::Uuid yes;
    core::Uuid no;
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        auto a = store->Begin(Req(1, "r7"));
        store->SetReason(a.id, "wait_time");
        clock.Advance(1500);
        store->SetHelp(a.id, core::HelpAnswer::Yes);
        yes = a.id;
        auto b = store->Begin(Req(1));
        store->SetHelp(b.id, core::HelpAnswer::No);
        store->Close(b.id, core::CloseReason::ThankYou);
        no = b.id;
        CHECK(store->Find(a.id)->help == core::HelpAnswer::Yes);
        CHECK(store->Find(b.id)->help == core::HelpAnswer::No);
        CHECK_FALSE(store->Begin(Req(3)).help.has_value());
        // The call waits even while its response is still open (the customer is on screen).
        CHECK(store->PendingCallCount() == 1);
        // A second "yes" for the same response is one call, never two.
        store->SetHelp(a.id, core::HelpAnswer::Yes);
        CHECK(store->PendingCallCount() == 1);
        // Closed: no more amending.
        CHECK(KindOf([&] { store->SetHelp(b.id, core::HelpAnswer::Yes); }) ==
              StoreErrorKind::Invalid);
    }  // a crash here: the process is gone
    auto store = ResponseStore::Open(dir.Path(), clock);
    auto calls = store->PendingCalls(10);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].response.id == yes);
    CHECK(calls[0].askedAtMs == 1'795'000'001'500);
    CHECK(calls[0].response.rating == 1);
    CHECK(calls[0].response.repId == std::optional<std::string>("r7"));
    CHECK(calls[0].response.reason == std::optional<std::string>("wait_time"));
    CHECK(calls[0].response.tzOffsetMin == 330);
    // The batch carries the answer too.
    auto pending = store->NextPending(10).responses;
    REQUIRE(pending.size() == 3);  // the open one was closed as recovered on reopen
    CHECK(pending[0].help == core::HelpAnswer::Yes);
    store->MarkCallSent(yes, true);
    CHECK(store->PendingCallCount() == 0);
    CHECK(store->PendingCalls(10).empty());
    store->MarkCallSent(yes, false);              // settled: ignored
    store->MarkCallRejected(no, "no such call");  // unknown: ignored
    Database db(store->DatabasePath());
    CHECK(db.QueryInt("SELECT late FROM calls") == 1);
}

TEST_CASE(
    "retention deletes only old rows the server acknowledged, keeps the newest, and new "
    "rows number on after them") {
    test::TempDir dir;
    core::FakeClock clock(1'795'000'000'000, 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    std::vector<core::Uuid> ids;
    for (int i = 1; i <= 6; ++i) {
        auto r = store->Begin(Req(4, "r1"));
        store->Close(r.id, core::CloseReason::ThankYou);
        ids.push_back(r.id);
        clock.Advance(86'400'000);
    }
    // Rows 1-4 and 6 sent; row 5 still pending.
    CHECK(store->MarkSent({ids[0], ids[1], ids[2], ids[3], ids[5]}) == 5);
    const core::UtcMs cut = 1'795'000'000'000 + 10 * 86'400'000LL;  // after every row
    CHECK(store->PurgeSynced(1'795'000'000'000) == 0);              // nothing older
    CHECK(store->PurgeSynced(cut) == 4);                            // 1-4; 5 pending, 6 the newest
    CHECK_FALSE(store->Find(ids[0]).has_value());
    CHECK_FALSE(store->Find(ids[3]).has_value());
    CHECK(store->Find(ids[4]).has_value());
    CHECK(store->Find(ids[5]).has_value());
    CHECK(store->PurgeSynced(cut) == 0);
    CHECK(store->PendingCount() == 1);
    CHECK(store->MaxSeq() == 6);
    auto next = store->Begin(Req(3));
    CHECK(next.seq == 7);
    // Reopened: numbering still continues after 7.
    store->Close(next.id, core::CloseReason::ThankYou);
    store.reset();
    store = ResponseStore::Open(dir.Path(), clock);
    CHECK(store->Begin(Req(2)).seq == 8);
}

TEST_CASE("a leaver replaced on the kiosk leaves no copy of the old id in the database files") {
    test::TempDir dir;
    core::FakeClock clock(1'795'000'000'000, 0);
    auto store = ResponseStore::Open(dir.Path(), clock);
    std::vector<core::Uuid> ids;
    for (int i = 1; i <= 40; ++i) {
        auto r = store->Begin(Req(1 + i % 4, i % 2 ? "rep-anna-k" : "rep-boris"));
        store->Close(r.id, core::CloseReason::ThankYou);
        ids.push_back(r.id);
    }
    CHECK(store->ReplaceRep("rep-anna-k", "former-1a2b3c4d") == 20);
    CHECK(store->Find(ids[0])->repId == std::optional<std::string>("former-1a2b3c4d"));
    CHECK(store->Find(ids[1])->repId == std::optional<std::string>("rep-boris"));
    CHECK(store->ReplaceRep("rep-boris", std::nullopt) == 20);
    CHECK_FALSE(store->Find(ids[1])->repId.has_value());
    for (const auto& entry : std::filesystem::directory_iterator(dir.Path())) {
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        CAPTURE(entry.path());
        CHECK(bytes.find("rep-anna-k") == std::string::npos);
        CHECK(bytes.find("rep-boris") == std::string::npos);
    }
}

TEST_CASE("change my answer: the corrected rating counts, the first is kept, durably") {
    test::TempDir dir;
    core::FakeClock clock;
    core::Uuid corrected;
    core::Uuid untouched;
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        auto a = store->Begin(Req(1, "r7"));
        CHECK_FALSE(a.firstRating.has_value());
        store->CorrectRating(a.id, 3);
        // A second thought keeps the very first answer for audit.
        store->CorrectRating(a.id, 4);
        CHECK(store->Find(a.id)->rating == 4);
        CHECK(store->Find(a.id)->firstRating == 1);
        // Outside the scale, or closed: refused, nothing changed.
        CHECK(KindOf([&] { store->CorrectRating(a.id, 5); }) == StoreErrorKind::Invalid);
        CHECK(KindOf([&] { store->CorrectRating(a.id, 0); }) == StoreErrorKind::Invalid);
        store->Close(a.id, core::CloseReason::ThankYou);
        CHECK(KindOf([&] { store->CorrectRating(a.id, 2); }) == StoreErrorKind::Invalid);
        CHECK(KindOf([&] {
                  store->CorrectRating(*core::Uuid::Parse("0192f3a0-1b2c-7d3e-8f40-123456789abd"),
                                       2);
              }) == StoreErrorKind::Invalid);
        corrected = a.id;
        auto b = store->Begin(Req(2));
        store->Close(b.id, core::CloseReason::ThankYou);
        untouched = b.id;
    }  // a crash here: the process is gone
    auto store = ResponseStore::Open(dir.Path(), clock);
    CHECK(store->Find(corrected)->rating == 4);
    CHECK(store->Find(corrected)->firstRating == 1);
    CHECK_FALSE(store->Find(untouched)->firstRating.has_value());
    // The outbox sends the answer that counts, and the first one with it.
    auto pending = store->NextPending(10).responses;
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].rating == 4);
    CHECK(pending[0].firstRating == 1);
    CHECK_FALSE(pending[1].firstRating.has_value());
}
