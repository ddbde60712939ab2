// Issue 14, the sync edges, as real processes: the real kiosk-server (SQLite file or PostgreSQL),
// sync_e2e_kiosk (the real ResponseStore + SyncEngine), and the backup and restore commands of
// docs/OPERATIONS.md section 4 (sqlite3 .backup, pg_dump -Fc / pg_restore).
// - restore: the server is restored from a backup older than what the kiosk sent; one pass later
//   the server holds every response, with no gap.
// - damage: a page of the kiosk's responses.db holding rows is overwritten while the kiosk is
//   off and the server unreachable; the kiosk salvages the rest, reports the unreadable seqs as
//   lost, numbers new responses above them, and the server ends with no unexplained gap.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <httplib.h>

#include "core/Clock.h"
#include "core/Rating.h"
#include "core/TimeFormat.h"
#include "server/Backend.h"
#include "storage/CsvExport.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/ChildProcess.h"
#include "support/PgSchema.h"
#include "support/TempDir.h"

using namespace fk;
namespace fs = std::filesystem;

namespace {

std::string Env(const char* name, const std::string& fallback = "") {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

std::string RunCli(const std::vector<std::string>& args) {
    test::Child cli(FK_KIOSK_SERVER, args, true);
    std::string out = cli.ReadToEnd();
    int status = cli.Wait();
    REQUIRE_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0),
                    "kiosk-server " << args[0] << " failed: " << out);
    return out;
}

void Shell(const std::string& command) {
    INFO(command);
    const int rc = std::system(command.c_str());
    REQUIRE_MESSAGE(rc == 0, "command failed (" << rc << "): " << command);
}

std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string LastLine(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n')
        trimmed.pop_back();
    auto pos = trimmed.rfind('\n');
    return pos == std::string::npos ? trimmed : trimmed.substr(pos + 1);
}

class Server {
  public:
    // config: a server.toml for serve --config, or empty.
    explicit Server(std::string db, std::string config = "")
        : m_db(std::move(db)), m_config(std::move(config)) {}
    std::string Start() {
        std::vector<std::string> args{"serve", "--db", m_db, "--listen", "127.0.0.1:0"};
        if (!m_config.empty()) {
            args.push_back("--config");
            args.push_back(m_config);
        }
        m_child = std::make_unique<test::Child>(FK_KIOSK_SERVER, args, true);
        REQUIRE_MESSAGE(m_child->WaitForLine("kiosk-server: serving", 20000),
                        "no start: " << m_child->Output());
        std::smatch match;
        const std::string out = m_child->Output();
        REQUIRE(std::regex_search(out, match, std::regex(R"(on 127\.0\.0\.1:(\d+))")));
        return "http://127.0.0.1:" + match[1].str();
    }
    void Stop() {
        if (!m_child)
            return;
        m_child->Kill(SIGTERM);
        m_child->Wait();
        m_child.reset();
    }
    ~Server() { Stop(); }

  private:
    std::string m_db;
    std::string m_config;
    std::unique_ptr<test::Child> m_child;
};

// One backend under test: its URL and the OPERATIONS.md backup/restore commands for it.
struct Target {
    std::string url;
    std::function<void(const fs::path& backup)> backup;
    std::function<void(const fs::path& backup)> restore;  // with the server stopped
};

Target SqliteTarget(const fs::path& dir) {
    const fs::path db = dir / "server.db";
    Target t;
    t.url = "sqlite:" + db.string();
    t.backup = [db](const fs::path& backup) {
        Shell("sqlite3 " + Quote(db.string()) + " " + Quote(".backup " + backup.string()));
        Shell("sqlite3 " + Quote(backup.string()) + " 'PRAGMA integrity_check' | grep -qx ok");
    };
    t.restore = [db](const fs::path& backup) {
        Shell("install -m 0640 " + Quote(backup.string()) + " " + Quote(db.string()));
        Shell("rm -f " + Quote(db.string() + "-wal") + " " + Quote(db.string() + "-shm"));
    };
    return t;
}

