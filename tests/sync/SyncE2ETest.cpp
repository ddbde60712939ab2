// The kiosk <-> server fault test: the real kiosk-server binary and a real kiosk process
// (sync_e2e_kiosk: ResponseStore + SyncEngine) talk through a fault-injecting proxy on 127.0.0.1
// while the test SIGKILLs and restarts both at random. At the end, with faults off, the server
// must hold exactly the kiosk's responses: none lost, none twice, acked seq = the last seq.
// Seeded; the seed is printed and FK_E2E_SEED replays one. FK_E2E_RESPONSES sets the count.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "core/Clock.h"
#include "server/Backend.h"
#include "storage/ResponseStore.h"
#include "support/ChildProcess.h"
#include "support/FaultProxy.h"
#include "support/PgSchema.h"
#include "support/TempDir.h"

using namespace fk;

namespace {

std::string Env(const char* name, const std::string& fallback = "") {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

std::string RunCli(const std::vector<std::string>& args) {
    test::Child cli(FK_KIOSK_SERVER, args, true);
    std::string out = cli.ReadToEnd();
    int status = cli.Wait();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        FAIL("kiosk-server " << args[0] << " failed: " << out);
    }
    return out;
}

std::string LastLine(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n')
        trimmed.pop_back();
    auto pos = trimmed.rfind('\n');
    return pos == std::string::npos ? trimmed : trimmed.substr(pos + 1);
}

class ServerProcess {
  public:
    explicit ServerProcess(std::string dbUrl) : m_db(std::move(dbUrl)) {}
    int Start() {
        m_child = std::make_unique<test::Child>(
            FK_KIOSK_SERVER,
            std::vector<std::string>{"serve", "--db", m_db, "--listen", "127.0.0.1:0"}, true);
        REQUIRE_MESSAGE(m_child->WaitForLine("kiosk-server: serving", 20000),
                        "kiosk-server did not start: " << m_child->Output());
        std::smatch match;
        const std::string& out = m_child->Output();
        REQUIRE(std::regex_search(out, match, std::regex(R"(on 127\.0\.0\.1:(\d+))")));
        return std::stoi(match[1]);
    }
    void Kill() {
        if (!m_child)
            return;
        m_child->Kill(SIGKILL);
        m_child->Wait();
        m_child.reset();
    }
    void Drain() {
        if (m_child)
            m_child->Drain();
    }
    bool Running() const { return m_child != nullptr; }

  private:
    std::string m_db;
    std::unique_ptr<test::Child> m_child;
};

void RunFaultScenario(const std::string& dbUrl) {
    const std::uint64_t seed =
        std::stoull(Env("FK_E2E_SEED", std::to_string(std::random_device{}())));
    const std::int64_t target = std::stoll(Env("FK_E2E_RESPONSES", "2000"));
    INFO("seed " << seed << " (replay with FK_E2E_SEED=" << seed << ")");
    MESSAGE("kiosk <-> server fault run: seed " << seed << ", " << target << " responses, "
                                                << dbUrl.substr(0, 10));
    std::mt19937_64 random(seed);

    test::TempDir dir("fk-e2e");
    RunCli({"add-store", "--db", dbUrl, "--id", "s1", "--name", "Store One"});
    const std::string token =
        LastLine(RunCli({"add-kiosk", "--db", dbUrl, "--store", "s1", "--id", "k1"}));
    REQUIRE(token.size() >= 20);
    const auto tokenFile = dir / "token";
    std::ofstream(tokenFile) << token << "\n";
    ::chmod(tokenFile.c_str(), 0600);
    const auto dataDir = dir / "kiosk";

    ServerProcess server(dbUrl);
    test::FaultProxy proxy(random());
    proxy.SetUpstreamPort(server.Start());
    proxy.SetFaultPercent(25);
    const std::string url = "http://127.0.0.1:" + std::to_string(proxy.Port());

    std::string kioskOutput;
    std::unique_ptr<test::Child> kiosk;
    auto startKiosk = [&] {
        kiosk = std::make_unique<test::Child>(
            FK_E2E_KIOSK,
            std::vector<std::string>{dataDir.string(), url, tokenFile.string(),
                                     std::to_string(target), std::to_string(random())});
    };
    auto killKiosk = [&] {
        kiosk->Kill(SIGKILL);
        kiosk->Wait();
        kioskOutput += kiosk->ReadToEnd();
        kiosk.reset();
    };

    startKiosk();
    int kioskKills = 0, serverKills = 0;
    bool drained = false;
    for (int event = 0; event < 60 && !drained; ++event) {
        drained = kiosk->WaitForLine("DRAINED", 150 + static_cast<int>(random() % 450));
        if (drained)
            break;
        server.Drain();
        switch (random() % 10) {
            case 0:
            case 1:
            case 2:
            case 3:
                killKiosk();
                ++kioskKills;
                startKiosk();
                break;
            case 4:
            case 5:
            case 6:
                server.Kill();
                ++serverKills;
                proxy.SetUpstreamPort(server.Start());
                break;
            default:
                break;
        }
    }
    // The storm is over: no more faults; everything must now arrive.
    proxy.SetFaultPercent(0);
    if (!drained)
        drained = kiosk->WaitForLine("DRAINED", 120'000);
    // A kiosk that never drained is stopped, so the test fails with its output instead of waiting
    // for ctest's timeout.
    if (!drained)
        kiosk->Kill(SIGKILL);
    kiosk->Wait();
    kioskOutput += kiosk->ReadToEnd();
    kiosk.reset();
    server.Kill();
    MESSAGE("kiosk kills " << kioskKills << ", server kills " << serverKills
                           << ", proxy connections " << proxy.Connections() << ", faults injected "
                           << proxy.Faults());
    REQUIRE_MESSAGE(drained,
                    "the kiosk never drained; its output ended with: " << kioskOutput.substr(
                        kioskOutput.size() > 2000 ? kioskOutput.size() - 2000 : 0));

    // What each kiosk run said it committed.
    std::map<std::string, std::int64_t> printed;
    std::istringstream lines(kioskOutput);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("W ", 0) != 0)
            continue;
        std::istringstream fields(line.substr(2));
        std::int64_t seq;
        std::string id;
        if (fields >> seq >> id && id.size() == 36)
            printed[id] = seq;
    }

