// Two taps that arrive between two frames count as two taps, each where it landed: the platform
// queues the pointer's presses and releases (ui::PointerQueue) and hands ImGui one per frame.
#include <doctest/doctest.h>

#include "support/HeadlessUi.h"
#include "ui/PinPad.h"
#include "ui/PointerQueue.h"

using namespace fk;

namespace {

// What platform::Window::BeginFrame does with the queue, before ImGui::NewFrame.
void FeedImGui(ui::PointerQueue& queue) {
    const ui::PointerState p = queue.NextFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(p.x, p.y);
    io.MouseDown[0] = p.down;
}

void TapInQueue(ui::PointerQueue& queue, const ui::Rect& r) {
    queue.Move(r.CenterX(), r.CenterY());
    queue.Press(r.CenterX(), r.CenterY());
    queue.Release(r.CenterX(), r.CenterY());
}

}  // namespace

TEST_CASE("pointer queue: two taps before one frame become down, up, down, up at their places") {
    ui::PointerQueue q;
    CHECK_FALSE(q.Seen());
    q.Move(10, 10);
    q.Press(10, 10);
    q.Move(12, 11);
    q.Release(12, 11);
    q.Move(300, 40);
    q.Press(300, 40);
    q.Release(300, 40);
    CHECK(q.Seen());
    struct Expect {
        bool down;
        float x, y;
    };
    for (const Expect e : {Expect{true, 10, 10}, Expect{false, 12, 11}, Expect{true, 300, 40},
                           Expect{false, 300, 40}}) {
        REQUIRE(q.Pending());
        const ui::PointerState p = q.NextFrame();
        CHECK(p.down == e.down);
        CHECK(p.x == e.x);
        CHECK(p.y == e.y);
    }
    CHECK_FALSE(q.Pending());
    // No new input: the pointer stays where and as it was.
    const ui::PointerState p = q.NextFrame();
    CHECK_FALSE(p.down);
    CHECK(p.x == 300);
}

TEST_CASE("pointer queue: a press while already down only moves, and moves in a row merge") {
    ui::PointerQueue q;
    q.Press(1, 1);
    q.Press(5, 5);  // a second touch device, or a lost release
    q.Release(6, 6);
    CHECK(q.NextFrame().down);
    const ui::PointerState up = q.NextFrame();
    CHECK_FALSE(up.down);
    CHECK(up.x == 6);
    for (int i = 0; i < 100'000; ++i)
        q.Move(static_cast<float>(i), 2);
    const ui::PointerState moved = q.NextFrame();
    CHECK(moved.x == 99'999);
    CHECK_FALSE(q.Pending());
    CHECK(q.Dropped() == 0);
}

TEST_CASE("pointer queue: a flood of presses is bounded, and the excess is counted") {
    ui::PointerQueue q;
    for (std::size_t i = 0; i < ui::PointerQueue::kMaxEvents; ++i)
        q.Press(1, 1);
    q.Release(1, 1);
    q.Move(2, 2);
    CHECK(q.Dropped() == 2);
    int frames = 0;
    while (q.Pending() && frames < 1000) {
        q.NextFrame();
        ++frames;
    }
    CHECK_FALSE(q.Pending());
    CHECK(frames == 2);  // the first press, then the presses while down (they only move)
}

TEST_CASE("two PIN digits tapped before one frame are entered as two digits, in order") {
    test::ImGuiContextGuard imgui(1280, 800);
    ui::ImGuiTextPainter text;
    ui::PinPad pad(text);
    ui::PinPadView view;
    auto frame = [&] {
        ImGui::NewFrame();
        ui::PinPadOutput out = pad.Frame(view);
        ImGui::Render();
        return out;
    };
    const ui::PinPadOutput first = frame();
    const ui::ElementRect* one = first.layout.Find("pin.1");
    const ui::ElementRect* two = first.layout.Find("pin.2");
    REQUIRE(one);
    REQUIRE(two);

    ui::PointerQueue queue;
    TapInQueue(queue, one->rect);
    TapInQueue(queue, two->rect);
    std::vector<int> digits;
    int frames = 0;
    // The frame loop draws frames while input is queued (Window::InputPending).
    while (queue.Pending() && frames < 10) {
        FeedImGui(queue);
        for (const auto& a : frame().actions) {
            REQUIRE(std::holds_alternative<ui::pact::Digit>(a));
            digits.push_back(std::get<ui::pact::Digit>(a).value);
        }
        ++frames;
    }
    FeedImGui(queue);
    CHECK(frame().actions.empty());
    CHECK(digits == std::vector<int>{1, 2});
    CHECK(frames == 4);
}

TEST_CASE("a language and a face tapped before one frame: both count, in order") {
    test::Flow flow(test::DefaultFlowConfig(core::RepMode::Ask));
    REQUIRE(flow.Screen() == "rate");
    const ui::ElementRect* danish = flow.Layout().Find("lang.da");
    const ui::ElementRect* best = flow.Layout().Find("rating.4");
    REQUIRE(danish);
    REQUIRE(best);
    ui::PointerQueue queue;
    TapInQueue(queue, danish->rect);
    TapInQueue(queue, best->rect);
    while (queue.Pending()) {
        FeedImGui(queue);
        flow.Step();
    }
    flow.Wait(ui::KioskScreens::kAckMs + 4);
    flow.Step();
    CHECK(flow.session.Language() == "da");
    CHECK(flow.Screen() == "who_helped");
    const auto effects = flow.TakeEffects();
    REQUIRE_FALSE(effects.empty());
    REQUIRE(std::holds_alternative<core::fx::BeginResponse>(effects.front()));
    const auto& begin = std::get<core::fx::BeginResponse>(effects.front());
    CHECK(begin.rating == 4);
    CHECK(begin.language == "da");
}