Target PgTarget(const test::PgSchema& schema) {
    const std::string base = Env("FK_TEST_PG_URL");
    const std::string bin = Env("FK_PG_BINDIR", "/usr/lib/postgresql/15/bin");
    const std::string name = schema.Name();
    Target t;
    t.url = schema.Url();
    t.backup = [=](const fs::path& backup) {
        // OPERATIONS.md section 6's commands, limited to this test's schema.
        Shell(bin + "/pg_dump --format=custom --schema=" + name +
              " --file=" + Quote(backup.string()) + " " + Quote(base));
    };
    t.restore = [=](const fs::path& backup) {
        // Into an empty schema: pg_restore --clean cannot drop the partitions' inherited keys.
        Shell(bin + "/psql -q " + Quote(base) + " -c " + Quote("DROP SCHEMA " + name + " CASCADE"));
        Shell(bin + "/pg_restore --no-owner --exit-on-error --dbname=" + Quote(base) + " " +
              Quote(backup.string()));
    };
    return t;
}

struct Kiosk {
    fs::path dataDir;
    fs::path tokenFile;
    std::string output;

    // Runs sync_e2e_kiosk until the store reaches target and the server acknowledged all of it.
    void RunToDrained(const std::string& url, std::int64_t target, std::uint64_t seed) {
        test::Child child(FK_E2E_KIOSK, {dataDir.string(), url, tokenFile.string(),
                                         std::to_string(target), std::to_string(seed)});
        const bool drained = child.WaitForLine("DRAINED", 60'000);
        if (!drained)
            child.Kill(SIGKILL);
        child.Wait();
        output += child.ReadToEnd();
        REQUIRE_MESSAGE(drained, "kiosk never drained: " << output.substr(
                                     output.size() > 2000 ? output.size() - 2000 : 0));
    }
    // Writes up to target with no server to reach, then is killed.
    void RunOffline(std::int64_t target, std::uint64_t seed) {
        test::Child child(FK_E2E_KIOSK, {dataDir.string(), "http://127.0.0.1:9", tokenFile.string(),
                                         std::to_string(target), std::to_string(seed)});
        const bool wrote = child.WaitForLine("W " + std::to_string(target) + " ", 60'000);
        child.Kill(SIGKILL);
        child.Wait();
        output += child.ReadToEnd();
        REQUIRE(wrote);
    }
};

Kiosk Register(const std::string& dbUrl, const fs::path& dir) {
    RunCli({"add-store", "--db", dbUrl, "--id", "s1", "--name", "Store One"});
    const std::string token =
        LastLine(RunCli({"add-kiosk", "--db", dbUrl, "--store", "s1", "--id", "k1"}));
    REQUIRE(token.size() >= 20);
    Kiosk kiosk{dir / "kiosk", dir / "token", ""};
    std::ofstream(kiosk.tokenFile) << token << "\n";
    ::chmod(kiosk.tokenFile.c_str(), 0600);
    return kiosk;
}

std::map<std::int64_t, std::string> LocalRows(const fs::path& dataDir) {
    core::SystemClock clock;
    auto store = storage::ResponseStore::Open(dataDir, clock);
    std::map<std::int64_t, std::string> rows;
    store->ForEach([&](const core::Response& r) {
        rows[r.seq] = r.id.ToString();
        return true;
    });
    return rows;
}

// Every local row on the server with its seq; acked = the last seq; no gap.
void CheckServerHolds(const std::string& dbUrl, const std::map<std::int64_t, std::string>& local,
                      std::int64_t last) {
    auto backend = server::OpenBackend(dbUrl);
    auto status = backend->Status("k1");
    REQUIRE(status.has_value());
    CHECK(status->ackedSeq == last);
    CHECK(status->gaps.empty());
    CHECK(status->rejected == 0);
    std::vector<std::string> ids;
    for (const auto& [seq, id] : local)
        ids.push_back(id);
    auto tx = backend->BeginIngest();
    std::map<std::string, std::int64_t> onServer;
    for (const auto& row : tx->FindByIds(ids))
        onServer[row.response.id.ToString()] = row.response.seq;
    std::int64_t missing = 0;
    for (const auto& [seq, id] : local) {
        auto it = onServer.find(id);
        if (it == onServer.end() || it->second != seq)
            ++missing;
    }
    CHECK(missing == 0);
}

void RestoreScenario(const std::string& dbUrl, Target target, const fs::path& dir) {
    const std::uint64_t seed =
        std::stoull(Env("FK_E2E_SEED", std::to_string(std::random_device{}())));
    INFO("seed " << seed);
    Kiosk kiosk = Register(dbUrl, dir);
    Server server(dbUrl);
    std::string url = server.Start();
    kiosk.RunToDrained(url, 200, seed);
    target.backup(dir / "backup");
    kiosk.RunToDrained(url, 500, seed + 1);  // 201..500 reach the server after the backup
    server.Stop();
    target.restore(dir / "backup");
    {
        auto status = server::OpenBackend(dbUrl)->Status("k1");
        REQUIRE(status.has_value());
        REQUIRE(status->ackedSeq == 200);  // the restore really went back
    }
    url = server.Start();
    kiosk.RunToDrained(url, 520, seed + 2);  // one pass: the heartbeat answer says what is missing
    server.Stop();
    const auto local = LocalRows(kiosk.dataDir);
    REQUIRE(local.size() == 520);
    CheckServerHolds(dbUrl, local, 520);
    CHECK(server::OpenBackend(dbUrl)->CountResponses() == 520);
}

// Overwrites one page of responses.db that holds rows of the responses table (a table leaf page
// with cells, not page 1) with random bytes; returns its number.
// The rowid of a table leaf page's first cell (SQLite file format: cell pointer array after the
// 8-byte header; a cell is varint payload size, varint rowid).
std::int64_t FirstRowid(const std::string& page) {
    const auto at = static_cast<std::size_t>((static_cast<unsigned char>(page[8]) << 8) |
                                             static_cast<unsigned char>(page[9]));
    auto varint = [&](std::size_t& i) {
        std::int64_t v = 0;
        for (int n = 0; n < 9 && i < page.size(); ++n) {
            const auto b = static_cast<unsigned char>(page[i++]);
            if (n == 8)
                return (v << 8) | b;
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0)
                break;
        }
        return v;
    };
    std::size_t i = at;
    varint(i);
    return varint(i);
}

std::int64_t DamageRowPage(const fs::path& db, std::uint64_t seed, std::int64_t aboveSeq) {
    {
        storage::Database d(db, storage::OpenMode::ReadWrite);
        d.QueryText("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(file);
    const std::int64_t pageSize = 4096;
    const std::int64_t pages = static_cast<std::int64_t>(fs::file_size(db)) / pageSize;
    std::vector<std::int64_t> leaves;
    std::int64_t lastLeaf = 0, lastRowid = 0;
    for (std::int64_t p = 2; p <= pages; ++p) {
        std::string content(static_cast<std::size_t>(pageSize), '\0');
        file.seekg((p - 1) * pageSize);
        file.read(content.data(), pageSize);
        const auto cells =
            (static_cast<unsigned char>(content[3]) << 8) | static_cast<unsigned char>(content[4]);
        if (content[0] != 0x0D || cells <= 3)
            continue;
        const auto first = FirstRowid(content);
        if (first > lastRowid) {
            lastRowid = first;
            lastLeaf = p;
        }
        if (first > aboveSeq)
            leaves.push_back(p);
    }
    leaves.erase(std::remove(leaves.begin(), leaves.end(), lastLeaf),
                 leaves.end());  // keep the last seq readable
    REQUIRE(!leaves.empty());
    std::mt19937_64 random(seed);
    const std::int64_t page = leaves[random() % leaves.size()];
    std::string junk(static_cast<std::size_t>(pageSize), '\0');
    for (char& c : junk)
        c = static_cast<char>(random() & 0xff);
    file.seekp((page - 1) * pageSize);
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    file.close();
    return page;
}

void DamageScenario(const std::string& dbUrl, const fs::path& dir) {
    const std::uint64_t seed =
        std::stoull(Env("FK_E2E_SEED", std::to_string(std::random_device{}())));
    INFO("seed " << seed);
    Kiosk kiosk = Register(dbUrl, dir);
    Server server(dbUrl);
    std::string url = server.Start();
    kiosk.RunToDrained(url, 300, seed);  // 1..300 on the server
    kiosk.RunOffline(700, seed + 1);     // 301..700 only on the kiosk
    const auto before = LocalRows(kiosk.dataDir);
    REQUIRE(before.size() == 700);
    const auto page = DamageRowPage(kiosk.dataDir / "responses.db", seed, 320);
    MESSAGE("overwrote page " << page);

    kiosk.RunToDrained(url, 760, seed + 2);  // salvage, report the lost, send, and 60 new responses
    server.Stop();
    const auto after = LocalRows(kiosk.dataDir);
    std::set<std::int64_t> unreadable;
    for (const auto& [seq, id] : before) {
        auto it = after.find(seq);
        if (it == after.end()) {
            unreadable.insert(seq);
        } else {
            CHECK(it->second == id);  // salvaged with its id and seq
        }
    }
    MESSAGE("rows made unreadable by the damage: " << unreadable.size());
    CHECK(!unreadable.empty());
    CHECK(unreadable.size() < 120);  // one 4 KiB page of rows, not the rest of the file
    CHECK(after.rbegin()->first == 760);
    CHECK(kiosk.output.find("OPEN maxseq=700") != std::string::npos);

    auto backend = server::OpenBackend(dbUrl);
    auto status = backend->Status("k1");
    REQUIRE(status.has_value());
    CHECK(status->ackedSeq == 760);
    CHECK(status->gaps.empty());
    CHECK(status->rejected == 0);  // nothing refused as seq_conflict
    // Every unreadable row the server did not already hold is reported lost, with the file.
    std::set<std::int64_t> reportedLost;
    for (const auto& range : status->lost) {
        CHECK(range.reason.find("damaged kiosk file on ") == 0);
        for (auto s = range.from; s <= range.to; ++s)
            reportedLost.insert(s);
    }
    std::int64_t lostForGood = 0;
    for (auto seq : unreadable) {
        if (seq > 300) {
            ++lostForGood;
            CHECK_MESSAGE(reportedLost.count(seq) == 1, "seq " << seq << " lost without a reason");
        }
    }
    for (auto seq : reportedLost)
        CHECK(unreadable.count(seq) == 1);
    MESSAGE("lost for good (never reached the server): " << lostForGood);
    std::map<std::int64_t, std::string> readable(after.begin(), after.end());
    auto tx = backend->BeginIngest();
    std::vector<std::string> ids;
    for (const auto& [seq, id] : readable)
        ids.push_back(id);
    CHECK(tx->FindByIds(ids).size() == readable.size());
}

// Issue 20 item 4, end to end: a leaver pseudonymised at head office (kiosk-server
// pseudonymise-rep) reaches a real kiosk with the roster; afterwards neither database file (nor
// the kiosk's cached config) holds the old id or name, and both sides count the same rows under
// the new id.
constexpr const char* kLeaverId = "rep-anna-k";
constexpr const char* kLeaverName = "Anna Karenina";

std::string FileBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteRoster(const fs::path& file, bool annaActive) {
    std::ofstream(file) << R"({"protocol": 1, "survey": {"scale": 4}, "roster": [{"id": ")"
                        << kLeaverId << R"(", "name": ")" << kLeaverName << R"(", "active": )"
                        << (annaActive ? "true" : "false")
                        << R"(}, {"id": "rep-boris", "name": "Boris", "active": true}], )"
                        << R"("reasons": [], "locales": ["en"]})";
}

// Every export either side can make after the change: kiosk-server's CSVs (the reports API,
// the calls list, the access log) and the kiosk's (kiosk export-csv, and manager mode's writer
// for the responses and the per-rep table, named from the kiosk's roster). None names the leaver;
// the per-rep ones name the new id, so they did export the rows.
void CheckExports(const std::string& dbUrl, const Kiosk& kiosk, const fs::path& dir,
                  const std::string& newId, bool erased) {
    Server server(dbUrl);
    const std::string url = server.Start();
    const std::string token = LastLine(RunCli({"add-manager", "--db", dbUrl, "--all"}));
    const std::string link =
        LastLine(RunCli({"add-user", "auditor", "--db", dbUrl, "--role", "admin"}));
    const std::string secret = link.substr(link.find("set-password=") + 13);
    httplib::Client http(url);
    REQUIRE(http.Post("/api/v1/password",
                      R"({"link": ")" + secret + R"(", "password": "a long pass phrase 20"})",
                      "application/json")
                ->status == 200);
    auto login =
        http.Post("/api/v1/session", R"({"user": "auditor", "password": "a long pass phrase 20"})",
                  "application/json");
    REQUIRE(login);
    REQUIRE(login->status == 200);
    const std::string cookie = login->get_header_value("Set-Cookie");
    const httplib::Headers asAdmin{{"Cookie", cookie.substr(0, cookie.find(';'))}};
    const httplib::Headers asToken{{"Authorization", "Bearer " + token}};
    // Every day the test wrote (today, in any zone) and a year before.
    core::SystemClock clock;
    const std::int64_t today = clock.NowUtcMs() / 86'400'000;
    const core::CivilDate first = core::CivilFromDays(today - 365);
    const core::CivilDate last = core::CivilFromDays(today + 1);
    const std::string period =
        "from=" + core::FormatIsoDate(first) + "&to=" + core::FormatIsoDate(last) + "&min_n=1";
    std::map<std::string, std::string> exports;
    for (const char* what : {"reps", "reasons", "trend", "heatmap", "calls", "stores", "fleet"}) {
        for (const std::string store : {"&store=s1", ""}) {
            const std::string path =
                std::string("/api/v1/reports/") + what + ".csv?" + period + store;
            auto res = http.Get(path, asToken);
            REQUIRE(res);
            REQUIRE_MESSAGE(res->status == 200, path << ": " << res->body);
            exports[path] = res->body;
        }
    }
    for (const std::string path : {"/api/v1/calls.csv?status=all&store=s1", "/api/v1/calls.csv"}) {
        auto res = http.Get(path, asToken);
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, path << ": " << res->body);
        exports[path] = res->body;
    }
    auto log = http.Get("/api/v1/access-log.csv", asAdmin);
    REQUIRE(log);
    REQUIRE(log->status == 200);
    exports["access-log.csv"] = log->body;
    server.Stop();

