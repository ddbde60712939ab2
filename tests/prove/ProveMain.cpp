// kiosk-prove: the randomized kiosk <-> server fault test, many short seeded runs in a row.
// Each seed: a fresh kiosk (prove_kiosk: real ResponseStore + SyncEngine) with its own store and
// kiosk id on a long-lived real kiosk-server, through a fault-injecting proxy (refused, lost,
// cut and stalled answers), with the kiosk SIGKILLed and restarted, the server SIGKILLed and
// restarted on some seeds, and a disk-full phase in the middle (RLIMIT_FSIZE on the kiosk). Issue
// 14's edges on a quarter of the seeds each: the server restored from a backup taken early in the
// storm (sqlite3 .backup, or pg_dump/pg_restore of the worker's schema), or a random page of the
// kiosk's responses.db overwritten while it is down. Rows the damage made unreadable count as
// lost only if the server does not list them as lost "damaged kiosk file on <date>".
// Then faults end and the server must come to hold exactly the kiosk's responses: every row
// the kiosk committed, each once, with its seq, and acked seq = the last seq.
// Recovery time of a seed: from the end of the storm (faults off, the last restart done, disk
// space back) or from the kiosk's last response, whichever is later, to the kiosk knowing the
// server has everything (it prints DRAINED once its outbox is empty and acknowledged).
// Prints one summary line per backend; exit 1 when anything was lost or duplicated or a run
// failed, 2 on usage errors, 77 when --backend postgres has no cluster (unless FK_REQUIRE_PG=1).
//
// Usage: kiosk-prove --backend sqlite|postgres [--seeds N] [--first-seed S] [--jobs J]
//                    [--pg-url URL] [--work-dir DIR] [--verbose]
// Replay one seed: kiosk-prove --backend sqlite --first-seed S --seeds 1 --verbose

#include <libpq-fe.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/Clock.h"
#include "server/Backend.h"
#include "server/Tokens.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "support/ChildProcess.h"
#include "support/FaultProxy.h"

using namespace fk;
namespace fs = std::filesystem;

namespace {

std::int64_t SteadyNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Options {
    std::string backend;
    std::uint64_t firstSeed = 1;
    int seeds = 1000;
    int jobs = 2;
    std::string pgUrl;
    fs::path workDir;
    bool verbose = false;
};

// What one seed did and found.
struct SeedResult {
    std::uint64_t seed = 0;
    bool ran = false;
    bool ok = true;
    std::string problem;
    std::int64_t written = 0;   // rows in the kiosk's store at the end
    std::int64_t onServer = 0;  // the kiosk's rows on the server
    std::int64_t lost = 0;  // committed on the kiosk (or printed as committed), not on the server
    std::int64_t duplicated = 0;
    std::int64_t recoveryMs = 0;
    int kioskKills = 0;
    int kioskCrashes = 0;
    std::int64_t refused = 0;  // store writes the full disk refused (runs that finished writing)
    int serverKills = 0;
    int restores = 0;               // server restored from an older backup
    int damages = 0;                // kiosk database page overwritten
    std::int64_t lostToDamage = 0;  // committed rows made unreadable and reported lost (explained)
    std::int64_t unexplained = 0;   // gap seqs on the server with no row and no lost note
    std::int64_t restoredAway = 0;  // this kiosk's rows on the server that a restore took away
    int setAside = 0;               // damaged kiosk files set aside and salvaged
    int fullPhases = 0;
    int faults = 0;
    int connections = 0;
};

std::mutex g_printMutex;

void Note(const std::string& line) {
    std::lock_guard lock(g_printMutex);
    std::cerr << line << std::endl;
}

// A PostgreSQL schema of its own for one worker's server, dropped at the end.
class PgWorkerSchema {
  public:
    PgWorkerSchema(std::string base, std::string name)
        : m_base(std::move(base)), m_name(std::move(name)) {
        Exec("CREATE SCHEMA " + m_name);
    }
    ~PgWorkerSchema() {
        try {
            Exec("DROP SCHEMA IF EXISTS " + m_name + " CASCADE");
        } catch (const std::exception& e) {
            Note(std::string("kiosk-prove: ") + e.what());
        }
    }
    const std::string& Name() const { return m_name; }
    std::string Url() const {
        return m_base + (m_base.find('?') == std::string::npos ? "?" : "&") +
               "options=-csearch_path%3D" + m_name;
    }

