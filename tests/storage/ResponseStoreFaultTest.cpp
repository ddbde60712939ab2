// Faults the kiosk must survive: a damaged file (set aside, fresh store, reported), a full disk
// (RLIMIT_FSIZE in a child: typed DiskFull error, nothing committed lost, works again once space
// is back) and a read-only data dir (typed ReadOnly error; as root, where permissions do not stop
// writes, the child drops to uid/gid 65534 first).

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "support/Skip.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "storage/ChildProcess.h"
#include "storage/ResponseStore.h"
#include "support/TempDir.h"

using namespace fk;
using namespace fk::storage;
namespace fs = std::filesystem;

namespace {

std::vector<core::Uuid> FillClosed(const fs::path& dir, int rows) {
    core::SystemClock clock;
    auto store = ResponseStore::Open(dir, clock);
    std::vector<core::Uuid> ids;
    for (int i = 0; i < rows; ++i) {
        BeginRequest req;
        req.rating = i % 4 + 1;
        req.repId = "r" + std::to_string(i % 5);
        auto r = store->Begin(req);
        store->Close(r.id, core::CloseReason::ThankYou);
        ids.push_back(r.id);
    }
    return ids;
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void Scribble(const fs::path& path, std::size_t offset, std::size_t length, unsigned seed) {
    std::mt19937 rng(seed);
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    REQUIRE(f);
    f.seekp(static_cast<std::streamoff>(offset));
    for (std::size_t i = 0; i < length; ++i)
        f.put(static_cast<char>(rng()));
    REQUIRE(f);
}

// Every id is present and seq runs 1..MaxSeq without a gap.
void CheckAllThere(ResponseStore& store, const std::vector<core::Uuid>& ids) {
    for (const auto& id : ids) {
        CAPTURE(id.ToString());
        CHECK(store.Find(id).has_value());
    }
    std::int64_t expected = 1;
    store.ForEach([&](const core::Response& r) { return r.seq == expected++; });
    CHECK(expected - 1 == store.MaxSeq());
}

}  // namespace

TEST_CASE("a file with a garbage header is set aside, reported, and a fresh store starts") {
    test::TempDir dir;
    FillClosed(dir.Path(), 20);
    const fs::path db = dir.Path() / ResponseStore::kFileName;
    Scribble(db, 0, 100, 1);
    const std::string damaged = ReadFile(db);

    core::FakeClock clock(1'795'000'000'000);
    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    CHECK(report.corruptFileSetAside);
    CHECK_FALSE(report.problem.empty());
    CHECK(report.setAsidePath.filename().string().rfind("responses.db.corrupt-2026", 0) == 0);
    REQUIRE(fs::exists(report.setAsidePath));
    CHECK(ReadFile(report.setAsidePath) == damaged);  // kept byte for byte, never deleted
    CHECK_FALSE(report.salvagedMaxSeq.has_value());   // no header, nothing readable
    CHECK(report.problem.find("0 responses salvaged") != std::string::npos);
    // No seq mark yet (no sync pass ran) and no readable header: nothing is known to name lost.
    CHECK(report.lost == 0);
    CHECK(store->UnreportedLost(10).empty());
    CHECK(store->MaxSeq() == 0);
    CHECK(store->Begin(BeginRequest{}).seq == 1);
    store.reset();

    OpenReport again;
    store = ResponseStore::Open(dir.Path(), clock, &again);
    CHECK_FALSE(again.corruptFileSetAside);
    CHECK(store->MaxSeq() == 1);
    CHECK(fs::exists(report.setAsidePath));
}

TEST_CASE("garbage inside a b-tree page is found by quick_check and set aside") {
    test::TempDir dir;
    FillClosed(dir.Path(), 1500);
    const fs::path db = dir.Path() / ResponseStore::kFileName;
    REQUIRE(fs::file_size(db) > 8 * 4096);
    Scribble(db, 5 * 4096, 4096, 2);

    core::SystemClock clock;
    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    CHECK(report.corruptFileSetAside);
    INFO(report.problem);
    CHECK_FALSE(report.problem.empty());
    CHECK(fs::exists(report.setAsidePath));
    // Every readable row came over; the newest were intact: numbering continues after them.
    CHECK(report.salvagedMaxSeq == std::optional<std::int64_t>(1500));
    CHECK(report.salvaged + report.lost == 1500);
    CHECK(report.salvaged >= 1500 - 60);  // one page of rows at most
    CHECK(store->MaxSeq() == 1500);
    CHECK(store->Begin(BeginRequest{}).seq == 1501);
    store.reset();
    store = ResponseStore::Open(dir.Path(), clock);
    CHECK(store->Begin(BeginRequest{}).seq == 1502);
}

TEST_CASE("a damaged file left by a crash is set aside together with its WAL") {
    test::TempDir dir;
    FillClosed(dir.Path(), 1500);  // checkpointed on close: old pages live in the main file
    {
        test::Child child(test::StoreHelperPath(), {"write", dir.Path().string(), "7"});
        // Killed once 100 new rows are committed (seq 1600 begun), whatever the machine's speed:
        // a fixed 300 ms was not enough under qemu-user, where the child had committed nothing
        // yet and the WAL held no row past 1500.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (child.Output().find(" 1600\n") == std::string::npos) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "store_helper wrote too little: " << child.Output());
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            child.Drain();
        }
        child.Kill(SIGKILL);
        child.Wait();
    }
    const fs::path db = dir.Path() / ResponseStore::kFileName;
    REQUIRE(fs::exists(db.string() + "-wal"));
    // A page in the middle: an old leaf only the main file holds (the header page would be
    // masked by its newer copy in the WAL).
    Scribble(db, fs::file_size(db) / 4096 / 2 * 4096, 4096, 3);
    const std::string wal = ReadFile(db.string() + "-wal");
    core::SystemClock clock;
    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    CHECK(report.corruptFileSetAside);
    CHECK(fs::exists(report.setAsidePath));
    CHECK(ReadFile(report.setAsidePath.string() + "-wal") == wal);  // not checkpointed away
    REQUIRE(report.salvagedMaxSeq.has_value());  // the newest pages were in the intact WAL
    CHECK(*report.salvagedMaxSeq > 1500);
    CHECK(store->Begin(BeginRequest{}).seq == *report.salvagedMaxSeq + 1);
}

