// The soak: a fake clock drives simulated days of a busy store through the real kiosk flow,
// headless (app::KioskCore with its ResponseStore, taps on the screens' own layout through an
// ImGui context with no backend), and the real SyncEngine's pass (RunOnce, once a simulated
// minute) against a real kiosk-server process on 127.0.0.1. Traffic: opening hours 09:00-21:00
// (Sunday 10:00-18:00), arrivals peaking at lunch and evening, customers who walk away (idle
// timeout), misuse bursts (a child tapping faces), sync outages (the server is killed for hours
// and restarted on the same port).
// Each simulated midnight prints a sample: kiosk RSS, server RSS, WAL size, open fds, rows.
// Asserts: no fd growth, the WAL stays bounded (checkpoints happen), every row reaches the server
// exactly once, RSS flat after warm-up apart from SQLite's bounded page caches (runs of 10+ days).
// FK_SOAK_DAYS sets the days (default 3, ctest); the issue's run: FK_SOAK_DAYS=30.
// FK_SOAK_VISITS sets the mean visits per open day (default 450).

#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "app/KioskCore.h"
#include "app/Settings.h"
#include "server/Backend.h"
#include "server/Tokens.h"
#include "support/HeadlessUi.h"
#include "support/TempDir.h"
#include "sync/SyncEngine.h"

extern char** environ;

using namespace fk;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr int kTzMinutes = 330;
// 2026-11-02 00:00 local (+05:30), a Monday.
constexpr core::UtcMs kStartUtc = 1'793'557'800'000;

long EnvLong(const char* name, long fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::stol(value) : fallback;
}

long ProcStatusKb(const std::string& pid, const std::string& key) {
    std::ifstream in("/proc/" + pid + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key, 0) == 0)
            return std::stol(line.substr(key.size()));
    }
    return -1;
}

int CountFds(const std::string& pid) {
    int count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/" + pid + "/fd"))
        ++count;
    return count;
}