  private:
    void Exec(const std::string& sql) {
        PGconn* c = PQconnectdb(m_base.c_str());
        std::string problem;
        if (PQstatus(c) != CONNECTION_OK) {
            problem = std::string("cannot connect to ") + m_base + ": " + PQerrorMessage(c);
        } else {
            PQclear(PQexec(c, "SET client_min_messages TO warning"));
            PGresult* r = PQexec(c, sql.c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                problem = sql + ": " + PQresultErrorMessage(r);
            PQclear(r);
        }
        PQfinish(c);
        if (!problem.empty())
            throw std::runtime_error(problem);
    }
    std::string m_base;
    std::string m_name;
};

class ServerProcess {
  public:
    explicit ServerProcess(std::string dbUrl) : m_db(std::move(dbUrl)) {}
    int Start() {
        m_child = std::make_unique<test::Child>(
            FK_KIOSK_SERVER,
            std::vector<std::string>{"serve", "--db", m_db, "--listen", "127.0.0.1:0"}, true);
        if (!m_child->WaitForLine("kiosk-server: serving", 20000)) {
            throw std::runtime_error("kiosk-server did not start: " + m_child->Output());
        }
        std::smatch match;
        const std::string out = m_child->Output();
        if (!std::regex_search(out, match, std::regex(R"(on 127\.0\.0\.1:(\d+))"))) {
            throw std::runtime_error("kiosk-server did not say its port: " + out);
        }
        m_port = std::stoi(match[1]);
        return m_port;
    }
    void Kill() {
        if (!m_child)
            return;
        m_child->Kill(SIGKILL);
        m_child->Wait();
        m_child.reset();
    }
    // Keeps a chatty server from filling its pipe and stalling; forgets what it read.
    void Drain() {
        if (!m_child)
            return;
        m_child->Drain();
    }
    int Port() const { return m_port; }

  private:
    std::string m_db;
    int m_port = 0;
    std::unique_ptr<test::Child> m_child;
};

// One worker: its own server process and database, seeds one after another.
// A shell command that must work (backup and restore tools); throws with its exit status.
void Shell(const std::string& command) {
    const int rc = std::system(command.c_str());
    if (rc != 0)
        throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + command);
}

std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Overwrites one page of a SQLite file (page size from its header) with random bytes, after
// folding its WAL into it; returns the page number (1-based).
std::int64_t OverwriteRandomPage(const fs::path& db, std::mt19937_64& random) {
    {
        storage::Database d(db, storage::OpenMode::ReadWrite);
        d.QueryText("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    unsigned char header[18] = {};
    file.read(reinterpret_cast<char*>(header), sizeof header);
    std::int64_t pageSize = (header[16] << 8) | header[17];
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512)
        pageSize = 4096;
    const std::int64_t pages =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(fs::file_size(db)) / pageSize);
    const std::int64_t page =
        1 + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(pages));
    std::string junk(static_cast<std::size_t>(pageSize), '\0');
    for (char& c : junk)
        c = static_cast<char>(random() & 0xff);
    file.seekp((page - 1) * pageSize);
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    return page;
}

class Worker {
  public:
    Worker(const Options& options, std::string dbUrl, fs::path dir, std::string pgSchema = "")
        : m_options(options),
          m_dbUrl(std::move(dbUrl)),
          m_dir(std::move(dir)),
          m_pgSchema(std::move(pgSchema)),
          m_server(m_dbUrl) {
        m_backend = server::OpenBackend(m_dbUrl);  // creates the schema before the server starts
        m_server.Start();
    }
    ~Worker() { m_server.Kill(); }

    SeedResult Run(std::uint64_t seed) {
        SeedResult result;
        result.seed = seed;
        result.ran = true;
        try {
            RunSeed(seed, result);
        } catch (const std::exception& e) {
            result.ok = false;
            result.problem = std::string("harness error: ") + e.what();
        }
        return result;
    }