    // The real kiosk's console export.
    const fs::path kioskCsv = dir / "kiosk-export.csv";
    Shell(std::string(FK_KIOSK) + " export-csv --data-dir " + Quote(kiosk.dataDir.string()) +
          " --out " + Quote(kioskCsv.string()) + " 2>/dev/null");
    exports["kiosk export-csv"] = FileBytes(kioskCsv);
    // Manager mode's writer (app/ExportJob runs these two), names from the kiosk's roster.
    const auto config =
        nlohmann::json::parse(FileBytes(kiosk.dataDir / "server-config.json"), nullptr, false);
    REQUIRE(config.is_object());
    storage::ExportRequest request;
    request.directory = dir / "usb";
    fs::create_directories(request.directory);
    for (const auto& rep : config["roster"])
        request.repNames[rep.value("id", "")] = rep.value("name", "");
    auto dashboard = storage::Dashboard::Open(kiosk.dataDir, clock);
    auto made = core::MakeCustomPeriod(first, last, clock);
    REQUIRE(made.period);
    storage::DashboardRequest load{*made.period, *core::RatingScale::Make(4)};
    load.minResponses = 1;
    const core::ReasonPolicy policy;
    request.fileName = "responses.csv";
    REQUIRE(storage::ExportResponsesCsv(*dashboard, *made.period, policy, request).Ok());
    request.fileName = "reps.csv";
    REQUIRE(storage::ExportRepTableCsv(dashboard->Load(load, policy), request).Ok());
    exports["usb responses.csv"] = FileBytes(request.directory / "responses.csv");
    exports["usb reps.csv"] = FileBytes(request.directory / "reps.csv");

