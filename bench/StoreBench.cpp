// kiosk-bench store: how long a customer's tap takes to become durable, against the floor the
// disk sets.
//   kiosk-bench store [--json] [--data-dir DIR] [--taps N]
// --data-dir  where the files go (default: a fresh temp dir, removed afterwards); use the kiosk's
//             real data disk for meaningful figures
// --taps      timed taps (default 1000; 200 for a quick run)
// Figures:
//   fsync_p50_us / _p99_us        pwrite(512 B) + timed fsync of a file in the data dir
//   raw_insert_p50_us / _p99_us   single-row autocommit INSERT, WAL + synchronous=FULL
//   tap_to_durable_p50_us / _p99_us  ResponseStore::Begin (returns after COMMIT), ratio against
//                                 the raw insert; taps and raw inserts alternate so both see
//                                 the same disk; each tap's session is closed (untimed) as on
//                                 the kiosk, so the WAL and its checkpoints grow realistically
//   tap_bg_checkpoint_p50_us / _p99_us  the same with automatic checkpoints off on the tapping
//                                 connection and another thread checkpointing every 50 ms

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

int RunStore(const fk::bench::Args& args, fk::bench::Report& report) {
    const long long taps = args.Int("--taps", 1000);
    if (taps < 1)
        throw std::runtime_error("--taps must be positive");
    fk::bench::BenchDir dir(args.Value("--data-dir", ""), "kiosk-bench-store");
    std::cerr << "store bench in " << dir.Path() << ": " << taps << " taps\n";

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
    return 0;
}

FK_BENCH_SUITE("store",
               "tap-to-durable latency vs raw WAL FULL insert, fsync [--data-dir DIR] [--taps N]",
               RunStore);

}  // namespace