  private:
    // docs/OPERATIONS.md section 4 (SQLite) and 6 (PostgreSQL, limited to this worker's schema).
    void Backup(const fs::path& file) {
        if (m_pgSchema.empty()) {
            Shell("sqlite3 " + Quote(m_dbUrl.substr(7)) + " " + Quote(".backup " + file.string()));
        } else {
            Shell(PgBin() + "/pg_dump --format=custom --schema=" + m_pgSchema +
                  " --file=" + Quote(file.string()) + " " + Quote(m_options.pgUrl));
        }
    }
    // With the server stopped.
    void Restore(const fs::path& file) {
        m_backend.reset();
        if (m_pgSchema.empty()) {
            const std::string db = m_dbUrl.substr(7);
            Shell("install -m 0640 " + Quote(file.string()) + " " + Quote(db));
            Shell("rm -f " + Quote(db + "-wal") + " " + Quote(db + "-shm"));
        } else {
            // Into an empty schema: pg_restore --clean cannot drop the partitions' inherited keys.
            Shell(PgBin() + "/psql -q " + Quote(m_options.pgUrl) + " -c " +
                  Quote("DROP SCHEMA " + m_pgSchema + " CASCADE"));
            Shell(PgBin() + "/pg_restore --no-owner --exit-on-error --dbname=" +
                  Quote(m_options.pgUrl) + " " + Quote(file.string()));
        }
        m_backend = server::OpenBackend(m_dbUrl);
    }
    static std::string PgBin() {
        const char* bin = std::getenv("FK_PG_BINDIR");
        return bin != nullptr && *bin != '\0' ? bin : "/usr/lib/postgresql/15/bin";
    }

