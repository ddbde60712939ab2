#include "ui/StaffPicker.h"

#include <algorithm>

#include <imgui.h>

#include "ui/KioskPalette.h"
#include "ui/RepPickerLayout.h"
#include "ui/RepTiles.h"
#include "ui/ScreenWindow.h"

namespace fk::ui {

StaffPickerOutput StaffPicker::Frame(const StaffPickerView& view) {
    StaffPickerOutput out;
    out.layout.screen = "staff";
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const LayoutParams params{display.x, display.y, view.dpi};
    const palette::Theme& t = palette::kNormal;
    const int count = static_cast<int>(view.reps.size());
    RepPickerLayout l = LayoutRepPicker(params, count, m_page);

    BeginScreenWindow("##staff", ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), display, t.background);
    out.touched =
        ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsMouseReleased(ImGuiMouseButton_Left);
    auto target = [&](const std::string& id, const Rect& r, bool& pressed) {
        out.layout.elements.push_back(ElementRect{id, r});
        ImGui::SetCursorScreenPos(V(r.x, r.y));
        const bool clicked =
            ImGui::InvisibleButton(id.c_str(), V(std::max(1.0f, r.w), std::max(1.0f, r.h)));
        pressed = ImGui::IsItemActive() || clicked;
        return clicked;
    };
    DrawTextCentered(*m_text, dl, l.title, view.title, l.titlePx, view.language, t.ink);

    if (l.Paged()) {
        for (const bool forward : {false, true}) {
            const Rect& r = forward ? l.next : l.prev;
            const bool enabled = forward ? l.page + 1 < l.pages : l.page > 0;
            bool pressed = false;
            if (target(forward ? "staff.next" : "staff.prev", r, pressed) && enabled) {
                m_page = l.page + (forward ? 1 : -1);
                l = LayoutRepPicker(params, count, m_page);
            }
            DrawPageButton(dl, t, r, forward, enabled, pressed);
        }
        const std::string label = std::to_string(l.page + 1) + " / " + std::to_string(l.pages);
        DrawTextCentered(*m_text, dl, l.pageLabel, label, l.namePx, view.language, t.softInk);
    }
    static const std::string kNone;
    for (std::size_t i = 0; i < l.tiles.size(); ++i) {
        const auto idx = static_cast<std::size_t>(l.first) + i;
        const RepTile& rep = view.reps[idx];
        bool pressed = false;
        if (target("staff.rep." + rep.id, l.tiles[i], pressed))
            out.chosen = rep.id;
        DrawRepTile(dl, *m_text, t, l, i, rep,
                    idx < view.repInitials.size() ? view.repInitials[idx] : kNone, view.language,
                    pressed, view.onDuty == rep.id);
    }
    bool pressed = false;
    const Rect& s = l.skip;
    if (target("staff.cancel", s, pressed))
        out.cancelled = true;
    dl->AddRectFilled(V(s.x, s.y), V(s.Right(), s.Bottom()), pressed ? t.tilePressed : t.background,
                      s.h * 0.5f);
    dl->AddRect(V(s.x, s.y), V(s.Right(), s.Bottom()), pressed ? t.accent : t.softInk, s.h * 0.5f,
                0, 2.0f);
    DrawTextCentered(*m_text, dl, s, view.cancel, l.namePx, view.language, t.softInk);
    EndScreenWindow();
    return out;
}

}  // namespace fk::ui
