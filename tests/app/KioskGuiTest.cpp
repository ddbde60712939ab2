// The real kiosk binary in a real window (Xvfb + Mesa llvmpipe in CI): clicks with xdotool
// through the layout JSON, rows checked with `kiosk export-csv`, screenshots checked for content.
// Needs DISPLAY; fails when FK_REQUIRE_DISPLAY=1 and no display works, passes with a warning
// otherwise. Runs serially: every kiosk window sits at the same place on the one X screen.
#include <doctest/doctest.h>

#include "support/Skip.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stb_image.h>
#include <nlohmann/json.hpp>

#include "config/PinHash.h"
#include "protocol/Calls.h"
#include "protocol/Wire.h"
#include "support/ChildProcess.h"
#include "support/FaultProxy.h"
#include "support/FreePort.h"
#include "support/RawTcpServer.h"
#include "support/TempDir.h"
#include "sync/Gzip.h"

extern char** environ;

namespace {

const std::string kKiosk = FK_KIOSK_BINARY;

bool DisplayUsable() {
    const char* require = std::getenv("FK_REQUIRE_DISPLAY");
    const bool required = require && std::string(require) == "1";
    const char* display = std::getenv("DISPLAY");
    bool ok =
        display && *display && std::system("xdotool getdisplaygeometry > /dev/null 2>&1") == 0;
    if (!ok) {
        if (required)
            FAIL("FK_REQUIRE_DISPLAY=1 but no X display works (DISPLAY="
                 << std::string(display ? display : "") << ")");
        fk::test::Skip("no X display: real-window kiosk test not run");
    }
    return ok;
}

std::string Run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    ::pclose(p);
    return out;
}

const char* kConfig = R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = [1, 2]
idle_timeout_s = 20
thank_you_s = 2
[display]
dpi = 96
[misuse]
min_interval_s = 0
[languages]
offered = ["en", "da"]
default = "en"
[help]
offer_for = []
[[rep]]
id = "r1"
name = "Asha"
[[rep]]
id = "r2"
name = "Ravi"
[[rep]]
id = "r3"
name = "Mette"
)";

class Kiosk {
  public:
    // config: the kiosk.toml text with @MODE@ for the rep mode; kConfig unless given.
    Kiosk(const fk::test::TempDir& dir, const std::string& mode,
          const std::vector<std::string>& extra = {}, const std::vector<std::string>& env = {},
          std::string config = kConfig)
        : m_dir(dir.Path()) {
        config.replace(config.find("@MODE@"), 6, mode);
        std::ofstream(m_dir / "kiosk.toml") << config;
        std::vector<std::string> args = {kKiosk,
                                         "--config",
                                         (m_dir / "kiosk.toml").string(),
                                         "--data-dir",
                                         (m_dir / "data").string(),
                                         "--layout-json",
                                         Layout().string(),
                                         "--locales",
                                         FK_LOCALES_DIR};
        // r3 is on duty unless the test says otherwise ("--on-duty-rep" "" for nobody).
        if (std::find(extra.begin(), extra.end(), "--on-duty-rep") == extra.end())
            args.insert(args.end(), {"--on-duty-rep", "r3"});
        if (std::find(extra.begin(), extra.end(), "--windowed") == extra.end()) {
            args.insert(args.end(), {"--windowed", "1280x800"});
        }
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> envs;
        for (char** e = environ; *e; ++e)
            envs.emplace_back(*e);
        envs.emplace_back("LIBGL_ALWAYS_SOFTWARE=1");
        envs.insert(envs.end(), env.begin(), env.end());
        std::vector<char*> envp;
        for (auto& e : envs)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        const std::string log = (m_dir / "kiosk.log").string();
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        REQUIRE(posix_spawn(&m_pid, kKiosk.c_str(), &actions, nullptr, argv.data(), envp.data()) ==
                0);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Kiosk() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    std::filesystem::path Layout() const { return m_dir / "layout.json"; }

    nlohmann::json ReadLayout() const {
        std::ifstream in(Layout());
        nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        return j;
    }
    // Waits until the layout JSON shows screen; fails the test after 15 s.
    nlohmann::json WaitScreen(const std::string& screen) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        nlohmann::json j;
        while (std::chrono::steady_clock::now() < until) {
            j = ReadLayout();
            if (j.is_object() && j.value("screen", "") == screen)
                return j;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("screen " << screen << " never came; last layout: " << j.dump() << "; log: " << Log());
        return j;
    }
    // Waits until screen shows element id (data that arrives later, e.g. from a server).
    void WaitElement(const std::string& screen, const std::string& id) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        nlohmann::json j;
        while (std::chrono::steady_clock::now() < until) {
            j = WaitScreen(screen);
            for (const auto& e : j["elements"]) {
                if (e["id"] == id)
                    return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("no element " << id << " on " << screen << " after 15 s: " << j.dump());
    }
    void Click(const std::string& screen, const std::string& id) {
        nlohmann::json j = WaitScreen(screen);
        for (const auto& e : j["elements"]) {
            if (e["id"] == id) {
                if (m_window.empty()) {
                    m_window = Run("timeout 10 xdotool search --sync --pid " +
                                   std::to_string(m_pid) + " | head -1");
                    while (!m_window.empty() && m_window.back() == '\n')
                        m_window.pop_back();
                    REQUIRE_MESSAGE(!m_window.empty(), "no X window for the kiosk");
                }
                const int x = e["x"].get<int>() + e["w"].get<int>() / 2;
                const int y = e["y"].get<int>() + e["h"].get<int>() / 2;
                const std::string cmd = "xdotool windowraise " + m_window + " mousemove --window " +
                                        m_window + " " + std::to_string(x) + " " +
                                        std::to_string(y) + " click 1";
                REQUIRE(std::system(cmd.c_str()) == 0);
                return;
            }
        }
        FAIL("no element " << id << " on " << screen << ": " << j.dump());
    }
    // Presses at window position (x, y), holds for seconds, lets go (the manager corner gesture).
    void Hold(int x, int y, double seconds) {
        if (m_window.empty()) {
            m_window = Run("timeout 10 xdotool search --sync --pid " + std::to_string(m_pid) +
                           " | head -1");
            while (!m_window.empty() && m_window.back() == '\n')
                m_window.pop_back();
            REQUIRE_MESSAGE(!m_window.empty(), "no X window for the kiosk");
        }
        const std::string cmd = "xdotool windowraise " + m_window + " mousemove --window " +
                                m_window + " " + std::to_string(x) + " " + std::to_string(y) +
                                " mousedown 1 sleep " + std::to_string(seconds) + " mouseup 1";
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    void Kill(int sig) {
        ::kill(m_pid, sig);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
    }
    // With --screenshot PATH --screenshot-on-sigusr1: signals the kiosk, waits until its log says
    // the PNG is written (fails after 10 s) and copies it to dest.
    void Shoot(const std::filesystem::path& shot, const std::filesystem::path& dest) {
        const auto written = [this] {
            const std::string log = Log();
            std::size_t n = 0;
            for (auto at = log.find("screenshot written"); at != std::string::npos;
                 at = log.find("screenshot written", at + 1))
                ++n;
            return n;
        };
        const std::size_t before = written();
        ::kill(m_pid, SIGUSR1);
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (written() == before) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "no screenshot after SIGUSR1; log: " << Log());
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        std::filesystem::copy_file(shot, dest, std::filesystem::copy_options::overwrite_existing);
    }
    int Wait() {
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::string Log() const {
        std::ifstream in(m_dir / "kiosk.log");
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Rows of `kiosk export-csv`, header first.
    std::vector<std::string> Export() const {
        const std::string out = (m_dir / "out.csv").string();
        const std::string cmd = kKiosk + " export-csv --config " + (m_dir / "kiosk.toml").string() +
                                " --data-dir " + (m_dir / "data").string() + " --out " + out +
                                " 2>/dev/null";
        REQUIRE(std::system(cmd.c_str()) == 0);
        std::ifstream in(out);
        std::vector<std::string> rows;
        for (std::string line; std::getline(in, line);)
            rows.push_back(line);
        return rows;
    }

  private:
    std::filesystem::path m_dir;
    pid_t m_pid = -1;
    std::string m_window;
};

bool Has(const std::string& row, const std::string& part) {
    return row.find(part) != std::string::npos;
}

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
};

Image LoadPng(const std::filesystem::path& path) {
    Image img;
    int n = 0;
    unsigned char* data = stbi_load(path.string().c_str(), &img.w, &img.h, &n, 3);
    REQUIRE_MESSAGE(data, "cannot read " << path);
    img.rgb.assign(data, data + static_cast<std::size_t>(img.w * img.h * 3));
    stbi_image_free(data);
    return img;
}

// Distinct colours (quantised) and how much of the image the most common one covers.
std::pair<std::size_t, double> ColourSpread(const Image& img) {
    std::map<std::uint32_t, std::size_t> counts;
    for (std::size_t i = 0; i + 2 < img.rgb.size(); i += 3) {
        counts[(img.rgb[i] >> 3) | ((img.rgb[i + 1] >> 3) << 5) | ((img.rgb[i + 2] >> 3) << 10)]++;
    }
    std::size_t top = 0;
    for (const auto& [c, n] : counts)
        top = std::max(top, n);
    return {counts.size(), static_cast<double>(top) / static_cast<double>(img.rgb.size() / 3)};
}

}  // namespace

TEST_CASE("gui: rep mode ask, real clicks through rating, rep and reason store one closed row") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    Kiosk k(dir, "ask");
    k.Click("rate", "rating.1");
    k.Click("who_helped", "rep.r2");
    k.Click("reason", "reason.staff_attitude");
    k.WaitScreen("thank_you");
    k.WaitScreen("rate");
    k.Click("rate", "lang.da");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Click("rate", "rating.4");
    k.Click("who_helped", "rep.skip");
    k.WaitScreen("thank_you");
    k.Kill(SIGTERM);
    auto rows = k.Export();
    REQUIRE(rows.size() == 3);
    CHECK(Has(rows[1], ",4,1,r2,staff_attitude,en,,"));
    CHECK(Has(rows[1], ",thank_you,pending,"));
    CHECK(Has(rows[2], ",4,4,,,da,,"));
    CHECK(Has(rows[2], ",thank_you,pending,"));
}

TEST_CASE("gui: rep mode on_duty attributes the signed-in rep with no picker") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "on_duty", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"});
    // Rate says who is serving, under the question.
    k.WaitScreen("rate");
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, outDir / "en-rate-served-by.png");
    k.Click("rate", "lang.da");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, outDir / "da-rate-served-by.png");
    k.Click("rate", "rating.2");
    k.Click("reason", "reason.wait_time");
    k.WaitScreen("thank_you");
    k.Kill(SIGTERM);
    auto rows = k.Export();
    REQUIRE(rows.size() == 2);
    CHECK(Has(rows[1], ",4,2,r3,wait_time,da,,"));  // answered in Danish
}

