// kiosk-bench dashboard: how fast manager mode answers over a large store.
//   kiosk-bench dashboard [--json] [--data-dir DIR] [--rows N] [--reps N] [--repeats N] [--frames
//   N]
// --data-dir  where the store goes (default: a fresh temp dir, removed afterwards)
// --rows      responses in the store, spread evenly over the last 365 days (default 1000000)
// --reps      representatives (default 50)
// --repeats   timed repeats per period (default 21; the median is reported)
// Figures (N = rows, "1m" for 1,000,000):
//   period_switch_<N>_today_ms / _7d_ms / _30d_ms   Dashboard::Load (per-rep fair table, totals,
//        daily trend, hour x weekday heatmap, reasons) for the period, median; _rows: rows scanned
//        (sealed past days come from the Dashboard's day cache, today is scanned)
//   period_switch_<N>_<p>_uncached_ms   the same with the day cache off: a full range scan
//   period_switch_<N>_30d_first_ms   the first 30-day load after opening (fills the day cache)
//   csv_export_rows_per_s            ExportResponsesCsv of the 30-day period to a temp dir
//   csv_export_30d_ms                the same, wall time
//   manager_frame_cpu_us             one manager-mode frame on the Reps tab with 50 reps (30 days
//   of
//        sample data, ui::SampleManagerView), 1280x800, headless ImGui (NewFrame + screens +
//        Render, no GL) with ImGui's font painter, mean over --frames (default 2000);
//        _store_us / _roster_us: other tabs
//   manager_frame_cpu_shaped_us      the same Reps frame with the kiosk's shaped-text painter
//        (HarfBuzz + glyph atlas) in a hidden GLFW window, CPU side (NewFrame + screens + painter
//        EndFrame + Render, no GL draw); needs DISPLAY (skipped with a note otherwise)

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "Bench.h"
#include "core/Clock.h"
#include "core/Period.h"
#include "core/RepStats.h"
#include "core/TimeFormat.h"
#include "core/Uuid.h"
#include "platform/ShapedTextPainter.h"
#include "platform/Window.h"
#include "storage/CsvExport.h"
#include "storage/Dashboard.h"
#include "storage/ResponseStore.h"
#include "storage/Sqlite.h"
#include "ui/ManagerSampleData.h"
#include "ui/ManagerView.h"

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

