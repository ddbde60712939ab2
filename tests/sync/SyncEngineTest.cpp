#include <doctest/doctest.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "FakeIngestServer.h"
#include "storage/ResponseStore.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

using namespace fk;
using namespace std::chrono_literals;
using test::FakeIngestServer;
using test::Fault;

namespace {

struct Kiosk {
    test::TempDir dir{"fk-sync"};
    core::FakeClock clock{1'795'000'000'000, 330};
    std::unique_ptr<storage::ResponseStore> store =
        storage::ResponseStore::Open(dir.Path() / "data", clock);

    Kiosk() { WriteToken("tok-k1"); }

    void WriteToken(const std::string& token, mode_t mode = 0600) {
        auto path = dir / "token";
        std::ofstream(path, std::ios::trunc) << token << "\n";
        ::chmod(path.c_str(), mode);
    }

    // n closed responses with ratings cycling 1..4.
    std::vector<core::Response> Rate(int n) {
        std::vector<core::Response> out;
        for (int i = 0; i < n; ++i) {
            auto r = store->Begin({4, 1 + i % 4, "te", std::nullopt, std::nullopt, std::nullopt});
            clock.Advance(1000);
            store->Close(r.id, core::CloseReason::ThankYou);
            out.push_back(r);
        }
        return out;
    }

    sync::SyncSettings Settings(const FakeIngestServer& server) {
        sync::SyncSettings s;
        s.serverUrl = server.Url();
        s.kioskId = "k1";
        s.tokenFile = dir / "token";
        s.dataDir = dir.Path() / "data";
        s.http.totalTimeout = 1000ms;
        s.seed = 1234;
        return s;
    }
};

}  // namespace

TEST_CASE("sync sends every closed response once, in seq order, and marks them sent") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(7);
    auto open =
        kiosk.store->Begin({4, 2, "hi", std::nullopt, std::nullopt, std::nullopt});  // still open
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Idle);
    CHECK(status.lastError.empty());
    CHECK(status.pending == 0);
    CHECK(status.serverAckedSeq == 7);
    CHECK(server.Seqs() == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
    CHECK(kiosk.store->PendingCount() == 0);
    CHECK(kiosk.store->Find(open.id)->syncState == core::SyncState::Pending);
    // Nothing new: a second pass sends no batch.
    engine.RunOnce();
    CHECK(server.Requests("batches") == 1);
}

TEST_CASE("sync splits a backlog into batches of the configured size") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(1200);
    auto settings = kiosk.Settings(server);
    settings.batchSize = 500;
    sync::SyncEngine engine(settings, kiosk.clock);
    engine.RunOnce();
    CHECK(server.BatchSizes() == std::vector<std::size_t>{500, 500, 200});
    CHECK(server.UniqueCount() == 1200);
}

TEST_CASE("a rejected row is kept with its reason, never retried, and does not block the rest") {
    FakeIngestServer server;
    server.RejectRating(1);
    Kiosk kiosk;
    auto rows = kiosk.Rate(8);  // ratings 1,2,3,4,1,2,3,4
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.rejected == 2);
    CHECK(status.pending == 0);
    CHECK(server.UniqueCount() == 6);
    auto rejected = kiosk.store->Find(rows[0].id);
    CHECK(rejected->syncState == core::SyncState::Rejected);
    CHECK(rejected->syncError.value_or("").find("rating refused by test") != std::string::npos);
    kiosk.Rate(1);
    engine.RunOnce();
    CHECK(server.BatchSizes().back() == 1);  // the rejected rows were not offered again
}

TEST_CASE("5xx, HTML 200 and a truncated receipt back off, keep the rows and lose nothing") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(5);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);

    server.QueueFault(Fault::Http500);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Retrying);
    CHECK(status.lastError.find("HTTP 500") != std::string::npos);
    CHECK(status.lastError.find("database on fire") != std::string::npos);
    CHECK(status.pending == 5);
    REQUIRE(status.nextAttemptAt.has_value());

    server.QueueFault(Fault::Html200);
    status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Retrying);
    CHECK(status.lastError.find("captive portal") != std::string::npos);
    CHECK(status.pending == 5);

    server.QueueFault(Fault::TruncatedReceipt);
    status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Retrying);
    CHECK(status.lastError.find("receipt could not be read") != std::string::npos);
    CHECK(server.UniqueCount() == 5);  // the server has them, the kiosk does not know yet
    CHECK(status.pending == 5);

    status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Idle);
    CHECK(status.pending == 0);
    CHECK(server.UniqueCount() == 5);
    CHECK(server.StoredTotal() == 5);  // the resend came back as duplicates, nothing twice
}