TEST_CASE("gui: rep mode off goes from rating to reason to thank you") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    Kiosk k(dir, "off");
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.WaitScreen("thank_you");
    k.WaitScreen("rate");
    k.Click("rate", "rating.3");
    k.WaitScreen("thank_you");
    k.Kill(SIGTERM);
    auto rows = k.Export();
    REQUIRE(rows.size() == 3);
    CHECK(Has(rows[1], ",4,1,,,en,,"));
    CHECK(Has(rows[2], ",4,3,,,en,,"));
}

TEST_CASE("gui: killed mid-flow, nothing given is lost") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    Kiosk k(dir, "ask");
    k.Click("rate", "rating.2");
    k.Click("who_helped", "rep.r1");
    k.WaitScreen("reason");
    k.Kill(SIGKILL);
    auto rows = k.Export();  // the first open after the crash closes the row as recovered
    REQUIRE(rows.size() == 2);
    CHECK(Has(rows[1], ",4,2,r1,,en,,"));
    CHECK(Has(rows[1], ",recovered,pending,"));
}

TEST_CASE("gui: export-csv works while the kiosk runs, reading without writing") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    Kiosk k(dir, "ask");
    k.Click("rate", "rating.3");
    k.WaitScreen("who_helped");
    auto rows = k.Export();  // the kiosk holds the store: a read-only export must still work
    REQUIRE(rows.size() == 2);
    CHECK(Has(rows[1], ",4,3,,,en,,"));
    CHECK(Has(rows[1], ",,pending,"));  // still open: the customer is at the rep step
}

TEST_CASE("gui: screenshots in landscape and portrait are drawn, not blank or uniform") {
    if (!DisplayUsable())
        return;
    for (const std::string size : {"1280x800", "800x1280"}) {
        fk::test::TempDir dir;
        const auto png = dir.Path() / "shot.png";
        Kiosk k(dir, "ask",
                {"--windowed", size, "--screenshot", png.string(), "--exit-after-frames", "3"});
        REQUIRE_MESSAGE(k.Wait() == 0, k.Log());
        const Image img = LoadPng(png);
        CHECK(std::to_string(img.w) + "x" + std::to_string(img.h) == size);
        auto [colours, top] = ColourSpread(img);
        CHECK(colours > 20);
        CHECK(top < 0.9);  // background does not cover everything
    }
}

TEST_CASE("gui: failed frames are survived, too many in a row exit non-zero") {
    if (!DisplayUsable())
        return;
    {
        fk::test::TempDir dir;
        const auto png = dir.Path() / "shot.png";
        Kiosk k(dir, "ask", {"--screenshot", png.string(), "--exit-after-frames", "3"},
                {"FK_KIOSK_FAIL_FRAMES=2"});
        CHECK_MESSAGE(k.Wait() == 0, k.Log());
        CHECK(std::filesystem::exists(png));
        CHECK(Has(k.Log(), "frame failed (2 in a row)"));
    }
    {
        fk::test::TempDir dir;
        Kiosk k(dir, "ask", {"--exit-after-frames", "3", "--max-failed-frames", "4"},
                {"FK_KIOSK_FAIL_FRAMES=100"});
        CHECK(k.Wait() == 3);
    }
}

namespace {

// All five languages offered; rep names in three scripts so the who-helped tiles shape
// Devanagari and Telugu whatever the customer's language.
const char* kLanguageConfig = R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = [1, 2]
idle_timeout_s = 60
thank_you_s = 2
[display]
dpi = 96
[misuse]
min_interval_s = 0
[languages]
offered = ["en", "hi", "ne", "te", "da"]
default = "@LANG@"
[[rep]]
id = "r1"
name = "Asha"
[[rep]]
id = "r2"
name = "निशा"
[[rep]]
id = "r3"
name = "లక్ష్మి"
[[rep]]
id = "r4"
name = "Mette"
)";

// FNV-1a over the rows [y0, y1) of the image.
std::uint64_t BandHash(const Image& img, int y0, int y1) {
    std::uint64_t h = 1469598103934665603ull;
    const auto row = static_cast<std::size_t>(img.w) * 3;
    for (std::size_t i = static_cast<std::size_t>(std::max(0, y0)) * row;
         i < static_cast<std::size_t>(std::min(img.h, y1)) * row; ++i) {
        h = (h ^ img.rgb[i]) * 1099511628211ull;
    }
    return h;
}

// Rows above the first touch target: the question (title) of the screen. The "listen" button
// (top right) and "change my answer" / the accessible switch (top left) sit beside the question,
// not below it.
int QuestionBottom(const nlohmann::json& layout) {
    int top = 1 << 20;
    for (const auto& e : layout["elements"]) {
        if (e["id"] != "listen" && e["id"] != "undo" && e["id"] != "accessible")
            top = std::min(top, e["y"].get<int>());
    }
    return top;
}

}  // namespace

TEST_CASE("gui: Rate, Who-helped and Reason screens in all five languages are drawn and differ") {
    if (!DisplayUsable())
        return;
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    const std::string languages[] = {"en", "hi", "ne", "te", "da"};
    const std::string screens[] = {"rate", "who_helped", "reason"};
    std::map<std::string, std::uint64_t> wholeHash;     // "<lang>-<screen>"
    std::map<std::string, std::uint64_t> questionHash;  // "<lang>-<screen>"
    for (const std::string& lang : languages) {
        fk::test::TempDir dir;
        std::string config = kLanguageConfig;
        config.replace(config.find("@LANG@"), 6, lang);
        const auto shot = dir.Path() / "shot.png";
        Kiosk k(dir, "ask", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {}, config);
        for (const std::string& screen : screens) {
            const nlohmann::json layout = k.WaitScreen(screen);
            const std::string name = lang + "-" + screen;
            const auto png = outDir / (name + ".png");
            k.Shoot(shot, png);
            const Image img = LoadPng(png);
            CHECK(img.w == 1280);
            CHECK(img.h == 800);
            auto [colours, top] = ColourSpread(img);
            CHECK_MESSAGE(colours > 20, name << ": only " << colours << " colours");
            CHECK_MESSAGE(top < 0.9, name << ": one colour covers " << top);
            const int questionBottom = QuestionBottom(layout);
            REQUIRE_MESSAGE(questionBottom > 40,
                            name << ": no room above the targets for the question");
            Image question;
            question.w = img.w;
            question.h = questionBottom;
            question.rgb.assign(
                img.rgb.begin(),
                img.rgb.begin() + static_cast<std::ptrdiff_t>(img.w) * questionBottom * 3);
            auto [qColours, qTop] = ColourSpread(question);
            CHECK_MESSAGE(qColours > 8,
                          name << ": question area is uniform (" << qColours << " colours)");
            CHECK_MESSAGE(qTop < 0.99, name << ": question area is nearly blank");
            wholeHash[name] = BandHash(img, 0, img.h);
            questionHash[name] = BandHash(img, 0, questionBottom);
            if (screen == "rate")
                k.Click("rate", "rating.1");
            if (screen == "who_helped")
                k.Click("who_helped", "rep.r3");
        }
        k.Kill(SIGTERM);
    }
    // Every screen differs from every other, in the question and as a whole.
    std::set<std::uint64_t> wholes;
    std::set<std::uint64_t> questions;
    for (const auto& [name, h] : wholeHash)
        wholes.insert(h);
    for (const auto& [name, h] : questionHash)
        questions.insert(h);
    CHECK(wholeHash.size() == 15);
    CHECK(wholes.size() == wholeHash.size());
    CHECK(questions.size() == questionHash.size());
    MESSAGE("screenshots in " << outDir.string());
}

