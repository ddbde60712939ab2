// sync_e2e_kiosk: the kiosk side of the kiosk <-> server fault test, as a real process the test
// can SIGKILL. It writes responses through the real ResponseStore until the store's seq reaches
// TARGET, printing "W <seq> <id>" after each close commits, while the real SyncEngine sends them
// on its own thread. Once everything is acknowledged it prints "DRAINED <acked>" and exits 0.
// Usage: sync_e2e_kiosk DATA_DIR SERVER_URL TOKEN_FILE TARGET SEED
// Environment: FK_E2E_REPS=a,b,c names the reps (default r1,r2,r3); FK_E2E_WAIT_CONFIG=1 also
// waits for a config from the server before DRAINED (the leaver test: its leavers applied);
// FK_E2E_HELP=1 has every other unhappy customer with a rep ask for help (a call the sync
// thread sends), and DRAINED also waits for the calls.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/Clock.h"
#include "storage/ResponseStore.h"
#include "sync/SyncEngine.h"

using namespace fk;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: sync_e2e_kiosk DATA_DIR SERVER_URL TOKEN_FILE TARGET SEED\n";
        return 2;
    }
    const std::filesystem::path dataDir = argv[1];
    const std::int64_t target = std::stoll(argv[4]);
    std::mt19937_64 random(std::stoull(argv[5]));
    core::SystemClock clock;

    storage::OpenReport report;
    auto store = storage::ResponseStore::Open(dataDir, clock, &report);
    store->SetAutoCheckpoint(false);
    std::cout << "OPEN maxseq=" << store->MaxSeq() << " recovered=" << report.closedOnOpen;
    if (report.corruptFileSetAside)
        std::cout << " salvaged=" << report.salvaged << " lost=" << report.lost;
    std::cout << std::endl;

    sync::SyncSettings settings;
    settings.serverUrl = argv[2];
    settings.kioskId = "k1";
    settings.tokenFile = argv[3];
    settings.dataDir = dataDir;
    settings.interval = 100ms;
    settings.heartbeatInterval = 2000ms;
    settings.configInterval = 5000ms;
    settings.batchSize = 50 + random() % 200;
    settings.backoff = {20ms, 400ms, 2.0};
    settings.http.connectTimeout = 500ms;
    settings.http.totalTimeout = 1000ms;
    settings.seed = random();
    sync::SyncEngine engine(settings, clock);
    engine.Start();

    std::vector<std::string> reps{"r1", "r2", "r3"};
    if (const char* names = std::getenv("FK_E2E_REPS"); names != nullptr && *names != '\0') {
        reps.clear();
        std::stringstream list(names);
        for (std::string name; std::getline(list, name, ',');)
            reps.push_back(name);
    }
    const char* waitConfig = std::getenv("FK_E2E_WAIT_CONFIG");
    const bool needConfig = waitConfig != nullptr && std::string(waitConfig) == "1";
    const char* help = std::getenv("FK_E2E_HELP");
    const bool askHelp = help != nullptr && std::string(help) == "1";
    static const char* kLanguages[] = {"en", "hi", "ne", "te", "da"};
    while (store->MaxSeq() < target) {
        storage::BeginRequest request;
        request.rating = 1 + static_cast<int>(random() % 4);
        request.language = kLanguages[random() % 5];
        auto response = store->Begin(request);
        if (random() % 2 == 0)
            store->SetRep(response.id, reps[random() % reps.size()]);
        if (request.rating <= 2 && random() % 2 == 0)
            store->SetReason(response.id, std::string("wait_time"));
        if (askHelp && request.rating <= 2 && random() % 2 == 0)
            store->SetHelp(response.id, core::HelpAnswer::Yes);
        if (random() % 8 == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 5));
        store->Close(response.id, core::CloseReason::ThankYou);
        std::cout << "W " << response.seq << " " << response.id.ToString() << "\n";
        if (response.seq % 20 == 0) {
            std::cout.flush();
            engine.Nudge();
        }
        if (random() % 4 == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 3));
    }
    std::cout.flush();
    engine.Nudge();
    std::string lastError;
    for (;;) {
        auto status = engine.Status();
        if (status.pending == 0 && store->OpenCount() == 0 && status.serverAckedSeq == target &&
            (!needConfig || status.configGeneration > 0) &&
            (!askHelp || store->PendingCalls(1).empty())) {
            std::cout << "DRAINED " << *status.serverAckedSeq << std::endl;
            engine.Stop();
            return 0;
        }
        if (!status.lastError.empty() && status.lastError != lastError) {
            lastError = status.lastError;
            std::cout << "ERROR " << lastError << std::endl;
        }
        std::this_thread::sleep_for(20ms);
    }
}
