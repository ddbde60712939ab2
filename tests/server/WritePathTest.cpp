// The write path: group commit (SQLite), parallel pooled transactions (PostgreSQL), what a kiosk
// may store (server/Limits.h), PostgreSQL timeouts, and "answered means durable" against a
// kiosk-server process killed with SIGKILL under load.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "ServerTestEnv.h"
#include "core/TimeFormat.h"
#include "server/GroupCommit.h"
#include "server/Limits.h"
#include "server/Tokens.h"
#include "storage/Sqlite.h"
#include "support/ChildProcess.h"
#include "support/Paths.h"

namespace {

using namespace fk;
using server::StoreLimits;
using SteadyClock = std::chrono::steady_clock;

protocol::Receipt MustReceipt(const httplib::Result& res) {
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    auto receipt = protocol::DecodeReceipt(res->body);
    REQUIRE(receipt);
    return *receipt;
}

std::string HeartbeatJson(std::int64_t pending, const std::string& version,
                          const std::string& lastError, std::int64_t clock = 1'795'000'000'000) {
    protocol::Heartbeat hb;
    hb.pending = pending;
    hb.clock = clock;
    hb.version = version;
    hb.lastError = lastError;
    return protocol::EncodeHeartbeat(hb);
}

}  // namespace

FK_SERVER_TEST(
    "seq and heartbeat values are range-checked and stored strings capped, at their limits") {
    auto atLimit = env.MakeResponse(StoreLimits::kMaxSeq);
    auto overLimit = env.MakeResponse(StoreLimits::kMaxSeq + 1);
    atLimit.createdAtMs = overLimit.createdAtMs =
        1'795'000'000'000;  // MakeResponse adds seq seconds
    atLimit.closedAtMs = overLimit.closedAtMs = atLimit.createdAtMs;
    auto beforeEpoch = env.MakeResponse(7);  // years after 9999 cannot be written in RFC 3339
    beforeEpoch.createdAtMs = -1000;
    beforeEpoch.closedAtMs = beforeEpoch.createdAtMs;
    auto receipt = MustReceipt(
        env.PostBatch(env.MakeBatch("k1", {atLimit, overLimit, beforeEpoch}), env.kioskToken[1]));
    REQUIRE(receipt.results.size() == 3);
    CHECK(receipt.results[0].status == protocol::ItemStatus::Accepted);
    CHECK(receipt.results[1].status == protocol::ItemStatus::Rejected);
    CHECK(receipt.results[1].error->code == "invalid_item");
    CHECK(receipt.results[1].error->message.find("above the server's limit") != std::string::npos);
    CHECK(receipt.results[2].status == protocol::ItemStatus::Rejected);
    CHECK(receipt.results[2].error->message.find("created_at") != std::string::npos);
    // The status of a kiosk at the highest seq neither overflows nor lists a gap of 10^12 seqs
    // beyond a few ranges.
    auto status = env.Backend().Status("k1");
    REQUIRE(status);
    CHECK(status->ackedSeq == 0);
    CHECK(status->maxSeq == StoreLimits::kMaxSeq);
    REQUIRE(!status->gaps.empty());
    CHECK(status->gaps.front() == protocol::SeqRange{1, 6});

    const std::string hbPath = "/api/v1/kiosks/k1/heartbeat";
    std::string version(StoreLimits::kMaxVersionBytes, 'v');
    // last_error of 2,000 bytes ending in a 2-byte UTF-8 letter across the cap: cut before it.
    std::string longError(StoreLimits::kMaxLastErrorBytes - 1, 'e');
    longError += "\xc3\xa9";
    longError += std::string(1000, 'x');
    auto ok = env.Post(hbPath, HeartbeatJson(StoreLimits::kMaxSeq, version, longError),
                       env.kioskToken[1]);
    REQUIRE(ok);
    CHECK(ok->status == 200);
    status = env.Backend().Status("k1");
    REQUIRE(status->version);
    CHECK(*status->version == version);
    REQUIRE(status->lastError);
    CHECK(status->lastError->size() == StoreLimits::kMaxLastErrorBytes - 1);
    CHECK(status->pendingReported == StoreLimits::kMaxSeq);

    auto refused = [&](const std::string& body, const std::string& needle) {
        auto res = env.Post(hbPath, body, env.kioskToken[1]);
        REQUIRE(res);
        INFO(res->body);
        CHECK(res->status == 400);
        CHECK(test::ErrorCode(res) == "invalid_value");
        CHECK(res->body.find(needle) != std::string::npos);
    };
    refused(HeartbeatJson(1, version + "v", ""), "version is 65 bytes");
    refused(HeartbeatJson(StoreLimits::kMaxSeq + 1, "1", ""), "pending must be");
    refused(HeartbeatJson(-1, "1", ""), "pending");
    refused(HeartbeatJson(1, "1", "", -1000),
            "clock must be");  // after 9999 the protocol refuses it
    refused(HeartbeatJson(1, std::string("a\0b", 3), ""), "NUL");
    // Refused heartbeats stored nothing.
    CHECK(*env.Backend().Status("k1")->version == version);
}