std::uintmax_t SizeOr0(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// The real kiosk-server, its output appended to a log file (not a pipe: what the soak reads back
// must not grow this process's memory and blur the RSS figures).
class ServerProcess {
  public:
    ServerProcess(std::string db, fs::path log) : m_db(std::move(db)), m_log(std::move(log)) {}
    ~ServerProcess() { Kill(); }
    // The first start takes an ephemeral port; later starts reuse it so the kiosk's URL stays
    // valid.
    void Start() {
        const auto logStart = SizeOr0(m_log);
        const std::string program = FK_KIOSK_SERVER;
        std::vector<std::string> args{program, "serve",    "--db",
                                      m_db,    "--listen", "127.0.0.1:" + std::to_string(m_port)};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, m_log.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        const int rc =
            posix_spawn(&m_pid, program.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE_MESSAGE(rc == 0, "cannot start kiosk-server: " << std::strerror(rc));
        std::smatch match;
        const std::regex serving(R"(kiosk-server: serving.* on 127\.0\.0\.1:(\d+))");
        for (int i = 0; i < 2000; ++i) {
            std::ifstream in(m_log);
            in.seekg(static_cast<std::streamoff>(logStart));
            std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            if (std::regex_search(text, match, serving)) {
                m_port = std::stoi(match[1]);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL("kiosk-server did not start; see " << m_log);
    }
    void Kill() {
        if (m_pid <= 0)
            return;
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
    }
    bool Running() const { return m_pid > 0; }
    int Port() const { return m_port; }
    std::string Pid() const { return std::to_string(m_pid); }

  private:
    std::string m_db;
    fs::path m_log;
    int m_port = 0;
    pid_t m_pid = -1;
};

app::KioskSettings SoakSettings(const fs::path& dataDir) {
    app::KioskSettings s = app::DefaultKioskSettings();
    s.kioskId = "soak-k1";
    s.session.repMode = core::RepMode::Ask;
    s.reps = {{"r1", "Asha"}, {"r2", "Ravi"}, {"r3", "Mette"}, {"r4", "Jonas"}};
    s.session.repIds = {"r1", "r2", "r3", "r4"};
    s.reasons = {{"wait_time", "Waiting time"}, {"staff", "Staff attitude"}, {"price", "Prices"}};
    s.session.reasonCodes = {"wait_time", "staff", "price"};
    std::array<std::optional<core::DayHours>, 7> week;
    for (int d = 0; d < 6; ++d)
        week[static_cast<std::size_t>(d)] = core::DayHours{9 * 60, 21 * 60};
    week[6] = core::DayHours{10 * 60, 18 * 60};
    s.hours = core::OpeningHours::Weekly(week);
    s.dpi = 96;
    s.dataDir = dataDir;
    return s;
}

// Arrivals per hour of the local day (shape; scaled to the day's volume).
constexpr double kHourShape[24] = {0,   0,   0,   0,   0,   0,   0,   0,   0,   0.6, 0.8, 1.0,
                                   1.6, 1.5, 1.0, 0.8, 0.9, 1.2, 1.7, 1.8, 1.4, 0.7, 0,   0};

struct Sample {
    int day = 0;
    long rssKb = 0;
    long serverRssKb = 0;
    long sqliteKb = 0;  // SQLite's own heap (page caches of both connections), part of rssKb
    std::uintmax_t walBytes = 0;
    int fds = 0;
    int serverFds = 0;
    std::int64_t rows = 0;
    std::int64_t pending = 0;
};

// Least-squares slope of y over x.
double Slope(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = static_cast<double>(x.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
    }
    const double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
}

class Soak {
  public:
    Soak(const fs::path& dir, std::uint64_t seed)
        : m_dir(dir),
          m_random(seed),
          m_clock(kStartUtc, kTzMinutes),
          m_imgui(1280, 800),
          m_screens(m_text, m_faces),
          m_server("sqlite:" + (dir / "server.db").string(), dir / "server.log") {
        const std::string dbUrl = "sqlite:" + (dir / "server.db").string();
        {
            auto backend = server::OpenBackend(dbUrl);
            backend->AddStore("soak-s1", "Soak Store", m_clock.NowUtcMs());
            backend->AddKiosk("soak-k1", "soak-s1", m_clock.NowUtcMs());
            auto token = server::IssueKioskToken(
                *backend, server::KioskRecord{"soak-k1", "soak-s1"}, m_clock.NowUtcMs());
            std::ofstream(dir / "token") << token.secret << "\n";
            ::chmod((dir / "token").c_str(), 0600);
        }
        m_server.Start();
        m_dataDir = dir / "kiosk";
        m_core = std::make_unique<app::KioskCore>(SoakSettings(m_dataDir), m_clock, m_dataDir);
        m_core->LeaveCheckpointsToSync();
        sync::SyncSettings sync;
        sync.serverUrl = "http://127.0.0.1:" + std::to_string(m_server.Port());
        sync.kioskId = "soak-k1";
        sync.tokenFile = dir / "token";
        sync.dataDir = m_dataDir;
        sync.interval = std::chrono::milliseconds(kMinute);
        sync.batchSize = 500;
        sync.http.connectTimeout = std::chrono::milliseconds(1000);
        sync.http.totalTimeout = std::chrono::milliseconds(5000);
        sync.seed = seed;
        m_engine = std::make_unique<sync::SyncEngine>(sync, m_clock);
        m_nextSyncUtc = m_clock.NowUtcMs() + kMinute;
        Frame();
    }

    void RunDay(int day) {
        const core::UtcMs dayStart = kStartUtc + day * kDay;
        const double volume =
            static_cast<double>(EnvLong("FK_SOAK_VISITS", 450)) * (0.8 + 0.4 * Uniform());
        double shapeSum = 0;
        for (double s : kHourShape)
            shapeSum += s;
        // An outage on about one day in three: the server is down for 1 to 8 hours.
        std::optional<std::pair<core::UtcMs, core::UtcMs>> outage;
        if (Uniform() < 0.35) {
            const core::UtcMs from = dayStart + static_cast<std::int64_t>(Uniform() * 20 * kHour);
            outage = std::make_pair(
                from, from + kHour + static_cast<std::int64_t>(Uniform() * 7 * kHour));
            ++m_outages;
        }
        // Visits: a Poisson process per hour; one or two misuse bursts on some days.
        std::vector<std::pair<core::UtcMs, bool>> visits;  // (time, burst)
        for (int hour = 0; hour < 24; ++hour) {
            const double rate = volume * kHourShape[hour] / shapeSum;  // per hour
            if (rate <= 0)
                continue;
            double t = 0;
            for (;;) {
                t += -std::log(1 - Uniform()) / rate;
                if (t >= 1)
                    break;
                visits.emplace_back(dayStart + hour * kHour + static_cast<std::int64_t>(t * kHour),
                                    false);
            }
        }
        const int bursts = Uniform() < 0.5 ? 1 + static_cast<int>(m_random() % 2) : 0;
        for (int b = 0; b < bursts; ++b) {
            visits.emplace_back(
                dayStart + 10 * kHour + static_cast<std::int64_t>(Uniform() * 8 * kHour), true);
        }
        std::sort(visits.begin(), visits.end());

        for (const auto& [at, burst] : visits) {
            if (at < m_clock.NowUtcMs())
                continue;  // the previous visit ran long
            AdvanceTo(at, outage);
            if (burst) {
                Burst(outage);
            } else {
                Visit(outage);
            }
        }
        AdvanceTo(dayStart + kDay, outage);
    }

    // Faults off: the server up, passes until nothing is pending.
    void Settle() {
        if (!m_server.Running())
            m_server.Start();
        for (int i = 0; i < 30 && m_core->Store()->PendingCount() > 0; ++i) {
            m_clock.Advance(kMinute);
            m_engine->RunOnce();
        }
    }

    Sample TakeSample(int day) {
        Sample s;
        s.day = day;
        s.rssKb = ProcStatusKb("self", "VmRSS:");
        s.sqliteKb = static_cast<long>(sqlite3_memory_used() / 1024);
        s.walBytes = SizeOr0(m_dataDir / "responses.db-wal");
        s.fds = CountFds("self");
        if (m_server.Running()) {
            s.serverRssKb = ProcStatusKb(m_server.Pid(), "VmRSS:");
            s.serverFds = CountFds(m_server.Pid());
        }
        s.rows = m_core->Store()->MaxSeq();
        s.pending = m_core->Store()->PendingCount();
        return s;
    }

    app::KioskCore& Core() { return *m_core; }
    sync::SyncEngine& Engine() { return *m_engine; }
    std::int64_t RatingTaps() const { return m_ratingTaps; }
    int Outages() const { return m_outages; }
    int Bursts() const { return m_bursts; }
    std::int64_t Frames() const { return m_frames; }
    std::int64_t SyncPasses() const { return m_syncPasses; }
    void StopServer() { m_server.Kill(); }

  private:
    double Uniform() { return std::uniform_real_distribution<double>(0, 1)(m_random); }

    void Frame() {
        ImGui::NewFrame();
        m_last = m_screens.Frame(m_core->View());
        m_core->Handle(m_last.actions);
        ImGui::Render();
        ++m_frames;
    }

    // Moves the fake clock to target, stopping where something happens on its own: the kiosk's
    // deadlines (idle timeout, thank-you end, opening hours), a sync pass each minute, the outage.
    void AdvanceTo(core::UtcMs target,
                   const std::optional<std::pair<core::UtcMs, core::UtcMs>>& outage) {
        while (m_clock.NowUtcMs() < target) {
            core::UtcMs stop = std::min(target, m_nextSyncUtc);
            if (auto deadline = m_core->NextDeadlineMs()) {
                stop = std::min(stop, m_clock.NowUtcMs() + std::max<std::int64_t>(
                                                               1, *deadline - m_clock.SteadyMs()));
            }
            if (outage) {
                if (m_clock.NowUtcMs() < outage->first)
                    stop = std::min(stop, outage->first);
                if (m_clock.NowUtcMs() < outage->second)
                    stop = std::min(stop, outage->second);
            }
            m_clock.Advance(stop - m_clock.NowUtcMs());
            if (m_core->Tick())
                Frame();
            const core::UtcMs now = m_clock.NowUtcMs();
            if (outage) {
                const bool down = now >= outage->first && now < outage->second;
                if (down && m_server.Running())
                    m_server.Kill();
                if (!down && !m_server.Running())
                    m_server.Start();
            }
            if (now >= m_nextSyncUtc) {
                m_engine->RunOnce();
                ++m_syncPasses;
                m_nextSyncUtc = now + kMinute;
            }
        }
    }

    bool Tap(const std::string& id) {
        const ui::ElementRect* e = m_last.layout.Find(id);
        if (e == nullptr)
            return false;
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(e->rect.CenterX(), e->rect.CenterY());
        io.MouseDown[0] = true;
        m_core->Tick();
        Frame();
        io.MouseDown[0] = false;
        m_core->Tick();
        Frame();
        m_clock.Advance(ui::KioskScreens::kAckMs + 10);
        m_core->Tick();
        Frame();
        m_core->Tick();
        Frame();
        return true;
    }

    core::Step Step() const { return m_core->Session().CurrentStep(); }

    void Visit(const std::optional<std::pair<core::UtcMs, core::UtcMs>>& outage) {
        if (Step() != core::Step::Rate)
            return;  // closed, or the last customer is still on screen
        const double r = Uniform();
        const int rating = r < 0.10 ? 1 : r < 0.25 ? 2 : r < 0.55 ? 3 : 4;
        if (!Tap("rating." + std::to_string(rating)))
            return;
        ++m_ratingTaps;
        const auto think = [&] {
            AdvanceTo(m_clock.NowUtcMs() + 800 + static_cast<std::int64_t>(Uniform() * 3000),
                      outage);
        };
        for (int step = 0; step < 3; ++step) {
            think();
            const double choice = Uniform();
            if (choice < 0.08) {
                // Walks away: the idle timeout closes the row with what was given.
                AdvanceTo(m_clock.NowUtcMs() + 25'000, outage);
                return;
            }
            if (Step() == core::Step::WhoHelped) {
                if (choice < 0.75)
                    Tap("rep.r" + std::to_string(1 + m_random() % 4));
                else
                    Tap("rep.skip");
            } else if (Step() == core::Step::Reason) {
                static const char* kReasons[] = {"wait_time", "staff", "price"};
                if (choice < 0.75)
                    Tap(std::string("reason.") + kReasons[m_random() % 3]);
                else
                    Tap("reason.skip");
            } else {
                break;
            }
        }
        AdvanceTo(m_clock.NowUtcMs() + 3'500, outage);  // the thank-you screen runs out
    }

    // A child hammering the faces: many ratings in a couple of minutes (the misuse filter flags
    // them).
    void Burst(const std::optional<std::pair<core::UtcMs, core::UtcMs>>& outage) {
        ++m_bursts;
        for (int i = 0; i < 15; ++i) {
            if (Step() == core::Step::Rate && Tap("rating." + std::to_string(1 + m_random() % 4)))
                ++m_ratingTaps;
            if (Step() == core::Step::WhoHelped)
                Tap("rep.skip");
            if (Step() == core::Step::Reason)
                Tap("reason.skip");
            AdvanceTo(m_clock.NowUtcMs() + 3'200 + static_cast<std::int64_t>(Uniform() * 1500),
                      outage);
        }
    }

    fs::path m_dir;
    fs::path m_dataDir;
    std::mt19937_64 m_random;
    core::FakeClock m_clock;
    test::ImGuiContextGuard m_imgui;
    ui::ImGuiTextPainter m_text;
    ui::DrawListFacePainter m_faces;
    ui::KioskScreens m_screens;
    ui::FrameOutput m_last;
    ServerProcess m_server;
    std::unique_ptr<app::KioskCore> m_core;
    std::unique_ptr<sync::SyncEngine> m_engine;
    core::UtcMs m_nextSyncUtc = 0;
    std::int64_t m_ratingTaps = 0;
    std::int64_t m_frames = 0;
    std::int64_t m_syncPasses = 0;
    int m_outages = 0;
    int m_bursts = 0;
};

}  // namespace

TEST_CASE(
    "soak: simulated days of a busy store, flat memory, bounded WAL, no fd leak, every row synced "
    "once") {
    const int days = static_cast<int>(EnvLong("FK_SOAK_DAYS", 3));
    const auto seed = static_cast<std::uint64_t>(EnvLong("FK_SOAK_SEED", 7));
    REQUIRE(days >= 2);
    test::TempDir dir("fk-soak");
    Soak soak(dir.Path(), seed);
    const auto started = std::chrono::steady_clock::now();

    std::vector<Sample> samples;
    std::cout << "soak: " << days << " simulated days, seed " << seed << "\n"
              << "  day   rows  pending  kiosk_rss_kb  (sqlite_kb)  server_rss_kb  wal_bytes  fds  "
                 "server_fds\n";
    auto print = [](const Sample& s) {
        std::cout << "  " << std::setw(3) << s.day << std::setw(7) << s.rows << std::setw(9)
                  << s.pending << std::setw(14) << s.rssKb << std::setw(13) << s.sqliteKb
                  << std::setw(15) << s.serverRssKb << std::setw(11) << s.walBytes << std::setw(5)
                  << s.fds << std::setw(12) << s.serverFds << std::endl;
    };
    for (int day = 0; day < days; ++day) {
        soak.RunDay(day);
        samples.push_back(soak.TakeSample(day + 1));
        print(samples.back());
    }
    soak.Settle();
    const Sample last = soak.TakeSample(days);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();

    // RSS slope after warm-up (the first fifth of the days, at least one).
    const std::size_t warm = std::max<std::size_t>(1, samples.size() / 5);
    std::vector<double> x, y, ys, ysq, yOwn;
    for (std::size_t i = warm; i < samples.size(); ++i) {
        x.push_back(samples[i].day);
        y.push_back(static_cast<double>(samples[i].rssKb));
        ys.push_back(static_cast<double>(samples[i].serverRssKb));
        ysq.push_back(static_cast<double>(samples[i].sqliteKb));
        yOwn.push_back(static_cast<double>(samples[i].rssKb - samples[i].sqliteKb));
    }
    const double slope = x.size() >= 2 ? Slope(x, y) : 0;
    const double serverSlope = x.size() >= 2 ? Slope(x, ys) : 0;
    const double sqliteSlope = x.size() >= 2 ? Slope(x, ysq) : 0;
    // SQLite's page caches fill as the store grows, up to cache_size (about 2 MB per connection):
    // bounded by design. Everything else must be flat.
    const double ownSlope = x.size() >= 2 ? Slope(x, yOwn) : 0;
    long maxSqliteKb = 0;
    for (const auto& s : samples)
        maxSqliteKb = std::max(maxSqliteKb, s.sqliteKb);
    std::uintmax_t maxWal = 0;
    for (const auto& s : samples)
        maxWal = std::max(maxWal, s.walBytes);
    std::cout << "soak: " << last.rows << " responses from " << soak.RatingTaps()
              << " rating taps, " << soak.Frames() << " frames, " << soak.SyncPasses()
              << " sync passes, " << soak.Outages() << " outages, " << soak.Bursts()
              << " misuse bursts, " << seconds << " s\n"
              << "soak: kiosk RSS slope after warm-up (days " << warm + 1 << ".." << samples.size()
              << "): " << std::fixed << std::setprecision(1) << slope << " kB/day (RSS "
              << samples[warm].rssKb << " -> " << samples.back().rssKb
              << " kB): SQLite's page caches " << sqliteSlope << " kB/day (max " << maxSqliteKb
              << " kB), everything else " << ownSlope << " kB/day; server " << serverSlope
              << " kB/day\n"
              << "soak: WAL max " << maxWal << " bytes; fds " << samples.front().fds << " -> "
              << last.fds << "; server fds " << samples.front().serverFds << " -> "
              << samples.back().serverFds << std::endl;

    // Every rating tap on the Rate screen became exactly one row.
    CHECK(last.rows == soak.RatingTaps());
    CHECK(last.pending == 0);
    CHECK(soak.Core().Store()->OpenCount() == 0);
    CHECK(soak.Core().Store()->RejectedCount() == 0);
    // No fd growth: the kiosk's descriptors at the end are what they were after day one (one
    // HTTP keep-alive connection more or less).
    CHECK(last.fds <= samples.front().fds + 1);
    // The WAL is checkpointed by the sync passes: bounded, not growing with the days.
    CHECK(maxWal <= 4u * 1024 * 1024);
    CHECK(samples.back().walBytes <= samples.front().walBytes + 1024 * 1024);
    CHECK(maxSqliteKb <= 8 * 1024);  // the page caches' bound, not the store's size
    if (samples.size() >= 10) {
        CHECK(ownSlope <
              16.0);  // kB per simulated day after warm-up, outside SQLite's caches: flat
        CHECK(slope < 128.0);
    }

    // The server: every row exactly once, with its seq; nothing missing, nothing rejected.
    soak.StopServer();
    std::vector<core::Response> local;
    soak.Core().Store()->ForEach([&](const core::Response& r) {
        local.push_back(r);
        return true;
    });
    REQUIRE(static_cast<std::int64_t>(local.size()) == last.rows);
    std::int64_t misuse = 0;
    std::vector<std::string> ids;
    for (const auto& r : local) {
        ids.push_back(r.id.ToString());
        if (r.misuse)
            ++misuse;
    }
    auto backend = server::OpenBackend("sqlite:" + (dir.Path() / "server.db").string());
    auto status = backend->Status("soak-k1");
    REQUIRE(status.has_value());
    CHECK(status->ackedSeq == last.rows);
    CHECK(status->responses == last.rows);
    CHECK(status->gaps.empty());
    CHECK(status->rejected == 0);
    CHECK(backend->CountResponses() == last.rows);
    std::map<std::string, std::int64_t> serverSeq;
    {
        auto tx = backend->BeginIngest();
        for (const auto& row : tx->FindByIds(ids))
            serverSeq[row.response.id.ToString()] = row.response.seq;
    }
    std::int64_t missing = 0;
    for (const auto& r : local) {
        auto it = serverSeq.find(r.id.ToString());
        if (it == serverSeq.end() || it->second != r.seq)
            ++missing;
    }
    CHECK(missing == 0);
    std::cout << "soak: server holds " << status->responses << " rows (acked seq "
              << status->ackedSeq << "), " << misuse << " flagged misuse, " << missing << " missing"
              << std::endl;
    if (soak.Bursts() > 0)
        CHECK(misuse > 0);  // a burst is more than 10 ratings in 2 minutes
}
