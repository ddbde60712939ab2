#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "support/HeadlessUi.h"
#include "ui/KioskScreens.h"

using namespace fk;
using namespace fk::ui;

namespace {

KioskView RateView() {
    KioskView v;
    v.points = 4;
    v.strings = EnglishStrings(4);
    v.languages = {{"en", "English"}, {"da", "Dansk"}, {"hi", "Hindi"}};
    v.reps = {{"r1", "Asha"}, {"r2", "Ravi"}};
    v.reasons = {{"wait_time", "Waiting time"}};
    return v;
}

// Colours used by the vertices of the last rendered frame.
std::set<ImU32> FrameColours() {
    std::set<ImU32> colours;
    ImDrawData* data = ImGui::GetDrawData();
    for (int i = 0; i < data->CmdListsCount; ++i) {
        const ImDrawList* list = data->CmdLists[i];
        for (const ImDrawVert& v : list->VtxBuffer)
            colours.insert(v.col);
    }
    return colours;
}

struct Screens {
    Screens() : screens(text, faces) {}
    FrameOutput Frame(const KioskView& v) {
        ImGui::NewFrame();
        FrameOutput out = screens.Frame(v);
        ImGui::Render();
        return out;
    }
    ImGuiTextPainter text;
    DrawListFacePainter faces;
    KioskScreens screens;
};

// Records the text drawn and where, drawing it with ImGui's font.
class PositionedText final : public TextPainter {
  public:
    struct Drawn {
        std::string text;
        ImVec2 pos;
    };
    ImVec2 Measure(std::string_view text, float px, std::string_view language) override {
        return m_inner.Measure(text, px, language);
    }
    void Draw(ImDrawList* dl, ImVec2 pos, std::string_view text, float px,
              std::string_view language, ImU32 colour) override {
        drawn.push_back({std::string(text), pos});
        m_inner.Draw(dl, pos, text, px, language, colour);
    }
    const Drawn* Find(const std::string& text) const {
        for (const auto& d : drawn) {
            if (d.text == text)
                return &d;
        }
        return nullptr;
    }
    std::vector<Drawn> drawn;

  private:
    ImGuiTextPainter m_inner;
};

}  // namespace

TEST_CASE("rate shows the on-duty rep under the question, between it and the faces") {
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{800, 1280}, std::pair{1024, 600}}) {
        INFO(w << "x" << h);
        test::ImGuiContextGuard ctx(w, h);
        PositionedText text;
        DrawListFacePainter faces;
        KioskScreens screens(text, faces);
        auto frame = [&](const KioskView& v) {
            text.drawn.clear();
            ImGui::NewFrame();
            FrameOutput out = screens.Frame(v);
            ImGui::Render();
            return out;
        };
        KioskView v = RateView();
        frame(v);
        for (const auto& d : text.drawn)
            CHECK(d.text.find("Served by") == std::string::npos);
        v.servedBy = "Asha";
        const FrameOutput out = frame(v);
        const auto* line = text.Find("Served by Asha");
        // The question's (first) line: in portrait it may wrap, the title keeping clear of the
        // corner buttons on both sides.
        const PositionedText::Drawn* question = nullptr;
        for (const auto& d : text.drawn) {
            if (!question && !d.text.empty() && v.strings.question.rfind(d.text, 0) == 0)
                question = &d;
        }
        REQUIRE(line);
        REQUIRE(question);
        CHECK(line->pos.y > question->pos.y);
        CHECK(line->pos.y < out.layout.Find("rating.1")->rect.y);
    }
}

TEST_CASE("rate screen exports rating.1..N and lang.<code> targets") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    for (int points : {4, 5}) {
        KioskView v = RateView();
        v.points = points;
        v.strings = EnglishStrings(points);
        FrameOutput out = s.Frame(v);
        CHECK(out.layout.screen == "rate");
        for (int i = 1; i <= points; ++i)
            CHECK(out.layout.Find("rating." + std::to_string(i)));
        CHECK_FALSE(out.layout.Find("rating." + std::to_string(points + 1)));
        CHECK(out.layout.Find("lang.en"));
        CHECK(out.layout.Find("lang.hi"));
        // Rating 1 (most negative) is leftmost.
        CHECK(out.layout.Find("rating.1")->rect.x < out.layout.Find("rating.2")->rect.x);
    }
}