TEST_CASE(
    "group commit: writers share one transaction, each is durable when Commit returns, a failure "
    "is alone") {
    test::TempDir dir;
    const auto path = dir / "g.db";
    storage::Database db(path);
    storage::ApplyDurableSettings(db);
    db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)");
    server::GroupCommit commits(db);
    storage::Database reader(path);

    // The first writer holds the connection while 7 others queue for it: they end in its group.
    auto first = std::make_unique<server::GroupCommit::Turn>(commits.Begin());
    first->Db().Exec("INSERT INTO t VALUES (0)");
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int i = 1; i <= 7; ++i) {
        threads.emplace_back([&, i] {
            auto turn = commits.Begin();
            if (i == 3) {
                try {
                    turn.Db().Exec("INSERT INTO t VALUES (3)");
                    turn.Db().Exec(
                        "INSERT INTO t VALUES (0)");  // fails: this writer is rolled back alone
                } catch (const storage::SqliteError&) {
                    return;  // the turn ends without Commit()
                }
            }
            turn.Db().Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
            turn.Commit();
            // Answered: the row is on disk for any other connection (one per thread: a SQLite
            // connection is not shared between threads here).
            storage::Database own(path);
            CHECK(own.QueryInt("SELECT count(*) FROM t WHERE k = " + std::to_string(i)) == 1);
            ++done;
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them queue behind `first`
    CHECK(done == 0);
    first->Commit();
    first.reset();
    for (auto& t : threads)
        t.join();
    CHECK(done == 6);  // all but writer 3
    CHECK(reader.QueryInt("SELECT count(*) FROM t") == 7);
    CHECK(reader.QueryInt("SELECT count(*) FROM t WHERE k = 3") == 0);
    CHECK(commits.Members() == 7);
    CHECK(commits.Groups() < 7);

    // Exclusive use commits an open group first and runs outside any group.
    {
        auto turn = commits.Exclusive();
        turn.Db().Exec("BEGIN; INSERT INTO t VALUES (100); COMMIT");
    }
    CHECK(reader.QueryInt("SELECT count(*) FROM t WHERE k = 100") == 1);
}

TEST_CASE(
    "postgres: connect_timeout ends a connection attempt to a server that never answers; pool size "
    "bounds") {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 4) == 0);  // accepted by the kernel, never answered
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    server::BackendOptions options;
    options.connectTimeoutS = 2;
    auto start = SteadyClock::now();
    std::string message;
    try {
        server::OpenBackend(
            "postgresql://postgres@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x",
            options);
    } catch (const server::BackendError& e) {
        message = e.what();
    }
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    ::close(fd);
    CHECK(message.find("cannot connect to PostgreSQL") != std::string::npos);
    CHECK(seconds >= 1.5);
    CHECK(seconds < 8);

    options.poolSize = 0;
    CHECK_THROWS_AS(server::OpenBackend("sqlite:/nonexistent/x.db", options), server::BackendError);
    // serve --db-pool-size: 1..256, anything else is a usage error (exit 2) before opening
    // anything.
    const std::string serve =
        (test::BuildDir() / "kiosk-server").string() +
        " serve --db sqlite:/nonexistent/x.db --listen 127.0.0.1:0 --db-pool-size ";
    for (const char* bad : {"0", "257", "many"}) {
        int status = std::system((serve + bad + " >/dev/null 2>&1").c_str());
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 2);
    }
}