TEST_CASE(
    "gui: on a kiosk with no PIN the corner hold never offers to choose one, the pad stays shut") {
    if (!DisplayUsable())
        return;
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    fk::test::TempDir dir;
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "ask", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"});
    k.WaitScreen("rate");
    k.Hold(8, 8, 3.3);
    k.WaitScreen("pin");
    // The old first-use ritual: a PIN twice. Nothing opens, nothing is stored.
    for (int round = 0; round < 2; ++round) {
        for (const char* key : {"pin.2", "pin.5", "pin.8", "pin.0", "pin.ok"})
            k.Click("pin", key);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    CHECK(k.ReadLayout().value("screen", "") == "pin");
    CHECK_FALSE(std::filesystem::exists(dir.Path() / "data" / "manager-pin"));
    k.Shoot(shot, outDir / "manager-no-pin.png");
    const Image img = LoadPng(outDir / "manager-no-pin.png");
    auto [colours, top] = ColourSpread(img);
    CHECK_MESSAGE(colours > 12, "only " << colours << " colours");
    CHECK(k.Log().find("manager mode opened") == std::string::npos);
    k.Click("pin", "pin.cancel");
    k.WaitScreen("rate");
    k.Kill(SIGTERM);
}

TEST_CASE(
    "gui: a 3 s press on the corner and the PIN open manager mode in the real kiosk, exit returns "
    "to Rate") {
    if (!DisplayUsable())
        return;
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    fk::test::TempDir dir;
    const std::string setPin = "printf '2580\\n2580\\n' | " + kKiosk + " set-pin --data-dir " +
                               (dir.Path() / "data").string() + " 2>/dev/null";
    REQUIRE(std::system(setPin.c_str()) == 0);
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "ask", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"});
    k.WaitScreen("rate");
    k.Hold(8, 8, 1.0);  // too short
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    CHECK(k.ReadLayout().value("screen", "") == "rate");
    k.Hold(8, 8, 3.3);
    k.WaitScreen("pin");
    for (const char* digit : {"pin.2", "pin.5", "pin.8"})
        k.Click("pin", digit);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, outDir / "manager-pin-pad.png");
    k.Click("pin", "pin.0");
    k.Click("pin", "pin.ok");
    k.WaitScreen("manager.reps");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, outDir / "manager-reps.png");
    for (const auto& png : {outDir / "manager-pin-pad.png", outDir / "manager-reps.png"}) {
        const Image img = LoadPng(png);
        auto [colours, top] = ColourSpread(img);
        CHECK_MESSAGE(colours > 12, png << ": only " << colours << " colours");
        CHECK_MESSAGE(top < 0.95, png << ": one colour covers " << top);
    }
    k.Click("manager.reps", "manager.exit");
    k.WaitScreen("rate");
    k.Kill(SIGTERM);
    CHECK(k.Export().size() == 1);  // the header: opening manager mode rated nothing
    MESSAGE("screenshots in " << outDir.string());
}

namespace {

// A tiny stand-in for kiosk-server's kiosk routes on 127.0.0.1 (one connection at a time):
// calls and batches get real receipts (the protocol codecs), config 404, heartbeat {}. down:
// every connection is reset, as if the server were gone.
class CallSink {
  public:
    CallSink() : m_server([this](int fd, const std::string& request) { Handle(fd, request); }) {}
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(m_server.Port()); }
    void SetDown(bool down) { m_down = down; }
    std::vector<fk::protocol::Call> Calls() {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    // Waits until at least n calls arrived; returns when the n-th did (fails after timeout).
    std::chrono::steady_clock::time_point WaitCalls(std::size_t n, std::chrono::seconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            {
                std::lock_guard lock(m_mutex);
                if (m_calls.size() >= n)
                    return m_arrived[n - 1];
            }
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "call #" << n << " never arrived");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

  private:
    void Handle(int fd, const std::string& request) {
        if (m_down) {
            fk::test::RawTcpServer::Reset(fd);
            return;
        }
        const auto headEnd = request.find("\r\n\r\n");
        const std::string body = headEnd == std::string::npos ? "" : request.substr(headEnd + 4);
        int status = 200;
        std::string answer = "{}";
        if (request.rfind("POST /api/v1/calls ", 0) == 0) {
            auto calls = fk::protocol::DecodeCallsRequest(body);
            CHECK_MESSAGE(calls.Ok(), "the kiosk sent a bad call: " << body);
            if (!calls.Ok())
                return;
            fk::protocol::CallsReceipt receipt;
            std::lock_guard lock(m_mutex);
            for (const auto& c : calls->calls) {
                const bool known = std::any_of(m_calls.begin(), m_calls.end(), [&](const auto& k) {
                    return k.responseId == c.responseId;
                });
                if (!known) {
                    m_calls.push_back(c);
                    m_arrived.push_back(std::chrono::steady_clock::now());
                }
                receipt.results.push_back({c.responseId,
                                           known ? fk::protocol::ItemStatus::Duplicate
                                                 : fk::protocol::ItemStatus::Accepted,
                                           std::nullopt});
            }
            receipt.serverTime = 1'795'000'000'000;
            answer = fk::protocol::EncodeCallsReceipt(receipt);
        } else if (request.rfind("POST /api/v1/batches ", 0) == 0) {
            auto batch = fk::protocol::DecodeBatch(fk::sync::GzipDecompress(body));
            CHECK(batch.Ok());
            if (!batch.Ok())
                return;
            fk::protocol::Receipt receipt;
            for (const auto& r : batch->responses) {
                receipt.results.push_back({r.id, fk::protocol::ItemStatus::Accepted, std::nullopt});
                m_maxSeq = std::max(m_maxSeq, r.seq);
            }
            receipt.ackedSeq = m_maxSeq;
            receipt.maxSeq = m_maxSeq;
            receipt.serverTime = 1'795'000'000'000;
            answer = fk::protocol::EncodeReceipt(receipt);
        } else if (request.rfind("GET ", 0) == 0) {
            status = 404;
            answer = R"({"error":{"code":"no_config","message":"no config in this test"}})";
        }
        fk::test::RawTcpServer::Write(
            fd, "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                    "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(answer.size()) + "\r\n\r\n" + answer);
    }

    std::mutex m_mutex;
    std::vector<fk::protocol::Call> m_calls;
    std::vector<std::chrono::steady_clock::time_point> m_arrived;
    std::int64_t m_maxSeq = 0;
    std::atomic<bool> m_down{false};
    fk::test::RawTcpServer m_server;  // last: stopped first, before what its handler uses
};

// Help offered after "very bad", confirm_within_s at its minimum so the tests wait little.
const char* kHelpConfig = R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = [1, 2]
idle_timeout_s = 60
thank_you_s = 2
[help]
offer_for = [1]
confirm_within_s = 2
[display]
dpi = 96
[misuse]
min_interval_s = 0
[languages]
offered = ["en", "hi", "te"]
default = "@LANG@"
[sync]
server_url = "@URL@"
token_file = "@TOKEN@"
interval_s = 60
)";

std::string HelpConfig(const fk::test::TempDir& dir, const CallSink& sink,
                       const std::string& lang) {
    std::string config = kHelpConfig;
    const auto token = dir.Path() / "token";
    std::ofstream(token) << "tok-k1\n";
    std::filesystem::permissions(
        token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    for (auto [from, to] :
         {std::pair{std::string("@LANG@"), lang}, std::pair{std::string("@URL@"), sink.Url()},
          std::pair{std::string("@TOKEN@"), token.string()}}) {
        config.replace(config.find(from), from.size(), to);
    }
    return config;
}

// Waits until the thank-you screen says what it says about the call (layout json "call").
void WaitCall(Kiosk& k, const std::string& call) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    nlohmann::json j;
    while (std::chrono::steady_clock::now() < until) {
        j = k.ReadLayout();
        if (j.is_object() && j.value("call", "") == call)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    FAIL("the thank-you never said " << call << "; last layout: " << j.dump());
}

void CheckDrawn(const std::filesystem::path& png) {
    const Image img = LoadPng(png);
    CHECK(img.w == 1280);
    CHECK(img.h == 800);
    auto [colours, top] = ColourSpread(img);
    CHECK_MESSAGE(colours > 8, png.filename() << ": only " << colours << " colours");
    // Text-only thank-you screens are mostly background: ~1-3 % ink.
    CHECK_MESSAGE(top < 0.995, png.filename() << ": one colour covers " << top);
}

}  // namespace