TEST_CASE("a full disk gives DiskFull, loses nothing committed, and the store recovers") {
    test::TempDir dir;
    auto before = FillClosed(dir.Path(), 50);

    auto result = test::RunHelper({"fill", dir.Path().string(), "1048576"});
    INFO(result.output);
    REQUIRE(result.exitCode == 0);
    std::vector<core::Uuid> committed = before;
    std::string kind, message, afterId;
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("B ", 0) == 0)
            committed.push_back(*core::Uuid::Parse(line.substr(2, 36)));
        if (line.rfind("E ", 0) == 0)
            kind = line.substr(2);
        if (line.rfind("M ", 0) == 0)
            message = line.substr(2);
        if (line.rfind("A ", 0) == 0)
            afterId = line.substr(2, 36);
    }
    CHECK(committed.size() > before.size() + 10);  // it wrote a while before the limit hit
    CHECK(kind == "disk_full");
    CHECK(message.find("is full") != std::string::npos);
    CHECK(message.find("Free space") != std::string::npos);
    CHECK_FALSE(afterId.empty());  // once space is back the same connection works again

    core::SystemClock clock;
    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    CHECK_FALSE(report.corruptFileSetAside);
    CheckAllThere(*store, committed);
    if (!afterId.empty())
        CHECK(store->Find(*core::Uuid::Parse(afterId)).has_value());
}

TEST_CASE("a really full file system (a 1 MiB tmpfs) gives DiskFull and loses nothing") {
    test::TempDir root;
    const fs::path mountPoint = root / "small";
    fs::create_directories(mountPoint);
    if (::mount("fk-test", mountPoint.c_str(), "tmpfs", 0, "size=1m,mode=0755") != 0) {
        // Needs CAP_SYS_ADMIN; the RLIMIT_FSIZE test above covers the same path everywhere.
        fk::test::Skip(std::string("cannot mount a tmpfs here (") + std::strerror(errno) + ")");
        return;
    }
    struct Unmount {
        fs::path at;
        ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
    } unmount{mountPoint};
    const fs::path data = mountPoint / "data";

    auto result = test::RunHelper({"fill", data.string(), "0"});
    INFO(result.output);
    REQUIRE(result.exitCode == 0);
    std::vector<core::Uuid> committed;
    std::string kind, retry;
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("B ", 0) == 0)
            committed.push_back(*core::Uuid::Parse(line.substr(2, 36)));
        if (line.rfind("E ", 0) == 0)
            kind = line.substr(2);
        if (line.rfind("F ", 0) == 0)
            retry = line.substr(2);
    }
    CHECK(committed.size() > 5);
    CHECK(kind == "disk_full");
    CHECK(retry.rfind("disk_full", 0) == 0);  // still full: the retry fails the same clear way

    // Space comes back (the file system grows); everything committed is there.
    REQUIRE(::mount("fk-test", mountPoint.c_str(), "tmpfs", MS_REMOUNT, "size=16m") == 0);
    core::SystemClock clock;
    OpenReport report;
    auto store = ResponseStore::Open(data, clock, &report);
    CHECK_FALSE(report.corruptFileSetAside);
    CheckAllThere(*store, committed);
    const auto maxBefore = store->MaxSeq();
    CHECK(store->Begin(BeginRequest{}).seq == maxBefore + 1);
}