TEST_CASE("postgres: statement_timeout ends a write stuck behind a lock; the pool keeps working") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    server::BackendOptions options;
    options.statementTimeoutMs = 300;
    options.poolSize = 2;
    auto backend = server::OpenBackend(schema->Url(), options);
    backend->AddStore("s1", "S", 0);
    backend->AddKiosk("k1", "s1", 0);
    PGconn* other = PQconnectdb(schema->Url().c_str());
    REQUIRE(PQstatus(other) == CONNECTION_OK);
    PQclear(PQexec(other, "BEGIN"));
    PQclear(PQexec(other, "SELECT 1 FROM kiosks WHERE id = 'k1' FOR UPDATE"));

    core::FakeClock clock{1'795'000'000'000};
    core::Uuid7Generator ids(clock);
    protocol::Batch batch;
    batch.kioskId = "k1";
    batch.batchId = ids.Next();
    core::Response r;
    r.id = ids.Next();
    r.seq = 1;
    r.createdAtMs = clock.NowUtcMs();
    r.closedAtMs = r.createdAtMs;
    r.rating = 3;
    r.language = "en";
    batch.responses.push_back(r);
    auto start = SteadyClock::now();
    std::string message;
    try {
        server::Ingest(*backend, {"k1", "s1"}, batch, clock.NowUtcMs());
    } catch (const server::BackendError& e) {
        message = e.what();
    }
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    CHECK(message.find("statement timeout") != std::string::npos);
    CHECK(seconds < 5);
    PQclear(PQexec(other, "ROLLBACK"));
    PQfinish(other);
    // Both pooled connections are usable again: two ingests at once succeed.
    auto receipt = server::Ingest(*backend, {"k1", "s1"}, batch, clock.NowUtcMs());
    CHECK(receipt.ackedSeq == 1);
    CHECK(backend->CountResponses() == 1);
}