TEST_CASE(
    "gui: rating 1 -> help.yes: the call reaches the server within 2 s and the screen says "
    "someone is on the way, with the server gone it asks at the counter and the call "
    "arrives late when it is back") {
    if (!DisplayUsable())
        return;
    CallSink sink;
    fk::test::TempDir dir;
    Kiosk k(dir, "off", {}, {}, HelpConfig(dir, sink, "hi"));
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.wait_time");
    k.WaitScreen("help");
    // Timed from before xdotool moves and clicks: an upper bound on tap -> server.
    const auto tapped = std::chrono::steady_clock::now();
    k.Click("help", "help.yes");
    const auto arrived = sink.WaitCalls(1, std::chrono::seconds(10));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(arrived - tapped).count();
    MESSAGE("tap -> call at the server: " << ms << " ms");
    CHECK(ms < 2000);
    WaitCall(k, "confirmed");
    auto calls = sink.Calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].rating == 1);
    CHECK(calls[0].scale == 4);
    CHECK(calls[0].language == "hi");
    CHECK(calls[0].reason == std::optional<std::string>("wait_time"));
    CHECK_FALSE(calls[0].late);

    sink.SetDown(true);
    k.WaitScreen("rate");
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.Click("help", "help.yes");
    WaitCall(k, "waiting");
    WaitCall(k, "ask_at_counter");
    CHECK(sink.Calls().size() == 1);
    sink.SetDown(false);
    sink.WaitCalls(2, std::chrono::seconds(40));
    calls = sink.Calls();
    CHECK(calls[1].late);
    CHECK(calls[1].responseId != calls[0].responseId);
    // The thank-you never changes its words once it asked to go to the counter.
    CHECK(k.ReadLayout().value("call", "") != "confirmed");
}

namespace {

// The help step and every thank-you variant in one language, as PNGs in FK_SCREENSHOT_DIR:
// help-<lang>, thanks-on-the-way-<lang>, thanks-ask-counter-<lang>, thanks-sorry-<lang> (a
// "very bad" that wanted no help), thanks-happy-<lang> ("very good").
void ShootHelpScreens(const std::string& lang) {
    if (!DisplayUsable())
        return;
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    CallSink sink;
    fk::test::TempDir dir;
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "off", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {},
            HelpConfig(dir, sink, lang));
    auto shoot = [&](const std::string& name) {
        const auto png = outDir / (name + "-" + lang + ".png");
        k.Shoot(shot, png);
        CheckDrawn(png);
    };
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.WaitScreen("help");
    shoot("help");
    k.Click("help", "help.yes");
    WaitCall(k, "confirmed");
    shoot("thanks-on-the-way");
    sink.SetDown(true);
    k.WaitScreen("rate");
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.Click("help", "help.yes");
    WaitCall(k, "ask_at_counter");
    shoot("thanks-ask-counter");
    sink.SetDown(false);
    k.WaitScreen("rate");
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.Click("help", "help.no");
    k.WaitScreen("thank_you");
    shoot("thanks-sorry");
    k.WaitScreen("rate");
    k.Click("rate", "rating.4");
    k.WaitScreen("thank_you");
    shoot("thanks-happy");
    MESSAGE("screenshots in " << outDir.string());
}

}  // namespace

TEST_CASE("gui: help step and thank-you variants drawn in English") {
    ShootHelpScreens("en");
}
TEST_CASE("gui: help step and thank-you variants drawn in Hindi") {
    ShootHelpScreens("hi");
}
TEST_CASE("gui: help step and thank-you variants drawn in Telugu") {
    ShootHelpScreens("te");
}

namespace {

std::string LastLine(std::string text) {
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    const auto pos = text.rfind('\n');
    return pos == std::string::npos ? text : text.substr(pos + 1);
}

std::string ServerCli(const std::vector<std::string>& args) {
    fk::test::Child cli(FK_KIOSK_SERVER, args, true);
    std::string out = cli.ReadToEnd();
    const int status = cli.Wait();
    REQUIRE_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0),
                    "kiosk-server " << args[0] << " failed: " << out);
    return out;
}

// The real kiosk-server on 127.0.0.1:0 (SQLite) with its settings file; returns its port.
std::unique_ptr<fk::test::Child> StartServer(const std::string& db, const std::string& config,
                                             int& port) {
    auto child = std::make_unique<fk::test::Child>(
        FK_KIOSK_SERVER,
        std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--config",
                                 config},
        true);
    REQUIRE_MESSAGE(child->WaitForLine("kiosk-server: serving", 20000),
                    "kiosk-server did not start: " << child->Output());
    std::smatch match;
    const std::string out = child->Output();
    REQUIRE(std::regex_search(out, match, std::regex(R"(on 127\.0\.0\.1:(\d+))")));
    port = std::stoi(match[1]);
    return child;
}

// Independent of the server's code: OpenSSL's HMAC-SHA256 of body keyed with the secret, in hex.
std::string HmacHex(const std::string& key, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
    std::string out;
    char hex[3];
    for (unsigned i = 0; i < len; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", mac[i]);
        out += hex;
    }
    return out;
}

// A webhook receiver on 127.0.0.1: each POST's body, signature and arrival time.
class WebhookSink {
  public:
    struct Hook {
        std::string body, signature;
        std::chrono::steady_clock::time_point at;
    };
    WebhookSink() {
        m_server.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(m_mutex);
            m_hooks.push_back({req.body, req.get_header_value("X-Kiosk-Signature"),
                               std::chrono::steady_clock::now()});
            res.set_content("ok", "text/plain");
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~WebhookSink() {
        m_server.stop();
        m_thread.join();
    }
    int Port() const { return m_port; }
    std::optional<Hook> With(const std::string& text) {
        std::lock_guard lock(m_mutex);
        for (const auto& h : m_hooks) {
            if (h.body.find(text) != std::string::npos)
                return h;
        }
        return std::nullopt;
    }

  private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<Hook> m_hooks;
};

// GET /api/v1/calls?store=s1&status=all through the proxy with a manager token of the store.
std::vector<fk::protocol::CallRecord> ListCalls(int port, const std::string& token) {
    const std::string body =
        Run("curl -s -m 5 -H 'Authorization: Bearer " + token +
            "' 'http://127.0.0.1:" + std::to_string(port) + "/api/v1/calls?store=s1&status=all'");
    auto list = fk::protocol::DecodeCallList(body);
    return list ? list->calls : std::vector<fk::protocol::CallRecord>{};
}

}  // namespace

