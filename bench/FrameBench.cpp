// kiosk-bench frame: what a frame costs and what an idle kiosk costs.
//  - frame CPU per screen, headless (ImGui context, no backend): NewFrame + screens + Render
//  - the Rate frame with the kiosk's sound hook: a tap's tick or "listen" triggered in the frame
//    against a silent frame, blocks alternating in the same run; espeak-ng time per locale string
//    per language against the length of the speech it makes
//  - start to first frame of the real kiosk under X, against a bare GLFW window + GL context
//  - idle CPU % on the Rate screen over --seconds, against the same binary with
//    --render-continuously
//  - the Rate screen in Telugu against English with the kiosk's real shaped-text painter and face
//    shaders in a hidden GLFW window: CPU side of a frame (NewFrame + screens + painter EndFrame
//    + ImGui::Render, no GL draw), the whole frame drawn (+ GL render + glFinish; llvmpipe under
//    Xvfb, so this is mostly software rasterisation), and the first frame with a fresh painter
//    (fonts open, shaping, glyph rasterisation, atlas upload) [--gl-frames N]
// The window figures need DISPLAY (Xvfb with LIBGL_ALWAYS_SOFTWARE=1 in CI); without one they
// are skipped with a note on stderr.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <malloc.h>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "Bench.h"
#include "app/KioskCore.h"
#include "app/KioskSound.h"
#include "app/Settings.h"
#include "audio/SpeechSynth.h"
#include "audio/Tone.h"
#include "core/FeedbackSession.h"
#include "i18n/Catalog.h"
#include "platform/FaceShader.h"
#include "platform/ShapedTextPainter.h"
#include "platform/Window.h"
#include "ui/KioskScreens.h"

extern char** environ;

