// The "who helped" picker (KioskScreens::DrawRepPicker): pages of rep tiles with an initials
// disc each, previous/next page buttons and Skip (ui/RepPickerLayout.h). Paging is screen state,
// not a flow event: it redraws at once, starts no acknowledgement and writes nothing.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "ui/KioskPalette.h"
#include "ui/KioskScreens.h"
#include "ui/RepPickerLayout.h"
#include "ui/RepTiles.h"
#include "ui/ScreenWindow.h"

namespace fk::ui {

namespace {

// Dark, calm disc colours, each with white initials readable on it (contrast >= 4.5:1). A rep
// keeps their colour on every kiosk: it comes from the id, not the position.
constexpr std::array<ImU32, 8> kAvatar = {
    IM_COL32(0, 94, 140, 255),   IM_COL32(150, 60, 0, 255),  IM_COL32(0, 110, 80, 255),
    IM_COL32(130, 40, 100, 255), IM_COL32(70, 70, 150, 255), IM_COL32(120, 90, 0, 255),
    IM_COL32(160, 30, 50, 255),  IM_COL32(60, 90, 100, 255),
};

ImU32 AvatarColour(const std::string& id) {
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (const unsigned char c : id)
        h = (h ^ c) * 16777619u;
    return kAvatar[h % kAvatar.size()];
}

// A chevron pointing left or right in r: language-neutral, no word to translate.
void DrawChevron(ImDrawList* dl, const Rect& r, bool right, ImU32 colour) {
    const float s = std::min(r.w, r.h) * 0.22f;
    const float cx = r.CenterX();
    const float cy = r.CenterY();
    const float d = right ? 1.0f : -1.0f;
    const ImVec2 pts[3] = {V(cx - d * s * 0.5f, cy - s), V(cx + d * s * 0.5f, cy),
                           V(cx - d * s * 0.5f, cy + s)};
    dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, std::max(3.0f, s * 0.28f));
}

}  // namespace

void DrawPageButton(ImDrawList* dl, const palette::Theme& t, const Rect& r, bool forward,
                    bool enabled, bool pressed) {
    const ImU32 ink = enabled ? t.accent : t.disabled;
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()),
                      pressed && enabled ? t.tilePressed : t.tile, r.h * 0.5f);
    dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), enabled ? t.accent : t.tileBorder,
                r.h * 0.5f, 0, enabled ? 3.0f : 2.0f);
    DrawChevron(dl, r, forward, ink);
}

void DrawRepTile(ImDrawList* dl, TextPainter& text, const palette::Theme& t,
                 const RepPickerLayout& l, std::size_t i, const RepTile& rep,
                 const std::string& initials, const std::string& language, bool pressed,
                 bool marked) {
    const float rounding = std::max(6.0f, l.namePx * 0.3f);
    const Rect& r = l.tiles[i];
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()),
                      pressed ? t.tilePressed : (marked ? t.accent : t.tile), rounding);
    dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), pressed || marked ? t.accent : t.tileBorder,
                rounding, 0, pressed || marked ? 3.0f : 2.0f);
    const Rect& a = l.avatars[i];
    dl->AddCircleFilled(V(a.CenterX(), a.CenterY()), a.w * 0.5f, AvatarColour(rep.id), 48);
    if (!initials.empty())
        DrawTextCentered(text, dl, a, initials, l.initialsPx, language,
                         IM_COL32(255, 255, 255, 255));
    DrawTextCentered(text, dl, l.names[i], rep.name, l.namePx, language,
                     marked && !pressed ? t.onAccent : t.ink);
}

void KioskScreens::DrawRepPicker(const KioskView& view, const LayoutParams& params, const Ack* ack,
                                 FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.background);
    const int count = static_cast<int>(view.reps.size());
    RepPickerLayout l = LayoutRepPicker(params, count, m_repPage);
    DrawTextCentered(*m_text, dl, l.title, view.strings.whoHelped, l.titlePx, view.language, t.ink);

    // The page buttons first: a tap on one shows the new page in this very frame.
    if (l.Paged()) {
        for (const bool forward : {false, true}) {
            const Rect& r = forward ? l.next : l.prev;
            const bool enabled = forward ? l.page + 1 < l.pages : l.page > 0;
            bool pressed = false;
            if (Target(forward ? "rep.next" : "rep.prev", r, ack, pressed, out) && enabled) {
                m_repPage = l.page + (forward ? 1 : -1);
                l = LayoutRepPicker(params, count, m_repPage);
            }
            DrawPageButton(dl, t, r, forward, enabled, pressed);
        }
        const std::string label = std::to_string(l.page + 1) + " / " + std::to_string(l.pages);
        DrawTextCentered(*m_text, dl, l.pageLabel, label, l.namePx, view.language, t.softInk);
    }

    for (std::size_t i = 0; i < l.tiles.size(); ++i) {
        const auto idx = static_cast<std::size_t>(l.first) + i;
        const RepTile& rep = view.reps[idx];
        const Rect& r = l.tiles[i];
        bool pressed = false;
        if (Target("rep." + rep.id, r, ack, pressed, out))
            out.actions.push_back(act::TapRep{rep.id});
        static const std::string kNone;
        DrawRepTile(dl, *m_text, t, l, i, rep,
                    idx < view.repInitials.size() ? view.repInitials[idx] : kNone, view.language,
                    pressed);
    }

    if (DrawSkip(view, "rep.skip", l.skip, l.namePx, ack, out))
        out.actions.push_back(act::SkipRep{});
}

}  // namespace fk::ui