TEST_CASE(
    "gui + kiosk-server: rating 1 -> help.yes is an open call of the store, at a signed webhook "
    "and in an e-mail within 2 s, staff close it from manager mode, "
    "the screen says someone is on the way, with the server down it asks at the counter "
    "and the call arrives late after the server returns") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    const std::string db = (dir.Path() / "server.db").string();
    ServerCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"});
    const std::string token =
        LastLine(ServerCli({"add-kiosk", "--db", db, "--store", "s1", "--id", "k1"}));
    const std::string manager = LastLine(ServerCli({"add-manager", "--db", db, "--store", "s1"}));
    // The store's channels: a signed webhook and e-mail through a local SMTP sink.
    if (std::system("/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null") != 0) {
        if (const char* req = std::getenv("FK_REQUIRE_SMTP"); req && std::string(req) == "1")
            FAIL("python3-aiosmtpd is missing (FK_REQUIRE_SMTP=1); run scripts/setup-deps");
        fk::test::Skip("python3-aiosmtpd is not installed (scripts/setup-deps installs it)");
        return;
    }
    WebhookSink hooks;
    const std::string secret =
        LastLine(ServerCli({"add-webhook", "--db", db, "--store", "s1", "--url",
                            "http://127.0.0.1:" + std::to_string(hooks.Port()) + "/hook"}));
    const int smtpPort = fk::test::FreeLoopbackPort();
    fk::test::Child smtp(
        "/usr/bin/python3",
        {"-u", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(smtpPort)}, true);
    const std::string serverConfig = (dir.Path() / "server.toml").string();
    std::ofstream(serverConfig) << "[smtp]\nurl = \"smtp://127.0.0.1:" << smtpPort
                                << "\"\nfrom = \"kiosk@example.com\"\nto = "
                                   "[\"manager@example.com\"]\nstarttls = \"none\"\n";
    int port = 0;
    auto server = StartServer(db, serverConfig, port);
    fk::test::FaultProxy proxy(1);  // no faults: a fixed address across server restarts
    proxy.SetUpstreamPort(port);
    CallSink unused;
    std::string config = HelpConfig(dir, unused, "te");
    const std::string sinkUrl = unused.Url();
    config.replace(config.find(sinkUrl), sinkUrl.size(),
                   "http://127.0.0.1:" + std::to_string(proxy.Port()));
    std::ofstream(dir.Path() / "token", std::ios::trunc) << token << "\n";
    const std::string setPin = "printf '2580\\n2580\\n' | " + kKiosk + " set-pin --data-dir " +
                               (dir.Path() / "data").string() + " 2>/dev/null";
    REQUIRE(std::system(setPin.c_str()) == 0);
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "off", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {}, config);

    k.Click("rate", "rating.1");
    k.Click("reason", "reason.wait_time");
    k.WaitScreen("help");
    const auto tapped = std::chrono::steady_clock::now();
    k.Click("help", "help.yes");
    std::vector<fk::protocol::CallRecord> calls;
    while ((calls = ListCalls(proxy.Port(), manager)).empty()) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() - tapped < std::chrono::seconds(10),
                        "the call never showed in GET /api/v1/calls; kiosk log: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - tapped)
                        .count();
    MESSAGE("tap -> listed by kiosk-server: " << ms << " ms");
    CHECK(ms < 2000);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].status == fk::protocol::CallStatus::Open);
    CHECK(calls[0].kioskId == "k1");
    CHECK(calls[0].storeId == "s1");
    CHECK(calls[0].call.rating == 1);
    CHECK(calls[0].call.language == "te");
    CHECK(calls[0].call.reason == std::optional<std::string>("wait_time"));
    CHECK_FALSE(calls[0].call.late);
    const std::string callId = calls[0].call.responseId.ToString();
    std::optional<WebhookSink::Hook> hook;
    while (!(hook = hooks.With(callId))) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() - tapped < std::chrono::seconds(10),
                        "the call never reached the webhook; server: " << server->Output());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto hookMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(hook->at - tapped).count();
    MESSAGE("tap -> webhook received: " << hookMs << " ms");
    CHECK(hookMs < 2000);
    CHECK(hook->signature == "sha256=" + HmacHex(secret, hook->body));
    bool mailed = false;
    while (!mailed) {
        smtp.Drain();
        mailed = smtp.Output().find(callId) != std::string::npos;
        if (!mailed) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() - tapped < std::chrono::seconds(10),
                            "the call was never mailed; sink: " << smtp.Output());
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    const auto mailMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - tapped)
                            .count();
    MESSAGE("tap -> e-mail at the SMTP sink: " << mailMs << " ms");
    CHECK(mailMs < 2000);
    WaitCall(k, "confirmed");
    // Staff answer it in the kiosk's own manager mode (its PIN, the Calls tab, the kiosk token):
    // acknowledged, then closed (an open call would fold the next one in).
    const std::string id = calls[0].call.responseId.ToString();
    k.Hold(8, 8, 3.3);
    for (const char* key : {"pin.2", "pin.5", "pin.8", "pin.0", "pin.ok"})
        k.Click("pin", key);
    k.Click("manager.reps", "tab.calls");
    k.WaitElement("manager.calls", "call.ack." + id);
    k.Click("manager.calls", "call.ack." + id);
    auto waitStatus = [&](fk::protocol::CallStatus status) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while ((calls = ListCalls(proxy.Port(), manager)).size() != 1 ||
               calls[0].status != status) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "the kiosk's answer never reached the server; log: " << k.Log());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    };
    waitStatus(fk::protocol::CallStatus::Acknowledged);
    REQUIRE(calls[0].ackedBy);
    CHECK(calls[0].ackedBy->find("k1") != std::string::npos);  // "... till k1" in Telugu
    k.WaitScreen("manager.calls");
    k.Shoot(shot, outDir / "manager-calls-te-acknowledged.png");
    k.Click("manager.calls", "call.close." + id + ".helped");
    waitStatus(fk::protocol::CallStatus::Closed);
    CHECK(calls[0].outcome == fk::protocol::CallOutcome::Helped);
    k.Click("manager.calls", "manager.exit");
    k.WaitScreen("rate");

    server->Kill(SIGKILL);
    server->Wait();
    k.WaitScreen("rate");
    k.Click("rate", "rating.1");
    k.Click("reason", "reason.skip");
    k.Click("help", "help.yes");
    WaitCall(k, "ask_at_counter");
    server = StartServer(db, serverConfig, port);
    proxy.SetUpstreamPort(port);
    const auto back = std::chrono::steady_clock::now();
    while ((calls = ListCalls(proxy.Port(), manager)).size() < 2) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() - back < std::chrono::seconds(60),
                        "the late call never arrived; kiosk log: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(calls.size() == 2);
    // Newest first.
    CHECK(calls[0].call.late);
    CHECK_FALSE(calls[1].call.late);
    CHECK(k.ReadLayout().value("call", "") != "confirmed");
    server->Kill(SIGTERM);
    server->Wait();
}

namespace {

// A store with 200 reps: 20 first names x 10 family names, written family name first (so the
// kiosk must sort them) with ids r1..r200 in English alphabetical order: r150 is the 150th tile.
std::string BigRosterConfig(const std::string& defaultLanguage, bool hindiNames) {
    const char* latinFirst[] = {"Aaron", "Bella", "Carlos", "Dina",  "Emil",  "Fatima", "Georg",
                                "Hana",  "Ivan",  "Julia",  "Karim", "Lena",  "Marco",  "Nadia",
                                "Oscar", "Priya", "Quinn",  "Rosa",  "Samir", "Tara"};
    const char* latinLast[] = {"Berg", "Costa", "Dahl",    "Evans",  "Frost",
                               "Gray", "Holm",  "Iversen", "Jensen", "Kaur"};
    // Hindi: 20 common given names and 10 family names.
    const char* hindiFirst[] = {"अमित", "आशा",  "इंदु",   "उषा",  "कमल", "किरण",  "गीता",
                                "चंदन",  "जया",  "दीपक", "नेहा",  "पूजा", "प्रिया", "भरत",
                                "मीना", "राहुल", "रीता", "विजय", "शिव", "सुनीता"};
    const char* hindiLast[] = {"अग्रवाल", "कुमार", "गुप्ता", "जोशी", "नायर",
                               "पटेल",    "मेहता", "राव",  "वर्मा", "शर्मा"};
    std::string config = R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = [1, 2]
idle_timeout_s = 120
thank_you_s = 2
[display]
dpi = 96
[misuse]
min_interval_s = 0
[help]
offer_for = []
[languages]
offered = ["en", "hi", "te"]
default = ")" + defaultLanguage +
                         R"("
)";
    for (int last = 0; last < 10; ++last) {
        for (int first = 0; first < 20; ++first) {
            const int id = first * 10 + last + 1;
            const std::string name = hindiNames
                                         ? std::string(hindiFirst[first]) + " " + hindiLast[last]
                                         : std::string(latinFirst[first]) + " " + latinLast[last];
            config += "[[rep]]\nid = \"r" + std::to_string(id) + "\"\nname = \"" + name + "\"\n";
        }
    }
    return config;
}

bool HasElement(const nlohmann::json& layout, const std::string& id) {
    for (const auto& e : layout["elements"]) {
        if (e["id"] == id)
            return true;
    }
    return false;
}

// The rep tiles' ids on the picker's current page, in order.
std::vector<std::string> RepTiles(const nlohmann::json& layout) {
    std::vector<std::string> out;
    for (const auto& e : layout["elements"]) {
        const std::string id = e["id"];
        if (id.rfind("rep.r", 0) == 0)
            out.push_back(id);
    }
    return out;
}

std::string FirstRepTile(const nlohmann::json& layout) {
    const auto tiles = RepTiles(layout);
    return tiles.empty() ? "" : tiles.front();
}

// Clicks rep.next and waits until the layout shows another page; fails after 10 s.
nlohmann::json NextPage(Kiosk& k) {
    const std::string before = FirstRepTile(k.WaitScreen("who_helped"));
    k.Click("who_helped", "rep.next");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        nlohmann::json j = k.ReadLayout();
        if (j.is_object() && j.value("screen", "") == "who_helped" && FirstRepTile(j) != before)
            return j;
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                        "rep.next did not turn the page; log: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
}

}  // namespace

TEST_CASE(
    "gui: 200 reps, real clicks on rep.next page to the 150th, picking it stores its rep_id "
    "in the SQLite file") {
    if (!DisplayUsable())
        return;
    if (std::system("sqlite3 -version > /dev/null 2>&1") != 0)
        fk::test::Skip("no sqlite3 command (Debian sqlite3): stored row not checked");
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    fk::test::TempDir dir;
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "ask", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {},
            BigRosterConfig("en", false));
    k.Click("rate", "rating.1");
    nlohmann::json j = k.WaitScreen("who_helped");
    // The rep on duty here (Kiosk passes --on-duty-rep r3) first, then by name: "Aaron Berg" (r1)
    // leads the sorted rest, not "Aaron Berg"'s place in the file. r150 stays the 150th tile.
    CHECK(FirstRepTile(j) == "rep.r3");
    REQUIRE(RepTiles(j).size() == 25);
    CHECK(RepTiles(j)[1] == "rep.r1");
    CHECK(RepTiles(j)[2] == "rep.r2");
    CHECK(RepTiles(j)[3] == "rep.r4");
    CHECK(HasElement(j, "rep.prev"));
    CHECK(HasElement(j, "rep.skip"));
    int taps = 0;
    while (!HasElement(j, "rep.r150")) {
        REQUIRE(taps < 8);  // 200 reps at 1280x800@96: 25 a page, 8 pages
        j = NextPage(k);
        ++taps;
    }
    CHECK(taps == 5);  // the 150th is on the 6th page
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    k.Shoot(shot, outDir / "en-who-helped-200-page6.png");
    k.Click("who_helped", "rep.r150");
    k.Click("reason", "reason.skip");
    k.WaitScreen("thank_you");
    k.Kill(SIGTERM);
    const std::string db = (dir.Path() / "data" / "responses.db").string();
    const std::string rows =
        Run("sqlite3 -readonly '" + db + "' 'SELECT rep_id, rating FROM responses' 2>&1");
    CHECK(rows == "r150|1\n");
}