TEST_CASE("who-helped and reason screens export rep.<id>, rep.skip, reason.<code>, reason.skip") {
    test::ImGuiContextGuard ctx(800, 1280);
    Screens s;
    KioskView v = RateView();
    v.step = core::Step::WhoHelped;
    FrameOutput out = s.Frame(v);
    CHECK(out.layout.screen == "who_helped");
    CHECK(out.layout.Find("rep.r1"));
    CHECK(out.layout.Find("rep.r2"));
    CHECK(out.layout.Find("rep.skip"));
    v.step = core::Step::Reason;
    out = s.Frame(v);
    CHECK(out.layout.screen == "reason");
    CHECK(out.layout.Find("reason.wait_time"));
    CHECK(out.layout.Find("reason.skip"));
}

TEST_CASE("thank-you has only listen, closed and notice screens have no touch targets") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    KioskView v = RateView();
    v.step = core::Step::ThankYou;
    CHECK(s.Frame(v).layout.screen == "thank_you");
    REQUIRE(s.Frame(v).layout.elements.size() == 1);
    CHECK(s.Frame(v).layout.elements[0].id == "listen");
    v.step = core::Step::Closed;
    CHECK(s.Frame(v).layout.screen == "closed");
    CHECK(s.Frame(v).layout.elements.empty());
    v.step = core::Step::Rate;
    v.notice = StaffNotice{"Feedback is paused", "The disk is full."};
    CHECK(s.Frame(v).layout.screen == "notice");
    CHECK(s.Frame(v).layout.elements.empty());
}

TEST_CASE(
    "a pressed tile shows pressed on the very next frame, then the tap acknowledges before the "
    "next screen") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    KioskView v = RateView();
    v.step = core::Step::WhoHelped;
    FrameOutput out = s.Frame(v);
    const Rect r = out.layout.Find("rep.r2")->rect;
    const ImU32 pressed = IM_COL32(205, 220, 236, 255);
    CHECK(FrameColours().count(pressed) == 0);

    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.CenterX(), r.CenterY());
    io.MouseDown[0] = true;
    out = s.Frame(v);
    CHECK(out.actions.empty());
    CHECK(FrameColours().count(pressed) == 1);  // the finger is down: the tile is pressed now

    io.MouseDown[0] = false;
    out = s.Frame(v);
    REQUIRE(out.actions.size() == 1);
    CHECK(std::get<act::TapRep>(out.actions[0]).id == "r2");
    CHECK(out.animating);

    // The app moved the flow on; the tapped screen stays up, pressed, for the acknowledgement.
    v.step = core::Step::Reason;
    v.nowMs += 16;
    out = s.Frame(v);
    CHECK(out.layout.screen == "who_helped");
    CHECK(out.animating);
    CHECK(FrameColours().count(pressed) == 1);
    CHECK(out.actions.empty());
    v.nowMs += KioskScreens::kAckMs;
    out = s.Frame(v);
    CHECK(out.layout.screen == "reason");
    CHECK_FALSE(out.animating);
}

TEST_CASE("a tapped face squashes: its drawing changes during the acknowledgement") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    KioskView v = RateView();
    FrameOutput out = s.Frame(v);
    const Rect face = out.layout.Find("rating.4")->rect;
    auto faceBounds = [&]() {
        float minX = 1e9f;
        float maxX = -1e9f;
        ImDrawData* data = ImGui::GetDrawData();
        const ImU32 fill = FaceColour(FaceKind::VeryPositive);
        const ImVec4 f = ImGui::ColorConvertU32ToFloat4(fill);
        const ImU32 pressedFill =
            ImGui::ColorConvertFloat4ToU32(ImVec4(f.x * 0.8f, f.y * 0.8f, f.z * 0.8f, 1));
        for (int i = 0; i < data->CmdListsCount; ++i) {
            for (const ImDrawVert& vert : data->CmdLists[i]->VtxBuffer) {
                if (vert.col == fill || vert.col == pressedFill) {
                    minX = std::min(minX, vert.pos.x);
                    maxX = std::max(maxX, vert.pos.x);
                }
            }
        }
        return maxX - minX;
    };
    const float restWidth = faceBounds();
    CHECK(restWidth > 0);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(face.CenterX(), face.CenterY());
    io.MouseDown[0] = true;
    s.Frame(v);
    io.MouseDown[0] = false;
    out = s.Frame(v);
    REQUIRE(out.actions.size() == 1);
    v.step = core::Step::ThankYou;
    v.nowMs += KioskScreens::kAckMs / 2;
    s.Frame(v);
    CHECK(faceBounds() > restWidth * 1.05f);  // wider while squashed
}