    for (const auto& [name, body] : exports) {
        CAPTURE(name);
        CHECK(body.find(kLeaverId) == std::string::npos);
        CHECK(body.find(kLeaverName) == std::string::npos);
        CHECK(body.find("anna.karenina") == std::string::npos);  // head office's link
    }
    if (!erased) {
        for (const auto& name : std::vector<std::string>{
                 "/api/v1/reports/reps.csv?" + period + "&store=s1",
                 "/api/v1/reports/calls.csv?" + period + "&store=s1",
                 std::string("/api/v1/calls.csv?status=all&store=s1"),
                 std::string("kiosk export-csv"), std::string("usb responses.csv"),
                 std::string("usb reps.csv")}) {
            CAPTURE(name);
            CHECK(exports[name].find(newId) != std::string::npos);
        }
    }
}

void LeaverScenario(const std::string& dbUrl, const fs::path& dir) {
    Kiosk kiosk = Register(dbUrl, dir);
    const fs::path config = dir / "roster.json";
    WriteRoster(config, true);
    RunCli({"set-config", "--db", dbUrl, "--store", "s1", "--file", config.string()});
    ::setenv("FK_E2E_REPS", (std::string(kLeaverId) + ",rep-boris").c_str(), 1);
    ::setenv("FK_E2E_WAIT_CONFIG", "1", 1);
    ::setenv("FK_E2E_HELP", "1", 1);
    // Every call its own (no burst folding), so the leaver's calls are in the calls exports.
    const fs::path toml = dir / "server.toml";
    std::ofstream(toml) << "[calls]\nburst_window_s = 0\n";
    Server server(dbUrl, toml.string());
    std::string url = server.Start();
    kiosk.RunToDrained(url, 150, 20);
    server.Stop();
    ::unsetenv("FK_E2E_HELP");
    // Head office knows the same person in other stores by a name of its own.
    RunCli({"link-rep", "--db", dbUrl, "--store", "s1", "--rep", kLeaverId, "--person",
            "anna.karenina"});
    {
        // Her help calls reached the server (and so its calls exports).
        auto backend = server::OpenBackend(dbUrl);
        server::CallQuery q;
        q.openOnly = false;
        q.fromMs = 0;
        q.toMs = std::numeric_limits<std::int64_t>::max();
        q.limit = 10'000;
        std::int64_t hers = 0;
        for (const auto& c : backend->Calls().List(q))
            hers += c.call.repId == std::optional<std::string>(kLeaverId) ? 1 : 0;
        CHECK(hers > 0);
    }

    WriteRoster(config, false);  // marked as left
    RunCli({"set-config", "--db", dbUrl, "--store", "s1", "--file", config.string()});
    const std::string said =
        RunCli({"pseudonymise-rep", "--db", dbUrl, "--store", "s1", "--rep", kLeaverId});
    std::smatch match;
    REQUIRE_MESSAGE(std::regex_search(said, match, std::regex(R"(is now (former-[0-9a-f]{8}))")),
                    said);
    const std::string newId = match[1].str();
    // Ten more visits (naming only reps still there) and the roster with the leaver change.
    ::setenv("FK_E2E_REPS", "rep-boris", 1);
    url = server.Start();
    kiosk.RunToDrained(url, 160, 21);
    server.Stop();
    ::unsetenv("FK_E2E_REPS");
    ::unsetenv("FK_E2E_WAIT_CONFIG");

    // The kiosk: its rows name the new id, and no file in its data dir names the old one.
    std::int64_t kioskFormer = 0;
    {
        core::SystemClock clock;
        auto store = storage::ResponseStore::Open(kiosk.dataDir, clock);
        store->ForEach([&](const core::Response& r) {
            CHECK(r.repId != std::optional<std::string>(kLeaverId));
            kioskFormer += r.repId == std::optional<std::string>(newId) ? 1 : 0;
            return true;
        });
    }
    CHECK(kioskFormer > 20);
    for (const auto& entry : fs::directory_iterator(kiosk.dataDir)) {
        const std::string bytes = FileBytes(entry.path());
        CAPTURE(entry.path());
        CHECK(bytes.find(kLeaverId) == std::string::npos);
        CHECK(bytes.find(kLeaverName) == std::string::npos);
    }
    CHECK(FileBytes(kiosk.dataDir / "server-config.json").find(newId) != std::string::npos);

    // The server: the same count under the new id, the roster renamed, no trace in the files.
    auto backend = server::OpenBackend(dbUrl);
    std::int64_t serverFormer = 0;
    for (const auto& c : backend->CountDays(
             server::ReportQuery{"s1", core::CivilFromDays(0), core::CivilFromDays(200'000)}, true,
             false)) {
        CHECK(c.repId != std::optional<std::string>(kLeaverId));
        serverFormer += c.repId == std::optional<std::string>(newId) ? c.count : 0;
    }
    CHECK(serverFormer == kioskFormer);
    auto served = backend->FindConfig("s1", "k1");
    REQUIRE(served);
    CHECK(served->body.find(kLeaverName) == std::string::npos);
    CHECK(served->body.find(kLeaverId) == std::string::npos);
    if (dbUrl.rfind("sqlite:", 0) == 0) {
        backend.reset();
        for (const char* suffix : {"", "-wal"}) {
            const std::string bytes = FileBytes(dbUrl.substr(7) + suffix);
            CHECK(bytes.find(kLeaverId) == std::string::npos);
            CHECK(bytes.find(kLeaverName) == std::string::npos);
            CHECK(bytes.find("anna.karenina") == std::string::npos);
        }
    }
    backend.reset();
    CheckExports(dbUrl, kiosk, dir, newId, false);
}

}  // namespace

TEST_CASE(
    "server restored from an older backup (sqlite3 .backup): one pass later nothing is missing") {
    test::TempDir dir("fk-restore");
    auto target = SqliteTarget(dir.Path());
    RestoreScenario(target.url, target, dir.Path());
}

TEST_CASE(
    "server restored from an older backup (pg_dump/pg_restore): one pass later nothing is "
    "missing") {
    auto schema = test::PgSchema::Create("fk_restore_");
    if (!schema)
        return;
    test::TempDir dir("fk-restore-pg");
    auto target = PgTarget(*schema);
    RestoreScenario(target.url, target, dir.Path());
}

TEST_CASE(
    "damaged kiosk database: rows salvaged, unreadable ones reported lost, no seq_conflict "
    "(sqlite)") {
    test::TempDir dir("fk-damage");
    DamageScenario("sqlite:" + (dir.Path() / "server.db").string(), dir.Path());
}

TEST_CASE(
    "damaged kiosk database: rows salvaged, unreadable ones reported lost, no seq_conflict "
    "(postgres)") {
    auto schema = test::PgSchema::Create("fk_damage_");
    if (!schema)
        return;
    test::TempDir dir("fk-damage-pg");
    DamageScenario(schema->Url(), dir.Path());
}

TEST_CASE("a leaver pseudonymised at head office reaches a real kiosk, no trace left (sqlite)") {
    test::TempDir dir("fk-leaver");
    LeaverScenario("sqlite:" + (dir.Path() / "server.db").string(), dir.Path());
}

TEST_CASE("a leaver pseudonymised at head office reaches a real kiosk, no trace left (postgres)") {
    auto schema = test::PgSchema::Create("fk_leaver_");
    if (!schema)
        return;
    test::TempDir dir("fk-leaver-pg");
    LeaverScenario(schema->Url(), dir.Path());
}
