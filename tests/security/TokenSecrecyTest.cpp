// Tokens are never logged or stored in the clear: the real kiosk-server binary and a real kiosk
// process (sync_e2e_kiosk: ResponseStore + SyncEngine) sync over 127.0.0.1, a kiosk runs with a
// token file others can read and with a wrong token, and then every byte either printed, every
// status message and every file either side wrote is searched for the tokens.
// A token file readable by group or others is refused with the command that fixes it (chmod 600)
// before anything is sent. Also covered elsewhere: tests/sync/TokenFileTest.cpp (modes, the
// message), tests/sync/SyncEngineTest.cpp (0644 against the fake server).

#include <doctest/doctest.h>

#include <sys/wait.h>
#include "support/Skip.h"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "SecurityHelpers.h"
#include "core/Clock.h"
#include "storage/ResponseStore.h"
#include "support/ChildProcess.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

#include <httplib.h>

using namespace fk;
using namespace std::chrono_literals;

namespace {

std::string RunCli(const std::vector<std::string>& args, std::string& allOutput) {
    test::Child cli(FK_KIOSK_SERVER, args, true);
    std::string out = cli.ReadToEnd();
    const int status = cli.Wait();
    REQUIRE_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0),
                    "kiosk-server " << args[0] << ": " << out);
    // Everything but the token line itself, which add-kiosk/add-manager print on purpose.
    std::string trimmed = out;
    while (!trimmed.empty() && trimmed.back() == '\n')
        trimmed.pop_back();
    const auto lastLine = trimmed.rfind('\n');
    allOutput += lastLine == std::string::npos ? "" : trimmed.substr(0, lastLine);
    return lastLine == std::string::npos ? trimmed : trimmed.substr(lastLine + 1);
}

sync::SyncSettings Settings(const std::string& url, const std::filesystem::path& tokenFile,
                            const std::filesystem::path& dataDir) {
    sync::SyncSettings s;
    s.serverUrl = url;
    s.kioskId = "k1";
    s.tokenFile = tokenFile;
    s.dataDir = dataDir;
    s.http.totalTimeout = 5000ms;
    s.seed = 3;
    return s;
}

// Requests the server counted per route (from /metrics), e.g. "batches" -> 2.
std::map<std::string, int> RouteCounts(int port) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/metrics");
    REQUIRE(res);
    std::map<std::string, int> counts;
    std::istringstream lines(res->body);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with("fk_http_requests_total{route=\""))
            continue;
        const auto start = line.find('"') + 1;
        const std::string route = line.substr(start, line.find('"', start) - start);
        counts[route] += std::stoi(line.substr(line.rfind(' ') + 1));
    }
    return counts;
}

}  // namespace

TEST_CASE(
    "security: tokens never appear in output, status messages or files, and an open token file is "
    "refused") {
    test::TempDir root("fk-secrecy");
    std::filesystem::create_directories(root / "server");
    std::filesystem::create_directories(root / "secrets");
    const std::string db = "sqlite:" + (root / "server" / "server.db").string();
    std::string printed;
    RunCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"}, printed);
    const std::string token =
        RunCli({"add-kiosk", "--db", db, "--store", "s1", "--id", "k1"}, printed);
    const std::string manager = RunCli({"add-manager", "--db", db, "--store", "s1"}, printed);
    REQUIRE(token.starts_with("fk1_"));
    REQUIRE(manager.starts_with("fk1_"));
    const std::string wrong = "fk1_" + std::string(64, 'a');

    test::Child server(FK_KIOSK_SERVER, {"serve", "--db", db, "--listen", "127.0.0.1:0"}, true);
    REQUIRE_MESSAGE(server.WaitForLine("kiosk-server: serving", 20000), server.Output());
    const std::string& banner = server.Output();
    const auto colon = banner.find(':', banner.find(" on 127.0.0.1") + 4);
    const int port = std::stoi(banner.substr(colon + 1));
    const std::string url = "http://127.0.0.1:" + std::to_string(port);

    std::vector<std::string> messages;  // every status message the kiosk side produced
    core::SystemClock clock;
    {
        // Group- or others-readable: refused before any request, with the fix in words.
        auto store = storage::ResponseStore::Open(root / "open-kiosk", clock);
        auto r = store->Begin({4, 2, "en", std::nullopt, std::nullopt, std::nullopt});
        store->Close(r.id, core::CloseReason::ThankYou);
        for (mode_t mode : {mode_t{0640}, mode_t{0604}, mode_t{0644}}) {
            CAPTURE(mode);
            test::WriteTokenFile(root / "secrets" / "open-token", token, mode);
            sync::SyncEngine engine(
                Settings(url, root / "secrets" / "open-token", root / "open-kiosk"), clock);
            auto status = engine.RunOnce();
            messages.push_back(status.lastError);
            CHECK(status.phase == sync::SyncPhase::Stopped);
            CHECK(
                status.lastError.find("chmod 600 " + (root / "secrets" / "open-token").string()) !=
                std::string::npos);
            CHECK(status.pending == 1);
        }
        const auto routes = RouteCounts(port);
        CHECK(routes.count("batches") == 0);
        CHECK(routes.count("heartbeat") == 0);
        CHECK(routes.count("config") == 0);
    }
    {
        // A wrong token: refused by the server (401), and the kiosk says so without echoing it.
        test::WriteTokenFile(root / "secrets" / "wrong-token", wrong);
        auto store = storage::ResponseStore::Open(root / "wrong-kiosk", clock);
        auto r = store->Begin({4, 2, "en", std::nullopt, std::nullopt, std::nullopt});
        store->Close(r.id, core::CloseReason::ThankYou);
        sync::SyncEngine engine(
            Settings(url, root / "secrets" / "wrong-token", root / "wrong-kiosk"), clock);
        auto status = engine.RunOnce();
        messages.push_back(status.lastError);
        CHECK(status.phase == sync::SyncPhase::Stopped);
        CHECK_FALSE(status.lastError.empty());
    }
    {
        // The real kiosk process with the right token: writes, syncs, drains.
        test::WriteTokenFile(root / "secrets" / "token", token);
        test::Child kiosk(
            FK_E2E_KIOSK,
            {(root / "kiosk").string(), url, (root / "secrets" / "token").string(), "40", "5"},
            true);
        const bool drained = kiosk.WaitForLine("DRAINED", 60000);
        printed += kiosk.ReadToEnd();
        REQUIRE_MESSAGE(drained, printed.substr(printed.size() > 2000 ? printed.size() - 2000 : 0));
        CHECK(kiosk.Wait() == 0);
    }
    // A manager reading reports, and a bad manager token.
    httplib::Client client("127.0.0.1", port);
    auto report = client.Get("/api/v1/reports/reps.csv?store=s1&from=2024-01-01&to=2028-12-31",
                             {{"Authorization", "Bearer " + manager}});
    REQUIRE(report);
    CHECK(report->status == 200);
    auto refused = client.Get("/api/v1/reports/reps?store=s1&from=2024-01-01&to=2028-12-31",
                              {{"Authorization", "Bearer " + wrong}});
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(refused->body.find(wrong) == std::string::npos);
    CHECK(refused->body.find(wrong.substr(4, 16)) == std::string::npos);

    server.Kill(SIGTERM);
    server.Wait();
    printed += server.ReadToEnd();
    for (const auto& message : messages)
        printed += message + "\n";
    REQUIRE(printed.find("DRAINED") != std::string::npos);  // the search below sees real output

    for (const std::string& secret : {token, manager, wrong}) {
        // The whole token and any 16 hex digits of it (a truncated or prefixed log line).
        for (const std::string& needle : {secret, secret.substr(4, 16), secret.substr(40, 16)}) {
            CAPTURE(needle);
            CHECK(printed.find(needle) == std::string::npos);
            CHECK(test::FilesContaining(root / "server", needle).empty());
            for (const char* kioskDir : {"kiosk", "open-kiosk", "wrong-kiosk"}) {
                CHECK(test::FilesContaining(root / kioskDir, needle).empty());
            }
        }
    }
}