TEST_CASE(
    "postgres: concurrent heartbeats share groups, each answered with its own kiosk's marks, "
    "a mark behind the stored rows moves") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    auto backend = server::OpenBackend(schema->Url());
    core::FakeClock clock{1'795'000'000'000};
    core::Uuid7Generator ids(clock);
    backend->AddStore("s1", "S", 0);
    constexpr int kKiosks = 24;
    for (int k = 0; k < kKiosks; ++k) {
        const std::string id = "k" + std::to_string(k);
        backend->AddKiosk(id, "s1", 0);
        protocol::Batch batch;
        batch.kioskId = id;
        batch.batchId = ids.Next();
        for (int seq = 1; seq <= k + 1; ++seq) {
            core::Response r;
            r.id = ids.Next();
            r.seq = seq;
            r.createdAtMs = clock.NowUtcMs();
            r.closedAtMs = r.createdAtMs;
            r.rating = 3;
            r.language = "en";
            batch.responses.push_back(r);
        }
        server::Ingest(*backend, {id, "s1"}, batch, clock.NowUtcMs());
    }
    // Every kiosk's heartbeat at once, three rounds: more than one waits for a group.
    std::vector<std::thread> threads;
    std::vector<server::SeqMarks> marks(kKiosks);
    std::atomic<int> failures{0};
    for (int k = 0; k < kKiosks; ++k) {
        threads.emplace_back([&, k] {
            try {
                for (int round = 0; round < 3; ++round) {
                    protocol::Heartbeat hb{100 + k,          std::nullopt,
                                           clock.NowUtcMs(), "1.0." + std::to_string(k),
                                           std::nullopt,     std::nullopt};
                    marks[static_cast<std::size_t>(k)] =
                        backend->Heartbeat("k" + std::to_string(k), hb, clock.NowUtcMs());
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    CHECK(failures == 0);
    for (int k = 0; k < kKiosks; ++k) {
        CAPTURE(k);
        CHECK(marks[static_cast<std::size_t>(k)].ackedSeq == k + 1);
        CHECK(marks[static_cast<std::size_t>(k)].maxSeq == k + 1);
        auto status = backend->Status("k" + std::to_string(k));
        REQUIRE(status);
        CHECK(status->pendingReported == std::optional<std::int64_t>(100 + k));
        CHECK(status->version == std::optional<std::string>("1.0." + std::to_string(k)));
    }
    // A database restored with an older kiosks row: the heartbeat moves the mark up again.
    PGconn* c = PQconnectdb(schema->Url().c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "UPDATE kiosks SET acked_seq = 1 WHERE id = 'k9'"));
    PQfinish(c);
    protocol::Heartbeat hb{0, std::nullopt, clock.NowUtcMs(), "1.0.9", std::nullopt, std::nullopt};
    const auto moved = backend->Heartbeat("k9", hb, clock.NowUtcMs());
    CHECK(moved.ackedSeq == 10);
    CHECK(moved.maxSeq == 10);
}

namespace {

// Kiosks k1..kN post 20-response batches and heartbeats at full speed to a kiosk-server process,
// which is killed with SIGKILL mid-stream. Everything answered must be in the database afterwards,
// exactly once.
void AnsweredSurvivesKill(const std::string& url) {
    constexpr int kKiosks = 6;
    std::vector<std::string> tokens;
    {
        auto backend = server::OpenBackend(url);
        backend->AddStore("s1", "S", 0);
        for (int k = 1; k <= kKiosks; ++k) {
            std::string id = "k" + std::to_string(k);
            backend->AddKiosk(id, "s1", 0);
            tokens.push_back(server::IssueKioskToken(*backend, {id, "s1"}, 0).secret);
        }
    }
    test::Child srv(test::BuildDir() / "kiosk-server",
                    {"serve", "--db", url, "--listen", "127.0.0.1:0"}, true);
    REQUIRE(srv.WaitForLine("kiosk-server: serving", 20000));
    const std::string& out = srv.Output();
    auto colon = out.rfind(':', out.find('\n', out.find("kiosk-server: serving")));
    int port = std::stoi(out.substr(colon + 1));

    std::mutex mutex;
    std::vector<std::string> answeredIds;
    std::map<std::string, std::int64_t> answeredAcked, answeredPending;
    std::atomic<int> answeredBatches{0};
    std::vector<std::thread> threads;
    for (int k = 1; k <= kKiosks; ++k) {
        threads.emplace_back([&, k] {
            std::string id = "k" + std::to_string(k);
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            httplib::Headers headers{
                {"Authorization", "Bearer " + tokens[static_cast<std::size_t>(k - 1)]}};
            core::SystemClock clock;
            core::Uuid7Generator gen(clock);
            for (std::int64_t seq = 1, i = 0;; ++i) {
                if (i % 2 == 1) {
                    auto res = client.Post("/api/v1/kiosks/" + id + "/heartbeat", headers,
                                           HeartbeatJson(i, "1.0", ""), "application/json");
                    if (!res || res->status != 200)
                        return;
                    std::lock_guard lock(mutex);
                    answeredPending[id] = i;
                    continue;
                }
                protocol::Batch b;
                b.kioskId = id;
                b.batchId = gen.Next();
                for (int n = 0; n < 20; ++n, ++seq) {
                    core::Response r;
                    r.id = gen.Next();
                    r.seq = seq;
                    r.createdAtMs = clock.NowUtcMs();
                    r.closedAtMs = r.createdAtMs;
                    r.rating = 1 + static_cast<int>(seq % 4);
                    r.language = "en";
                    b.responses.push_back(r);
                }
                auto res = client.Post("/api/v1/batches", headers, protocol::EncodeBatch(b),
                                       "application/json");
                if (!res || res->status != 200)
                    return;
                auto receipt = protocol::DecodeReceipt(res->body);
                if (!receipt)
                    return;
                std::lock_guard lock(mutex);
                for (const auto& item : receipt->results) {
                    if (item.status == protocol::ItemStatus::Accepted)
                        answeredIds.push_back(item.id.ToString());
                }
                answeredAcked[id] = receipt->ackedSeq;
                ++answeredBatches;
            }
        });
    }
    auto deadline = SteadyClock::now() + std::chrono::seconds(20);
    while (answeredBatches < 60 && SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        srv.Drain();
    }
    srv.Kill(SIGKILL);
    srv.Wait();
    for (auto& t : threads)
        t.join();
    REQUIRE(answeredBatches >= 60);

    auto backend = server::OpenBackend(url);
    {
        auto tx = backend->BeginIngest();  // read-only use; rolled back
        auto found = tx->FindByIds(answeredIds);
        CHECK(found.size() == answeredIds.size());
    }
    std::int64_t ackedTotal = 0;
    for (int k = 1; k <= kKiosks; ++k) {
        std::string id = "k" + std::to_string(k);
        auto status = backend->Status(id);
        REQUIRE(status);
        CHECK(status->ackedSeq >= answeredAcked[id]);
        CHECK(status->responses == status->maxSeq);  // no seq twice, none lost below the top
        CHECK(status->ackedSeq == status->maxSeq);   // every stored row is contiguous
        CHECK(status->pendingReported.value_or(0) >= answeredPending[id]);
        ackedTotal += status->ackedSeq;
    }
    CHECK(backend->CountResponses() == ackedTotal);
    MESSAGE("answered batches before SIGKILL: " << answeredBatches.load() << ", rows answered "
                                                << answeredIds.size() << ", stored " << ackedTotal);
}

}  // namespace

TEST_CASE(
    "sqlite: every row and heartbeat answered before a SIGKILL of kiosk-server is stored, exactly "
    "once") {
    test::TempDir dir;
    AnsweredSurvivesKill("sqlite:" + (dir / "kill.db").string());
}

TEST_CASE(
    "postgres: every row and heartbeat answered before a SIGKILL of kiosk-server is stored, "
    "exactly once") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    AnsweredSurvivesKill(schema->Url());
}

TEST_CASE(
    "postgres: concurrent batches of one store's kiosks are all stored with their own receipts, "
    "one that fails in the shared transaction rolls back alone") {
    auto schema = test::PgSchema::Create();
    if (!schema)
        return;
    server::BackendOptions options;
    options.statementTimeoutMs = 400;
    auto backend = server::OpenBackend(schema->Url(), options);
    core::FakeClock clock{1'795'000'000'000};
    core::Uuid7Generator ids(clock);
    std::mutex idsMutex;
    backend->AddStore("s1", "S", 0);
    constexpr int kKiosks = 12;
    constexpr int kBatches = 4;
    constexpr int kRows = 5;
    for (int k = 0; k < kKiosks; ++k)
        backend->AddKiosk("k" + std::to_string(k), "s1", 0);
    auto makeBatch = [&](int k, int first) {
        std::lock_guard lock(idsMutex);
        protocol::Batch batch;
        batch.kioskId = "k" + std::to_string(k);
        batch.batchId = ids.Next();
        for (int seq = first; seq < first + kRows; ++seq) {
            core::Response r;
            r.id = ids.Next();
            r.seq = seq;
            r.createdAtMs = clock.NowUtcMs();
            r.closedAtMs = r.createdAtMs;
            r.rating = 1 + seq % 4;
            r.language = "en";
            batch.responses.push_back(r);
        }
        return batch;
    };
    // k0's row is locked elsewhere: its batch waits inside the store's transaction until the
    // statement timeout, with the other kiosks' batches queued behind it.
    PGconn* other = PQconnectdb(schema->Url().c_str());
    REQUIRE(PQstatus(other) == CONNECTION_OK);
    PQclear(PQexec(other, "BEGIN"));
    PQclear(PQexec(other, "SELECT 1 FROM kiosks WHERE id = 'k0' FOR UPDATE"));
    std::string k0Error;
    std::thread blocked([&] {
        try {
            server::Ingest(*backend, {"k0", "s1"}, makeBatch(0, 1), clock.NowUtcMs());
        } catch (const server::BackendError& e) {
            k0Error = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<std::thread> threads;
    std::vector<std::int64_t> acked(kKiosks, 0);
    std::atomic<int> failures{0};
    for (int k = 1; k < kKiosks; ++k) {
        threads.emplace_back([&, k] {
            try {
                for (int b = 0; b < kBatches; ++b) {
                    auto receipt = server::Ingest(*backend, {"k" + std::to_string(k), "s1"},
                                                  makeBatch(k, 1 + b * kRows), clock.NowUtcMs());
                    for (const auto& item : receipt.results)
                        failures += item.status == protocol::ItemStatus::Accepted ? 0 : 1;
                    acked[static_cast<std::size_t>(k)] = receipt.ackedSeq;
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    blocked.join();
    PQclear(PQexec(other, "ROLLBACK"));
    PQfinish(other);
    CHECK(k0Error.find("statement timeout") != std::string::npos);
    CHECK(failures == 0);
    for (int k = 1; k < kKiosks; ++k) {
        CAPTURE(k);
        CHECK(acked[static_cast<std::size_t>(k)] == kBatches * kRows);
        auto status = backend->Status("k" + std::to_string(k));
        REQUIRE(status);
        CHECK(status->ackedSeq == kBatches * kRows);
    }
    CHECK(backend->CountResponses() == (kKiosks - 1) * kBatches * kRows);
    CHECK(backend->Status("k0")->ackedSeq == 0);
    // The roll-ups count exactly what was stored, and k0 is served again once its row is free.
    const std::int64_t today = clock.NowUtcMs() / 86'400'000;
    std::int64_t counted = 0;
    for (const auto& row : backend->CountDays(
             {"s1", core::CivilFromDays(today - 1), core::CivilFromDays(today + 1)}, false, false))
        counted += row.count;
    CHECK(counted == (kKiosks - 1) * kBatches * kRows);
    auto receipt = server::Ingest(*backend, {"k0", "s1"}, makeBatch(0, 1), clock.NowUtcMs());
    CHECK(receipt.ackedSeq == kRows);
}
