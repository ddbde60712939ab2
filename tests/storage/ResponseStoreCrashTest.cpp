// Crash test: store_helper begins and closes responses as fast as it can and prints each id after
// its commit returns; we SIGKILL it at random moments (also during its open and recovery), reopen
// the store and check that every printed id is there with its seq, seq is 1..N with no gap or
// duplicate, and no row stays open. Default 200 kills (a few seconds). Longer runs:
//   build/tests/storage/storage_tests -tc='crash*' --kills 5000 [--seed S]
// or FK_CRASH_KILLS / FK_CRASH_SEED in the environment. The seed is printed; a failure reruns
// with the same seed (the kill moments still depend on timing).

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "storage/ChildProcess.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/TempDir.h"

using namespace fk;
using namespace fk::storage;

namespace {

// --name VALUE from this test executable's command line (doctest ignores options it does not
// know), else the environment variable, else the fallback.
std::optional<std::string> Option(const std::string& name, const char* env) {
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string arg; std::getline(cmdline, arg, '\0');)
        args.push_back(arg);
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == name)
            return args[i + 1];
    }
    for (const auto& arg : args) {
        if (arg.rfind(name + "=", 0) == 0)
            return arg.substr(name.size() + 1);
    }
    if (const char* value = std::getenv(env))
        return std::string(value);
    return std::nullopt;
}

std::int64_t OpenRowsRaw(const std::filesystem::path& db) {
    if (!std::filesystem::exists(db))
        return 0;
    Database raw(db, OpenMode::ReadWrite);
    if (raw.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'responses'") == 0)
        return 0;
    return raw.QueryInt("SELECT count(*) FROM responses WHERE closed_at IS NULL");
}

}  // namespace

TEST_CASE("crash test: SIGKILL at random moments loses no committed response and leaves no gap") {
    const int kills = std::stoi(Option("--kills", "FK_CRASH_KILLS").value_or("200"));
    const auto seedText = Option("--seed", "FK_CRASH_SEED");
    const std::uint64_t seed = seedText ? std::stoull(*seedText) : std::random_device{}();
    std::cout << "crash test: seed " << seed << ", " << kills
              << " kills (rerun: storage_tests -tc='crash*' --seed " << seed << " --kills N)"
              << std::endl;
    MESSAGE("crash test seed " << seed << ", kills " << kills);
    std::mt19937_64 rng(seed);

    test::TempDir dir("fk-crash");
    core::SystemClock clock;
    std::map<std::string, std::int64_t> printedSeq;  // id -> seq, from "B" lines
    std::set<std::string> printedClosed;             // from "C" lines
    std::int64_t killedDuringOpen = 0;
    std::int64_t recoveredTotal = 0;

    for (int kill = 0; kill < kills; ++kill) {
        CAPTURE(kill);
        std::string output;
        {
            test::Child child(test::StoreHelperPath(), {"write", dir.Path().string(),
                                                        std::to_string(rng() % 1'000'000'007)});
            // A quarter of the kills land anywhere from exec to Open (recovery); the rest wait
            // for the child's open, then hit the begin/close stream, whatever the machine load.
            if (rng() % 4 == 0) {
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20'000));
            } else {
                REQUIRE_MESSAGE(child.WaitForLine("R ", 30'000), "store_helper did not open");
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % 40'000));
            }
            child.Kill(SIGKILL);
            const int status = child.Wait();
            output = child.ReadToEnd();
            if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
                FAIL("store_helper ended on its own (status " << status << "): " << output);
            }
        }
        bool sawOpen = false;
        std::istringstream lines(output);
        for (std::string line; std::getline(lines, line);) {
            if (lines.eof())
                break;  // no newline: a write cut short (cannot happen with write(2))
            std::istringstream fields(line);
            std::string tag, id;
            fields >> tag;
            if (tag == "R") {
                int closedOnOpen = -1, setAside = -1;
                fields >> closedOnOpen >> setAside;
                // We reopen (and so recover) after every kill: the child finds nothing to do.
                CHECK(closedOnOpen == 0);
                CHECK(setAside == 0);
                sawOpen = true;
            } else if (tag == "B") {
                std::int64_t seq = 0;
                fields >> id >> seq;
                REQUIRE_MESSAGE(printedSeq.emplace(id, seq).second, "id printed twice: " << id);
            } else if (tag == "C") {
                fields >> id;
                printedClosed.insert(id);
            } else {
                FAIL("unexpected line from store_helper: " << line);
            }
        }
        if (!sawOpen)
            ++killedDuringOpen;

        const auto dbPath = dir.Path() / ResponseStore::kFileName;
        const std::int64_t openBefore = OpenRowsRaw(dbPath);
        OpenReport report;
        auto store = ResponseStore::Open(dir.Path(), clock, &report);
        REQUIRE_MESSAGE(!report.corruptFileSetAside,
                        "a kill corrupted the store: " << report.problem);
        CHECK(report.closedOnOpen == openBefore);
        recoveredTotal += report.closedOnOpen;

        std::int64_t expectedSeq = 1;
        std::size_t printedFound = 0;
        bool ok = true;
        store->ForEach([&](const core::Response& r) {
            if (r.seq != expectedSeq || !r.IsClosed()) {
                ok = false;
                return false;
            }
            ++expectedSeq;
            auto it = printedSeq.find(r.id.ToString());
            if (it != printedSeq.end()) {
                ++printedFound;
                if (it->second != r.seq)
                    ok = false;
                if (printedClosed.count(it->first) != 0 &&
                    r.closeReason == core::CloseReason::Recovered) {
                    ok = false;  // its Close returned, so its own reason was committed
                }
            }
            return ok;
        });
        REQUIRE_MESSAGE(ok,
                        "seq gap, open row, or wrong seq/close reason near seq " << expectedSeq);
        CHECK(expectedSeq - 1 == store->MaxSeq());
        REQUIRE_MESSAGE(printedFound == printedSeq.size(), (printedSeq.size() - printedFound)
                                                               << " printed ids are missing");
        CHECK(store->OpenCount() == 0);
    }
    std::cout << "crash test: " << kills << " kills, " << printedSeq.size()
              << " responses printed, " << recoveredTotal << " open rows recovered, "
              << killedDuringOpen << " kills before the child's open finished" << std::endl;
    // The kills hit a busy writer, not only process start-up.
    CHECK(printedSeq.size() >= static_cast<std::size_t>(kills) / 2);
    CHECK(kills - killedDuringOpen >= kills / 2);
}