TEST_CASE("notice screen ignores taps where the faces were") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    KioskView v = RateView();
    const Rect r = s.Frame(v).layout.Find("rating.1")->rect;
    v.notice = StaffNotice{"Feedback is paused", "Disk full"};
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r.CenterX(), r.CenterY());
    io.MouseDown[0] = true;
    CHECK(s.Frame(v).actions.empty());
    io.MouseDown[0] = false;
    CHECK(s.Frame(v).actions.empty());
}

TEST_CASE("face kinds: 4 points skip the neutral face, every kind has its own colour") {
    CHECK(FaceKindFor(1, 4) == FaceKind::VeryNegative);
    CHECK(FaceKindFor(3, 4) == FaceKind::Positive);
    CHECK(FaceKindFor(3, 5) == FaceKind::Neutral);
    CHECK(FaceKindFor(5, 5) == FaceKind::VeryPositive);
    std::set<ImU32> colours;
    for (int k = 0; k < 5; ++k)
        colours.insert(FaceColour(static_cast<FaceKind>(k)));
    CHECK(colours.size() == 5);
}

TEST_CASE("ui actions map onto session events") {
    CHECK(std::get<core::ev::TapRating>(ToSessionEvent(act::TapRating{3})).value == 3);
    CHECK(std::get<core::ev::TapRep>(ToSessionEvent(act::TapRep{"r1"})).id == "r1");
    CHECK(std::holds_alternative<core::ev::SkipRep>(ToSessionEvent(act::SkipRep{})));
    CHECK(std::get<core::ev::TapReason>(ToSessionEvent(act::TapReason{"x"})).code == "x");
    CHECK(std::holds_alternative<core::ev::SkipReason>(ToSessionEvent(act::SkipReason{})));
    CHECK(std::get<core::ev::ChooseLanguage>(ToSessionEvent(act::ChooseLanguage{"da"})).code ==
          "da");
}

namespace {
// Records what screens ask a TextPainter to draw (fixed-width glyphs: 0.5 em each).
struct RecordingPainter final : TextPainter {
    ImVec2 Measure(std::string_view text, float px, std::string_view) override {
        return ImVec2(static_cast<float>(text.size()) * px * 0.5f, px);
    }
    void Draw(ImDrawList*, ImVec2 pos, std::string_view text, float px, std::string_view,
              ImU32) override {
        draws.push_back({std::string(text), pos, px});
    }
    struct Call {
        std::string text;
        ImVec2 pos;
        float px;
    };
    std::vector<Call> draws;
};
}  // namespace

TEST_CASE("text too wide for its box wraps at spaces inside the box, short text stays one line") {
    test::ImGuiContextGuard ctx(800, 600);
    RecordingPainter p;
    const Rect box{100, 100, 200, 120};
    ImGui::NewFrame();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    DrawTextCentered(p, dl, box, "short", 20, "en", 0);
    REQUIRE(p.draws.size() == 1);
    CHECK(p.draws[0].px == 20);
    p.draws.clear();
    DrawTextCentered(p, dl, box, "a staff notice that is much too long for one line", 20, "en", 0);
    REQUIRE(p.draws.size() >= 2);
    for (const auto& d : p.draws) {
        CHECK(d.pos.x >= box.x);
        CHECK(d.pos.x + static_cast<float>(d.text.size()) * d.px * 0.5f <= box.Right() + 0.01f);
        CHECK(d.pos.y >= box.y);
        CHECK(d.pos.y + d.px <= box.Bottom() + 0.01f);
    }
    std::string joined;
    for (const auto& d : p.draws)
        joined += (joined.empty() ? "" : " ") + d.text;
    CHECK(joined == "a staff notice that is much too long for one line");
    ImGui::EndFrame();
}

