// store_helper: child processes for the storage reliability tests (tests/storage/*Test.cpp).
//   store_helper write DIR SEED          begin/close responses as fast as possible until killed;
//                                        prints "B <id> <seq>" after each Begin returns and
//                                        "C <id>" after each Close, one write(2) per line
//   store_helper open DIR [--as-nobody]  try ResponseStore::Open (as uid/gid 65534 when root and
//                                        asked); prints "ok closed_on_open=N" or
//                                        "error <kind>\n<message>"
//   store_helper fill DIR EXTRA_BYTES    cap RLIMIT_FSIZE at the current file sizes + EXTRA_BYTES
//                                        (SIGXFSZ ignored; 0: no cap, DIR is on a small file
//                                        system) and write until the store refuses;
//                                        prints B/C lines, "E <kind>", "M <message>", then lifts
//                                        the cap and prints "A <id> <seq>" if a write works again
// Output lines are written whole with write(2), so a SIGKILL never leaves a line claiming a commit
// that did not return.

#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "core/Clock.h"
#include "storage/ResponseStore.h"

using namespace fk;
using namespace fk::storage;

namespace {

void Say(const std::string& line) {
    std::string text = line + "\n";
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, p, left);
        if (n <= 0)
            _exit(4);
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

int Write(const std::filesystem::path& dir, unsigned long seed) {
    core::SystemClock clock;
    OpenReport report;
    auto store = ResponseStore::Open(dir, clock, &report);
    Say("R " + std::to_string(report.closedOnOpen) + " " +
        std::to_string(report.corruptFileSetAside ? 1 : 0));
    std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
    for (;;) {
        BeginRequest req;
        req.scale = 4;
        req.rating = static_cast<int>(rng() % 4) + 1;
        if (rng() % 2 == 0)
            req.repId = "r" + std::to_string(rng() % 8);
        auto r = store->Begin(req);
        Say("B " + r.id.ToString() + " " + std::to_string(r.seq));
        if (rng() % 3 == 0)
            store->SetReason(r.id, "wait_time");
        if (rng() % 10 != 0) {
            store->Close(r.id,
                         rng() % 2 ? core::CloseReason::ThankYou : core::CloseReason::IdleTimeout);
            Say("C " + r.id.ToString());
        }
    }
}

int OpenOnly(const std::filesystem::path& dir, bool asNobody) {
    if (asNobody && geteuid() == 0) {
        if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0 ||
            geteuid() == 0) {
            Say("error cannot-drop-privileges");
            return 3;
        }
    }
    core::SystemClock clock;
    try {
        OpenReport report;
        auto store = ResponseStore::Open(dir, clock, &report);
        Say("ok closed_on_open=" + std::to_string(report.closedOnOpen));
    } catch (const StoreError& e) {
        Say("error " + to_string(e.Kind()));
        Say(e.what());
    }
    return 0;
}

std::uintmax_t SizeOr0(const std::filesystem::path& p) {
    std::error_code ec;
    auto size = std::filesystem::file_size(p, ec);
    return ec ? 0 : size;
}

int Fill(const std::filesystem::path& dir, std::uintmax_t extra) {
    core::SystemClock clock;
    auto store = ResponseStore::Open(dir, clock);
    const auto db = store->DatabasePath();
    const auto biggest = std::max(SizeOr0(db), SizeOr0(db.string() + "-wal"));
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{};
    getrlimit(RLIMIT_FSIZE, &limit);
    const rlim_t hard = limit.rlim_max;
    limit.rlim_cur = extra == 0 ? hard : static_cast<rlim_t>(biggest + extra);  // 0: a full fs
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
        Say("X setrlimit failed");
        return 3;
    }
    const std::string longReason(300, 'w');
    for (int i = 0; i < 1'000'000; ++i) {
        BeginRequest req;
        req.rating = i % 4 + 1;
        req.repId = "r" + std::to_string(i % 8);
        try {
            auto r = store->Begin(req);
            Say("B " + r.id.ToString() + " " + std::to_string(r.seq));
            store->SetReason(r.id, longReason);
            store->Close(r.id, core::CloseReason::ThankYou);
            Say("C " + r.id.ToString());
        } catch (const StoreError& e) {
            Say("E " + to_string(e.Kind()));
            Say(std::string("M ") + e.what());
            // Space comes back (here: the cap is lifted); the same connection must work again.
            limit.rlim_cur = hard;
            setrlimit(RLIMIT_FSIZE, &limit);
            try {
                auto again = store->Begin(req);
                store->Close(again.id, core::CloseReason::ThankYou);
                Say("A " + again.id.ToString() + " " + std::to_string(again.seq));
            } catch (const StoreError& e2) {
                Say("F " + to_string(e2.Kind()) + " " + e2.what());
            }
            return 0;
        }
    }
    Say("N the limit was never reached");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(
            stderr,
            "usage: store_helper write DIR SEED | open DIR [--as-nobody] | fill DIR EXTRA_BYTES\n");
        return 2;
    }
    const std::string mode = argv[1];
    const std::filesystem::path dir = argv[2];
    try {
        if (mode == "write" && argc >= 4)
            return Write(dir, std::stoul(argv[3]));
        if (mode == "open")
            return OpenOnly(dir, argc >= 4 && std::string(argv[3]) == "--as-nobody");
        if (mode == "fill" && argc >= 4)
            return Fill(dir, std::stoull(argv[3]));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_helper %s: %s\n", mode.c_str(), e.what());
        Say(std::string("X ") + e.what());
        return 1;
    }
    std::fprintf(stderr, "store_helper: bad arguments\n");
    return 2;
}