TEST_CASE("503 with Retry-After waits at least as long as the server asks") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(1);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    server.QueueFault(Fault::Http503RetryAfter);
    auto status = engine.RunOnce();
    REQUIRE(status.nextAttemptAt.has_value());
    CHECK(*status.nextAttemptAt - kiosk.clock.NowUtcMs() >= 120'000);
}

TEST_CASE("a timeout is a transient failure in words") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(1);
    auto settings = kiosk.Settings(server);
    settings.http.totalTimeout = 300ms;
    sync::SyncEngine engine(settings, kiosk.clock);
    server.QueueFault(Fault::Slow);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Retrying);
    CHECK(status.lastError.find("cannot reach the server") != std::string::npos);
    CHECK(status.lastError.find("timeout") != std::string::npos);
    CHECK(status.pending == 1);
}

TEST_CASE("401 stops sync until the token file changes") {
    FakeIngestServer server("new-token");
    Kiosk kiosk;
    kiosk.Rate(3);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Stopped);
    CHECK(status.lastError.find("HTTP 401") != std::string::npos);
    CHECK(status.lastError.find("add-kiosk") != std::string::npos);
    const int requests = server.Requests("batches");
    engine.RunOnce();
    CHECK(server.Requests("batches") == requests);  // no blind retry with the refused token
    kiosk.WriteToken("new-token");
    status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Idle);
    CHECK(server.UniqueCount() == 3);
}

TEST_CASE("a token file others can read is refused before anything is sent") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(1);
    kiosk.WriteToken("tok-k1", 0644);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Stopped);
    CHECK(status.lastError.find("chmod 600") != std::string::npos);
    CHECK(server.Requests("batches") == 0);
}

TEST_CASE("413 halves the batch until the server takes it") {
    FakeIngestServer server;
    server.SetMaxBatch(100);
    Kiosk kiosk;
    kiosk.Rate(300);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.pending == 0);
    CHECK(server.UniqueCount() == 300);
    for (auto size : server.BatchSizes())
        CHECK(size <= 100);
}

TEST_CASE(
    "a 413 for one response is a needs-staff stop, never a local rejection, and goes once the "
    "limit is raised") {
    FakeIngestServer server;
    server.SetMaxBatch(0);  // a proxy whose body limit is below one response
    Kiosk kiosk;
    kiosk.Rate(3);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Stopped);
    CHECK(status.lastError.find("HTTP 413") != std::string::npos);
    CHECK(status.lastError.find("client_max_body_size") != std::string::npos);
    CHECK(status.nextAttemptAt.has_value());  // retried by itself
    CHECK(status.pending == 3);
    CHECK(status.rejected == 0);
    CHECK(kiosk.store->RejectedCount() == 0);
    status = engine.RunOnce();  // still too small: still waiting, still nothing rejected
    CHECK(status.phase == sync::SyncPhase::Stopped);
    CHECK(status.rejected == 0);
    server.SetMaxBatch(100);  // staff fixed the proxy
    status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Idle);
    CHECK(status.pending == 0);
    CHECK(server.UniqueCount() == 3);
}

TEST_CASE("calls waiting to leave the kiosk are put in words for the Sync tab") {
    sync::SyncStatus status;
    CHECK(sync::DescribeCalls(status).empty());
    status.pendingCalls = 1;
    CHECK(sync::DescribeCalls(status) == "1 call for help waiting to send");
    status.pendingCalls = 3;
    CHECK(sync::DescribeCalls(status) == "3 calls for help waiting to send");
}

TEST_CASE("the salvage and re-send numbers are put in words for the Sync tab") {
    sync::SyncStatus status;
    CHECK(sync::DescribeRecovery(status).empty());
    status.salvaged = 1412;
    status.lost = 28;
    status.lostUnreported = 28;
    CHECK(sync::DescribeRecovery(status) ==
          "damaged store set aside: 1412 responses salvaged, 28 lost (28 not yet reported to the "
          "server)");
    status.lostUnreported = 0;
    status.resentAfterServerLoss = 300;
    CHECK(sync::DescribeRecovery(status) ==
          "damaged store set aside: 1412 responses salvaged, 28 lost (reported to the server); 300 "
          "responses sent "
          "again after the server lost them");
}