namespace {

double MsSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

const char* const kReasons[] = {"rude", "slow_service", "wait_time", "price", "stock"};

fk::core::ReasonPolicy Policy() {
    return fk::core::ReasonPolicy({{"rude", true},
                                   {"slow_service", true},
                                   {"wait_time", false},
                                   {"price", false},
                                   {"stock", false}});
}

// The store's own schema (ResponseStore::Open), rows inserted directly in one transaction.
void BuildRows(const fs::path& dir, long long rows, int reps, fk::core::UtcMs end,
               std::int64_t span) {
    fk::core::SystemClock systemClock;
    { auto store = fk::storage::ResponseStore::Open(dir, systemClock); }
    fk::storage::Database db(dir / fk::storage::ResponseStore::kFileName);
    db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
    fk::core::FakeClock fake(end - span);
    fk::core::Uuid7Generator ids(fake);
    std::mt19937 rng(4242);
    std::vector<std::string> repIds;
    for (int i = 0; i < reps; ++i)
        repIds.push_back("rep" + std::to_string(i + 1));
    fk::storage::Transaction tx(db);
    fk::storage::Statement insert(
        db,
        "INSERT INTO responses (seq, id, created_at, tz_offset_min, scale, rating, rep_id, reason, "
        "language, misuse, updated_at, closed_at, close_reason, sync_state) VALUES "
        "(?1, ?2, ?3, 330, 4, ?4, ?5, ?6, 'en', ?7, ?3, ?3 + 5000, 'thank_you', 'sent')");
    for (long long i = 0; i < rows; ++i) {
        const fk::core::UtcMs at = end - span + span * i / rows;
        fake.SetUtc(at);
        const int rating = static_cast<int>(rng() % 4) + 1;
        insert.Bind(1, static_cast<std::int64_t>(i + 1)).Bind(2, ids.Next().ToString());
        insert.Bind(3, at).Bind(4, rating);
        if (rng() % 10 == 0)
            insert.BindNull(5);
        else
            insert.Bind(5, repIds[rng() % repIds.size()]);
        if (rating <= 2 && rng() % 4 != 0)
            insert.Bind(6, kReasons[rng() % 5]);
        else
            insert.BindNull(6);
        if (rng() % 50 == 0)
            insert.Bind(7, "burst");
        else
            insert.BindNull(7);
        insert.Run();
        insert.Reset();
    }
    tx.Commit();
    db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// Manager screens' CPU per frame in a headless ImGui context (the kiosk draws the same lists).
void ManagerFrames(int frames, fk::bench::Report& report) {
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    ImFont* font = fk::ui::LoadDefaultUiFont(32.0f);
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    fk::ui::ImGuiTextPainter text(font);
    fk::ui::ManagerScreens screens(text);
    fk::ui::ManagerView view = fk::ui::SampleManagerView();
    auto run = [&](fk::ui::ManagerTab tab) {
        view.tab = tab;
        for (int i = 0; i < 20; ++i) {  // warm-up: window, glyph lookups
            ImGui::NewFrame();
            screens.Frame(view);
            ImGui::Render();
        }
        const auto start = SteadyClock::now();
        for (int i = 0; i < frames; ++i) {
            io.DeltaTime = 1.0f / 60.0f;
            ImGui::NewFrame();
            screens.Frame(view);
            ImGui::Render();
        }
        return std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count() /
               frames;
    };
    report.Add("manager_frame_cpu_us", run(fk::ui::ManagerTab::Reps), "us");
    report.Add("manager_frame_cpu_store_us", run(fk::ui::ManagerTab::Store), "us");
    report.Add("manager_frame_cpu_roster_us", run(fk::ui::ManagerTab::Roster), "us");
    ImGui::DestroyContext(ctx);
}

// The Reps frame with shaped text (names in five scripts), CPU side, in a hidden window.
void ManagerShapedFrames(int frames, fk::bench::Report& report) {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        std::cerr << "dashboard: no DISPLAY, manager_frame_cpu_shaped_us skipped\n";
        return;
    }
    if (!glfwInit()) {
        std::cerr << "dashboard: glfwInit failed, manager_frame_cpu_shaped_us skipped\n";
        return;
    }
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    fk::platform::WindowOptions wo;
    wo.fullscreen = false;
    wo.width = 1280;
    wo.height = 800;
    wo.vsync = false;
    try {
        fk::platform::Window window(wo);
        fk::platform::ShapedTextPainter text;
        fk::ui::ManagerScreens screens(text);
        const fk::ui::ManagerView view = fk::ui::SampleManagerView();
        // One real frame sets the display size and fills the glyph atlas.
        window.BeginFrame();
        screens.Frame(view);
        text.EndFrame();
        window.RenderFrame();
        auto frame = [&]() {
            ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
            ImGui::NewFrame();
            screens.Frame(view);
            text.EndFrame();
            ImGui::Render();
        };
        for (int i = 0; i < 20; ++i)
            frame();
        const auto start = SteadyClock::now();
        for (int i = 0; i < frames; ++i)
            frame();
        report.Add(
            "manager_frame_cpu_shaped_us",
            std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count() / frames,
            "us");
    } catch (const std::exception& e) {
        std::cerr << "dashboard: no shaped-text window (" << e.what()
                  << "), manager_frame_cpu_shaped_us skipped\n";
    }
}

int RunDashboard(const fk::bench::Args& args, fk::bench::Report& report) {
    const int frames = static_cast<int>(args.Int("--frames", 2000));
    if (frames < 1)
        throw std::runtime_error("--frames must be positive");
    ManagerFrames(frames, report);
    ManagerShapedFrames(frames, report);
    const long long rows = args.Int("--rows", 1'000'000);
    const int reps = static_cast<int>(args.Int("--reps", 50));
    const int repeats = static_cast<int>(args.Int("--repeats", 21));
    if (rows < 1 || reps < 1 || repeats < 1)
        throw std::runtime_error("--rows, --reps and --repeats must be positive");
    fk::bench::BenchDir dir(args.Value("--data-dir", ""), "kiosk-bench-dashboard");
    const std::string n = rows == 1'000'000 ? "1m" : std::to_string(rows);

    constexpr std::int64_t kDay = 86'400'000;
    // "Now" is mid-afternoon local time on the last day of the data (+05:30).
    fk::core::FakeClock clock(*fk::core::ParseRfc3339("2026-11-22T09:30:00Z"), 330);
    const fk::core::UtcMs end = clock.NowUtcMs();
    auto buildStart = SteadyClock::now();
    BuildRows(dir.Path(), rows, reps, end, 365 * kDay);
    std::cerr << "built " << rows << " rows in " << MsSince(buildStart) / 1000 << " s in "
              << dir.Path() << "\n";

    const auto policy = Policy();
    auto dash = fk::storage::Dashboard::Open(dir.Path(), clock);
    auto load = [&](fk::core::PeriodKind kind, std::int64_t* scanned, bool useCache = true) {
        fk::storage::DashboardRequest req{fk::core::MakePeriod(kind, clock),
                                          fk::core::RatingScale(), 20, 5, useCache};
        auto start = SteadyClock::now();
        auto data = dash->Load(req, policy);
        const double ms = MsSince(start);
        if (scanned)
            *scanned = data.rowsScanned;
        return ms;
    };
    std::int64_t scanned = 0;
    const double first30 = load(fk::core::PeriodKind::Last30Days, &scanned);
    report.Add("period_switch_" + n + "_30d_first_ms", first30, "ms");
    struct Case {
        fk::core::PeriodKind kind;
        const char* name;
    };
    for (const Case c :
         {Case{fk::core::PeriodKind::Today, "today"}, Case{fk::core::PeriodKind::Last7Days, "7d"},
          Case{fk::core::PeriodKind::Last30Days, "30d"}}) {
        std::vector<double> samples;
        for (int i = 0; i < repeats; ++i)
            samples.push_back(load(c.kind, &scanned));
        std::sort(samples.begin(), samples.end());
        report.Add("period_switch_" + n + "_" + c.name + "_ms", samples[samples.size() / 2], "ms");
        report.Add("period_switch_" + n + "_" + c.name + "_rows", static_cast<double>(scanned),
                   "rows");
        samples.clear();
        for (int i = 0; i < std::max(3, repeats / 4); ++i)
            samples.push_back(load(c.kind, nullptr, false));
        std::sort(samples.begin(), samples.end());
        report.Add("period_switch_" + n + "_" + c.name + "_uncached_ms",
                   samples[samples.size() / 2], "ms");
    }

    fk::bench::BenchDir out("", "kiosk-bench-dashboard-csv");
    fk::storage::ExportRequest req;
    req.directory = out.Path();
    req.fileName = "responses-30d.csv";
    const auto period = fk::core::MakePeriod(fk::core::PeriodKind::Last30Days, clock);
    auto start = SteadyClock::now();
    const auto result = fk::storage::ExportResponsesCsv(*dash, period, policy, req);
    const double ms = MsSince(start);
    if (!result.Ok())
        throw std::runtime_error("export failed: " + result.message);
    report.Add("csv_export_30d_ms", ms, "ms");
    report.Add("csv_export_rows", static_cast<double>(result.rows), "rows");
    report.Add("csv_export_rows_per_s", static_cast<double>(result.rows) / (ms / 1000.0), "rows/s");
    return 0;
}

FK_BENCH_SUITE(
    "dashboard",
    "manager dashboard period switch at 1M responses, CSV export rate, manager frame CPU "
    "[--data-dir DIR] [--rows N] [--reps N] [--repeats N] [--frames N]",
    RunDashboard);

}  // namespace
