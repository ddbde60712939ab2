// prove_kiosk: the kiosk side of one kiosk-prove seed, as a real process the harness can SIGKILL
// and starve of disk. It writes responses through the real ResponseStore until the store's seq
// reaches TARGET, printing "W <seq> <id>" after each close commits, while the real SyncEngine
// sends them on its own thread. Storage errors (the harness caps RLIMIT_FSIZE: a full disk) are
// survived the way the kiosk survives them: the failed write did not happen, the next one is
// tried again later. Then it prints "WROTE <steady ms>", and once the server has acknowledged
// everything "DRAINED <acked seq> <steady ms>", and exits 0.
// Usage: prove_kiosk DATA_DIR SERVER_URL TOKEN_FILE KIOSK_ID TARGET SEED [--full]
//   --full: start with the disk already full (soft RLIMIT_FSIZE of 4 KiB; the harness lifts it).
// Lines are written whole with write(2), so a SIGKILL never leaves half a "W" line.

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "core/Clock.h"
#include "storage/ResponseStore.h"
#include "sync/SyncEngine.h"

using namespace fk;
using namespace std::chrono_literals;

namespace {

void Say(const std::string& line) {
    const std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

std::int64_t SteadyNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Runs a store call until it stops throwing StoreError (a full disk, a busy writer), reporting
// the first error of each kind of trouble once.
template <typename Fn>
auto Retry(Fn&& fn, int& refused) -> decltype(fn()) {
    std::string last;
    for (;;) {
        try {
            return fn();
        } catch (const storage::StoreError& e) {
            ++refused;
            if (last != e.what())
                Say("E " + to_string(e.Kind()) + " " + e.what());
            last = e.what();
            std::this_thread::sleep_for(5ms);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7 && argc != 8) {
        std::cerr
            << "usage: prove_kiosk DATA_DIR SERVER_URL TOKEN_FILE KIOSK_ID TARGET SEED [--full]\n";
        return 2;
    }
    std::signal(SIGXFSZ, SIG_IGN);  // a capped file size must fail the write, not kill us
    if (argc == 8 && std::string(argv[7]) == "--full") {
        rlimit limit{};
        getrlimit(RLIMIT_FSIZE, &limit);
        limit.rlim_cur = 4096;
        setrlimit(RLIMIT_FSIZE, &limit);
        Say("FULL");  // the harness lifts the cap only after this
    }
    const std::filesystem::path dataDir = argv[1];
    const std::string kioskId = argv[4];
    const std::int64_t target = std::stoll(argv[5]);
    std::mt19937_64 random(std::stoull(argv[6]));
    core::SystemClock clock;
    int refused = 0;

    storage::OpenReport report;
    auto store =
        Retry([&] { return storage::ResponseStore::Open(dataDir, clock, &report); }, refused);
    store->SetAutoCheckpoint(false);
    Say("OPEN maxseq=" + std::to_string(store->MaxSeq()) +
        " recovered=" + std::to_string(report.closedOnOpen) +
        (report.corruptFileSetAside ? " salvaged=" + std::to_string(report.salvaged) +
                                          " lost=" + std::to_string(report.lost)
                                    : std::string()));

    sync::SyncSettings settings;
    settings.serverUrl = argv[2];
    settings.kioskId = kioskId;
    settings.tokenFile = argv[3];
    settings.dataDir = dataDir;
    settings.interval = 100ms;
    settings.heartbeatInterval = 1000ms;
    settings.configInterval = 3000ms;
    settings.batchSize = 10 + random() % 60;
    settings.backoff = {20ms, 300ms, 2.0};
    settings.http.connectTimeout = 300ms;
    settings.http.totalTimeout = 600ms;
    settings.seed = random();
    sync::SyncEngine engine(settings, clock);
    engine.Start();

    static const char* kReps[] = {"r1", "r2", "r3"};
    static const char* kLanguages[] = {"en", "hi", "ne", "te", "da"};
    while (Retry([&] { return store->MaxSeq(); }, refused) < target) {
        storage::BeginRequest request;
        request.rating = 1 + static_cast<int>(random() % 4);
        request.language = kLanguages[random() % 5];
        core::Response response;
        try {
            response = store->Begin(request);
        } catch (const storage::StoreError& e) {
            if (refused++ == 0)
                Say("E " + to_string(e.Kind()) + " " + e.what());
            std::this_thread::sleep_for(5ms);
            continue;  // that tap was not stored; the customer taps again
        }
        // Amendments that fail are simply not made (the row keeps what it had).
        try {
            if (random() % 2 == 0)
                store->SetRep(response.id, std::string(kReps[random() % 3]));
            if (request.rating <= 2 && random() % 2 == 0)
                store->SetReason(response.id, std::string("wait_time"));
        } catch (const storage::StoreError&) {
            ++refused;
        }
        // The idle timeout closes the row sooner or later whatever happens: retry until it does.
        Retry([&] { return store->Close(response.id, core::CloseReason::ThankYou); }, refused);
        Say("W " + std::to_string(response.seq) + " " + response.id.ToString());
        if (response.seq % 10 == 0)
            engine.Nudge();
        // Customers come at a pace, so the writing spans the harness's storm (kills, the full
        // disk) on a fast, idle machine too, not only on a busy one.
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + random() % 16));
    }
    Say("WROTE " + std::to_string(SteadyNowMs()) + " refused=" + std::to_string(refused));
    engine.Nudge();
    for (;;) {
        auto status = engine.Status();
        // A run restarted after its rows were all sent gets no receipt, but it must have compared
        // its rows with the server's view once (a restored server lacks some); the harness checks
        // the server itself either way. After a damaged store, numbering may continue above
        // target (the seq mark), and acked with it.
        if (status.pending == 0 && status.serverViewAt &&
            (!status.serverAckedSeq || *status.serverAckedSeq >= target) &&
            Retry([&] { return store->OpenCount() + store->PendingCount(); }, refused) == 0) {
            Say("DRAINED " + std::to_string(status.serverAckedSeq.value_or(-1)) + " " +
                std::to_string(SteadyNowMs()));
            engine.Stop();
            return 0;
        }
        std::this_thread::sleep_for(5ms);
    }
}