    void RunSeed(std::uint64_t seed, SeedResult& result) {
        std::mt19937_64 random(seed * 0x9E3779B97F4A7C15ull + 17);
        auto pick = [&](int lo, int hi) {
            return lo + static_cast<int>(random() % static_cast<std::uint64_t>(hi - lo + 1));
        };

        const std::string kioskId = "k" + std::to_string(seed);
        const std::string storeId = "s" + std::to_string(seed);
        const fs::path seedDir = m_dir / ("seed-" + std::to_string(seed));
        fs::remove_all(seedDir);
        fs::create_directories(seedDir);
        core::SystemClock clock;
        m_backend->AddStore(storeId, "Store " + std::to_string(seed), clock.NowUtcMs());
        m_backend->AddKiosk(kioskId, storeId, clock.NowUtcMs());
        auto token = server::IssueKioskToken(*m_backend, server::KioskRecord{kioskId, storeId},
                                             clock.NowUtcMs());
        const fs::path tokenFile = seedDir / "token";
        std::ofstream(tokenFile) << token.secret << "\n";
        ::chmod(tokenFile.c_str(), 0600);
        const fs::path dataDir = seedDir / "kiosk";

        const std::int64_t target = pick(25, 70);
        test::FaultProxy proxy(random());
        proxy.SetUpstreamPort(m_server.Port());
        proxy.SetFaultPercent(pick(15, 40));
        const std::string url = "http://127.0.0.1:" + std::to_string(proxy.Port());

        std::string kioskOutput;
        std::unique_ptr<test::Child> kiosk;
        bool diskFull = false;
        bool startedFull = false;
        auto startKiosk = [&] {
            std::vector<std::string> args{dataDir.string(),       url,
                                          tokenFile.string(),     kioskId,
                                          std::to_string(target), std::to_string(random())};
            startedFull = diskFull;
            if (diskFull)
                args.push_back("--full");
            kiosk = std::make_unique<test::Child>(FK_PROVE_KIOSK, args);
        };
        auto killKiosk = [&] {
            kiosk->Kill(SIGKILL);
            kiosk->Wait();
            kioskOutput += kiosk->ReadToEnd();
            kiosk.reset();
            ++result.kioskKills;
        };
        auto setDiskFull = [&](bool full) {
            diskFull = full;
            // A kiosk started with --full caps itself; lifting the cap before that would be undone.
            if (!full && startedFull && !kiosk->WaitForLine("FULL", 10000))
                return;
            rlimit limit{};
            if (::prlimit(kiosk->Pid(), RLIMIT_FSIZE, nullptr, &limit) != 0)
                return;  // already gone
            limit.rlim_cur = full ? 4096 : limit.rlim_max;
            int rc = ::prlimit(kiosk->Pid(), RLIMIT_FSIZE, &limit, nullptr);
            if (m_options.verbose)
                Note("  disk full " + std::to_string(full) + " pid " +
                     std::to_string(kiosk->Pid()) + " rc " + std::to_string(rc) + " cur " +
                     std::to_string(limit.rlim_cur));
        };
        // Runs the kiosk for ms (keeping both pipes drained); true if it drained meanwhile.
        auto runFor = [&](int ms) {
            const std::int64_t until = SteadyNowMs() + ms;
            for (;;) {
                m_server.Drain();
                const std::int64_t left = until - SteadyNowMs();
                if (left <= 0)
                    return false;
                if (kiosk->WaitForLine("DRAINED",
                                       static_cast<int>(std::min<std::int64_t>(left, 50))))
                    return true;
                int status = 0;
                if (::waitpid(kiosk->Pid(), &status, WNOHANG) == kiosk->Pid()) {
                    const std::string rest = kiosk->ReadToEnd();
                    kioskOutput += rest;
                    // It said DRAINED and exited between the line poll above and this check:
                    // done, not a crash.
                    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                        (rest.rfind("DRAINED ", 0) == 0 ||
                         rest.find("\nDRAINED ") != std::string::npos))
                        return true;
                    // It died on its own: a defect. Restart it the way the service manager would.
                    ++result.kioskCrashes;
                    result.ok = false;
                    result.problem += " the kiosk process died on its own (wait status " +
                                      std::to_string(status) + ");";
                    startKiosk();
                }
            }
        };
        // A kill at a random moment: the kiosk writer, the server, or neither.
        auto disrupt = [&] {
            const int roll = pick(0, 9);
            if (roll < 4) {
                killKiosk();
                startKiosk();
            } else if (roll < 6) {
                m_server.Kill();
                ++result.serverKills;
                proxy.SetUpstreamPort(m_server.Start());
            }
        };

        // Issue 14's edges on some seeds: the server restored from a backup taken early in the
        // storm, or a page of the kiosk's database overwritten while it is down.
        const int edge = pick(0, 7);
        const bool restoreSeed = edge <= 1;
        const bool damageSeed = edge == 2 || edge == 3;
        const fs::path backupFile = seedDir / "server-backup";
        bool backedUp = false;
        auto edgeFault = [&] {
            if (restoreSeed && backedUp) {
                m_server.Kill();
                const auto before = m_backend->Status(kioskId);
                Restore(backupFile);
                const auto after = m_backend->Status(kioskId);
                if (before && after)
                    result.restoredAway += before->responses - after->responses;
                proxy.SetUpstreamPort(m_server.Start());
                ++result.restores;
                // A fresh kiosk process: one that drained against the old server must now meet
                // the restored one (the harness waits for its DRAINED).
                killKiosk();
                startKiosk();
            } else if (damageSeed) {
                killKiosk();
                const auto page =
                    OverwriteRandomPage(dataDir / storage::ResponseStore::kFileName, random);
                ++result.damages;
                if (m_options.verbose)
                    Note("  overwrote page " + std::to_string(page));
                startKiosk();
            }
        };