TEST_CASE("a read-only data dir gives ReadOnly and everything saved stays readable") {
    test::TempDir root;
    const fs::path data = root / "data";
    auto ids = FillClosed(data, 30);
    // Others may traverse the temp dir; the data dir and its files are read-only for everyone
    // but root, and the child runs as uid 65534 when we are root.
    fs::permissions(root.Path(), fs::perms(0755));
    auto restore = [&] {
        fs::permissions(data, fs::perms(0755));
        for (auto& entry : fs::directory_iterator(data))
            fs::permissions(entry.path(), fs::perms(0644));
    };
    fs::permissions(data, fs::perms(0555));
    for (auto& entry : fs::directory_iterator(data))
        fs::permissions(entry.path(), fs::perms(0444));

    auto result = test::RunHelper({"open", data.string(), "--as-nobody"});
    INFO(result.output);
    CHECK(result.output.rfind("error read_only", 0) == 0);
    CHECK(result.output.find("writable") != std::string::npos);

    // A data dir that does not exist yet, under a read-only parent.
    result = test::RunHelper({"open", (data / "sub").string(), "--as-nobody"});
    INFO(result.output);
    CHECK(result.output.rfind("error read_only", 0) == 0);

    // Writable dir, read-only database file.
    fs::permissions(data, fs::perms(0777));
    result = test::RunHelper({"open", data.string(), "--as-nobody"});
    INFO(result.output);
    CHECK(result.output.rfind("error read_only", 0) == 0);
    CHECK(result.output.find("can only be opened read-only") != std::string::npos);

    restore();
    core::SystemClock clock;
    auto store = ResponseStore::Open(data, clock);
    CheckAllThere(*store, ids);
    CHECK(store->MaxSeq() == 30);
}

namespace {

// Table leaf pages (type 0x0D) of a SQLite file with their first cell's rowid.
std::vector<std::pair<std::int64_t, std::int64_t>> TableLeaves(const fs::path& db) {
    const std::string file = ReadFile(db);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (std::size_t p = 1; (p + 1) * 4096 <= file.size(); ++p) {
        const std::string page = file.substr(p * 4096, 4096);
        const auto cells =
            (static_cast<unsigned char>(page[3]) << 8) | static_cast<unsigned char>(page[4]);
        if (page[0] != 0x0D || cells < 4)
            continue;
        std::size_t i = static_cast<std::size_t>((static_cast<unsigned char>(page[8]) << 8) |
                                                 static_cast<unsigned char>(page[9]));
        auto varint = [&] {
            std::int64_t v = 0;
            for (int n = 0; n < 9; ++n) {
                const auto b = static_cast<unsigned char>(page[i++]);
                v = (v << 7) | (b & 0x7f);
                if ((b & 0x80) == 0)
                    break;
            }
            return v;
        };
        varint();
        out.emplace_back(static_cast<std::int64_t>(p + 1), varint());
    }
    return out;
}

}  // namespace