namespace {
// Records what a frame drew: the text lines and the face kinds.
struct RecordingText final : TextPainter {
    ImVec2 Measure(std::string_view text, float pixelSize, std::string_view language) override {
        return inner.Measure(text, pixelSize, language);
    }
    void Draw(ImDrawList* dl, ImVec2 pos, std::string_view text, float pixelSize,
              std::string_view language, ImU32 colour) override {
        drawn += std::string(text) + "\n";
        inner.Draw(dl, pos, text, pixelSize, language, colour);
    }
    ImGuiTextPainter inner;
    std::string drawn;
};
struct RecordingFaces final : FacePainter {
    void DrawFace(ImDrawList*, const Rect&, FaceKind kind, const FaceStyle&) override {
        kinds.push_back(kind);
    }
    std::vector<FaceKind> kinds;
};
}  // namespace

TEST_CASE("help screen exports help.yes and help.no, a tap answers") {
    test::ImGuiContextGuard ctx(1280, 800);
    Screens s;
    KioskView v = RateView();
    v.step = core::Step::Help;
    v.rating = 1;
    FrameOutput out = s.Frame(v);
    CHECK(out.layout.screen == "help");
    REQUIRE(out.layout.elements.size() == 3);
    CHECK(out.layout.elements[0].id == "help.yes");
    CHECK(out.layout.elements[1].id == "help.no");
    CHECK(out.layout.elements[2].id == "listen");
    CHECK(to_string(UiAction{act::AnswerHelp{true}}) == "help_yes");
    CHECK(std::holds_alternative<core::ev::AnswerHelp>(
        ToSessionEvent(UiAction{act::AnswerHelp{false}})));
    CHECK_FALSE(
        std::get<core::ev::AnswerHelp>(ToSessionEvent(UiAction{act::AnswerHelp{false}})).yes);
}

TEST_CASE(
    "thank-you matches the rating: no smiling face or cheer after a negative one, the call "
    "words follow the call state") {
    test::ImGuiContextGuard ctx(1280, 800);
    RecordingText text;
    RecordingFaces faces;
    KioskScreens screens(text, faces);
    auto frame = [&](const KioskView& v) {
        text.drawn.clear();
        faces.kinds.clear();
        ImGui::NewFrame();
        screens.Frame(v);
        ImGui::Render();
    };
    KioskView v = RateView();
    v.step = core::Step::ThankYou;
    for (int rating : {1, 2}) {
        v.rating = rating;
        frame(v);
        CHECK(faces.kinds.empty());
        CHECK(text.drawn.find("Thank you for telling us") != std::string::npos);
        CHECK(text.drawn.find("Thank you!") == std::string::npos);
        CHECK(text.drawn.find("sorry") != std::string::npos);
    }
    for (int rating : {3, 4}) {
        v.rating = rating;
        frame(v);
        CHECK(faces.kinds == std::vector<FaceKind>{FaceKind::VeryPositive});
        CHECK(text.drawn.find("Thank you!") != std::string::npos);
    }
    v.points = 5;
    v.rating = 3;  // "okay": a gentle smile, not a grin
    frame(v);
    CHECK(faces.kinds == std::vector<FaceKind>{FaceKind::Positive});
    v.points = 4;
    v.rating = 1;
    v.call = core::CallState::Waiting;
    frame(v);
    CHECK(text.drawn.find("calling someone") != std::string::npos);
    v.call = core::CallState::Confirmed;
    frame(v);
    CHECK(text.drawn.find("on the way") != std::string::npos);
    v.call = core::CallState::AskAtCounter;
    frame(v);
    CHECK(text.drawn.find("ask at the counter") != std::string::npos);
    CHECK(faces.kinds.empty());
}
