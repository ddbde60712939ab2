// The "listen" button on the customer screens and what it reads.
#include <doctest/doctest.h>

#include <imgui.h>

#include "support/HeadlessUi.h"
#include "ui/KioskScreens.h"
#include "ui/Layout.h"
#include "ui/ListenScript.h"
#include "ui/TextPainter.h"

using namespace fk;
using namespace fk::ui;

namespace {

KioskView View(core::Step step) {
    KioskView v;
    v.step = step;
    v.strings = EnglishStrings(4);
    v.reps = {{"r1", "Asha"}, {"r2", "రవి"}};
    v.reasons = {{"wait_time", "Long wait"}, {"price", "Price"}};
    v.languages = {{"en", "English"}, {"hi", "हिन्दी"}};
    v.nowMs = 1000;
    return v;
}

bool Overlap(const Rect& a, const Rect& b) {
    return a.x < b.Right() && b.x < a.Right() && a.y < b.Bottom() && b.y < a.Bottom();
}

}  // namespace

TEST_CASE("listen: on every customer screen, clear of every other target, at least 12 mm") {
    for (const auto& [w, h] : {std::pair{1280.0f, 800.0f}, std::pair{800.0f, 1280.0f}}) {
        test::ImGuiContextGuard ctx(w, h);
        ImGuiTextPainter text;
        DrawListFacePainter faces;
        KioskScreens screens(text, faces);
        for (const core::Step step : {core::Step::Rate, core::Step::WhoHelped, core::Step::Reason,
                                      core::Step::Help, core::Step::ThankYou}) {
            ImGui::NewFrame();
            const FrameOutput out = screens.Frame(View(step));
            ImGui::Render();
            INFO(out.layout.screen << " at " << w << "x" << h);
            const ElementRect* listen = out.layout.Find("listen");
            REQUIRE(listen);
            CHECK(listen->rect.w >= MmToPx(kMinTargetMm, 96) - 0.5f);
            CHECK(listen->rect.h >= MmToPx(kMinTargetMm, 96) - 0.5f);
            CHECK(listen->rect.Right() <= w);
            for (const auto& e : out.layout.elements) {
                if (e.id != "listen")
                    CHECK_MESSAGE(!Overlap(e.rect, listen->rect), e.id);
            }
        }
        ImGui::NewFrame();
        CHECK_FALSE(screens.Frame(View(core::Step::Closed)).layout.Find("listen"));
        ImGui::Render();
        KioskView soundOff = View(core::Step::Rate);  // [sound] enabled = false: no button
        soundOff.listen = false;
        ImGui::NewFrame();
        CHECK_FALSE(screens.Frame(soundOff).layout.Find("listen"));
        ImGui::Render();
    }
}

TEST_CASE("listen: a tap on it asks for speech and moves nothing on") {
    test::ImGuiContextGuard ctx(1280, 800);
    ImGuiTextPainter text;
    DrawListFacePainter faces;
    KioskScreens screens(text, faces);
    const KioskView v = View(core::Step::Rate);
    ImGui::NewFrame();
    const Rect r = screens.Frame(v).layout.Find("listen")->rect;
    ImGui::Render();
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.CenterX(), r.CenterY());
    bool listened = false;
    for (const bool down : {true, false}) {
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        const FrameOutput out = screens.Frame(v);
        ImGui::Render();
        CHECK(out.actions.empty());
        CHECK_FALSE(out.animating);  // no tap acknowledgement: the screen stays
        listened = listened || out.listen;
    }
    CHECK(listened);
}

TEST_CASE("listen: reads the question, then the choices, in the customer's language") {
    auto texts = [](const KioskView& v) {
        std::vector<std::string> out;
        for (const auto& line : ListenScript(v)) {
            CHECK(line.language == v.language);
            out.push_back(line.text);
        }
        return out;
    };
    using V = std::vector<std::string>;
    const Strings en = EnglishStrings(4);
    KioskView rate = View(core::Step::Rate);
    rate.language = "da";
    V expected = {en.question};
    expected.insert(expected.end(), en.faceLabels.begin(), en.faceLabels.end());
    CHECK(texts(rate) == expected);
    // Rep names as written, whatever their script.
    CHECK(texts(View(core::Step::WhoHelped)) == V{en.whoHelped, "Asha", "రవి", en.skip});
    CHECK(texts(View(core::Step::Reason)) == V{en.reasonTitle, "Long wait", "Price", en.skip});
    CHECK(texts(View(core::Step::Help)) == V{en.helpQuestion, en.helpYes, en.helpNo});
    KioskView thanks = View(core::Step::ThankYou);
    thanks.rating = 4;
    CHECK(texts(thanks) == V{en.thankYou, en.thankYouBody});
    thanks.rating = 1;
    thanks.call = core::CallState::Confirmed;
    CHECK(texts(thanks) == V{en.thankYouSorry, en.callOnTheWay});
    CHECK(ListenScript(View(core::Step::Closed)).empty());
    KioskView notice = View(core::Step::Rate);
    notice.notice = StaffNotice{"Storage is full", "Call support."};
    CHECK(ListenScript(notice).empty());
}
