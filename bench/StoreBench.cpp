// kiosk-bench store: how long a customer's tap takes to become durable, against the floor the
// disk sets, and how fast the manager's per-rep view is over a large store.
//   kiosk-bench store [--json] [--data-dir DIR] [--rows N] [--taps N]
// --data-dir  where the files go (default: a fresh temp dir, removed afterwards); use the kiosk's
//             real data disk for meaningful figures
// --rows      rows in the aggregate store (default 1000000)
// --taps      timed taps (default 1000 with a 1M-row store, 200 otherwise: a quick run)
// Figures:
//   fsync_p50_us / _p99_us        pwrite(512 B) + timed fsync of a file in the data dir
//   raw_insert_p50_us / _p99_us   single-row autocommit INSERT, WAL + synchronous=FULL
//   tap_to_durable_p50_us / _p99_us  ResponseStore::Begin (returns after COMMIT), ratio against
//                                 the raw insert; taps and raw inserts alternate so both see
//                                 the same disk; each tap's session is closed (untimed) as on
//                                 the kiosk, so the WAL and its checkpoints grow realistically
//   tap_bg_checkpoint_p50_us / _p99_us  the same with automatic checkpoints off on the tapping
//                                 connection and another thread checkpointing every 50 ms
//   rep_aggregate_1m_ms           AggregateByRep for one day of a store of --rows rows spread
//                                 over a year (the manager's "today"), median of repeats;
//                                 _week_ and _all_ variants for context
//   (with --rows other than 1000000 the aggregate metrics are named rep_aggregate_<N>rows_*)

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "Bench.h"
#include "core/Clock.h"
#include "core/Uuid.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double MicrosSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

std::vector<double> MeasureFsync(const fs::path& dir, int count) {
    const fs::path file = dir / "fsync-probe";
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error("cannot create " + file.string());
    std::vector<double> samples;
    const std::string block(512, 'x');
    for (int i = 0; i < count; ++i) {
        if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i) * 512) !=
            static_cast<ssize_t>(block.size())) {
            ::close(fd);
            throw std::runtime_error("write failed on " + file.string());
        }
        auto start = Clock::now();
        if (::fsync(fd) != 0) {
            ::close(fd);
            throw std::runtime_error("fsync failed on " + file.string());
        }
        samples.push_back(MicrosSince(start));
    }
    ::close(fd);
    fs::remove(file);
    return samples;
}