        // The storm: faults on all the way; a kill, a full disk in the middle (a kill during
        // it on some seeds: the kiosk then starts on a full disk), another kill.
        startKiosk();
        bool drained = runFor(pick(60, 200));
        if (restoreSeed) {
            Backup(backupFile);
            backedUp = true;
        }
        if (!drained) {
            disrupt();
            drained = runFor(pick(40, 150));
        }
        if (!drained) {
            setDiskFull(true);
            ++result.fullPhases;
            drained = runFor(pick(80, 250));
            if (!drained && pick(0, 3) == 0) {
                killKiosk();
                startKiosk();  // with --full
                drained = runFor(pick(50, 150));
            }
            if (!drained)
                setDiskFull(false);
            diskFull = false;
        }
        if (!drained)
            drained = runFor(pick(40, 150));
        if (!drained) {
            disrupt();
            drained = runFor(pick(40, 150));
        }
        // The edge fault comes last, even on a seed that drained early: a restore or a damaged
        // file after everything was sent must be caught up too.
        if (restoreSeed || damageSeed) {
            edgeFault();
            drained = runFor(pick(40, 150));
        }
        // The storm is over: no more faults; everything must now arrive.
        proxy.SetFaultPercent(0);
        const std::int64_t stormEnd = SteadyNowMs();
        if (!drained) {
            for (int i = 0; i < 60 * 20 && !drained; ++i)
                drained = runFor(50);
        }
        if (!drained)
            kiosk->Kill(SIGKILL);
        kiosk->Wait();
        kioskOutput += kiosk->ReadToEnd();
        kiosk.reset();
        result.faults = proxy.Faults();
        result.connections = proxy.Connections();
        if (!drained) {
            result.ok = false;
            result.problem =
                "the kiosk never drained within 60 s of the faults ending; its output ended "
                "with: " +
                kioskOutput.substr(kioskOutput.size() > 1500 ? kioskOutput.size() - 1500 : 0);
        }

