// kiosk-bench reports: latency of kiosk-server's report API (the head-office dashboard's calls)
// over a SQLite database of 10 stores x 20 kiosks x 1,000,000 responses (defaults; --stores,
// --kiosks, --responses, --days to change). Seeding goes through the backend's own ingest path
// (WriteTx::InsertResponses, which also maintains the pre-aggregated report tables) in one
// transaction per kiosk, not HTTP one by one. Each endpoint is then requested over real HTTP on
// loopback with a manager token, keep-alive, --requests times after a warm-up; p50/p99 in ms.
// Goal: p99 <= 50 ms per endpoint.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include "Bench.h"
#include "core/Clock.h"
#include "core/Uuid.h"
#include "protocol/Wire.h"
#include "server/Backend.h"
#include "server/HttpServer.h"
#include "server/Tokens.h"

namespace {

using namespace fk;
using SteadyClock = std::chrono::steady_clock;

double MsSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

int RunReports(const bench::Args& args, bench::Report& report) {
    const long long stores = args.Int("--stores", 10);
    const long long kiosksPerStore = args.Int("--kiosks", 20);
    const long long responses = args.Int("--responses", 1'000'000);
    const long long days = args.Int("--days", 90);
    const long long reps = args.Int("--reps", 30);
    const long long requests = args.Int("--requests", 50);
    bench::BenchDir dir(args.Value("--data-dir", ""), "kiosk-bench-reports");
    auto backend = server::OpenBackend("sqlite:" + (dir.Path() / "server.db").string());
    core::SystemClock clock;
    const core::UtcMs now = clock.NowUtcMs();
    core::Uuid7Generator ids(clock);

    protocol::KioskConfig config;
    config.scale = 4;
    for (long long r = 1; r <= reps; ++r) config.roster.push_back({"r" + std::to_string(r), "Rep " + std::to_string(r), true});
    config.reasons = {{"rude", {}, true}, {"slow_service", {}, true}, {"wait_time", {}, false},
                      {"price", {}, false}, {"stock", {}, false}};
    const std::string configBody = protocol::EncodeKioskConfig(config);
    const char* reasons[] = {"rude", "slow_service", "wait_time", "price", "stock"};

    // Seed.
    std::mt19937_64 rng(7);
    const long long kiosks = stores * kiosksPerStore;
    const long long perKiosk = responses / kiosks;
    auto seedStart = SteadyClock::now();
    long long seeded = 0;
    for (long long s = 0; s < stores; ++s) {
        const std::string store = "s" + std::to_string(s);
        backend->AddStore(store, "Store " + std::to_string(s), now);
        backend->SetConfig(store, "", server::ConfigRecord{configBody, "\"bench\""}, now);
        for (long long k = 0; k < kiosksPerStore; ++k) {
            const server::KioskRecord kiosk{store + "-k" + std::to_string(k), store};
            backend->AddKiosk(kiosk.id, store, now);
            std::vector<core::Response> rows(static_cast<std::size_t>(perKiosk));
            std::vector<core::UtcMs> times(rows.size());
            for (auto& t : times) t = now - static_cast<core::UtcMs>(rng() % static_cast<unsigned long long>(days * 86'400'000LL));
            std::sort(times.begin(), times.end());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                core::Response& r = rows[i];
                r.id = ids.Next();
                r.seq = static_cast<std::int64_t>(i) + 1;
                r.createdAtMs = times[i];
                r.closedAtMs = times[i] + 4000;
                r.tzOffsetMin = 330;
                r.scale = 4;
                r.rating = 1 + static_cast<int>(rng() % 4);
                r.repId = "r" + std::to_string(1 + rng() % static_cast<unsigned long long>(reps));
                if (r.rating <= 2 && rng() % 2 == 0) r.reason = reasons[rng() % 5];
                if (rng() % 50 == 0) r.misuse = "rapid_taps";
                r.language = "en";
            }
            std::vector<const core::Response*> ptrs;
            for (const auto& r : rows) ptrs.push_back(&r);
            {
                auto tx = backend->BeginIngest();  // holds the writer lock until destroyed
                tx->InsertResponses(kiosk, ids.Next().ToString(), ptrs, now);
                tx->AdvanceAckedSeq(kiosk.id, now);
                tx->Commit();
            }
            seeded += static_cast<long long>(rows.size());
            protocol::Heartbeat hb;
            hb.clock = now;
            hb.version = "bench";
            backend->RecordHeartbeat(kiosk.id, hb, now);
        }
        std::cerr << "reports: seeded store " << store << " (" << seeded << " rows)\n";
    }
    const double seedS = MsSince(seedStart) / 1000.0;
    report.Add("seed_rows", static_cast<double>(seeded), "rows");
    report.Add("seed_rows_per_s", static_cast<double>(seeded) / seedS, "rows/s");

    const std::string token = server::IssueManagerToken(*backend, std::nullopt, now).secret;
    server::HttpServer http(*backend, clock, server::ServerOptions{});
    const int port = http.Start();
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_read_timeout(60);
    const httplib::Headers headers{{"Authorization", "Bearer " + token}};

    const std::vector<std::pair<std::string, std::string>> endpoints{
        {"stores_30d", "/api/v1/reports/stores?period=30d"},
        {"reps_30d", "/api/v1/reports/reps?store=s3&period=30d"},
        {"reps_7d", "/api/v1/reports/reps?store=s3&period=7d"},
        {"reps_90d", "/api/v1/reports/reps?store=s3&period=custom_90d"},
        {"reps_csv_30d", "/api/v1/reports/reps.csv?store=s3&period=30d"},
        {"reasons_30d", "/api/v1/reports/reasons?store=s3&period=30d"},
        {"heatmap_30d", "/api/v1/reports/heatmap?store=s3&period=30d"},
        {"trend_30d", "/api/v1/reports/trend?store=s3&period=30d"},
        {"fleet", "/api/v1/reports/fleet"},
        {"reps_all_stores_30d", "/api/v1/reports/reps?period=30d"},
    };
    const core::CivilDate today = core::CivilFromDays((now + 330 * 60'000LL) / 86'400'000LL);
    const std::string custom90 = "from=" + core::FormatIsoDate(core::CivilFromDays(core::DaysFromCivil(today) - 89)) +
                                 "&to=" + core::FormatIsoDate(today);
    for (auto [name, path] : endpoints) {
        if (auto p = path.find("period=custom_90d"); p != std::string::npos) path.replace(p, 17, custom90);
        std::vector<double> samples;
        std::size_t bytes = 0;
        for (long long i = 0; i < requests + 2; ++i) {
            auto start = SteadyClock::now();
            auto res = client.Get(path, headers);
            const double ms = MsSince(start);
            if (!res || res->status != 200) {
                std::cerr << "reports: " << path << " failed: "
                          << (res ? std::to_string(res->status) + " " + res->body : httplib::to_string(res.error()))
                          << "\n";
                return 1;
            }
            bytes = res->body.size();
            if (i >= 2) samples.push_back(ms);  // two warm-up requests
        }
        report.Add(name + "_p50_ms", bench::Percentile(samples, 50), "ms");
        report.Add(name + "_p99_ms", bench::Percentile(samples, 99), "ms");
        std::cerr << "reports: " << name << " " << bytes << " bytes\n";
    }
    http.Stop();
    return 0;
}

}  // namespace

FK_BENCH_SUITE("reports",
               "report API latency (p50/p99 per endpoint) over 10 stores x 20 kiosks x 1,000,000 responses "
               "on SQLite [--responses N --stores N --kiosks N --days N --reps N --requests N --data-dir D]",
               RunReports);