    // The kiosk's own store: every seq 1..target, closed, acknowledged.
    core::SystemClock clock;
    auto store = storage::ResponseStore::Open(dataDir, clock);
    CHECK(store->MaxSeq() == target);
    CHECK(store->PendingCount() == 0);
    CHECK(store->RejectedCount() == 0);
    CHECK(store->OpenCount() == 0);
    std::vector<core::Response> local;
    store->ForEach([&](const core::Response& r) {
        local.push_back(r);
        return true;
    });
    REQUIRE(static_cast<std::int64_t>(local.size()) == target);
    std::set<std::string> localIds;
    for (const auto& r : local)
        localIds.insert(r.id.ToString());
    for (const auto& [id, seq] : printed) {
        CHECK_MESSAGE(localIds.count(id) == 1,
                      "committed id " << id << " (seq " << seq << ") is missing locally");
    }

    // The server: exactly the kiosk's set, no duplicates, no gaps.
    auto backend = server::OpenBackend(dbUrl);
    CHECK(backend->CountResponses() == target);
    auto status = backend->Status("k1");
    REQUIRE(status.has_value());
    CHECK(status->ackedSeq == target);
    CHECK(status->gaps.empty());
    CHECK(status->rejected == 0);
    std::vector<std::string> ids(localIds.begin(), localIds.end());
    auto tx = backend->BeginIngest();
    auto rows = tx->FindByIds(ids);
    CHECK(static_cast<std::int64_t>(rows.size()) == target);
    std::map<std::string, std::int64_t> serverSeq;
    for (const auto& row : rows)
        serverSeq[row.response.id.ToString()] = row.response.seq;
    for (const auto& r : local) {
        auto it = serverSeq.find(r.id.ToString());
        if (it == serverSeq.end()) {
            FAIL_CHECK("seq " << r.seq << " (" << r.id.ToString() << ") never reached the server");
        } else {
            CHECK(it->second == r.seq);
        }
    }
    MESSAGE("printed-and-committed ids checked: " << printed.size()
                                                  << ", server rows: " << rows.size());
}

}  // namespace

TEST_CASE(
    "kiosk and server under random faults and kills: sqlite server, nothing lost or doubled") {
    test::TempDir dir("fk-e2e-db");
    RunFaultScenario("sqlite:" + (dir / "server.db").string());
}

TEST_CASE(
    "kiosk and server under random faults and kills: postgres server, nothing lost or doubled") {
    auto schema = test::PgSchema::Create("fk_e2e_");
    if (schema)
        RunFaultScenario(schema->Url());
}
