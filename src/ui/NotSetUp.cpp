#include "ui/NotSetUp.h"

#include <algorithm>

#include "ui/ScreenWindow.h"

namespace fk::ui {

namespace {

constexpr ImU32 kBackground = IM_COL32(44, 58, 74, 255);
constexpr ImU32 kTitleInk = IM_COL32(240, 240, 240, 255);
constexpr ImU32 kBodyInk = IM_COL32(200, 210, 222, 255);
constexpr ImU32 kProblemInk = IM_COL32(255, 214, 150, 255);
constexpr std::size_t kMaxProblemsShown = 8;

}  // namespace

NotSetUpView MakeNotSetUpView(const std::string& configPath,
                              const std::vector<std::string>& problems, bool fileMissing) {
    NotSetUpView v;
    if (problems.empty()) {
        v.title = "This kiosk is not set up yet";
        v.lines.push_back(
            fileMissing ? "There is no configuration file at " + configPath + "."
                        : configPath + " does not name this kiosk yet ([kiosk] id and store_id).");
    } else {
        v.title = "This kiosk's configuration has errors";
        v.lines.push_back("The kiosk cannot start with " + configPath + ":");
        for (std::size_t i = 0; i < problems.size() && i < kMaxProblemsShown; ++i)
            v.lines.push_back("! " + problems[i]);
        if (problems.size() > kMaxProblemsShown) {
            v.lines.push_back("! ... and " + std::to_string(problems.size() - kMaxProblemsShown) +
                              " more (see the kiosk's log: journalctl -u feedback-kiosk)");
        }
    }
    if (problems.empty()) {
        v.lines.push_back(
            "To set it up: on the server run  kiosk-server add-kiosk --db DB --store STORE --id "
            "KIOSK "
            "--server-url URL --write-config DIR  and copy DIR/kiosk.toml and DIR/sync-token to "
            "/etc/feedback-kiosk/ on this kiosk (or write kiosk.toml yourself: the documented "
            "example "
            "is /usr/share/doc/feedback-kiosk/examples/kiosk.toml).");
        v.lines.push_back("The kiosk starts by itself once the file is in place.");
    } else {
        v.lines.push_back(
            "Fix these lines (every key is documented in "
            "/usr/share/doc/feedback-kiosk/examples/kiosk.toml). The kiosk starts by itself once "
            "the "
            "file changes.");
    }
    return v;
}

ScreenLayout DrawNotSetUp(TextPainter& text, const NotSetUpView& view) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    BeginScreenWindow("##not_set_up", ImGuiWindowFlags_NoInputs);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), display, kBackground);

    // Sizes follow the shorter edge so portrait screens work too; text is left-aligned in a
    // column with generous margins.
    const float unit = std::min(display.x, display.y);
    const float margin = std::max(24.0f, display.x * 0.08f);
    const float width = display.x - 2 * margin;
    const float titlePx = unit * 0.065f;
    const float bodyPx = unit * 0.03f;
    float y = display.y * 0.12f;
    DrawTextCentered(text, dl, Rect{margin, y, width, titlePx * 1.4f}, view.title, titlePx, "en",
                     kTitleInk);
    y += titlePx * 2.2f;
    for (const auto& paragraph : view.lines) {
        const bool problem = paragraph.rfind("! ", 0) == 0;
        const std::string body = problem ? paragraph.substr(2) : paragraph;
        const float px = problem ? bodyPx * 0.9f : bodyPx;
        for (const auto& line : text.WrapLines(body, px, "en", width)) {
            const ImVec2 size = text.Measure(line, px, "en");
            const float drawPx =
                size.x > width && size.x > 0 ? std::max(px * 0.5f, px * width / size.x) : px;
            text.Draw(dl, ImVec2(margin, y), line, drawPx, "en", problem ? kProblemInk : kBodyInk);
            y += px * 1.35f;
        }
        y += px * 0.6f;
    }
    EndScreenWindow();
    ScreenLayout layout;
    layout.screen = "not_set_up";
    return layout;
}

}  // namespace fk::ui