TEST_CASE(
    "gui: screenshots of the 200-rep picker in English, Telugu and with Hindi names, "
    "landscape and portrait") {
    if (!DisplayUsable())
        return;
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    struct Shot {
        std::string language;
        bool hindiNames;
        std::string size;
        std::string name;
    };
    const Shot shots[] = {
        {"en", false, "1280x800", "en-who-helped-200"},
        {"en", false, "800x1280", "en-who-helped-200-portrait"},
        {"te", false, "1280x800", "te-who-helped-200"},
        {"te", false, "800x1280", "te-who-helped-200-portrait"},
        {"hi", true, "1280x800", "hi-who-helped-200-hindi-names"},
        {"en", true, "1920x1080", "en-who-helped-200-hindi-names-1080p"},
    };
    for (const Shot& s : shots) {
        fk::test::TempDir dir;
        const auto shot = dir.Path() / "shot.png";
        Kiosk k(dir, "ask",
                {"--windowed", s.size, "--screenshot", shot.string(), "--screenshot-on-sigusr1"},
                {}, BigRosterConfig(s.language, s.hindiNames));
        k.Click("rate", "rating.2");
        const nlohmann::json j = k.WaitScreen("who_helped");
        CHECK(HasElement(j, "rep.next"));
        CHECK(FirstRepTile(j) == "rep.r3");  // on duty
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto png = outDir / (s.name + ".png");
        k.Shoot(shot, png);
        const Image img = LoadPng(png);
        CHECK(std::to_string(img.w) + "x" + std::to_string(img.h) == s.size);
        auto [colours, top] = ColourSpread(img);
        CHECK_MESSAGE(colours > 20, s.name << ": only " << colours << " colours");
        k.Kill(SIGTERM);
    }
    MESSAGE("screenshots in " << outDir.string());
}

// Reads sox's stats of a raw mono S16 22050 Hz file: {length s, RMS dB}; {-1, -1000} when sox
// cannot read it.
std::pair<double, double> SoxLengthAndRms(const std::filesystem::path& raw) {
    const std::string text =
        Run("sox -t raw -r 22050 -e signed -b 16 -c 1 '" + raw.string() + "' -n stats 2>&1");
    auto field = [&](const std::string& name) {
        const auto at = text.find(name);
        if (at == std::string::npos)
            return -1000.0;
        std::istringstream in(text.substr(at + name.size()));
        std::string v;
        in >> v;
        return v == "-inf" ? -1000.0 : std::strtod(v.c_str(), nullptr);
    };
    const double length = field("Length s");
    return {length < -999 ? -1.0 : length, field("RMS lev dB")};
}

TEST_CASE(
    "gui: listen reads the Rate screen aloud, then the thank-you chime, into an ALSA file sink") {
    if (!DisplayUsable())
        return;
    if (std::system("sox --version > /dev/null 2>&1") != 0) {
        const char* require = std::getenv("FK_REQUIRE_SOX");
        if (require && std::string(require) == "1")
            FAIL("FK_REQUIRE_SOX=1 but sox does not run");
        fk::test::Skip("sox is not installed: the kiosk's audio cannot be measured");
        return;
    }
    fk::test::TempDir dir;
    const auto raw = dir.Path() / "audio.raw";
    std::string config = kConfig;
    config += "[sound]\nvolume_pct = 80\ndevice = \"file:FILE=" + raw.string() + ",FORMAT=raw\"\n";
    Kiosk k(dir, "off", {}, {}, config);
    k.Click("rate", "listen");
    // The question and four face labels: several seconds of speech, synthesised off the UI
    // thread and written through ALSA's file plugin as it plays.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until &&
           (!std::filesystem::exists(raw) || std::filesystem::file_size(raw) < 2 * 22050 * 2))
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto [spokenS, spokenRms] = SoxLengthAndRms(raw);
    INFO("log: " << k.Log());
    CHECK(spokenS > 2.0);
    CHECK(spokenRms > -35);
    // Rep mode off and no reason after a 4: this tap brings thank-you, so its sound is the chime.
    k.Click("rate", "rating.4");
    k.WaitScreen("thank_you");
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    k.Kill(SIGTERM);
    const auto [totalS, totalRms] = SoxLengthAndRms(raw);
    // The thank-you chime (420 ms) follows the speech.
    CHECK(totalS > spokenS + 0.4);
    CHECK(totalRms > -35);
    CHECK(k.Log().find("sound off") == std::string::npos);
    std::filesystem::create_directories(FK_SCREENSHOT_DIR);
    std::filesystem::copy_file(raw, std::filesystem::path(FK_SCREENSHOT_DIR) / "gui-listen.raw",
                               std::filesystem::copy_options::overwrite_existing);
}

TEST_CASE(
    "gui + kiosk-server: change my answer, by real clicks, corrects the stored row (the first "
    "answer kept) and the server's reports count the corrected answer") {
    if (!DisplayUsable())
        return;
    if (std::system("sqlite3 -version > /dev/null 2>&1") != 0)
        fk::test::Skip("no sqlite3 command (Debian sqlite3): stored rows not checked");
    fk::test::TempDir dir;
    const std::string db = (dir.Path() / "server.db").string();
    ServerCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"});
    const std::string token =
        LastLine(ServerCli({"add-kiosk", "--db", db, "--store", "s1", "--id", "k1"}));
    const std::string manager = LastLine(ServerCli({"add-manager", "--db", db, "--store", "s1"}));
    const std::string serverConfig = (dir.Path() / "server.toml").string();
    std::ofstream(serverConfig) << "# defaults\n";
    int port = 0;
    auto server = StartServer(db, serverConfig, port);
    const auto tokenFile = dir.Path() / "token";
    std::ofstream(tokenFile) << token << "\n";
    std::filesystem::permissions(
        tokenFile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::string config = kConfig;
    config += "[sync]\nserver_url = \"http://127.0.0.1:" + std::to_string(port) +
              "\"\ntoken_file = \"" + tokenFile.string() + "\"\ninterval_s = 60\n";
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "ask", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {}, config);

    // Customer 1 taps the angry face by mistake, changes it to the happy one, picks the rep.
    k.Click("rate", "rating.1");
    k.WaitElement("who_helped", "undo");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, outDir / "en-who-helped-undo.png");
    k.Click("who_helped", "undo");
    nlohmann::json rate = k.WaitScreen("rate");
    CHECK_FALSE(HasElement(rate, "undo"));
    k.Click("rate", "rating.3");
    k.Click("who_helped", "rep.r2");
    k.WaitScreen("thank_you");
    k.WaitScreen("rate");
    // Customer 2 is offered the change and does not use it.
    k.Click("rate", "rating.2");
    k.Click("who_helped", "rep.skip");
    k.Click("reason", "reason.price");
    k.WaitScreen("thank_you");
    k.WaitScreen("rate");

    // The server has both rows and counts the corrected answer: one 3 and one 2, no 1.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    nlohmann::json report;
    for (;;) {
        const std::string body = Run("curl -s -m 5 -H 'Authorization: Bearer " + manager +
                                     "' 'http://127.0.0.1:" + std::to_string(port) +
                                     "/api/v1/reports/reps?store=s1&period=today'");
        report = nlohmann::json::parse(body, nullptr, false);
        if (report.is_object() && report.contains("total") &&
            report["total"].value("responses", 0) == 2)
            break;
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                        "the server never counted 2 responses: " << body << "; log: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(report["total"]["distribution"] == nlohmann::json::array({0, 1, 1, 0}));
    k.Kill(SIGTERM);
    const std::string kioskDb = (dir.Path() / "data" / "responses.db").string();
    const std::string rows =
        Run("sqlite3 -readonly '" + kioskDb +
            "' \"SELECT seq, rating, coalesce(first_rating, '-'), coalesce(rep_id, '-'), "
            "close_reason, sync_state FROM responses ORDER BY seq\" 2>&1");
    CHECK(rows == "1|3|1|r2|thank_you|sent\n2|2|-|-|thank_you|sent\n");
}

namespace {

const char* kSurveyConfig = R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = [1, 2]
idle_timeout_s = 60
thank_you_s = 2
[display]
dpi = 96
[misuse]
min_interval_s = 0
[help]
offer_for = []
[sync]
server_url = "@URL@"
token_file = "@TOKEN@"
interval_s = 5
)";

bool Shows(const nlohmann::json& layout, const std::string& id) {
    for (const auto& e : layout["elements"]) {
        if (e["id"] == id)
            return true;
    }
    return false;
}

// Waits until the Rate screen shows (or, with present false, no longer shows) element id.
double WaitRate(Kiosk& k, const std::string& id, bool present, int seconds) {
    const auto start = std::chrono::steady_clock::now();
    nlohmann::json j;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(seconds)) {
        j = k.ReadLayout();
        if (j.is_object() && j.value("screen", "") == "rate" && Shows(j, id) == present)
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("rate never " << (present ? "showed " : "lost ") << id << " in " << seconds
                       << " s; layout: " << j.dump() << "; log: " << k.Log());
    return 0;
}

