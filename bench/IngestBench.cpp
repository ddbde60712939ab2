// kiosk-bench ingest: end-to-end unique rows/s through kiosk-server (HTTP on loopback + gzip +
// bearer auth + dedup) against the raw batched insert of the same rows into the same schema, on
// SQLite and (with --pg URL or FK_TEST_PG_URL) PostgreSQL; duplicate replay rate; backlog drain
// time. JSON encoding and gzip are done before timing (kiosk-side work); the timed loop is the
// server path: HTTP on loopback, inflate, auth, decode, validation, dedup and the durable commit.
#include <httplib.h>
#include <libpq-fe.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "Bench.h"
#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"

namespace {

using namespace fk;
using Clock = std::chrono::steady_clock;

// gzip as the kiosk sends it (curl posts a body the kiosk compressed itself).
std::string Gzip(const std::string& data) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

double Seconds(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<protocol::Batch> MakeBatches(long long rows, long long perBatch,
                                         const std::string& kioskId = "k1", long long firstSeq = 1,
                                         long long stepMs = 1000) {
    core::SystemClock clock;
    core::Uuid7Generator ids(clock);
    std::vector<protocol::Batch> batches;
    rows += firstSeq - 1;
    for (long long seq = firstSeq; seq <= rows;) {
        protocol::Batch b;
        b.kioskId = kioskId;
        b.batchId = ids.Next();
        for (long long i = 0; i < perBatch && seq <= rows; ++i, ++seq) {
            core::Response r;
            r.id = ids.Next();
            r.seq = seq;
            r.createdAtMs = clock.NowUtcMs() - (rows - seq) * stepMs;
            r.closedAtMs = r.createdAtMs + 4000;
            r.tzOffsetMin = 330;
            r.rating = 1 + static_cast<int>(seq % 4);
            r.repId = "r" + std::to_string(seq % 12);
            if (r.rating <= 2)
                r.reason = "wait_time";
            r.language = "hi";
            b.responses.push_back(r);
        }
        batches.push_back(std::move(b));
    }
    return batches;
}

struct Figures {
    double uniqueRowsPerSec = 0, rawRowsPerSec = 0, duplicateRowsPerSec = 0, drainMs = 0;
};

// The kiosk side of one connection: keep-alive, no Nagle, its own token.
struct KioskClient {
    KioskClient(int port, const std::string& token)
        : client("127.0.0.1", port),
          gzipHeaders{{"Authorization", "Bearer " + token}, {"Content-Encoding", "gzip"}},
          plainHeaders{{"Authorization", "Bearer " + token}} {
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(60, 0);
    }
    bool PostBatch(const std::string& gzipped) {
        auto res = client.Post("/api/v1/batches", gzipHeaders, gzipped, "application/json");
        if (!res || res->status != 200 || !protocol::DecodeReceipt(res->body)) {
            std::cerr << "ingest bench: batch failed: "
                      << (res ? res->body : httplib::to_string(res.error())) << "\n";
            return false;
        }
        return true;
    }
    bool PostHeartbeat(const std::string& kioskId, const std::string& json) {
        auto res = client.Post("/api/v1/kiosks/" + kioskId + "/heartbeat", plainHeaders, json,
                               "application/json");
        if (!res) {
            std::cerr << "ingest bench: heartbeat: " << httplib::to_string(res.error())
                      << ", retrying once\n";
            res = client.Post("/api/v1/kiosks/" + kioskId + "/heartbeat", plainHeaders, json,
                              "application/json");
        }
        if (!res || res->status != 200) {
            std::cerr << "ingest bench: heartbeat failed: "
                      << (res ? res->body : httplib::to_string(res.error())) << "\n";
            return false;
        }
        return true;
    }
    httplib::Client client;
    httplib::Headers gzipHeaders, plainHeaders;
};

// n kiosks k1..kn in store s1 with their tokens.
std::vector<std::string> AddKiosks(server::Backend& backend, int n, const std::string& prefix) {
    std::vector<std::string> tokens;
    for (int i = 1; i <= n; ++i) {
        std::string id = prefix + std::to_string(i);
        backend.AddKiosk(id, "s1", 0);
        tokens.push_back(server::IssueKioskToken(backend, {id, "s1"}, 0).secret);
    }
    return tokens;
}

// Rows/s of `kiosks` kiosks each sending its own rows at once, one connection each.
double ConcurrentRowsPerSec(server::Backend& backend, int port, int kiosks, long long rowsPerKiosk,
                            long long perBatch) {
    auto tokens = AddKiosks(backend, kiosks, "c");
    std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(kiosks));
    for (int k = 0; k < kiosks; ++k) {
        for (const auto& b : MakeBatches(rowsPerKiosk, perBatch, "c" + std::to_string(k + 1))) {
            bodies[static_cast<std::size_t>(k)].push_back(Gzip(protocol::EncodeBatch(b)));
        }
    }
    std::atomic<bool> ok{true};
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int k = 0; k < kiosks; ++k) {
        threads.emplace_back([&, k] {
            KioskClient c(port, tokens[static_cast<std::size_t>(k)]);
            for (const auto& body : bodies[static_cast<std::size_t>(k)]) {
                if (!c.PostBatch(body)) {
                    ok = false;
                    return;
                }
            }
        });
    }
    for (auto& t : threads)
        t.join();
    double s = Seconds(start);
    return ok ? static_cast<double>(rowsPerKiosk * kiosks) / s : -1;
}

