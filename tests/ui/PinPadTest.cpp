// The PIN pad headless: every key a big enough target, inside the window, no overlaps; taps
// become the right intents; a locked pad still reports taps (the app is the guard).
#include <doctest/doctest.h>

#include "support/HeadlessUi.h"
#include "ui/PinPad.h"

using namespace fk;

namespace {

std::vector<std::string> KeyIds() {
    std::vector<std::string> ids;
    for (int d = 0; d <= 9; ++d)
        ids.push_back("pin." + std::to_string(d));
    ids.insert(ids.end(), {"pin.del", "pin.ok", "pin.cancel"});
    return ids;
}

struct Pad {
    Pad(float w, float h) : imgui(w, h), pad(text) { Frame(); }
    ui::PinPadOutput Frame() {
        ImGui::NewFrame();
        last = pad.Frame(view);
        ImGui::Render();
        return last;
    }
    std::vector<ui::PinPadAction> Tap(const std::string& id) {
        const ui::ElementRect* e = last.layout.Find(id);
        REQUIRE_MESSAGE(e, "no " << id);
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(e->rect.CenterX(), e->rect.CenterY());
        io.MouseDown[0] = true;
        auto down = Frame();
        CHECK(down.touched);
        io.MouseDown[0] = false;
        auto up = Frame();
        Frame();
        return up.actions;
    }
    test::ImGuiContextGuard imgui;
    ui::ImGuiTextPainter text;
    ui::PinPad pad;
    ui::PinPadView view;
    ui::PinPadOutput last;
};

}  // namespace

TEST_CASE(
    "pin pad layout: every key at least 12 mm, inside the window, apart, in landscape and "
    "portrait") {
    for (auto [w, h, dpi] :
         {std::tuple{1280.0f, 800.0f, 96.0f}, std::tuple{800.0f, 1280.0f, 96.0f},
          std::tuple{1024.0f, 600.0f, 160.0f}, std::tuple{1920.0f, 1080.0f, 96.0f}}) {
        CAPTURE(w);
        CAPTURE(h);
        const ui::LayoutParams p{w, h, dpi};
        const ui::PinPadLayout l = ui::LayoutPinPad(p);
        std::vector<ui::Rect> keys(l.digits.begin(), l.digits.end());
        keys.insert(keys.end(), {l.del, l.ok, l.cancel});
        const float min = ui::MmToPx(ui::kMinTargetMm, dpi);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            CHECK(keys[i].w >= min - 0.01f);
            CHECK(keys[i].h >= min - 0.01f);
            CHECK(keys[i].x >= 0);
            CHECK(keys[i].y >= 0);
            CHECK(keys[i].Right() <= w);
            CHECK(keys[i].Bottom() <= h);
            for (std::size_t j = i + 1; j < keys.size(); ++j)
                CHECK_FALSE(keys[i].Overlaps(keys[j]));
        }
        // Phone order: 1 top-left, 0 between delete and OK on the bottom row.
        CHECK(l.digits[1].y < l.digits[4].y);
        CHECK(l.digits[1].x < l.digits[3].x);
        CHECK(l.del.y == l.digits[0].y);
        CHECK(l.del.x < l.digits[0].x);
        CHECK(l.digits[0].x < l.ok.x);
        const bool sideBySide = l.title.Right() <= l.digits[1].x;
        if (!sideBySide) {
            CHECK(l.cancel.y > l.digits[0].y);
            CHECK(l.dots.Bottom() <= l.digits[1].y);
        } else {
            CHECK(l.cancel.Right() <= l.digits[1].x);
        }
    }
}

TEST_CASE("pin pad: the frame lists every key on screen pin and taps become intents") {
    Pad pad(1280, 800);
    CHECK(pad.last.layout.screen == "pin");
    for (const auto& id : KeyIds())
        CHECK_MESSAGE(pad.last.layout.Find(id), id);
    auto a = pad.Tap("pin.7");
    REQUIRE(a.size() == 1);
    REQUIRE(std::holds_alternative<ui::pact::Digit>(a[0]));
    CHECK(std::get<ui::pact::Digit>(a[0]).value == 7);
    CHECK(ui::to_string(a[0]) == "digit");  // logs never spell the digit
    a = pad.Tap("pin.0");
    REQUIRE(a.size() == 1);
    CHECK(std::get<ui::pact::Digit>(a[0]).value == 0);
    a = pad.Tap("pin.ok");
    REQUIRE(a.size() == 1);
    CHECK(std::holds_alternative<ui::pact::Ok>(a[0]));
    a = pad.Tap("pin.del");
    REQUIRE(a.size() == 1);
    CHECK(std::holds_alternative<ui::pact::Delete>(a[0]));
    a = pad.Tap("pin.cancel");
    REQUIRE(a.size() == 1);
    CHECK(std::holds_alternative<ui::pact::Cancel>(a[0]));
}

TEST_CASE("pin pad: a tap between keys does nothing, and a frame with no input is untouched") {
    Pad pad(1280, 800);
    CHECK_FALSE(pad.Frame().touched);
    const ui::Rect one = pad.last.layout.Find("pin.1")->rect;
    const ui::Rect two = pad.last.layout.Find("pin.2")->rect;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2((one.Right() + two.x) * 0.5f, one.CenterY());
    io.MouseDown[0] = true;
    pad.Frame();
    io.MouseDown[0] = false;
    CHECK(pad.Frame().actions.empty());
}

TEST_CASE("pin pad: locked, the keys still report taps so the app can refuse them") {
    Pad pad(1280, 800);
    pad.view.locked = true;
    pad.view.message = "Locked: try again in 30 s";
    pad.Frame();
    auto a = pad.Tap("pin.5");
    REQUIRE(a.size() == 1);
    CHECK(std::holds_alternative<ui::pact::Digit>(a[0]));
}
