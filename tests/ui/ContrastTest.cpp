// WCAG contrast of what the screens actually draw (issue 22 item 6): every text against what lies
// under it >= 4.5:1, every touch target's edge against what surrounds it >= 3:1, on every customer
// screen in the normal and the high-contrast (accessible) theme, and on every manager-mode tab.
// Colours come from the frame's ImGui draw lists: a text's background is the topmost opaque solid
// triangle under it drawn before the text; a target's edge is the first colour met walking in
// from just outside the target.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/HeadlessUi.h"
#include "ui/KioskScreens.h"
#include "ui/ManagerSampleData.h"
#include "ui/ManagerView.h"

namespace fk::ui {
namespace {

double Channel(double c) {
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double Luminance(ImU32 c) {
    const double r = Channel((c >> IM_COL32_R_SHIFT) & 0xFF);
    const double g = Channel((c >> IM_COL32_G_SHIFT) & 0xFF);
    const double b = Channel((c >> IM_COL32_B_SHIFT) & 0xFF);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

double Contrast(ImU32 a, ImU32 b) {
    const double la = Luminance(a);
    const double lb = Luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string Hex(ImU32 c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", (c >> IM_COL32_R_SHIFT) & 0xFF,
                  (c >> IM_COL32_G_SHIFT) & 0xFF, (c >> IM_COL32_B_SHIFT) & 0xFF);
    return buf;
}

// Draws with ImGui's font and records each text with its colour, box and how much of the draw
// list came before it (its background is in that part).
class RecordingText final : public TextPainter {
  public:
    struct Drawn {
        std::string text;
        Rect box;
        ImU32 colour;
        const ImDrawList* list;
        int idxBefore;
    };
    ImVec2 Measure(std::string_view text, float px, std::string_view language) override {
        return m_inner.Measure(text, px, language);
    }
    void Draw(ImDrawList* dl, ImVec2 pos, std::string_view text, float px,
              std::string_view language, ImU32 colour) override {
        const ImVec2 size = m_inner.Measure(text, px, language);
        drawn.push_back({std::string(text), Rect{pos.x, pos.y, size.x, size.y}, colour, dl,
                         dl->IdxBuffer.Size});
        m_inner.Draw(dl, pos, text, px, language, colour);
    }
    std::vector<Drawn> drawn;

  private:
    ImGuiTextPainter m_inner;
};

bool Inside(const ImVec2& p, const ImVec2& a, const ImVec2& b, const ImVec2& c) {
    auto cross = [](const ImVec2& o, const ImVec2& u, const ImVec2& v) {
        return (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x);
    };
    const float d1 = cross(a, b, p);
    const float d2 = cross(b, c, p);
    const float d3 = cross(c, a, p);
    const bool neg = d1 < 0 || d2 < 0 || d3 < 0;
    const bool pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
}

// The colour of the topmost opaque solid (untextured) triangle of list containing p, among the
// first idxLimit indices; nullopt if none.
std::optional<ImU32> SolidAt(const ImDrawList* list, ImVec2 p, int idxLimit) {
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    std::optional<ImU32> found;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
        if (cmd.UserCallback != nullptr)
            continue;
        for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
            const int at = static_cast<int>(cmd.IdxOffset + i);
            if (at + 2 >= idxLimit)
                return found;
            const ImDrawVert* v[3];
            bool solid = true;
            for (int k = 0; k < 3; ++k) {
                v[k] = &list->VtxBuffer[static_cast<int>(cmd.VtxOffset) + list->IdxBuffer[at + k]];
                solid = solid && v[k]->uv.x == white.x && v[k]->uv.y == white.y &&
                        ((v[k]->col >> IM_COL32_A_SHIFT) & 0xFF) == 0xFF;
            }
            if (solid && v[0]->col == v[1]->col && v[1]->col == v[2]->col &&
                Inside(p, v[0]->pos, v[1]->pos, v[2]->pos))
                found = v[0]->col;
        }
    }
    return found;
}

std::optional<ImU32> SolidAt(ImVec2 p, int idxLimitOfFirst = 1 << 30) {
    const ImDrawData* data = ImGui::GetDrawData();
    std::optional<ImU32> found;
    for (int i = 0; i < data->CmdListsCount; ++i) {
        if (auto c = SolidAt(data->CmdLists[i], p, i == 0 ? idxLimitOfFirst : 1 << 30))
            found = c;
    }
    return found;
}

struct Findings {
    std::vector<std::string> failures;
    int texts = 0;
    int edges = 0;
};

void CheckTexts(const RecordingText& text, const std::string& where, Findings& f) {
    for (const auto& d : text.drawn) {
        if (d.text.empty() || d.box.w < 1)
            continue;
        ++f.texts;
        double worst = 1e9;
        ImU32 worstBg = 0;
        // Under the middle of the line, at its start, middle and end.
        for (float t : {0.1f, 0.5f, 0.9f}) {
            const ImVec2 p{d.box.x + d.box.w * t, d.box.CenterY()};
            const auto bg = SolidAt(d.list, p, d.idxBefore);
            if (!bg)
                continue;
            const double c = Contrast(d.colour, *bg);
            if (c < worst) {
                worst = c;
                worstBg = *bg;
            }
        }
        if (worst < 4.5) {
            std::ostringstream s;
            s << where << ": text \"" << d.text << "\" " << Hex(d.colour) << " on " << Hex(worstBg)
              << " is " << worst << ":1, needs 4.5:1";
            f.failures.push_back(s.str());
        }
    }
}

// Walks in from 3 px outside the middle of each side, through the first 12 px of the target: the
// colours met there are the edge the eye sees (a border, or the fill itself). The best of them
// against the outside must reach 3:1 on every side that shows one, as WCAG 1.4.11 asks of a
// control's boundary. A side that meets no other colour (a face's round edge beside its label's
// square target) is not counted; at least one side must show the target.
void CheckEdges(const ScreenLayout& layout, const std::string& where, Findings& f,
                bool (*counts)(const std::string&) = nullptr) {
    for (const auto& e : layout.elements) {
        if (counts != nullptr && !counts(e.id))
            continue;
        const Rect& r = e.rect;
        struct Ray {
            ImVec2 from;
            ImVec2 step;
        };
        const std::vector<Ray> rays = {{{r.x - 3, r.CenterY()}, {1, 0}},
                                       {{r.Right() + 3, r.CenterY()}, {-1, 0}},
                                       {{r.CenterX(), r.y - 3}, {0, 1}},
                                       {{r.CenterX(), r.Bottom() + 3}, {0, -1}}};
        double worst = 1e9;
        int sides = 0;
        std::string detail;
        for (const Ray& ray : rays) {
            const auto outside = SolidAt(ray.from);
            if (!outside)
                continue;
            double best = 0;
            ImU32 bestColour = *outside;
            for (float s = 0.25f; s < 15.0f; s += 0.25f) {
                const ImVec2 p{ray.from.x + ray.step.x * s, ray.from.y + ray.step.y * s};
                const auto c = SolidAt(p);
                if (c && *c != *outside && Contrast(*c, *outside) > best) {
                    best = Contrast(*c, *outside);
                    bestColour = *c;
                }
            }
            if (best == 0)
                continue;
            ++sides;
            if (best < worst) {
                worst = best;
                detail = Hex(bestColour) + " against " + Hex(*outside);
            }
        }
        ++f.edges;
        if (sides == 0 || worst < 3.0) {
            std::ostringstream s;
            s << where << ": target " << e.id << " edge " << detail << " is "
              << (sides == 0 ? 1.0 : worst) << ":1, needs 3:1";
            f.failures.push_back(s.str());
        }
    }
}

// Manager mode's buttons (tabs, periods, exit); its table rows and sort headers are text, which
// WCAG does not ask to have a boundary.
bool ManagerButton(const std::string& id) {
    return id.rfind("tab.", 0) == 0 || id.rfind("period.", 0) == 0 || id == "manager.exit";
}

KioskView BaseView() {
    KioskView v;
    v.points = 4;
    v.strings = EnglishStrings(4);
    v.reps = {{"r1", "Asha Verma"}, {"r2", "Ravi"}, {"r3", "Mette"}};
    v.repInitials = {"AV", "R", "M"};
    v.reasons = {{"wait_time", "Long wait", core::Pictogram::Clock},
                 {"price", "Price", core::Pictogram::PriceTag}};
    v.languages = {{"en", "English"}, {"da", "Dansk"}};
    v.servedBy = "Asha Verma";
    return v;
}

// Thick lines as geometry rather than from the font atlas's baked line texture, so borders are
// solid triangles the sampling sees; the colours are the same either way.
void SolidLines() {
    ImGui::GetStyle().AntiAliasedLinesUseTex = false;
}

Findings CheckCustomerScreens(bool accessible) {
    test::ImGuiContextGuard ctx(1280, 800);
    SolidLines();
    Findings f;
    struct Case {
        std::string name;
        KioskView view;
    };
    std::vector<Case> cases;
    auto add = [&](const std::string& name, auto tweak) {
        KioskView v = BaseView();
        v.accessible = accessible;
        tweak(v);
        cases.push_back({name, v});
    };
    add("rate", [](KioskView& v) { v.step = core::Step::Rate; });
    add("who_helped", [](KioskView& v) {
        v.step = core::Step::WhoHelped;
        v.undo = true;
    });
    add("reason", [](KioskView& v) { v.step = core::Step::Reason; });
    add("help", [](KioskView& v) { v.step = core::Step::Help; });
    add("thank_you", [](KioskView& v) {
        v.step = core::Step::ThankYou;
        v.rating = 4;
    });
    add("thank_you_sorry", [](KioskView& v) {
        v.step = core::Step::ThankYou;
        v.rating = 1;
        v.call = core::CallState::Confirmed;
    });
    add("closed", [](KioskView& v) { v.step = core::Step::Closed; });
    add("notice", [](KioskView& v) {
        v.notice = StaffNotice{"The kiosk's disk is full", "Ask IT to free space.", "en"};
    });
    for (const auto& c : cases) {
        RecordingText text;
        DrawListFacePainter faces;
        KioskScreens screens(text, faces);
        ImGui::NewFrame();
        const FrameOutput out = screens.Frame(c.view);
        ImGui::Render();
        const std::string where = c.name + (accessible ? " (high contrast)" : "");
        CheckTexts(text, where, f);
        CheckEdges(out.layout, where, f);
    }
    return f;
}

void Report(const Findings& f) {
    for (const auto& line : f.failures)
        FAIL_CHECK(line);
}

TEST_CASE("contrast: every customer screen's text >= 4.5:1 and target edges >= 3:1 (normal)") {
    const Findings f = CheckCustomerScreens(false);
    MESSAGE(f.texts << " texts and " << f.edges << " targets checked");
    CHECK(f.texts > 30);
    CHECK(f.edges > 20);
    Report(f);
}

TEST_CASE(
    "contrast: every customer screen's text >= 4.5:1 and target edges >= 3:1 (high "
    "contrast)") {
    const Findings f = CheckCustomerScreens(true);
    MESSAGE(f.texts << " texts and " << f.edges << " targets checked");
    CHECK(f.texts > 30);
    CHECK(f.edges > 20);
    Report(f);
}

TEST_CASE("contrast: manager mode's tabs, text >= 4.5:1 and target edges >= 3:1") {
    test::ImGuiContextGuard ctx(1280, 800);
    SolidLines();
    Findings f;
    for (ManagerTab tab : {ManagerTab::Reps, ManagerTab::Store, ManagerTab::Sync,
                           ManagerTab::Roster, ManagerTab::Export, ManagerTab::Calls}) {
        RecordingText text;
        ManagerScreens screens(text);
        ManagerView view = SampleManagerView();
        view.tab = tab;
        ImGui::NewFrame();
        const ManagerFrameOutput out = screens.Frame(view);
        ImGui::Render();
        const std::string where = "manager." + std::to_string(static_cast<int>(tab));
        CheckTexts(text, where, f);
        CheckEdges(out.layout, where, f, ManagerButton);
    }
    MESSAGE(f.texts << " texts and " << f.edges << " targets checked");
    CHECK(f.texts > 100);
    Report(f);
}

TEST_CASE("contrast: the measure itself (WCAG's black on white is 21:1, the same colour 1:1)") {
    CHECK(Contrast(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)) == doctest::Approx(21.0));
    CHECK(Contrast(IM_COL32(118, 118, 118, 255), IM_COL32(255, 255, 255, 255)) ==
          doctest::Approx(4.54).epsilon(0.01));
    CHECK(Contrast(IM_COL32(10, 20, 30, 255), IM_COL32(10, 20, 30, 255)) == doctest::Approx(1.0));
}

}  // namespace
}  // namespace fk::ui
