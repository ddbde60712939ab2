// kiosk-bench ingest: end-to-end unique rows/s through kiosk-server (HTTP on loopback + gzip +
// bearer auth + dedup) against the raw batched insert of the same rows into the same schema, on
// SQLite and (with --pg URL or FK_TEST_PG_URL) PostgreSQL; duplicate replay rate; backlog drain
// time. JSON encoding and gzip are done before timing (kiosk-side work); the timed loop is the
// server path: HTTP on loopback, inflate, auth, decode, validation, dedup and the durable commit.
#include <httplib.h>
#include <libpq-fe.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

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

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<protocol::Batch> MakeBatches(long long rows, long long perBatch) {
    core::SystemClock clock;
    core::Uuid7Generator ids(clock);
    std::vector<protocol::Batch> batches;
    for (long long seq = 1; seq <= rows;) {
        protocol::Batch b;
        b.kioskId = "k1";
        b.batchId = ids.Next();
        for (long long i = 0; i < perBatch && seq <= rows; ++i, ++seq) {
            core::Response r;
            r.id = ids.Next();
            r.seq = seq;
            r.createdAtMs = clock.NowUtcMs() - (rows - seq) * 1000;
            r.closedAtMs = r.createdAtMs + 4000;
            r.tzOffsetMin = 330;
            r.rating = 1 + static_cast<int>(seq % 4);
            r.repId = "r" + std::to_string(seq % 12);
            if (r.rating <= 2) r.reason = "wait_time";
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

// Opens two fresh databases from urlFor(name): one behind the server, one for the raw baseline.
template <typename UrlFor>
int Measure(const std::string& label, UrlFor urlFor, const std::vector<protocol::Batch>& batches, long long rows,
            bench::Report& report, const std::string& rawMetric, double goal) {
    core::SystemClock clock;
    Figures f;
    {
        auto raw = server::OpenBackend(urlFor("raw"));
        raw->AddStore("s1", "S", 0);
        raw->AddKiosk("k1", "s1", 0);
        server::KioskRecord kiosk{"k1", "s1"};
        auto start = Clock::now();
        for (const auto& b : batches) {
            std::vector<const core::Response*> ptrs;
            for (const auto& r : b.responses) ptrs.push_back(&r);
            auto tx = raw->BeginIngest();
            tx->InsertResponses(kiosk, b.batchId.ToString(), ptrs, clock.NowUtcMs());
            tx->Commit();
        }
        f.rawRowsPerSec = static_cast<double>(rows) / Seconds(start);
    }
    double directRowsPerSec = 0;
    {
        // Ingest() without HTTP: separates the storage rules' cost from transport and JSON.
        auto direct = server::OpenBackend(urlFor("direct"));
        direct->AddStore("s1", "S", 0);
        direct->AddKiosk("k1", "s1", 0);
        server::KioskRecord kiosk{"k1", "s1"};
        auto start = Clock::now();
        for (const auto& b : batches) server::Ingest(*direct, kiosk, b, clock.NowUtcMs());
        directRowsPerSec = static_cast<double>(rows) / Seconds(start);
        start = Clock::now();
        std::size_t decoded = 0;
        for (const auto& b : batches) decoded += protocol::DecodeBatch(protocol::EncodeBatch(b)).Value().responses.size();
        report.Add(label + "_json_encode_decode_rows_per_s", static_cast<double>(decoded) / Seconds(start), "rows/s");
    }
    auto backend = server::OpenBackend(urlFor("e2e"));
    backend->AddStore("s1", "S", 0);
    backend->AddKiosk("k1", "s1", 0);
    std::string token = server::IssueKioskToken(*backend, {"k1", "s1"}, 0).secret;
    server::HttpServer srv(*backend, clock, {});
    httplib::Client client("127.0.0.1", srv.Start());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    httplib::Headers headers{{"Authorization", "Bearer " + token}, {"Content-Encoding", "gzip"}};
    // The kiosk encodes JSON from its own rows; the server path starts at the HTTP request.
    std::vector<std::string> bodies;
    for (const auto& b : batches) bodies.push_back(Gzip(protocol::EncodeBatch(b)));
    auto post = [&](const std::string& body) {
        auto res = client.Post("/api/v1/batches", headers, body, "application/json");
        if (!res || res->status != 200 || !protocol::DecodeReceipt(res->body)) {
            std::cerr << "ingest bench: batch failed: " << (res ? res->body : httplib::to_string(res.error())) << "\n";
            return false;
        }
        return true;
    };
    auto start = Clock::now();
    for (const auto& body : bodies) {
        if (!post(body)) return 1;
    }
    double drain = Seconds(start);
    f.uniqueRowsPerSec = static_cast<double>(rows) / drain;
    f.drainMs = drain * 1000;
    start = Clock::now();
    for (const auto& body : bodies) {
        if (!post(body)) return 1;
    }
    f.duplicateRowsPerSec = static_cast<double>(rows) / Seconds(start);
    if (backend->CountResponses() != rows) {
        std::cerr << "ingest bench: expected " << rows << " rows, found " << backend->CountResponses() << "\n";
        return 1;
    }
    report.Add(label + "_raw_insert_rows_per_s", f.rawRowsPerSec, "rows/s");
    report.AddRatio(label + "_e2e_unique_rows_per_s", f.uniqueRowsPerSec, "rows/s", label + "_raw_insert_rows_per_s",
                    f.rawRowsPerSec);
    report.AddRatio(label + "_ingest_direct_rows_per_s", directRowsPerSec, "rows/s", label + "_raw_insert_rows_per_s",
                    f.rawRowsPerSec);
    report.Add(label + "_duplicate_replay_rows_per_s", f.duplicateRowsPerSec, "rows/s");
    report.Add(label + "_backlog_drain_" + std::to_string(rows) + "_ms", f.drainMs, "ms");
    std::cerr << label << ": ratio goal >= " << goal << " (" << rawMetric << ")\n";
    return 0;
}

int RunIngest(const bench::Args& args, bench::Report& report) {
    long long rows = args.Int("--rows", 30000);
    long long perBatch = args.Int("--batch", 500);
    auto batches = MakeBatches(rows, perBatch);
    auto dir = std::filesystem::temp_directory_path() / ("fk-ingest-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    int rc = Measure(
        "sqlite", [&](const std::string& name) { return "sqlite:" + (dir / (name + ".db")).string(); }, batches, rows,
        report, "batched prepared INSERT in one transaction per batch", 0.6);
    std::filesystem::remove_all(dir);
    if (rc != 0) return rc;

    std::string pg = args.Value("--pg", std::getenv("FK_TEST_PG_URL") ? std::getenv("FK_TEST_PG_URL") : "");
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
    std::string prefix = "fk_bench_" + std::to_string(::getpid()) + "_";
    auto urlFor = [&](const std::string& name) {
        std::string schema = prefix + name;
        PQclear(PQexec(admin, ("CREATE SCHEMA " + schema).c_str()));
        PQclear(PQexec(admin, "SET client_min_messages = warning"));
        return pg + (pg.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
    };
    rc = Measure("postgres", urlFor, batches, rows, report, "multi-row VALUES ... ON CONFLICT DO NOTHING via libpq", 0.7);
    for (const char* name : {"raw", "direct", "e2e"}) PQclear(PQexec(admin, ("DROP SCHEMA " + prefix + name + " CASCADE").c_str()));
    PQfinish(admin);
    return rc;
}

}  // namespace

FK_BENCH_SUITE("ingest",
               "kiosk-server ingest: e2e unique rows/s (HTTP+gzip+auth+dedup) vs raw batched insert, duplicate "
               "replay, backlog drain [--rows 30000 --batch 500 --pg URL]",
               RunIngest);