namespace fk::bench {
namespace {

using Clock = std::chrono::steady_clock;

double HeadlessFrameUs(ui::KioskScreens& screens, const ui::KioskView& view, int frames) {
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < 20; ++i) {  // warm-up: windows, font glyph lookups
        ImGui::NewFrame();
        screens.Frame(view);
        ImGui::Render();
    }
    const auto t0 = Clock::now();
    for (int i = 0; i < frames; ++i) {
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        screens.Frame(view);
        ImGui::Render();
    }
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / frames;
}

// A Rate frame plus the kiosk's sound hook (app::KioskSound, a real ALSA stream into ALSA's file
// plugin writing /dev/null): with nothing to play, with a tap's tick queued in that frame, and
// with "listen" tapped in that frame (speech requested). Blocks of the three alternate in the
// same run so drift hits them alike.
void SoundFrames(ui::KioskScreens& screens, const ui::KioskView& view, int frames, Report& report) {
    app::KioskSound sound({true, 60, "file:FILE=/dev/null,FORMAT=raw"});
    ui::FrameOutput none;
    ui::FrameOutput tap;
    tap.actions.push_back(ui::act::TapRating{3});
    ui::FrameOutput listen;
    listen.listen = true;
    const ui::FrameOutput* kinds[] = {&none, &tap, &listen};
    double us[3] = {0, 0, 0};
    const int rounds = 10;
    const int perBlock = std::max(1, frames / rounds / 3);
    for (int r = 0; r < rounds; ++r) {
        for (int k = 0; k < 3; ++k) {
            const auto t0 = Clock::now();
            for (int i = 0; i < perBlock; ++i) {
                ImGui::NewFrame();
                screens.Frame(view);
                ImGui::Render();
                sound.AfterFrame(*kinds[k], view);
            }
            us[k] += std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        }
        sound.Player().WaitIdle(std::chrono::seconds(5));  // each round starts from quiet
    }
    const double n = static_cast<double>(rounds * perBlock);
    report.AddRatio("frame_cpu_rate_tap_sound_us", us[1] / n, "us", "frame_cpu_rate_silent_us",
                    us[0] / n);
    report.AddRatio("frame_cpu_rate_listen_us", us[2] / n, "us", "frame_cpu_rate_silent_us",
                    us[0] / n);
}

// espeak-ng's time per string of each locale catalog (every key, one take), and the seconds of
// speech it makes: what a "listen" costs the speech thread before it is cached.
void SpeechFigures(Report& report) {
    auto loaded = i18n::Catalog::Load(FK_FRAME_BENCH_LOCALES);
    audio::SpeechSynth synth;
    if (!loaded.catalog || !synth.Ok()) {
        std::cerr << "frame: speech figures skipped (" << synth.Error() << ")\n";
        return;
    }
    for (const std::string language : {"en", "hi", "ne", "te", "da"}) {
        const i18n::Locale* locale = loaded.catalog->Find(language);
        if (locale == nullptr)
            continue;
        double seconds = 0;
        double audioS = 0;
        for (const auto& [key, text] : locale->strings) {
            const auto t0 = Clock::now();
            const auto samples = synth.Synthesize(audio::VoiceFor(language, text), text);
            seconds += std::chrono::duration<double>(Clock::now() - t0).count();
            if (samples)
                audioS += static_cast<double>(samples->size()) / audio::kSampleRate;
        }
        const double n = static_cast<double>(locale->strings.size());
        report.AddRatio("speech_synth_" + language + "_ms_per_string", 1000 * seconds / n, "ms",
                        "speech_audio_" + language + "_ms_per_string", 1000 * audioS / n);
    }
}

void HeadlessFrames(const Args& args, Report& report) {
    const int frames = static_cast<int>(args.Int("--frames", 2000));
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    ImFont* font = ui::LoadDefaultUiFont(64.0f);
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    ui::ImGuiTextPainter text(font);
    ui::DrawListFacePainter faces;
    ui::KioskScreens screens(text, faces);
    ui::KioskView view;
    view.strings = ui::EnglishStrings(4);
    view.languages = {{"en", "English"}, {"da", "Dansk"}};
    view.reps = {{"r1", "Asha"},  {"r2", "Ravi"},  {"r3", "Mette"},
                 {"r4", "Jonas"}, {"r5", "Priya"}, {"r6", "Lars"}};
    view.reasons = {{"wait_time", "Long wait"},
                    {"staff", "Unfriendly staff"},
                    {"price", "Price"},
                    {"other", "Something else"}};
    const std::pair<const char*, core::Step> steps[] = {{"rate", core::Step::Rate},
                                                        {"who_helped", core::Step::WhoHelped},
                                                        {"reason", core::Step::Reason},
                                                        {"thank_you", core::Step::ThankYou},
                                                        {"closed", core::Step::Closed}};
    for (const auto& [name, step] : steps) {
        view.step = step;
        report.Add(std::string("frame_cpu_") + name + "_us", HeadlessFrameUs(screens, view, frames),
                   "us");
    }
    // A 200-rep store's picker (issue 18): one page of tiles with initials discs and the page
    // bar; the 6-rep who_helped above is the same run's baseline.
    view.step = core::Step::WhoHelped;
    view.reps.clear();
    view.repInitials.clear();
    for (int i = 1; i <= 200; ++i) {
        view.reps.push_back({"r" + std::to_string(i), "Rep Number " + std::to_string(i)});
        view.repInitials.push_back("R" + std::to_string(i % 10));
    }
    report.Add("frame_cpu_who_helped_200_reps_us", HeadlessFrameUs(screens, view, frames), "us");
    view.step = core::Step::Rate;
    view.notice = ui::StaffNotice{"Storage is full",
                                  "This kiosk cannot save new feedback until space is freed."};
    report.Add("frame_cpu_notice_us", HeadlessFrameUs(screens, view, frames), "us");
    view.notice.reset();
    SoundFrames(screens, view, frames, report);
    ImGui::DestroyContext(ctx);
}

bool HaveDisplay() {
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

double BareWindowMs() {
    const auto t0 = Clock::now();
    if (!glfwInit())
        return -1;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(1280, 800, "bare", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        return -1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapBuffers(window);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    glfwDestroyWindow(window);
    glfwTerminate();
    return ms;
}

struct Child {
    pid_t pid = -1;
    std::filesystem::path log;
};

Child SpawnKiosk(const std::filesystem::path& dir, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        FK_KIOSK_BINARY, "--no-config",           "--windowed",    "1280x800",
        "--data-dir",    (dir / "data").string(), "--layout-json", (dir / "layout.json").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    Child c;
    c.log = dir / "kiosk.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, c.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&c.pid, FK_KIOSK_BINARY, &actions, nullptr, argv.data(), environ) != 0)
        c.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return c;
}

int WaitExit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// utime + stime of a process in seconds.
double CpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; i <= 15; ++i) {
        rest >> field;
        if (i == 14)
            utime = std::stoull(field);
        if (i == 15)
            stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Start-to-first-frame as the kiosk logs it ("first frame after N ms").
double FirstFrameMs(const std::filesystem::path& dir) {
    Child c = SpawnKiosk(dir, {"--exit-after-frames", "1"});
    if (c.pid < 0 || WaitExit(c.pid) != 0)
        return -1;
    std::ifstream in(c.log);
    std::string line;
    while (std::getline(in, line)) {
        const auto at = line.find("first frame after ");
        if (at != std::string::npos)
            return std::stod(line.substr(at + 18));
    }
    return -1;
}

double IdleCpuPercent(const std::filesystem::path& dir, bool continuous, double seconds) {
    std::filesystem::remove(dir / "layout.json");
    Child c = SpawnKiosk(dir, continuous ? std::vector<std::string>{"--render-continuously"}
                                         : std::vector<std::string>{});
    if (c.pid < 0)
        return -1;
    // Wait until the Rate screen is up, then let start-up settle.
    for (int i = 0; i < 200 && !std::filesystem::exists(dir / "layout.json"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double cpu0 = CpuSeconds(c.pid);
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double cpu1 = CpuSeconds(c.pid);
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    ::kill(c.pid, SIGTERM);
    WaitExit(c.pid);
    return 100.0 * (cpu1 - cpu0) / wall;
}

// The Rate screen as the kiosk builds it from the locale catalog, in language.
ui::KioskView RateView(const i18n::Catalog& catalog, const std::string& language) {
    ui::KioskView view;
    view.step = core::Step::Rate;
    view.points = 4;
    view.language = language;
    view.strings.question = std::string(catalog.Get(language, "rate.question"));
    for (int i = 1; i <= view.points; ++i) {
        view.strings.faceLabels.push_back(
            std::string(catalog.Get(language, "rate.face4." + std::to_string(i))));
    }
    for (const char* code : {"en", "hi", "ne", "te", "da"}) {
        view.languages.push_back({code, std::string(catalog.LanguageName(code))});
    }
    return view;
}

struct ShapedFrame {
    platform::Window& window;
    platform::ShapedTextPainter& text;
    platform::GlFacePainter& faces;
    ui::KioskScreens& screens;

    // drawn: one frame of the kiosk loop (GLFW + OpenGL3 backends, GL render, glFinish).
    // Otherwise the CPU side only: ImGui::NewFrame (no backend, so no X round trips) + screens +
    // painter EndFrame + ImGui::Render.
    void Run(const ui::KioskView& view, bool drawn) {
        faces.BeginFrame();
        if (drawn) {
            window.BeginFrame();
        } else {
            ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
            ImGui::NewFrame();
        }
        screens.Frame(view);
        text.EndFrame();
        if (drawn) {
            window.RenderFrame();
            glFinish();
        } else {
            ImGui::Render();
        }
    }
    double MeanUs(const ui::KioskView& view, bool drawn, int frames) {
        for (int i = 0; i < 10; ++i)
            Run(view, drawn);
        const auto t0 = Clock::now();
        for (int i = 0; i < frames; ++i)
            Run(view, drawn);
        return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / frames;
    }
};

void ShapedRateFrames(const Args& args, Report& report) {
    const int frames = static_cast<int>(std::max<long long>(1, args.Int("--gl-frames", 300)));
    auto loaded = i18n::Catalog::Load(FK_FRAME_BENCH_LOCALES);
    if (!loaded.catalog) {
        for (const auto& e : loaded.errors)
            std::cerr << "frame: " << to_string(e) << "\n";
        return;
    }
    if (!glfwInit()) {
        std::cerr << "frame: glfwInit failed, shaped Rate figures skipped\n";
        return;
    }
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);  // Window() keeps hints it does not set itself
    platform::WindowOptions wo;
    wo.fullscreen = false;
    wo.width = 1280;
    wo.height = 800;
    wo.vsync = false;
    std::unique_ptr<platform::Window> window;
    try {
        window = std::make_unique<platform::Window>(wo);
    } catch (const std::exception& e) {
        std::cerr << "frame: no GL window (" << e.what() << "), shaped Rate figures skipped\n";
        return;
    }
    std::cerr << "frame: shaped Rate screen on " << window->GlRenderer() << ", " << frames
              << " frames\n";
    platform::GlFacePainter faces;
    const ui::KioskView english = RateView(*loaded.catalog, "en");
    const ui::KioskView telugu = RateView(*loaded.catalog, "te");
    try {
        // Cold: a fresh painter per language, as at kiosk start (fonts, shaping, glyphs, upload).
        // The first GL frame of the process (shader compiles) is paid before, untimed; the
        // languages alternate and the median of a few rounds is reported.
        const auto firstFrameMs = [&](const ui::KioskView& view) {
            const auto t0 = Clock::now();
            platform::ShapedTextPainter text;
            ui::KioskScreens screens(text, faces);
            ShapedFrame{*window, text, faces, screens}.Run(view, true);
            return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        };
        firstFrameMs(english);
        std::vector<double> coldEn;
        std::vector<double> coldTe;
        for (int round = 0; round < 5; ++round) {
            coldEn.push_back(firstFrameMs(english));
            coldTe.push_back(firstFrameMs(telugu));
        }
        const auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        report.Add("rate_first_frame_shaped_en_ms", median(coldEn), "ms");
        report.AddRatio("rate_first_frame_shaped_te_ms", median(coldTe), "ms",
                        "rate_first_frame_shaped_en_ms", median(coldEn));

        platform::ShapedTextPainter text;
        ui::KioskScreens screens(text, faces);
        ShapedFrame frame{*window, text, faces, screens};
        const double cpuEn = frame.MeanUs(english, false, frames);
        const double cpuTe = frame.MeanUs(telugu, false, frames);
        report.Add("rate_frame_cpu_shaped_en_us", cpuEn, "us");
        report.AddRatio("rate_frame_cpu_shaped_te_us", cpuTe, "us", "rate_frame_cpu_shaped_en_us",
                        cpuEn);
        const double glEn = frame.MeanUs(english, true, frames);
        const double glTe = frame.MeanUs(telugu, true, frames);
        report.Add("rate_frame_gl_shaped_en_us", glEn, "us");
        report.AddRatio("rate_frame_gl_shaped_te_us", glTe, "us", "rate_frame_gl_shaped_en_us",
                        glEn);
    } catch (const std::exception& e) {
        std::cerr << "frame: shaped text unavailable (" << e.what()
                  << "), shaped Rate figures skipped\n";
    }
}

// Resident set of this process in KiB (/proc/self/status VmRSS).
long RssKiB() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    }
    return -1;
}

// Runs fn in a forked child (so each figure starts from the same process state and no GL state
// leaks between them) and returns the doubles it writes.
std::vector<double> InChild(const std::function<std::vector<double>()>& fn, std::size_t count) {
    int fds[2];
    if (::pipe(fds) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::vector<double> out = fn();
        out.resize(count, -1);
        const auto bytes = static_cast<ssize_t>(out.size() * sizeof(double));
        const bool ok = ::write(fds[1], out.data(), static_cast<std::size_t>(bytes)) == bytes;
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    std::vector<double> out(count, -1);
    const auto want = static_cast<ssize_t>(count * sizeof(double));
    const bool ok = pid > 0 && ::read(fds[0], out.data(), static_cast<std::size_t>(want)) == want;
    ::close(fds[0]);
    if (pid > 0)
        WaitExit(pid);
    return ok ? out : std::vector<double>(count, -1);
}

// A bare GLFW window with a GL 3.3 context, a few cleared frames: what GLFW, Mesa and the driver
// cost. RSS in KiB.
std::vector<double> BareWindowRss() {
    if (!glfwInit())
        return {};
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(1280, 800, "bare", nullptr, nullptr);
    if (!window)
        return {};
    glfwMakeContextCurrent(window);
    for (int i = 0; i < 10; ++i) {
        glClearColor(0.9f, 0.9f, 0.9f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        glfwSwapBuffers(window);
        glfwPollEvents();
    }
    return {static_cast<double>(RssKiB())};
}

// The kiosk's window, painters, core (real SQLite store) and screens; `customers` visits, each
// drawn frame by frame on the Rate, Who-helped/Reason/Help and Thank-you screens. Returns RSS
// (KiB) and heap in use (mallinfo2, KiB) after 10% of the customers and after all of them.
std::vector<double> KioskRssAfterCustomers(int customers, const std::filesystem::path& dir) {
    platform::WindowOptions wo;
    wo.fullscreen = false;
    wo.width = 1280;
    wo.height = 800;
    wo.vsync = false;
    platform::Window window(wo);
    app::KioskSettings settings = app::DefaultKioskSettings();
    settings.session.misuse.minIntervalS = 0;
    settings.session.misuse.maxPerWindow = 0;
    settings.reps = {{"r1", "Asha"}, {"r2", "Ravi"}, {"r3", "Mette"}};
    settings.session.repIds = {"r1", "r2", "r3"};
    platform::ShapedTextPainter text(settings.fonts);
    platform::GlFacePainter faces;
    ui::KioskScreens screens(text, faces);
    core::FakeClock clock;
    app::KioskCore core(settings, clock, dir / "data");
    auto frame = [&] {
        faces.BeginFrame();
        window.BeginFrame();
        screens.Frame(core.View());
        text.EndFrame();
        window.RenderFrame();
        window.Swap();
        window.WaitEvents(0);
    };
    std::vector<double> out;
    for (int c = 1; c <= customers; ++c) {
        frame();
        core.Handle({ui::act::TapRating{1 + c % 4}});
        for (int step = 0; step < 4 && core.View().step != core::Step::ThankYou; ++step) {
            frame();
            const auto& v = core.View();
            if (v.step == core::Step::WhoHelped && !v.reps.empty()) {
                core.Handle(
                    {ui::act::TapRep{v.reps[static_cast<std::size_t>(c) % v.reps.size()].id}});
            } else if (v.step == core::Step::WhoHelped) {
                core.Handle({ui::act::SkipRep{}});
            } else if (v.step == core::Step::Reason && !v.reasons.empty()) {
                core.Handle({ui::act::TapReason{v.reasons.front().code}});
            } else if (v.step == core::Step::Reason) {
                core.Handle({ui::act::SkipReason{}});
            } else if (v.step == core::Step::Help) {
                core.Handle({ui::act::AnswerHelp{false}});
            }
        }
        frame();
        clock.Advance(60'000);
        core.Tick();
        if (c == customers / 10 || c == customers) {
            out.push_back(static_cast<double>(RssKiB()));
            out.push_back(static_cast<double>(mallinfo2().uordblks) / 1024.0);
        }
    }
    // Every customer's visit stored and closed, or the figures are not about 1,000 customers.
    double closed = 0;
    if (core.Store()) {
        core.Store()->ForEach([&](const core::Response& r) {
            closed += r.IsClosed() ? 1 : 0;
            return true;
        });
    }
    out.push_back(closed);
    return out;
}

void MemoryFigures(const Args& args, Report& report, const std::filesystem::path& dir) {
    const int customers = static_cast<int>(args.Int("--customers", 1000));
    const std::vector<double> bare = InChild(BareWindowRss, 1);
    const std::vector<double> kiosk =
        InChild([&] { return KioskRssAfterCustomers(customers, dir); }, 5);
    if (bare[0] <= 0 || kiosk[2] <= 0 || kiosk[4] != customers) {
        std::cerr << "frame: memory figures failed (" << kiosk[4] << " of " << customers
                  << " visits stored)\n";
        return;
    }
    const double mib = 1024.0;
    report.AddRatio("kiosk_rss_after_customers_mib", kiosk[2] / mib, "MiB",
                    "bare_glfw_window_rss_mib", bare[0] / mib);
    report.Add("kiosk_own_rss_beyond_bare_window_mib", (kiosk[2] - bare[0]) / mib, "MiB");
    report.AddRatio("kiosk_rss_growth_last_90pct_customers_mib", (kiosk[2] - kiosk[0]) / mib, "MiB",
                    "kiosk_rss_after_10pct_customers_mib", kiosk[0] / mib);
    report.AddRatio("kiosk_heap_after_customers_mib", kiosk[3] / mib, "MiB",
                    "kiosk_heap_after_10pct_customers_mib", kiosk[1] / mib);
}

int RunFrameBench(const Args& args, Report& report) {
    HeadlessFrames(args, report);
    SpeechFigures(report);
    if (!HaveDisplay()) {
        std::cerr << "frame: no DISPLAY, window figures skipped (run under Xvfb with "
                     "LIBGL_ALWAYS_SOFTWARE=1)\n";
        return 0;
    }
    const auto dir =
        std::filesystem::temp_directory_path() / ("fk-frame-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    MemoryFigures(args, report, dir);  // first: forked children, before this process opens GL
    const double bare = BareWindowMs();
    const double first = FirstFrameMs(dir);
    if (bare > 0 && first > 0)
        report.AddRatio("start_to_first_frame_ms", first, "ms", "bare_glfw_window_gl_context_ms",
                        bare);
    const double seconds = static_cast<double>(args.Int("--seconds", 10));
    const double continuous = IdleCpuPercent(dir, true, seconds);
    const double idle = IdleCpuPercent(dir, false, seconds);
    if (idle >= 0 && continuous >= 0) {
        report.AddRatio("idle_cpu_rate_percent", idle, "%", "render_continuously_cpu_percent",
                        continuous);
    }
    std::filesystem::remove_all(dir);
    ShapedRateFrames(args, report);  // last: its in-process GL would warm the bare-window figure
    return 0;
}

}  // namespace

FK_BENCH_SUITE(
    "frame",
    "frame CPU per screen (headless), a frame with a sound or speech just triggered against a "
    "silent one, espeak-ng time per locale string per language, start-to-first-frame and idle CPU "
    "of the kiosk under X, "
    "the kiosk's RSS and heap after N customers against a bare GLFW + GL window's RSS, "
    "and the Rate screen in Telugu vs English with the real shaped-text painter "
    "[--frames N] [--seconds S] [--gl-frames N] [--customers N]",
    RunFrameBench);

}  // namespace fk::bench
