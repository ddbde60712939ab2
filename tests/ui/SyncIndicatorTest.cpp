#include <doctest/doctest.h>
#include <algorithm>

#include "support/HeadlessUi.h"
#include "ui/SyncIndicator.h"

using namespace fk;

namespace {

// Draws one dot in a fresh frame and returns the colours of its vertices.
std::vector<ImU32> DrawnColours(ui::SyncDot dot) {
    ImGui::NewFrame();
    ImDrawList* list = ImGui::GetForegroundDrawList();
    const int before = list->VtxBuffer.Size;
    ui::DrawSyncDot(list, dot, ImVec2(1280, 800), 96);
    std::vector<ImU32> colours;
    for (int i = before; i < list->VtxBuffer.Size; ++i)
        colours.push_back(list->VtxBuffer[i].col);
    ImGui::EndFrame();
    return colours;
}

bool Has(const std::vector<ImU32>& colours, ImU32 colour) {
    return std::find(colours.begin(), colours.end(), colour) != colours.end();
}

}  // namespace

TEST_CASE("sync dot: small, in the bottom-right corner, hidden when sync is off") {
    const ui::Rect r = ui::SyncDotRect(ui::SyncDot::Synced, ImVec2(1280, 800), 96);
    CHECK(r.w == doctest::Approx(ui::MmToPx(3, 96)));
    CHECK(r.Right() < 1280);
    CHECK(r.Right() > 1280 - ui::MmToPx(10, 96));
    CHECK(r.y + r.h > 800 - ui::MmToPx(10, 96));
    CHECK(ui::SyncDotRect(ui::SyncDot::Hidden, ImVec2(1280, 800), 96).w == 0);
}

TEST_CASE("sync dot: each state draws differently, in colour and in shape") {
    test::ImGuiContextGuard context(1280, 800);
    CHECK(DrawnColours(ui::SyncDot::Hidden).empty());
    auto synced = DrawnColours(ui::SyncDot::Synced);
    auto waiting = DrawnColours(ui::SyncDot::Waiting);
    auto staff = DrawnColours(ui::SyncDot::NeedsStaff);
    CHECK(Has(synced, IM_COL32(0, 158, 115, 160)));
    CHECK(Has(waiting, IM_COL32(230, 159, 0, 200)));
    CHECK(Has(staff, IM_COL32(213, 94, 0, 230)));
    CHECK(Has(staff, IM_COL32(255, 255, 255, 255)));  // the bar: not colour alone
    CHECK_FALSE(Has(synced, IM_COL32(230, 159, 0, 200)));
}