// A fleet at full speed: `clients` kiosks on one keep-alive connection each, alternating a
// heartbeat and a 20-response batch, for `seconds`. Requests/s and the p99 latency in ms.
std::pair<double, double> MixedLoad(server::Backend& backend, int port, int clients,
                                    double seconds) {
    auto tokens = AddKiosks(backend, clients, "m");
    std::atomic<bool> stop{false}, ok{true};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
    std::vector<std::thread> threads;
    auto start = Clock::now();
    for (int k = 0; k < clients; ++k) {
        threads.emplace_back([&, k] {
            std::string id = "m" + std::to_string(k + 1);
            KioskClient c(port, tokens[static_cast<std::size_t>(k)]);
            auto& lat = latencies[static_cast<std::size_t>(k)];
            core::SystemClock clock;
            long long seq = 1;
            for (int i = 0; !stop; ++i) {
                bool sent = false;
                auto t0 = Clock::now();
                if (i % 2 == 0) {
                    protocol::Heartbeat hb;
                    hb.pending = 20;
                    hb.clock = clock.NowUtcMs();
                    hb.version = "0.1.0";
                    sent = c.PostHeartbeat(id, protocol::EncodeHeartbeat(hb));
                } else {
                    auto b = MakeBatches(20, 20, id, seq);
                    seq += 20;
                    sent = c.PostBatch(Gzip(protocol::EncodeBatch(b[0])));
                }
                if (!sent) {
                    ok = false;
                    return;
                }
                lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads)
        t.join();
    double s = Seconds(start);
    std::vector<double> all;
    for (auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    if (!ok)
        return {-1, -1};
    double n = static_cast<double>(all.size());
    return {n / s, bench::Percentile(all, 99)};
}

// The raw PostgreSQL baseline, written here with libpq and nothing of the project's storage
// code: one multi-row INSERT ... VALUES ... ON CONFLICT DO NOTHING per batch (autocommit) into a
// table with the same primary key and one secondary index.
double RawPgRowsPerSec(const std::string& url, const std::vector<protocol::Batch>& batches,
                       long long rows) {
    PGconn* c = PQconnectdb(url.c_str());
    auto exec = [&](const std::string& sql, const std::vector<std::string>& params = {}) {
        std::vector<const char*> values;
        for (const auto& p : params)
            values.push_back(p.c_str());
        PGresult* r = PQexecParams(c, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0);
        bool good = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        if (!good)
            std::cerr << "ingest bench: raw PostgreSQL: " << PQresultErrorMessage(r);
        PQclear(r);
        return good;
    };
    if (PQstatus(c) != CONNECTION_OK ||
        !exec("CREATE TABLE raw_rows (id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, store_id TEXT "
              "NOT NULL, "
              "seq BIGINT NOT NULL, created_at BIGINT NOT NULL, closed_at BIGINT NOT NULL, "
              "tz_offset_min INTEGER "
              "NOT NULL, scale INTEGER NOT NULL, rating INTEGER NOT NULL, rep_id TEXT, reason "
              "TEXT, language TEXT "
              "NOT NULL, misuse TEXT, batch_id TEXT NOT NULL, received_at BIGINT NOT NULL)") ||
        !exec("CREATE INDEX raw_rows_kiosk_seq ON raw_rows (kiosk_id, seq)")) {
        PQfinish(c);
        return -1;
    }
    core::SystemClock clock;
    auto start = Clock::now();
    for (const auto& b : batches) {
        std::string sql = "INSERT INTO raw_rows VALUES ";
        std::vector<std::string> params;
        for (const auto& r : b.responses) {
            if (!params.empty())
                sql += ',';
            sql += '(';
            for (int col = 0; col < 15; ++col)
                sql += (col ? ",$" : "$") + std::to_string(params.size() + 1 + col);
            sql += ')';
            for (std::string v :
                 {r.id.ToString(), b.kioskId, std::string("s1"), std::to_string(r.seq),
                  std::to_string(r.createdAtMs),
                  std::to_string(r.closedAtMs.value_or(r.createdAtMs)),
                  std::to_string(r.tzOffsetMin), std::to_string(r.scale), std::to_string(r.rating),
                  r.repId.value_or(""), r.reason.value_or(""), r.language, r.misuse.value_or(""),
                  b.batchId.ToString(), std::to_string(clock.NowUtcMs())}) {
                params.push_back(std::move(v));
            }
        }
        if (!exec(sql + " ON CONFLICT DO NOTHING", params)) {
            PQfinish(c);
            return -1;
        }
    }
    double perSec = static_cast<double>(rows) / Seconds(start);
    PQfinish(c);
    return perSec;
}

struct Target {
    std::string label;                                      // "sqlite" or "postgres"
    std::function<std::string(const std::string&)> urlFor;  // a fresh database per name
    std::string rawMetric;
    double goal = 0;
    server::BackendOptions options;
};

// One kiosk draining batches whose every row is inside the store alert window (a live till, not a
// backlog): each batch makes the server evaluate the store-level rule (issue 18; half the ratings
// are negative, so it also raises). storeAlerts false is the same run's baseline.
double RecentRowsPerSec(const Target& t, const std::string& name, bool storeAlerts,
                        const std::vector<std::string>& bodies, long long rows) {
    core::SystemClock clock;
    auto backend = server::OpenBackend(t.urlFor(name), t.options);
    backend->AddStore("s1", "S", 0);
    backend->AddKiosk("k1", "s1", 0);
    std::string token = server::IssueKioskToken(*backend, {"k1", "s1"}, 0).secret;
    server::ServerOptions options;
    options.storeAlerts = storeAlerts;
    server::HttpServer srv(*backend, clock, options);
    KioskClient client(srv.Start(), token);
    auto start = Clock::now();
    for (const auto& body : bodies) {
        if (!client.PostBatch(body))
            return -1;
    }
    const double rate = static_cast<double>(rows) / Seconds(start);
    return backend->CountResponses() == rows ? rate : -1;
}

int Measure(const Target& t, const std::vector<protocol::Batch>& batches, long long rows,
            long long perBatch, const bench::Args& args, bench::Report& report) {
    const std::string& label = t.label;
    core::SystemClock clock;
    Figures f;
    if (label == "postgres") {
        f.rawRowsPerSec = RawPgRowsPerSec(t.urlFor("raw"), batches, rows);
        if (f.rawRowsPerSec < 0)
            return 1;
    } else {
        auto raw = server::OpenBackend(t.urlFor("raw"), t.options);
        raw->AddStore("s1", "S", 0);
        raw->AddKiosk("k1", "s1", 0);
        server::KioskRecord kiosk{"k1", "s1"};
        auto start = Clock::now();
        for (const auto& b : batches) {
            std::vector<const core::Response*> ptrs;
            for (const auto& r : b.responses)
                ptrs.push_back(&r);
            auto tx = raw->BeginIngest();
            tx->InsertResponses(kiosk, b.batchId.ToString(), ptrs, clock.NowUtcMs());
            tx->Commit();
        }
        f.rawRowsPerSec = static_cast<double>(rows) / Seconds(start);
    }
    double directRowsPerSec = 0;
    {
        // Ingest() without HTTP: separates the storage rules' cost from transport and JSON.
        auto direct = server::OpenBackend(t.urlFor("direct"), t.options);
        direct->AddStore("s1", "S", 0);
        direct->AddKiosk("k1", "s1", 0);
        server::KioskRecord kiosk{"k1", "s1"};
        auto start = Clock::now();
        for (const auto& b : batches)
            server::Ingest(*direct, kiosk, b, clock.NowUtcMs());
        directRowsPerSec = static_cast<double>(rows) / Seconds(start);
        start = Clock::now();
        std::size_t decoded = 0;
        for (const auto& b : batches)
            decoded += protocol::DecodeBatch(protocol::EncodeBatch(b)).Value().responses.size();
        report.Add(label + "_json_encode_decode_rows_per_s",
                   static_cast<double>(decoded) / Seconds(start), "rows/s");
    }
    auto backend = server::OpenBackend(t.urlFor("e2e"), t.options);
    backend->AddStore("s1", "S", 0);
    backend->AddKiosk("k1", "s1", 0);
    std::string token = server::IssueKioskToken(*backend, {"k1", "s1"}, 0).secret;
    server::HttpServer srv(*backend, clock, {});
    int port = srv.Start();
    KioskClient client(port, token);
    // The kiosk encodes JSON from its own rows; the server path starts at the HTTP request.
    std::vector<std::string> bodies;
    for (const auto& b : batches)
        bodies.push_back(Gzip(protocol::EncodeBatch(b)));
    auto start = Clock::now();
    for (const auto& body : bodies) {
        if (!client.PostBatch(body))
            return 1;
    }
    double drain = Seconds(start);
    f.uniqueRowsPerSec = static_cast<double>(rows) / drain;
    f.drainMs = drain * 1000;
    start = Clock::now();
    for (const auto& body : bodies) {
        if (!client.PostBatch(body))
            return 1;
    }
    f.duplicateRowsPerSec = static_cast<double>(rows) / Seconds(start);
    if (backend->CountResponses() != rows) {
        std::cerr << "ingest bench: expected " << rows << " rows, found "
                  << backend->CountResponses() << "\n";
        return 1;
    }
    {
        // 20-row batches, rows 10 ms apart: every batch is a live one.
        // A quiet store (one rating in eight negative: the rule is evaluated, never met) and one
        // in alert all along (half negative: every batch refreshes the alert).
        const long long recentRows = std::min<long long>(rows, 6000);
        std::vector<std::string> quiet, alerting;
        for (auto& b : MakeBatches(recentRows, 20, "k1", 1, 10)) {
            alerting.push_back(Gzip(protocol::EncodeBatch(b)));
            for (auto& r : b.responses) {
                r.rating = r.seq % 8 == 0 ? 1 : 4;
                r.reason.reset();
            }
            quiet.push_back(Gzip(protocol::EncodeBatch(b)));
        }
        const double off = RecentRowsPerSec(t, "recent_off", false, quiet, recentRows);
        const double on = RecentRowsPerSec(t, "recent_on", true, quiet, recentRows);
        const double firing = RecentRowsPerSec(t, "recent_firing", true, alerting, recentRows);
        if (off < 0 || on < 0 || firing < 0)
            return 1;
        const std::string base = label + "_live_20_row_batches_without_store_alerts_rows_per_s";
        report.Add(base, off, "rows/s");
        report.AddRatio(label + "_live_20_row_batches_quiet_store_rows_per_s", on, "rows/s", base,
                        off);
        report.AddRatio(label + "_live_20_row_batches_store_in_alert_rows_per_s", firing, "rows/s",
                        base, off);
    }
    const int kiosks = static_cast<int>(args.Int("--kiosks", 8));
    double concurrent = ConcurrentRowsPerSec(*backend, port, kiosks, rows / kiosks, perBatch);
    if (concurrent < 0)
        return 1;
    client.client.stop();  // today's HTTP layer holds a worker thread per keep-alive connection
    // 24: under the HTTP layer's 32 worker threads (one per keep-alive connection).
    const int clients = static_cast<int>(args.Int("--clients", 24));
    auto [mixedRate, mixedP99] =
        MixedLoad(*backend, port, clients, static_cast<double>(args.Int("--seconds", 5)));
    if (mixedRate < 0)
        return 1;
    report.Add(label + "_raw_insert_rows_per_s", f.rawRowsPerSec, "rows/s");
    report.AddRatio(label + "_e2e_unique_rows_per_s", f.uniqueRowsPerSec, "rows/s",
                    label + "_raw_insert_rows_per_s", f.rawRowsPerSec);
    report.AddRatio(label + "_e2e_" + std::to_string(kiosks) + "_kiosks_rows_per_s", concurrent,
                    "rows/s", label + "_e2e_unique_rows_per_s", f.uniqueRowsPerSec);
    report.AddRatio(label + "_ingest_direct_rows_per_s", directRowsPerSec, "rows/s",
                    label + "_raw_insert_rows_per_s", f.rawRowsPerSec);
    report.Add(label + "_duplicate_replay_rows_per_s", f.duplicateRowsPerSec, "rows/s");
    report.Add(label + "_backlog_drain_" + std::to_string(rows) + "_ms", f.drainMs, "ms");
    report.Add(label + "_mixed_" + std::to_string(clients) + "_kiosks_requests_per_s", mixedRate,
               "req/s");
    report.Add(label + "_mixed_" + std::to_string(clients) + "_kiosks_p99_ms", mixedP99, "ms");
    std::cerr << label << ": ratio goal >= " << t.goal << " (" << t.rawMetric << "); " << kiosks
              << " kiosks goal >= 1.5x one kiosk; mixed: heartbeat and 20-response batch "
                 "alternately per kiosk\n";
    return 0;
}

int RunIngest(const bench::Args& args, bench::Report& report) {
    long long rows = args.Int("--rows", 30000);
    long long perBatch = args.Int("--batch", 500);
    auto batches = MakeBatches(rows, perBatch);
    auto dir =
        std::filesystem::temp_directory_path() / ("fk-ingest-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    Target sqlite{
        "sqlite",
        [&](const std::string& name) { return "sqlite:" + (dir / (name + ".db")).string(); },
        "batched prepared INSERT in one transaction per batch",
        0.6,
        {}};
    int rc = args.Flag("--pg-only") ? 0 : Measure(sqlite, batches, rows, perBatch, args, report);
    std::filesystem::remove_all(dir);
    if (rc != 0)
        return rc;

    std::string pg =
        args.Value("--pg", std::getenv("FK_TEST_PG_URL") ? std::getenv("FK_TEST_PG_URL") : "");
    if (pg.empty()) {
        std::cerr << "ingest bench: PostgreSQL skipped (give --pg URL or set FK_TEST_PG_URL)\n";
        return 0;
    }
    PGconn* admin = PQconnectdb(pg.c_str());
    if (PQstatus(admin) != CONNECTION_OK) {
        std::cerr << "ingest bench: cannot connect to " << pg << ": " << PQerrorMessage(admin);
        PQfinish(admin);
        return 1;
    }
    {
        PGresult* r = PQexec(admin, "SHOW fsync");
        std::cerr << "ingest bench: PostgreSQL fsync = "
                  << (PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "?") << "\n";
        PQclear(r);
    }
    std::string prefix = "fk_bench_" + std::to_string(::getpid()) + "_";
    Target postgres{"postgres",
                    [&](const std::string& name) {
                        std::string schema = prefix + name;
                        PQclear(PQexec(admin, ("CREATE SCHEMA " + schema).c_str()));
                        PQclear(PQexec(admin, "SET client_min_messages = warning"));
                        return pg + (pg.find('?') == std::string::npos ? "?" : "&") +
                               "options=-csearch_path%3D" + schema;
                    },
                    "multi-row VALUES ... ON CONFLICT DO NOTHING via libpq, written in the bench",
                    0.7,
                    {}};
    postgres.options.poolSize =
        static_cast<int>(args.Int("--db-pool-size", postgres.options.poolSize));
    rc = Measure(postgres, batches, rows, perBatch, args, report);
    for (const char* name : {"raw", "direct", "e2e", "recent_off", "recent_on", "recent_firing"})
        PQclear(PQexec(admin, ("DROP SCHEMA " + prefix + name + " CASCADE").c_str()));
    PQfinish(admin);
    return rc;
}

}  // namespace

FK_BENCH_SUITE("ingest",
               "kiosk-server ingest: e2e unique rows/s (HTTP+gzip+auth+dedup) vs raw batched "
               "insert, duplicate "
               "replay, backlog drain, 8 kiosks at once, a mixed heartbeat+batch fleet [--rows "
               "30000 --batch 500 --pg URL "
               "--pg-only --kiosks 8 --clients 24 --seconds 5 --db-pool-size N]",
               RunIngest);
