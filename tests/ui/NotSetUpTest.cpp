// The "not set up" notice: what it says for each case, and that every line it draws fits the
// display (portrait too). Headless ImGui with a recording text painter.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/HeadlessUi.h"
#include "ui/NotSetUp.h"

namespace fk::ui {

namespace {

// Records what is drawn where; measures text as 0.5 px per byte per pixel of size.
class RecordingPainter final : public TextPainter {
  public:
    struct Drawn {
        std::string text;
        ImVec2 pos;
        float width;
    };
    ImVec2 Measure(std::string_view text, float pixelSize, std::string_view) override {
        return ImVec2(static_cast<float>(text.size()) * pixelSize * 0.5f, pixelSize);
    }
    void Draw(ImDrawList*, ImVec2 pos, std::string_view text, float pixelSize,
              std::string_view language, ImU32) override {
        drawn.push_back({std::string(text), pos, Measure(text, pixelSize, language).x});
    }
    std::string All() const {
        std::string all;
        for (const auto& d : drawn)
            all += d.text + "\n";
        return all;
    }
    std::vector<Drawn> drawn;
};

RecordingPainter DrawOnce(const NotSetUpView& view, float width, float height,
                          ScreenLayout* layout = nullptr) {
    test::ImGuiContextGuard guard(width, height);
    RecordingPainter painter;
    ImGui::NewFrame();
    const ScreenLayout l = DrawNotSetUp(painter, view);
    ImGui::Render();
    if (layout)
        *layout = l;
    return painter;
}

}  // namespace

TEST_CASE("not set up: a missing config says where the file goes and how to make one") {
    const NotSetUpView v = MakeNotSetUpView("/etc/feedback-kiosk/kiosk.toml", {}, true);
    CHECK(v.title == "This kiosk is not set up yet");
    ScreenLayout layout;
    const RecordingPainter p = DrawOnce(v, 1280, 800, &layout);
    CHECK(layout.screen == "not_set_up");
    CHECK(layout.elements.empty());  // nothing to tap
    const std::string all = p.All();
    CHECK(all.find("This kiosk is not set up yet") != std::string::npos);
    CHECK(all.find("no configuration file at /etc/feedback-kiosk/kiosk.toml") != std::string::npos);
    CHECK(all.find("--write-config") != std::string::npos);
    CHECK(all.find("/etc/feedback-kiosk/") != std::string::npos);
}

TEST_CASE("not set up: a config without ids says so") {
    const NotSetUpView v = MakeNotSetUpView("/etc/feedback-kiosk/kiosk.toml", {}, false);
    CHECK(v.title == "This kiosk is not set up yet");
    CHECK(v.lines.front().find("[kiosk] id") != std::string::npos);
}

TEST_CASE(
    "not set up: config errors are listed with file, line and key, at most eight and a count") {
    std::vector<std::string> problems;
    for (int i = 1; i <= 11; ++i)
        problems.push_back("kiosk.toml:" + std::to_string(i) + ": survey.scale: bad");
    const NotSetUpView v = MakeNotSetUpView("kiosk.toml", problems, false);
    CHECK(v.title == "This kiosk's configuration has errors");
    const RecordingPainter p = DrawOnce(v, 1280, 800);
    const std::string all = p.All();
    CHECK(all.find("kiosk.toml:1: survey.scale: bad") != std::string::npos);
    CHECK(all.find("kiosk.toml:8: survey.scale: bad") != std::string::npos);
    CHECK(all.find("kiosk.toml:9: survey.scale: bad") == std::string::npos);
    CHECK(all.find("3 more") != std::string::npos);
}

TEST_CASE("not set up: every line fits the display, landscape and portrait, top to bottom") {
    const NotSetUpView v = MakeNotSetUpView(
        "/etc/feedback-kiosk/kiosk.toml",
        {"a.toml:1: sync.server_url: \"ftp://example\" is not an http(s) URL, use "
         "\"https://host[:port]\", or \"\" "
         "to turn sync off, and then restart the kiosk so that it reads the file again"},
        false);
    for (auto [w, h] :
         {std::pair{1280.0f, 800.0f}, std::pair{800.0f, 1280.0f}, std::pair{1024.0f, 600.0f}}) {
        CAPTURE(w);
        const RecordingPainter p = DrawOnce(v, w, h);
        REQUIRE(p.drawn.size() >= 4);
        float lastY = -1;
        for (const auto& d : p.drawn) {
            CAPTURE(d.text);
            CHECK(d.pos.x >= 0);
            CHECK(d.pos.x + d.width <= w);
            CHECK(d.pos.y > lastY);  // lines go down the screen, none on top of another
            CHECK(d.pos.y < h);
            lastY = d.pos.y;
        }
    }
}

}  // namespace fk::ui