TEST_CASE(
    "config is pulled with If-None-Match, applied once per change and cached for offline starts") {
    FakeIngestServer server;
    protocol::KioskConfig config;
    config.roster = {{"r1", "Priya", true}, {"r2", "సాయి", true}};
    server.SetConfig(config, "\"v1\"");
    Kiosk kiosk;
    std::vector<protocol::KioskConfig> applied;
    auto settings = kiosk.Settings(server);
    settings.configInterval = 0ms;
    {
        sync::SyncEngine engine(settings, kiosk.clock, {},
                                [&](const protocol::KioskConfig& c) { applied.push_back(c); });
        auto status = engine.RunOnce();
        REQUIRE(applied.size() == 1);
        CHECK(applied[0].roster[1].name == "సాయి");
        CHECK(status.configGeneration == 1);
        engine.RunOnce();
        CHECK(server.LastIfNoneMatch() == "\"v1\"");
        CHECK(applied.size() == 1);  // 304: nothing new
    }
    // Restarted with the server gone: the cached roster comes back.
    settings.serverUrl = "http://127.0.0.1:1";
    std::vector<protocol::KioskConfig> offline;
    sync::SyncEngine restarted(settings, kiosk.clock, {},
                               [&](const protocol::KioskConfig& c) { offline.push_back(c); });
    restarted.RunOnce();
    REQUIRE(offline.size() == 1);
    CHECK(offline[0].roster == config.roster);
}

TEST_CASE("heartbeat reports pending work, the kiosk clock and version") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(2);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    engine.RunOnce();
    auto heartbeat = server.LastHeartbeat();
    REQUIRE(heartbeat.has_value());
    CHECK(heartbeat->pending == 0);
    CHECK(heartbeat->version == "0.1.0");
    CHECK(heartbeat->clock == kiosk.clock.NowUtcMs());
}

TEST_CASE(
    "heartbeat carries the manager alert set from the UI thread, sent at once when it changes") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(1);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    engine.RunOnce();
    REQUIRE(server.LastHeartbeat().has_value());
    CHECK_FALSE(server.LastHeartbeat()->alert.has_value());
    // The next scheduled heartbeat is minutes away; a new alert does not wait for it.
    engine.SetAlert("4 of 5 responses negative in the last 15 minutes");
    engine.RunOnce();
    REQUIRE(server.LastHeartbeat().has_value());
    CHECK(server.LastHeartbeat()->alert == "4 of 5 responses negative in the last 15 minutes");
    engine.SetAlert(std::nullopt);
    engine.RunOnce();
    CHECK_FALSE(server.LastHeartbeat()->alert.has_value());
}

TEST_CASE("no server configured: the kiosk runs offline and says so") {
    Kiosk kiosk;
    kiosk.Rate(2);
    sync::SyncSettings settings;
    settings.dataDir = kiosk.dir.Path() / "data";
    sync::SyncEngine engine(settings, kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::NotConfigured);
    CHECK(status.pending == 2);
}

TEST_CASE("on its own thread the engine wakes on a nudge, reports changes and stops promptly") {
    FakeIngestServer server;
    Kiosk kiosk;
    auto settings = kiosk.Settings(server);
    settings.interval = 60'000ms;
    std::atomic<int> changes{0};
    sync::SyncEngine engine(settings, kiosk.clock, [&] { ++changes; });
    engine.Start();
    kiosk.Rate(4);
    engine.Nudge();
    for (int i = 0; i < 200 && server.UniqueCount() < 4; ++i)
        std::this_thread::sleep_for(10ms);
    CHECK(server.UniqueCount() == 4);
    for (int i = 0; i < 200 && engine.Status().pending != 0; ++i)
        std::this_thread::sleep_for(10ms);
    CHECK(engine.Status().pending == 0);
    CHECK(changes.load() > 0);
    auto before = std::chrono::steady_clock::now();
    engine.Stop();
    CHECK(std::chrono::steady_clock::now() - before < 2s);
}