        // What each kiosk run said it committed, and when it finished writing and draining.
        std::map<std::string, std::int64_t> printed;
        std::int64_t wroteAt = 0, drainedAt = 0;
        std::istringstream lines(kioskOutput);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream fields(line.substr(
                line.find(' ') == std::string::npos ? line.size() : line.find(' ') + 1));
            if (line.rfind("W ", 0) == 0) {
                std::int64_t seq;
                std::string id;
                if (fields >> seq >> id && id.size() == 36)
                    printed[id] = seq;
            } else if (line.rfind("WROTE ", 0) == 0) {
                fields >> wroteAt;
                std::string refused;
                if (fields >> refused && refused.rfind("refused=", 0) == 0)
                    result.refused += std::stoll(refused.substr(8));
            } else if (line.rfind("OPEN ", 0) == 0 &&
                       line.find(" salvaged=") != std::string::npos) {
                ++result.setAside;
            } else if (line.rfind("DRAINED ", 0) == 0) {
                std::int64_t acked;
                fields >> acked >> drainedAt;
            }
        }
        if (drained && drainedAt > 0)
            result.recoveryMs = drainedAt - std::max(stormEnd, wroteAt);
        result.recoveryMs = std::max<std::int64_t>(result.recoveryMs, 0);

        // The kiosk's own store: seq 1..N without a gap, every printed id in it, all closed and
        // sent.
        std::vector<core::Response> local;
        {
            auto store = storage::ResponseStore::Open(dataDir, clock);
            store->ForEach([&](const core::Response& r) {
                local.push_back(r);
                return true;
            });
            if (store->PendingCount() != 0 || store->OpenCount() != 0 ||
                store->RejectedCount() != 0) {
                result.ok = false;
                result.problem += " kiosk store not settled: pending " +
                                  std::to_string(store->PendingCount()) + ", open " +
                                  std::to_string(store->OpenCount()) + ", rejected " +
                                  std::to_string(store->RejectedCount()) + ";";
            }
        }
        result.written = static_cast<std::int64_t>(local.size());
        std::set<std::string> localIds;
        const bool damaged = result.damages > 0;
        for (std::size_t i = 0; i < local.size(); ++i) {
            localIds.insert(local[i].id.ToString());
            // A salvaged store has holes where the damage was, and may number above target.
            if (!damaged && local[i].seq != static_cast<std::int64_t>(i) + 1) {
                result.ok = false;
                result.problem += " kiosk seq " + std::to_string(local[i].seq) + " at position " +
                                  std::to_string(i + 1) + ";";
                break;
            }
        }
        if (!damaged && result.written != target) {
            result.ok = false;
            result.problem += " kiosk holds " + std::to_string(result.written) + " rows, wanted " +
                              std::to_string(target) + ";";
        }
        std::map<std::string, std::int64_t>
            goneLocally;  // committed, then unreadable after the damage
        for (const auto& [id, seq] : printed) {
            if (localIds.count(id) == 0) {
                if (damaged) {
                    goneLocally[id] = seq;
                } else {
                    ++result.lost;
                    result.problem += " committed id " + id + " (seq " + std::to_string(seq) +
                                      ") missing on the kiosk;";
                }
            }
        }

        // The server: exactly the kiosk's rows, each once, same seq; acked seq = N, no gaps.
        std::vector<std::string> ids(localIds.begin(), localIds.end());
        for (const auto& [id, seq] : goneLocally)
            ids.push_back(id);
        std::vector<server::StoredRow> rows;
        {
            auto tx = m_backend->BeginIngest();
            rows = tx->FindByIds(ids);
        }
        std::map<std::string, std::int64_t> serverSeq;
        for (const auto& row : rows) {
            if (row.kioskId == kioskId)
                serverSeq[row.response.id.ToString()] = row.response.seq;
        }
        for (const auto& r : local) {
            auto it = serverSeq.find(r.id.ToString());
            if (it == serverSeq.end()) {
                ++result.lost;
                result.problem += " seq " + std::to_string(r.seq) + " never reached the server;";
            } else if (it->second != r.seq) {
                result.ok = false;
                result.problem += " seq " + std::to_string(r.seq) + " is seq " +
                                  std::to_string(it->second) + " on the server;";
            }
        }
        auto status = m_backend->Status(kioskId);
        if (!status)
            throw std::runtime_error("the server does not know kiosk " + kioskId);
        // Rows the damage made unreadable: on the server if sent before, else reported lost.
        auto reportedLost = [&](std::int64_t seq) {
            for (const auto& range : status->lost) {
                if (seq >= range.from && seq <= range.to &&
                    range.reason.rfind("damaged kiosk file on ", 0) == 0)
                    return true;
            }
            return false;
        };
        for (const auto& [id, seq] : goneLocally) {
            if (serverSeq.count(id) != 0)
                continue;
            if (reportedLost(seq)) {
                ++result.lostToDamage;
            } else {
                ++result.lost;
                result.problem += " seq " + std::to_string(seq) +
                                  " unreadable after the damage and not reported lost;";
            }
        }
        for (const auto& [from, to] : status->gaps)
            result.unexplained += to - from + 1;
        result.onServer = status->responses;
        result.duplicated = std::max<std::int64_t>(
            0, status->responses - static_cast<std::int64_t>(serverSeq.size()));
        const std::int64_t lastSeq = local.empty() ? 0 : local.back().seq;
        const bool ackedOk = damaged
                                 ? status->ackedSeq >= lastSeq && status->ackedSeq == status->maxSeq
                                 : status->ackedSeq == result.written;
        if (!ackedOk || !status->gaps.empty() || status->rejected != 0) {
            result.ok = false;
            result.problem += " server status: acked " + std::to_string(status->ackedSeq) +
                              ", gaps " + std::to_string(status->gaps.size()) + ", rejected " +
                              std::to_string(status->rejected) + ";";
        }
        if (result.lost > 0 || result.duplicated > 0)
            result.ok = false;
        if (result.ok || !m_options.verbose)
            fs::remove_all(seedDir);
        if (m_options.verbose) {
            Note("seed " + std::to_string(seed) + ": target " + std::to_string(target) +
                 ", restores " + std::to_string(result.restores) + " (" +
                 std::to_string(result.restoredAway) + " rows taken away), damages " +
                 std::to_string(result.damages) + " (" + std::to_string(result.setAside) +
                 " set aside)" + ", lost to damage " + std::to_string(result.lostToDamage) +
                 ", kiosk kills " + std::to_string(result.kioskKills) + ", server kills " +
                 std::to_string(result.serverKills) + ", disk-full phases " +
                 std::to_string(result.fullPhases) + ", faults " + std::to_string(result.faults) +
                 "/" + std::to_string(result.connections) + ", recovery " +
                 std::to_string(result.recoveryMs) + " ms");
            std::istringstream out(kioskOutput);
            for (std::string line; std::getline(out, line);) {
                if (line.rfind("W ", 0) != 0)
                    Note("  kiosk: " + line);
            }
        }
    }

    const Options& m_options;
    std::string m_dbUrl;
    fs::path m_dir;
    std::string m_pgSchema;
    ServerProcess m_server;
    std::unique_ptr<server::Backend> m_backend;
};