// kiosk-server set-config; returns its exit code and everything it printed.
std::pair<int, std::string> SetConfig(const std::string& db, const std::filesystem::path& file,
                                      const std::string& json) {
    std::ofstream(file, std::ios::trunc) << json;
    fk::test::Child cli(FK_KIOSK_SERVER,
                        {"set-config", "--db", db, "--store", "s1", "--file", file.string()}, true);
    std::string out = cli.ReadToEnd();
    const int status = cli.Wait();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The kiosk's survey version as kiosk-server last heard it in a heartbeat (status endpoint).
std::optional<std::int64_t> ServerSeesVersion(int port, const std::string& manager) {
    const std::string body =
        Run("curl -s -m 5 -H 'Authorization: Bearer " + manager +
            "' 'http://127.0.0.1:" + std::to_string(port) + "/api/v1/kiosks/k1/status'");
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j["config_version"].is_number_integer())
        return std::nullopt;
    return j["config_version"].get<std::int64_t>();
}

void WaitServerSees(int port, const std::string& manager, std::int64_t version, Kiosk& k) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (ServerSeesVersion(port, manager) != version) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                        "the server never heard version " << version << "; log: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

TEST_CASE(
    "gui + kiosk-server: a survey definition stored on the server is applied live within one "
    "sync interval (five faces, a new reason, Telugu), a broken one is refused and the kiosk "
    "keeps its survey, a roll back returns, an offline kiosk applies the change on reconnect") {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    const std::string db = (dir.Path() / "server.db").string();
    ServerCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"});
    const std::string token =
        LastLine(ServerCli({"add-kiosk", "--db", db, "--store", "s1", "--id", "k1"}));
    const std::string manager = LastLine(ServerCli({"add-manager", "--db", db, "--store", "s1"}));
    const std::string serverConfig = (dir.Path() / "server.toml").string();
    std::ofstream(serverConfig) << "# defaults\n";
    int port = 0;
    auto server = StartServer(db, serverConfig, port);
    fk::test::FaultProxy proxy(1);  // no faults: a fixed address across server restarts
    proxy.SetUpstreamPort(port);
    const auto tokenFile = dir.Path() / "token";
    std::ofstream(tokenFile) << token << "\n";
    std::filesystem::permissions(
        tokenFile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::string config = kSurveyConfig;
    config.replace(config.find("@URL@"), 5, "http://127.0.0.1:" + std::to_string(proxy.Port()));
    config.replace(config.find("@TOKEN@"), 7, tokenFile.string());
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "off", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {}, config);

    // Its own kiosk.toml: four faces, English only.
    WaitRate(k, "rating.4", true, 15);
    CHECK_FALSE(Shows(k.ReadLayout(), "rating.5"));
    k.Shoot(shot, outDir / "survey_before_en.png");

    // Version 1: five faces, a reason of the store's own, English and Telugu.
    const std::string v1 = R"({"survey": {"scale": 5, "ask_reason_for": [1, 2]},
      "languages": {"offered": ["en", "te"], "default": "en"},
      "reasons": [{"id": "parking", "labels": {"en": "No parking space", "te": "పార్కింగ్ స్థలం లేదు"}},
                  {"id": "wait_time"}, {"id": "staff_attitude", "attributable_to_rep": true}]})";
    auto [code1, out1] = SetConfig(db, dir.Path() / "v1.json", v1);
    REQUIRE_MESSAGE(code1 == 0, out1);
    CHECK(out1.find("version 1") != std::string::npos);
    const double applied = WaitRate(k, "rating.5", true, 15);
    MESSAGE("set-config -> five faces on the running kiosk: " << applied << " s");
    CHECK(applied < 5 + 3);  // one sync interval, a frame and a little slack
    k.Shoot(shot, outDir / "survey_after_en.png");
    WaitServerSees(port, manager, 1, k);
    k.Click("rate", "rating.1");
    k.WaitElement("reason", "reason.parking");
    k.Shoot(shot, outDir / "survey_after_reason_en.png");
    k.Click("reason", "reason.parking");
    k.WaitScreen("thank_you");

    // A broken definition is refused with the loader's words; the kiosk keeps version 1.
    auto [code2, out2] = SetConfig(db, dir.Path() / "bad.json", R"({"survey": {"scale": 6}})");
    CHECK(code2 == 1);
    CHECK_MESSAGE(out2.find("bad.json: /survey/scale: ") != std::string::npos, out2);
    std::this_thread::sleep_for(std::chrono::seconds(6));
    WaitRate(k, "rating.5", true, 15);

    // Version 2: Telugu first. Then back to version 1 (stored as version 3).
    std::string v2 = v1;
    v2.replace(v2.find(R"("default": "en")"), 15, R"("default": "te")");
    auto [code3, out3] = SetConfig(db, dir.Path() / "v2.json", v2);
    REQUIRE_MESSAGE(code3 == 0, out3);
    WaitServerSees(port, manager, 2, k);
    WaitRate(k, "rating.5", true, 15);
    k.Click("rate", "lang.te");  // the customer on screen keeps English until they choose
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    k.Shoot(shot, outDir / "survey_after_te.png");
    const std::string rolled =
        ServerCli({"rollback-config", "--db", db, "--store", "s1", "--to-version", "1"});
    CHECK(rolled.find("now version 3") != std::string::npos);
    WaitServerSees(port, manager, 3, k);
    const std::string versions = ServerCli({"config-versions", "--db", db, "--store", "s1"});
    CHECK(versions.find("version 3") != std::string::npos);
    CHECK(versions.find("(rollback to 1)") != std::string::npos);

    // Offline while head office stores version 4 (four faces again): applied on reconnect.
    server->Kill(SIGKILL);
    server->Wait();
    auto [code4, out4] = SetConfig(db, dir.Path() / "v4.json", R"({"survey": {"scale": 4}})");
    REQUIRE_MESSAGE(code4 == 0, out4);
    std::this_thread::sleep_for(std::chrono::seconds(6));
    CHECK(Shows(k.ReadLayout(), "rating.5"));  // nothing to fetch it from
    server = StartServer(db, serverConfig, port);
    proxy.SetUpstreamPort(port);
    WaitRate(k, "rating.5", false, 60);
    WaitServerSees(port, manager, 4, k);
    CHECK(Shows(k.ReadLayout(), "rating.4"));
    k.Kill(SIGTERM);
    server->Kill(SIGTERM);
}

namespace {

// The staff sign-in test's kiosk: on duty, reps with personal codes (hashes made here, as
// kiosk-server set-rep-code makes them), the staff screens in defaultLanguage.
std::string StaffConfig(const std::string& defaultLanguage) {
    return std::string(R"(
[kiosk]
id = "k1"
store_id = "s1"
[survey]
scale = 4
rep_mode = "@MODE@"
ask_reason_for = []
thank_you_s = 2
shift_hours = 9
[display]
dpi = 96
[misuse]
min_interval_s = 0
[languages]
offered = ["en", "te"]
default = ")") +
           defaultLanguage + R"("
[help]
offer_for = []
[[rep]]
id = "r1"
name = "Asha Verma"
code_hash = ")" +
           fk::config::HashPin("246813") + R"("
[[rep]]
id = "r2"
name = "రవి కుమార్"
code_hash = ")" +
           fk::config::HashPin("1357") + R"("
[[rep]]
id = "r3"
name = "Mette"
[[rep]]
id = "r4"
name = "प्रिया शर्मा"
code_hash = ")" +
           fk::config::HashPin("8642") + R"("
)";
}

void StaffSignInRun(const std::string& language) {
    if (!DisplayUsable())
        return;
    fk::test::TempDir dir;
    const auto shot = dir.Path() / "shot.png";
    Kiosk k(dir, "on_duty", {"--screenshot", shot.string(), "--screenshot-on-sigusr1"}, {},
            StaffConfig(language));
    const std::filesystem::path outDir = FK_SCREENSHOT_DIR;
    std::filesystem::create_directories(outDir);
    const std::string prefix = (outDir / (language + "-staff-")).string();
    k.WaitElement("rate", "staff");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, prefix + "1-rate-button.png");
    k.Click("rate", "staff");
    k.WaitElement("staff", "staff.rep.r1");
    nlohmann::json picker = k.WaitScreen("staff");
    std::set<std::string> offered;
    for (const auto& e : picker["elements"])
        offered.insert(e["id"].get<std::string>());
    CHECK(offered.count("staff.rep.r2") == 1);
    CHECK(offered.count("staff.rep.r4") == 1);
    CHECK(offered.count("staff.rep.r3") == 0);  // no code: Mette signs in through manager mode
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    k.Shoot(shot, prefix + "2-names.png");
    k.Click("staff", "staff.rep.r1");
    k.WaitScreen("staff.code");
    for (const char* key : {"pin.1", "pin.2", "pin.3", "pin.4", "pin.ok"})
        k.Click("staff.code", key);  // a wrong code: the pad says so and stays
    // The argon2id check takes a moment (more on a loaded machine): shoot once it is logged.
    const auto checked = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!Has(k.Log(), "wrong staff code for rep r1")) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < checked, "no wrong code: " << k.Log());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    k.Shoot(shot, prefix + "3-wrong-code.png");
    for (const char c : std::string("246813"))
        k.Click("staff.code", std::string("pin.") + c);
    k.Click("staff.code", "pin.ok");
    k.WaitScreen("rate");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    k.Shoot(shot, prefix + "4-served-by.png");
    k.Click("rate", "rating.4");
    k.WaitScreen("thank_you");
    k.Kill(SIGTERM);
    const std::string log = k.Log();
    CHECK(Has(log, "rep r1 signed in at this kiosk with their staff code"));
    CHECK(Has(log, "wrong staff code for rep r1"));
    CHECK_FALSE(Has(log, "246813"));
    CHECK_FALSE(Has(log, "argon2"));
    auto rows = k.Export();
    REQUIRE(rows.size() == 2);
    CHECK(Has(rows[1], ",4,4,r1,"));  // the rating went to the rep who signed in
    CHECK_FALSE(Has(rows[1], "argon2"));
    // The roster file keeps who is on duty and since when; never a code or hash.
    std::ifstream roster(dir.Path() / "data" / "manager-roster.json");
    std::stringstream saved;
    saved << roster.rdbuf();
    CHECK(Has(saved.str(), "\"on_duty\": \"r1\""));
    CHECK(Has(saved.str(), "on_duty_since"));
    CHECK_FALSE(Has(saved.str(), "argon2"));
    MESSAGE("screenshots in " << outDir.string());
}

}  // namespace