TEST_CASE(
    "a call for help goes first, once, the confirmation reaches the UI, the response "
    "follows with help=yes") {
    FakeIngestServer server;
    Kiosk kiosk;
    kiosk.Rate(3);
    auto r = kiosk.store->Begin({4, 1, "hi", std::string("r7"), std::nullopt, std::nullopt});
    kiosk.store->SetReason(r.id, "wait_time");
    kiosk.store->SetHelp(r.id, core::HelpAnswer::Yes);
    kiosk.store->Close(r.id, core::CloseReason::ThankYou);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(status.lastError.empty());
    CHECK(status.pendingCalls == 0);
    REQUIRE(server.Calls().size() == 1);
    const auto call = server.Calls()[0];
    CHECK(call.responseId == r.id);
    CHECK(call.rating == 1);
    CHECK(call.scale == 4);
    CHECK(call.language == "hi");
    CHECK(call.repId == std::optional<std::string>("r7"));
    CHECK(call.reason == std::optional<std::string>("wait_time"));
    CHECK(call.tzOffsetMin == 330);
    CHECK_FALSE(call.late);
    CHECK(engine.TakeConfirmedCalls() == std::vector<core::Uuid>{r.id});
    CHECK(engine.TakeConfirmedCalls().empty());
    CHECK(kiosk.store->PendingCallCount() == 0);
    CHECK(kiosk.store->PendingCount() == 0);
    // Nothing left: the next pass sends no call.
    engine.RunOnce();
    CHECK(server.Requests("calls") == 1);
    CHECK(server.UniqueCount() == 4);
}

TEST_CASE("a call the server could not take in time is delivered later, marked late") {
    FakeIngestServer server;
    Kiosk kiosk;
    auto r = kiosk.store->Begin({4, 1, "te", std::nullopt, std::nullopt, std::nullopt});
    kiosk.store->SetHelp(r.id, core::HelpAnswer::Yes);
    kiosk.store->Close(r.id, core::CloseReason::ThankYou);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    server.QueueFault(Fault::Http503RetryAfter);
    auto status = engine.RunOnce();
    CHECK(status.phase == sync::SyncPhase::Retrying);
    CHECK(status.pendingCalls == 1);
    CHECK(server.Calls().empty());
    CHECK(engine.TakeConfirmedCalls().empty());
    // The network returns after the confirmation window.
    kiosk.clock.Advance(10'001);
    status = engine.RunOnce();
    CHECK(status.lastError.empty());
    REQUIRE(server.Calls().size() == 1);
    CHECK(server.Calls()[0].late);
    CHECK(status.pendingCalls == 0);
}

TEST_CASE("a server from before calls (404) keeps the calls waiting and still takes the batches") {
    FakeIngestServer server;
    server.SetCallsRoute(false);
    Kiosk kiosk;
    auto r = kiosk.store->Begin({4, 1, "en", std::nullopt, std::nullopt, std::nullopt});
    kiosk.store->SetHelp(r.id, core::HelpAnswer::Yes);
    kiosk.store->Close(r.id, core::CloseReason::ThankYou);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    auto status = engine.RunOnce();
    CHECK(server.UniqueCount() == 1);
    CHECK(status.pending == 0);
    CHECK(kiosk.store->PendingCallCount() == 1);
    server.SetCallsRoute(true);
    engine.RunOnce();
    CHECK(server.Calls().size() == 1);
    CHECK(kiosk.store->PendingCallCount() == 0);
}

TEST_CASE("calls the server refuses as a request (413) are kept rejected and block nothing") {
    FakeIngestServer server;
    Kiosk kiosk;
    auto r = kiosk.store->Begin({4, 1, "en", std::nullopt, std::nullopt, std::nullopt});
    kiosk.store->SetHelp(r.id, core::HelpAnswer::Yes);
    kiosk.store->Close(r.id, core::CloseReason::ThankYou);
    sync::SyncEngine engine(kiosk.Settings(server), kiosk.clock);
    server.QueueFault(Fault::Http413);
    auto status = engine.RunOnce();
    CHECK(status.lastError.empty());
    CHECK(status.pending == 0);  // the batch went on
    CHECK(server.Calls().empty());
    CHECK(kiosk.store->PendingCallCount() == 0);
    CHECK(engine.TakeConfirmedCalls().empty());
    engine.RunOnce();
    CHECK(server.Requests("calls") == 1);  // never resent
}