#ifdef FK_KIOSK_BINARY
TEST_CASE(
    "security: the real kiosk syncing prints no token, and refuses a token file others can read") {
    const char* require = std::getenv("FK_REQUIRE_DISPLAY");
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display || std::system("xdotool getdisplaygeometry > /dev/null 2>&1") != 0) {
        if (require && std::string(require) == "1")
            FAIL("FK_REQUIRE_DISPLAY=1 but no X display works");
        fk::test::Skip("no X display: the real-kiosk token check did not run");
        return;
    }
    test::TempDir root("fk-secrecy-kiosk");
    const std::string db = "sqlite:" + (root / "server.db").string();
    std::string printed;
    RunCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"}, printed);
    const std::string token =
        RunCli({"add-kiosk", "--db", db, "--store", "s1", "--id", "k1"}, printed);
    test::Child server(FK_KIOSK_SERVER, {"serve", "--db", db, "--listen", "127.0.0.1:0"}, true);
    REQUIRE_MESSAGE(server.WaitForLine("kiosk-server: serving", 20000), server.Output());
    const std::string& banner = server.Output();
    const int port =
        std::stoi(banner.substr(banner.find(':', banner.find(" on 127.0.0.1") + 4) + 1));

    auto runKiosk = [&](const std::string& name, mode_t mode) {
        const auto dir = root.Path() / name;
        std::filesystem::create_directories(dir);
        test::WriteTokenFile(dir / "sync-token", token, mode);
        std::ofstream(dir / "kiosk.toml")
            << "[kiosk]\nid = \"k1\"\nstore_id = \"s1\"\n[sync]\nserver_url = "
               "\"http://127.0.0.1:"
            << port << "\"\ntoken_file = \"" << (dir / "sync-token").string()
            << "\"\ninterval_s = 5\n";
        test::Child kiosk(
            FK_KIOSK_BINARY,
            {"--config", (dir / "kiosk.toml").string(), "--data-dir", (dir / "data").string(),
             "--locales", FK_LOCALES_DIR, "--windowed", "800x600"},
            true);
        // Give the sync thread its first pass (config and heartbeat) or its refusal.
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < until && mode == 0600 &&
               RouteCounts(port)["config"] == 0) {
            kiosk.Drain();
            std::this_thread::sleep_for(200ms);
        }
        std::this_thread::sleep_for(1s);
        kiosk.Kill(SIGTERM);
        kiosk.Wait();
        return kiosk.ReadToEnd();
    };
    const std::string good = runKiosk("good", 0600);
    CHECK(RouteCounts(port)["config"] >= 1);  // the kiosk really used the token
    const int configBefore = RouteCounts(port)["config"];
    const std::string open = runKiosk("open", 0644);
    CHECK(RouteCounts(port)["config"] == configBefore);  // nothing sent with a readable token file
    server.Kill(SIGTERM);
    server.Wait();
    const std::string all = printed + good + open + server.ReadToEnd();
    INFO(all.substr(0, 4000));
    for (const std::string& needle : {token, token.substr(4, 16), token.substr(40, 16)}) {
        CHECK(all.find(needle) == std::string::npos);
        CHECK(test::FilesContaining(root.Path() / "good" / "data", needle).empty());
    }
}
#endif