TEST_CASE(
    "salvage: readable rows keep their sync state, the lost seqs are listed once, new seqs go "
    "above the mark") {
    test::TempDir dir;
    auto ids = FillClosed(dir.Path(), 1500);
    core::SystemClock clock;
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        store->MarkSent(std::vector<core::Uuid>(ids.begin(), ids.begin() + 700));
        store->KeepSeqMark();  // what the sync thread does every pass
    }
    const fs::path db = dir.Path() / ResponseStore::kFileName;
    // The last leaf: the damaged file cannot say where it ended, the mark outside it can.
    auto leaves = TableLeaves(db);
    REQUIRE(leaves.size() > 10);
    auto last = *std::max_element(leaves.begin(), leaves.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    Scribble(db, static_cast<std::size_t>(last.first - 1) * 4096, 4096, 9);

    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    REQUIRE(report.corruptFileSetAside);
    INFO(report.problem);
    CHECK(report.salvaged == last.second - 1);  // every row before the damaged page
    CHECK(store->MaxSeq() == last.second - 1);
    // Sent rows stay sent, pending stay pending: only the rest of the outbox goes again.
    CHECK(store->PendingCount() == last.second - 1 - 700);
    for (std::size_t i = 0; i < 700; ++i)
        CHECK(store->Find(ids[i])->syncState == core::SyncState::Sent);
    // Lost: the damaged page's rows and the numbers above them up to the mark.
    auto lost = store->UnreportedLost(10);
    REQUIRE(lost.size() == 1);
    CHECK(lost[0].from == last.second);
    CHECK(lost[0].to > 1500);
    CHECK(lost[0].reason.find("damaged kiosk file on ") == 0);
    // Offline, the next response still numbers above every seq the damaged store used.
    const auto next = store->Begin(BeginRequest{});
    CHECK(next.seq == lost[0].to + 1);
    auto counts = store->Salvage();
    CHECK(counts.salvaged == report.salvaged);
    CHECK(counts.lostUnreported == lost[0].to - lost[0].from + 1);
    store->MarkLostReported({lost[0].from});
    CHECK(store->UnreportedLost(10).empty());
    CHECK(store->Salvage().lostUnreported == 0);
}

TEST_CASE("salvage: the help answer of every readable row is copied") {
    test::TempDir dir;
    core::SystemClock clock;
    std::vector<std::pair<core::Uuid, std::optional<core::HelpAnswer>>> rows;
    {
        auto store = ResponseStore::Open(dir.Path(), clock);
        for (int i = 0; i < 1500; ++i) {
            BeginRequest req;
            req.rating = i % 4 + 1;
            auto r = store->Begin(req);
            std::optional<core::HelpAnswer> help;
            if (i % 3 == 0)
                help = core::HelpAnswer::Yes;
            else if (i % 3 == 1)
                help = core::HelpAnswer::No;
            if (help)
                store->SetHelp(r.id, *help);
            store->Close(r.id, core::CloseReason::ThankYou);
            rows.emplace_back(r.id, help);
        }
    }
    const fs::path db = dir.Path() / ResponseStore::kFileName;
    auto leaves = TableLeaves(db);
    REQUIRE(leaves.size() > 10);
    auto last = *std::max_element(leaves.begin(), leaves.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    Scribble(db, static_cast<std::size_t>(last.first - 1) * 4096, 4096, 11);

    OpenReport report;
    auto store = ResponseStore::Open(dir.Path(), clock, &report);
    REQUIRE(report.corruptFileSetAside);
    REQUIRE(report.salvaged == last.second - 1);
    int yes = 0;
    for (std::int64_t i = 0; i < report.salvaged; ++i) {
        const auto found = store->Find(rows[static_cast<std::size_t>(i)].first);
        REQUIRE(found.has_value());
        CHECK(found->help == rows[static_cast<std::size_t>(i)].second);
        yes += found->help == core::HelpAnswer::Yes ? 1 : 0;
    }
    CHECK(yes > 100);
}

TEST_CASE(
    "RequeueForServer re-queues what a restored server lacks, and nothing in normal operation") {
    test::TempDir dir;
    auto ids = FillClosed(dir.Path(), 10);
    core::SystemClock clock;
    auto store = ResponseStore::Open(dir.Path(), clock);
    // 1..4 and 6..10 sent, 5 still pending (it closed late): the server holds 1..4, 6..10.
    std::vector<core::Uuid> sent(ids.begin(), ids.begin() + 4);
    sent.insert(sent.end(), ids.begin() + 5, ids.end());
    store->MarkSent(sent);
    CHECK(store->RequeueForServer(4, 10) == 0);  // in step: acked 4 (5 missing), max 10
    CHECK(store->PendingCount() == 1);
    // Restored from a backup holding 1..4 and 6..7: only 8..10 are lacking.
    CHECK(store->RequeueForServer(4, 7) == 3);
    CHECK(store->PendingCount() == 4);
    store->MarkSent(std::vector<core::Uuid>(ids.begin() + 7, ids.end()));
    // Restored from a backup holding 1..2: the row at 3 is sent here, so everything above 2 goes.
    CHECK(store->RequeueForServer(2, 2) == 7);
    CHECK(store->PendingCount() == 8);
}