int Usage(const std::string& problem) {
    std::cerr
        << "kiosk-prove: " << problem << "\n"
        << "usage: kiosk-prove --backend sqlite|postgres [--seeds N] [--first-seed S] [--jobs J]\n"
        << "                   [--pg-url URL] [--work-dir DIR] [--verbose]\n";
    return 2;
}

std::string RandomHex(int bytes) {
    std::random_device device;
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        static constexpr char kHex[] = "0123456789abcdef";
        unsigned v = device() & 0xff;
        out += kHex[v >> 4];
        out += kHex[v & 15];
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc)
                    throw std::invalid_argument(arg + " needs a value");
                return argv[++i];
            };
            if (arg == "--backend")
                options.backend = value();
            else if (arg == "--seeds")
                options.seeds = std::stoi(value());
            else if (arg == "--first-seed")
                options.firstSeed = std::stoull(value());
            else if (arg == "--jobs")
                options.jobs = std::stoi(value());
            else if (arg == "--pg-url")
                options.pgUrl = value();
            else if (arg == "--work-dir")
                options.workDir = value();
            else if (arg == "--verbose")
                options.verbose = true;
            else
                return Usage("unknown argument '" + arg + "'");
        }
    } catch (const std::exception& e) {
        return Usage(e.what());
    }
    if (options.backend != "sqlite" && options.backend != "postgres")
        return Usage("--backend must be sqlite or postgres");
    if (options.seeds < 1 || options.jobs < 1)
        return Usage("--seeds and --jobs must be at least 1");
    options.jobs = std::min(options.jobs, options.seeds);
    if (options.backend == "postgres" && options.pgUrl.empty()) {
        const char* url = std::getenv("FK_TEST_PG_URL");
        options.pgUrl = url != nullptr ? url : "";
        if (options.pgUrl.empty()) {
            const char* require = std::getenv("FK_REQUIRE_PG");
            const bool required = require != nullptr && std::string(require) == "1";
            std::cerr << "kiosk-prove: no PostgreSQL: give --pg-url or set FK_TEST_PG_URL "
                         "(scripts/prove starts a cluster)\n";
            return required ? 1 : 77;
        }
    }
    if (options.workDir.empty()) {
        options.workDir =
            ::access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm") : fs::temp_directory_path();
    }
    const fs::path runDir = options.workDir / ("fk-prove-" + options.backend + "-" + RandomHex(4));
    fs::create_directories(runDir);

    const auto started = std::chrono::steady_clock::now();
    std::vector<SeedResult> results(static_cast<std::size_t>(options.seeds));
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::vector<std::string> setupErrors;
    std::mutex setupMutex;
    std::vector<std::thread> threads;
    for (int j = 0; j < options.jobs; ++j) {
        threads.emplace_back([&, j] {
            try {
                const fs::path dir = runDir / ("w" + std::to_string(j));
                fs::create_directories(dir);
                std::unique_ptr<PgWorkerSchema> schema;
                std::string dbUrl = "sqlite:" + (dir / "server.db").string();
                if (options.backend == "postgres") {
                    schema = std::make_unique<PgWorkerSchema>(
                        options.pgUrl, "fk_prove_" + RandomHex(4) + "_w" + std::to_string(j));
                    dbUrl = schema->Url();
                }
                Worker worker(options, dbUrl, dir, schema ? schema->Name() : std::string());
                for (int i = next++; i < options.seeds; i = next++) {
                    results[static_cast<std::size_t>(i)] =
                        worker.Run(options.firstSeed + static_cast<std::uint64_t>(i));
                    const auto& r = results[static_cast<std::size_t>(i)];
                    if (!r.ok) {
                        Note("kiosk-prove " + options.backend + ": seed " + std::to_string(r.seed) +
                             " FAILED:" + r.problem + " (replay: kiosk-prove --backend " +
                             options.backend + " --first-seed " + std::to_string(r.seed) +
                             " --seeds 1 --verbose)");
                    }
                    const int count = ++done;
                    if (count % 50 == 0 && count < options.seeds) {
                        const auto s = std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count();
                        Note("kiosk-prove " + options.backend + ": " + std::to_string(count) + "/" +
                             std::to_string(options.seeds) + " seeds, " + std::to_string(s) + " s");
                    }
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(setupMutex);
                setupErrors.push_back(e.what());
            }
        });
    }
    for (auto& t : threads)
        t.join();
    std::error_code ignored;
    fs::remove_all(runDir, ignored);

    SeedResult total;
    int runs = 0, failed = 0, seedsRefused = 0;
    std::uint64_t worstSeed = 0;
    std::vector<std::int64_t> recoveries;
    for (const auto& r : results) {
        if (!r.ran)
            continue;  // never ran (a worker could not start)
        ++runs;
        if (!r.ok)
            ++failed;
        total.written += r.written;
        total.onServer += r.onServer;
        total.lost += r.lost;
        total.duplicated += r.duplicated;
        total.kioskKills += r.kioskKills;
        total.kioskCrashes += r.kioskCrashes;
        total.refused += r.refused;
        if (r.refused > 0)
            ++seedsRefused;
        total.serverKills += r.serverKills;
        total.restores += r.restores;
        total.damages += r.damages;
        total.lostToDamage += r.lostToDamage;
        total.unexplained += r.unexplained;
        total.restoredAway += r.restoredAway;
        total.setAside += r.setAside;
        total.fullPhases += r.fullPhases;
        total.faults += r.faults;
        total.connections += r.connections;
        recoveries.push_back(r.recoveryMs);
        if (r.recoveryMs >= total.recoveryMs) {
            total.recoveryMs = r.recoveryMs;
            worstSeed = r.seed;
        }
    }
    std::sort(recoveries.begin(), recoveries.end());
    auto percentile = [&](double p) {
        if (recoveries.empty())
            return std::int64_t{0};
        auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(recoveries.size() - 1));
        return recoveries[k];
    };
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    for (const auto& e : setupErrors)
        std::cerr << "kiosk-prove " << options.backend << ": worker failed: " << e << "\n";
    std::cout << "prove " << options.backend << ": runs " << runs << " (failed " << failed
              << "), responses written " << total.written << ", responses on the server "
              << total.onServer << ", lost " << total.lost << ", duplicated " << total.duplicated
              << ", unexplained gaps " << total.unexplained
              << ", unreadable after damage and reported lost " << total.lostToDamage
              << ", max recovery " << total.recoveryMs << " ms (seed " << worstSeed << "; p50 "
              << percentile(50) << " ms, p99 " << percentile(99) << " ms)\n"
              << "  seeds " << options.firstSeed << ".."
              << options.firstSeed + static_cast<std::uint64_t>(options.seeds) - 1
              << ", kiosk kills " << total.kioskKills << ", server kills " << total.serverKills
              << ", server restored from an older backup " << total.restores << " ("
              << total.restoredAway
              << " responses taken away, all sent again), kiosk database damaged " << total.damages
              << " (" << total.setAside << " set aside and salvaged)"
              << ", disk-full phases " << total.fullPhases << " (" << total.refused
              << " store writes refused, in " << seedsRefused << " runs), network faults "
              << total.faults << " of " << total.connections << " connections, " << options.jobs
              << " jobs, " << seconds << " s" << std::endl;
    const bool bad = total.lost > 0 || total.duplicated > 0 || total.unexplained > 0 ||
                     failed > 0 || !setupErrors.empty() || runs != options.seeds;
    return bad ? 1 : 0;
}
