// The reason tiles' pictograms (issue 22): every one draws inside its box, each is its own
// picture, and the reason screen puts each tile's picture on that tile.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "support/HeadlessUi.h"
#include "ui/KioskScreens.h"
#include "ui/Pictograms.h"

namespace fk::ui {
namespace {

constexpr ImU32 kInkColour = IM_COL32(10, 20, 30, 255);
constexpr ImU32 kDiscColour = IM_COL32(220, 230, 240, 255);

// The ink vertices one pictogram leaves in a fresh frame's draw list, rounded to whole pixels.
std::vector<std::pair<int, int>> InkOf(core::Pictogram pictogram, const Rect& box) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("##p", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
    DrawPictogram(ImGui::GetWindowDrawList(), box, pictogram, {kInkColour, kDiscColour});
    ImGui::End();
    ImGui::Render();
    std::vector<std::pair<int, int>> out;
    const ImDrawData* data = ImGui::GetDrawData();
    for (int i = 0; i < data->CmdListsCount; ++i) {
        for (const ImDrawVert& v : data->CmdLists[i]->VtxBuffer) {
            if (v.col == kInkColour)
                out.emplace_back(static_cast<int>(v.pos.x), static_cast<int>(v.pos.y));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST_CASE("every pictogram draws ink inside its box, and no two draw the same picture") {
    test::ImGuiContextGuard ctx(400, 400);
    const Rect box{100, 120, 96, 96};
    std::set<std::vector<std::pair<int, int>>> pictures;
    for (core::Pictogram p : core::kAllPictograms) {
        CAPTURE(core::to_string(p));
        const auto ink = InkOf(p, box);
        CHECK(ink.size() >= 20);
        for (const auto& [x, y] : ink) {
            CHECK(x >= box.x - 1);
            CHECK(x <= box.Right() + 1);
            CHECK(y >= box.y - 1);
            CHECK(y <= box.Bottom() + 1);
        }
        // The ink spreads over the disc, not a dot in its middle.
        const auto [minX, maxX] = std::minmax_element(
            ink.begin(), ink.end(), [](auto& a, auto& b) { return a.first < b.first; });
        CHECK(maxX->first - minX->first >= box.w * 0.4f);
        pictures.insert(ink);
    }
    CHECK(pictures.size() == core::kAllPictograms.size());
}

TEST_CASE("a pictogram too small to see draws nothing rather than a smudge") {
    test::ImGuiContextGuard ctx(400, 400);
    CHECK(InkOf(core::Pictogram::Clock, Rect{10, 10, 1, 1}).empty());
}

TEST_CASE("the reason screen draws each tile's pictogram on that tile, left of its words") {
    test::ImGuiContextGuard ctx(1280, 800);
    ImGuiTextPainter text;
    DrawListFacePainter faces;
    KioskScreens screens(text, faces);
    KioskView v;
    v.step = core::Step::Reason;
    v.strings = EnglishStrings(4);
    for (core::Pictogram p : core::kAllPictograms)
        v.reasons.push_back({"r_" + core::to_string(p), core::to_string(p), p});
    ImGui::NewFrame();
    const FrameOutput out = screens.Frame(v);
    ImGui::Render();
    // The pictograms' disc colour: count its vertices per tile (the screens' palette, read back
    // from what the first tile drew under its left third).
    const ImDrawData* data = ImGui::GetDrawData();
    for (const ReasonTile& tile : v.reasons) {
        const ElementRect* e = out.layout.Find("reason." + tile.code);
        REQUIRE(e != nullptr);
        const Rect left{e->rect.x, e->rect.y, e->rect.w * 0.34f, e->rect.h};
        std::set<ImU32> colours;
        int inLeft = 0;
        for (int i = 0; i < data->CmdListsCount; ++i) {
            for (const ImDrawVert& vert : data->CmdLists[i]->VtxBuffer) {
                if (left.Contains(vert.pos.x, vert.pos.y)) {
                    ++inLeft;
                    colours.insert(vert.col);
                }
            }
        }
        CAPTURE(tile.code);
        CHECK(inLeft > 100);         // a drawn picture, not only the tile's rounded corners
        CHECK(colours.size() >= 3);  // tile, disc and ink
    }
}

}  // namespace
}  // namespace fk::ui