TEST_CASE("gui: staff sign-in with a rep's own code, real clicks, English (screenshots)") {
    StaffSignInRun("en");
}

TEST_CASE("gui: staff sign-in with a rep's own code, real clicks, Telugu (screenshots)") {
    StaffSignInRun("te");
}

namespace {

std::string Replaced(std::string text, const std::string& key, const std::string& value) {
    text.replace(text.find(key), key.size(), value);
    return text;
}

// On the "who helped" picker: pages forward (rep.next) until rep id shows, then taps it.
// Returns the taps on rep.next it took.
int PickThroughPages(Kiosk& k, const std::string& id) {
    for (int taps = 0; taps < 20; ++taps) {
        const nlohmann::json j = k.WaitScreen("who_helped");
        if (Shows(j, "rep." + id)) {
            k.Click("who_helped", "rep." + id);
            return taps;
        }
        const std::string before = j.dump();
        k.Click("who_helped", "rep.next");
        for (int i = 0; i < 100 && k.ReadLayout().dump() == before; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("rep " << id << " never showed on the picker");
    return -1;
}

}  // namespace

TEST_CASE(
    "gui + kiosk-server: one store, 6 tills, 150 reps end to end: the roster and staff codes come "
    "from the server, reps sign in at three tills with their own codes, customers at the other "
    "three page to their rep, every stored row on the server names the right rep and till") {
    if (!DisplayUsable())
        return;
    if (std::system("sqlite3 -version > /dev/null 2>&1") != 0)
        fk::test::Skip("no sqlite3 command (Debian sqlite3): stored rows not checked");
    fk::test::TempDir dir;
    const std::string db = (dir.Path() / "server.db").string();
    ServerCli({"add-store", "--db", db, "--id", "s1", "--name", "Store One"});
    constexpr int kTills = 6;
    std::vector<std::string> tokens;
    for (int i = 1; i <= kTills; ++i) {
        tokens.push_back(LastLine(ServerCli(
            {"add-kiosk", "--db", db, "--store", "s1", "--id", "k" + std::to_string(i)})));
    }
    // 150 reps in three scripts; every one of them on the pushed roster.
    static const char* kGiven[] = {"Asha",  "Ravi",  "Mette", "प्रिया", "రవి",
                                   "Søren", "Kiran", "सीता",  "లక్ష్మి",  "Anders"};
    nlohmann::json roster = nlohmann::json::array();
    for (int i = 1; i <= 150; ++i) {
        roster.push_back({{"id", "rep" + std::to_string(i)},
                          {"name", std::string(kGiven[i % 10]) + " " + std::to_string(i)}});
    }
    const nlohmann::json definition = {{"survey",
                                        {{"scale", 4},
                                         {"rep_mode", "on_duty"},
                                         {"ask_reason_for", nlohmann::json::array()},
                                         {"thank_you_s", 2}}},
                                       {"roster", roster}};
    const auto definitionFile = dir.Path() / "store.json";
    std::ofstream(definitionFile) << definition.dump();
    ServerCli({"set-config", "--db", db, "--store", "s1", "--file", definitionFile.string()});
    // Three reps get personal codes from the console (typed twice, piped here).
    const std::map<std::string, std::string> codes = {
        {"rep7", "246813"}, {"rep88", "1357"}, {"rep150", "97531"}};
    for (const auto& [rep, code] : codes) {
        const std::string out =
            Run("printf '" + code + "\\n" + code + "\\n' | " + std::string(FK_KIOSK_SERVER) +
                " set-rep-code --db " + db + " --store s1 --rep " + rep + " 2>&1");
        REQUIRE_MESSAGE(Has(out, "staff code of rep " + rep + " set"), out);
        CHECK_FALSE(Has(out, code));
    }
    const std::string serverConfig = (dir.Path() / "server.toml").string();
    std::ofstream(serverConfig) << "# defaults\n";
    int port = 0;
    auto server = StartServer(db, serverConfig, port);

    std::vector<std::unique_ptr<fk::test::TempDir>> tillDirs;
    std::vector<std::unique_ptr<Kiosk>> tills;
    for (int i = 0; i < kTills; ++i) {
        tillDirs.push_back(std::make_unique<fk::test::TempDir>());
        const auto tokenFile = tillDirs.back()->Path() / "token";
        std::ofstream(tokenFile) << tokens[static_cast<std::size_t>(i)] << "\n";
        std::filesystem::permissions(
            tokenFile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        // kSurveyConfig's till, renamed: the definition from the server sets the survey.
        std::string config =
            Replaced(kSurveyConfig, "id = \"k1\"", "id = \"k" + std::to_string(i + 1) + "\"");
        config = Replaced(config, "@URL@", "http://127.0.0.1:" + std::to_string(port));
        config = Replaced(config, "@TOKEN@", tokenFile.string());
        tills.push_back(std::make_unique<Kiosk>(*tillDirs.back(), "on_duty",
                                                std::vector<std::string>{"--on-duty-rep", ""},
                                                std::vector<std::string>{}, config));
    }
    // Every till has the server's roster once its staff button shows (reps with codes).
    for (auto& k : tills)
        k->WaitElement("rate", "staff");

    // Tills 1-3: a rep signs in with their own code; two customers rate; both rows are theirs.
    const std::vector<std::string> signIn = {"rep7", "rep88", "rep150"};
    for (std::size_t i = 0; i < signIn.size(); ++i) {
        Kiosk& k = *tills[i];
        k.Click("rate", "staff");
        k.WaitElement("staff", "staff.rep." + signIn[i]);
        k.Click("staff", "staff.rep." + signIn[i]);
        for (const char c : codes.at(signIn[i]))
            k.Click("staff.code", std::string("pin.") + c);
        k.Click("staff.code", "pin.ok");
        k.WaitScreen("rate");
        for (const char* face : {"rating.4", "rating.1"}) {
            k.Click("rate", face);
            k.WaitScreen("thank_you");
            k.WaitScreen("rate");
        }
    }
    // Tills 4-6: nobody on duty, so customers are asked and page to their rep among 150.
    const std::vector<std::string> picked = {"rep3", "rep99", "rep140"};
    int pageTaps = 0;
    for (std::size_t i = 0; i < picked.size(); ++i) {
        Kiosk& k = *tills[3 + i];
        k.Click("rate", "rating.3");
        pageTaps += PickThroughPages(k, picked[i]);
        k.WaitScreen("thank_you");
        k.WaitScreen("rate");
    }
    MESSAGE("taps on rep.next to reach the three reps: " << pageTaps);

    // The server stores 9 rows, each with the till and rep it came from.
    const std::string expected =
        "k1|rep7|1\nk1|rep7|4\nk2|rep88|1\nk2|rep88|4\nk3|rep150|1\nk3|rep150|4\n"
        "k4|rep3|3\nk5|rep99|3\nk6|rep140|3\n";
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string rows;
    for (;;) {
        rows = Run("sqlite3 -readonly '" + db +
                   "' \"SELECT kiosk_id, rep_id, rating FROM responses ORDER BY kiosk_id, "
                   "rating\" 2>&1");
        if (rows == expected)
            break;
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until, "server rows after 30 s:\n"
                                                                      << rows);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    CHECK(rows == expected);
    // No till's log holds a code or a hash.
    for (std::size_t i = 0; i < tills.size(); ++i) {
        tills[i]->Kill(SIGTERM);
        const std::string log = tills[i]->Log();
        CHECK_FALSE(Has(log, "argon2"));
        for (const auto& [rep, code] : codes)
            CHECK_FALSE_MESSAGE(Has(log, code), "till " << i + 1 << " logged a code");
    }
}