// Fills the store's table directly, in one transaction: the same schema and indexes the kiosk
// maintains, rows spread evenly over `span` ms ending at `end`.
void BuildRows(const fs::path& dir, long long rows, fk::core::UtcMs end, std::int64_t span) {
    fk::core::SystemClock systemClock;
    {
        auto store = fk::storage::ResponseStore::Open(dir, systemClock);  // creates the schema
    }
    fk::storage::Database db(dir / fk::storage::ResponseStore::kFileName);
    db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
    fk::core::FakeClock fake(end - span);
    fk::core::Uuid7Generator ids(fake);
    std::mt19937 rng(12345);
    const char* reps[] = {"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"};
    fk::storage::Transaction tx(db);
    fk::storage::Statement insert(
        db,
        "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, rep_id, reason, "
        "language, misuse, updated_at, closed_at, close_reason, sync_state) VALUES "
        "(?1, ?2, ?3, 330, 4, ?4, ?5, ?6, 'en', ?7, ?3, ?3 + 5000, 'thank_you', 'sent')");
    for (long long i = 0; i < rows; ++i) {
        const fk::core::UtcMs at = end - span + span * i / rows;
        fake.SetUtc(at);
        const int rating = static_cast<int>(rng() % 4) + 1;
        insert.Bind(1, static_cast<std::int64_t>(i + 1))
            .Bind(2, ids.Next().ToString())
            .Bind(3, at)
            .Bind(4, rating);
        if (rng() % 10 == 0) {
            insert.BindNull(5);
        } else {
            insert.Bind(5, reps[rng() % 8]);
        }
        if (rating <= 2) {
            insert.Bind(6, "wait_time");
        } else {
            insert.BindNull(6);
        }
        if (rng() % 50 == 0) {
            insert.Bind(7, "burst");
        } else {
            insert.BindNull(7);
        }
        insert.Run();
        insert.Reset();
    }
    tx.Commit();
    db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

double MedianAggregateMs(fk::storage::ResponseStore& store, fk::core::UtcMs from,
                         fk::core::UtcMs to, int repeats, std::int64_t* rowsSeen) {
    std::vector<double> samples;
    for (int i = 0; i < repeats; ++i) {
        auto start = Clock::now();
        auto result = store.AggregateByRep(from, to);
        samples.push_back(MicrosSince(start) / 1000.0);
        if (i == 0 && rowsSeen != nullptr) {
            *rowsSeen = 0;
            for (const auto& agg : result)
                *rowsSeen += agg.responses + agg.misuse;
        }
    }
    return fk::bench::Percentile(samples, 50);
}

int RunStore(const fk::bench::Args& args, fk::bench::Report& report) {
    const long long rows = args.Int("--rows", 1'000'000);
    const long long taps = args.Int("--taps", rows >= 1'000'000 ? 1000 : 200);
    if (rows < 1 || taps < 1)
        throw std::runtime_error("--rows and --taps must be positive");
    fk::bench::BenchDir dir(args.Value("--data-dir", ""), "kiosk-bench-store");
    std::cerr << "store bench in " << dir.Path() << ": " << taps << " taps, " << rows
              << " rows for the aggregate\n";

    auto fsyncs = MeasureFsync(dir.Path(), static_cast<int>(taps));
    report.Add("fsync_p50_us", fk::bench::Percentile(fsyncs, 50), "us");
    report.Add("fsync_p99_us", fk::bench::Percentile(fsyncs, 99), "us");

    // Taps and raw inserts alternate so both meet the same disk weather.
    fk::storage::Database raw(dir.Path() / "raw-baseline.db");
    fk::storage::ApplyDurableSettings(raw);
    raw.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, rating INTEGER NOT NULL)");
    fk::storage::Statement rawInsert(raw, "INSERT INTO t (rating) VALUES (?1)");

    fk::core::SystemClock clock;
    auto store = fk::storage::ResponseStore::Open(dir.Path() / "kiosk", clock);
    std::vector<double> rawSamples, tapSamples;
    for (long long i = 0; i < taps; ++i) {
        auto start = Clock::now();
        rawInsert.Bind(1, static_cast<int>(i % 4 + 1));
        rawInsert.Run();
        rawInsert.Reset();
        rawSamples.push_back(MicrosSince(start));

        fk::storage::BeginRequest req;
        req.rating = static_cast<int>(i % 4 + 1);
        req.repId = "r" + std::to_string(i % 8);
        start = Clock::now();
        auto response = store->Begin(req);
        tapSamples.push_back(MicrosSince(start));
        store->Close(response.id, fk::core::CloseReason::ThankYou);
    }
    const double rawP50 = fk::bench::Percentile(rawSamples, 50);
    const double rawP99 = fk::bench::Percentile(rawSamples, 99);
    report.Add("raw_insert_p50_us", rawP50, "us");
    report.Add("raw_insert_p99_us", rawP99, "us");
    report.AddRatio("tap_to_durable_p50_us", fk::bench::Percentile(tapSamples, 50), "us",
                    "raw_insert_p50_us", rawP50);
    report.AddRatio("tap_to_durable_p99_us", fk::bench::Percentile(tapSamples, 99), "us",
                    "raw_insert_p99_us", rawP99);

    // The same taps with the UI connection's automatic checkpoints off and a second connection
    // on another thread checkpointing every 50 ms, as the sync thread may do.
    {
        store->SetAutoCheckpoint(false);
        std::atomic<bool> stop{false};
        std::string checkpointError;
        std::thread checkpointer([&] {
            try {
                auto other = fk::storage::ResponseStore::Open(dir.Path() / "kiosk", clock);
                while (!stop.load()) {
                    other->Checkpoint();
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
            } catch (const std::exception& e) {
                checkpointError = e.what();
            }
        });
        std::vector<double> bgSamples;
        for (long long i = 0; i < taps; ++i) {
            fk::storage::BeginRequest req;
            req.rating = static_cast<int>(i % 4 + 1);
            req.repId = "r" + std::to_string(i % 8);
            auto start = Clock::now();
            auto response = store->Begin(req);
            bgSamples.push_back(MicrosSince(start));
            store->Close(response.id, fk::core::CloseReason::ThankYou);
        }
        stop = true;
        checkpointer.join();
        if (!checkpointError.empty())
            throw std::runtime_error(checkpointError);
        report.Add("tap_bg_checkpoint_p50_us", fk::bench::Percentile(bgSamples, 50), "us");
        report.Add("tap_bg_checkpoint_p99_us", fk::bench::Percentile(bgSamples, 99), "us");
    }
    store.reset();

    // The manager's view over a big store: one day, one week, everything.
    constexpr std::int64_t kDay = 86'400'000;
    const fk::core::UtcMs end = (clock.NowUtcMs() / kDay) * kDay;
    const fs::path aggDir = dir.Path() / "aggregate";
    auto buildStart = Clock::now();
    BuildRows(aggDir, rows, end, 365 * kDay);
    std::cerr << "built " << rows << " rows in " << MicrosSince(buildStart) / 1e6 << " s\n";
    auto aggStore = fk::storage::ResponseStore::Open(aggDir, clock);
    const std::string prefix =
        rows == 1'000'000 ? "rep_aggregate_1m" : "rep_aggregate_" + std::to_string(rows) + "rows";
    std::int64_t dayRows = 0, weekRows = 0, allRows = 0;
    const double day = MedianAggregateMs(*aggStore, end - kDay, end, 51, &dayRows);
    const double week = MedianAggregateMs(*aggStore, end - 7 * kDay, end, 21, &weekRows);
    const double all = MedianAggregateMs(*aggStore, end - 366 * kDay, end + kDay, 5, &allRows);
    report.Add(prefix + "_ms", day, "ms");
    report.Add(prefix + "_day_rows", static_cast<double>(dayRows), "rows");
    report.Add(prefix + "_week_ms", week, "ms");
    report.Add(prefix + "_week_rows", static_cast<double>(weekRows), "rows");
    report.Add(prefix + "_all_ms", all, "ms");
    report.Add(prefix + "_all_rows", static_cast<double>(allRows), "rows");
    return 0;
}

FK_BENCH_SUITE("store",
               "tap-to-durable latency vs raw WAL FULL insert, fsync, per-rep aggregate "
               "[--data-dir DIR] [--rows N] [--taps N]",
               RunStore);

}  // namespace
