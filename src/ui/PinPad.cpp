#include "ui/PinPad.h"

#include <algorithm>

#include <imgui.h>

#include "ui/ScreenWindow.h"

namespace fk::ui {

namespace {

constexpr ImU32 kBackground = IM_COL32(44, 58, 74, 255);
constexpr ImU32 kInk = IM_COL32(240, 240, 240, 255);
constexpr ImU32 kSoftInk = IM_COL32(190, 200, 212, 255);
constexpr ImU32 kError = IM_COL32(255, 196, 140, 255);
constexpr ImU32 kKey = IM_COL32(66, 84, 104, 255);
constexpr ImU32 kKeyPressed = IM_COL32(98, 124, 152, 255);
constexpr ImU32 kKeyDimmed = IM_COL32(54, 66, 80, 255);
constexpr ImU32 kOk = IM_COL32(46, 125, 82, 255);
constexpr ImU32 kDimInk = IM_COL32(110, 122, 136, 255);

}  // namespace

std::string to_string(const PinPadAction& action) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, pact::Digit>)
                return "digit";
            if constexpr (std::is_same_v<A, pact::Delete>)
                return "delete";
            if constexpr (std::is_same_v<A, pact::Ok>)
                return "ok";
            if constexpr (std::is_same_v<A, pact::Cancel>)
                return "cancel";
        },
        action);
}

namespace {

// The 3 x 4 keys, `key` square and `gap` apart, from (x0, y0): 1-9 in rows of three, then
// delete, 0 and OK.
void PlaceKeys(PinPadLayout& l, float x0, float y0, float key, float gap) {
    auto cell = [&](int col, int row) {
        return Rect{x0 + static_cast<float>(col) * (key + gap),
                    y0 + static_cast<float>(row) * (key + gap), key, key};
    };
    for (int d = 1; d <= 9; ++d)
        l.digits[static_cast<std::size_t>(d)] = cell((d - 1) % 3, (d - 1) / 3);
    l.del = cell(0, 3);
    l.digits[0] = cell(1, 3);
    l.ok = cell(2, 3);
}

}  // namespace

PinPadLayout LayoutPinPad(const LayoutParams& p) {
    PinPadLayout l;
    const float unit = std::min(p.width, p.height) / 100.0f;
    const float margin = std::max(MmToPx(4, p.dpi), 3.0f * unit);
    const float gap = std::max(MmToPx(kMinGapMm, p.dpi), 1.5f * unit);
    const float minKey = MmToPx(kMinTargetMm, p.dpi);
    l.titlePx = std::max(MmToPx(5, p.dpi), 4.5f * unit);
    l.messagePx = std::max(MmToPx(3.5f, p.dpi), 3.0f * unit);
    const float titleH = l.titlePx * 1.6f;
    const float dotsH = std::max(MmToPx(8, p.dpi), 7.0f * unit);
    const float messageH = l.messagePx * 1.8f;
    const float top = margin + titleH + dotsH + messageH + gap;
    // Stacked: the header over five rows (four of keys, one for cancel), three columns.
    const float byHeight = (p.height - top - margin - 4 * gap) / 5.0f;
    const float byWidth = (p.width - 2 * margin - 2 * gap) / 3.0f;
    if (byHeight >= minKey || p.Portrait()) {
        const float key = std::max(minKey, std::min({byHeight, byWidth, MmToPx(28, p.dpi)}));
        const float padW = 3 * key + 2 * gap;
        const float x0 = (p.width - padW) * 0.5f;
        const float blockH = titleH + dotsH + messageH + gap + 5 * key + 4 * gap;
        const float y0 = std::max(margin, (p.height - blockH) * 0.5f);
        l.title = Rect{margin, y0, p.width - 2 * margin, titleH};
        l.dots = Rect{x0, l.title.Bottom(), padW, dotsH};
        l.message = Rect{margin, l.dots.Bottom(), p.width - 2 * margin, messageH};
        const float ky = l.message.Bottom() + gap;
        PlaceKeys(l, x0, ky, key, gap);
        l.cancel = Rect{x0, ky + 4 * (key + gap), padW, key};
        l.keyPx = key * 0.42f;
        return l;
    }
    // Short landscape screens: header and cancel on the left half, the 3 x 4 keys on the right.
    const float half = p.width * 0.5f;
    const float key =
        std::max(minKey, std::min({(p.height - 2 * margin - 3 * gap) / 4.0f,
                                   (half - margin - 2 * gap) / 3.0f, MmToPx(28, p.dpi)}));
    const float padW = 3 * key + 2 * gap;
    const float padH = 4 * key + 3 * gap;
    const float x0 = half + (half - padW) * 0.5f;
    const float ky = std::max(margin, (p.height - padH) * 0.5f);
    PlaceKeys(l, x0, ky, key, gap);
    const float leftW = half - 2 * margin;
    l.title = Rect{margin, ky, leftW, titleH};
    l.dots = Rect{margin, l.title.Bottom(), leftW, dotsH};
    l.message = Rect{margin, l.dots.Bottom(), leftW, messageH};
    l.cancel = Rect{margin + (leftW - padW) * 0.5f, ky + padH - key, std::min(padW, leftW), key};
    l.keyPx = key * 0.42f;
    return l;
}

PinPadOutput PinPad::Frame(const PinPadView& view) {
    PinPadOutput out;
    out.layout.screen = view.screen;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const LayoutParams params{display.x, display.y, view.dpi};
    const PinPadLayout l = LayoutPinPad(params);

    BeginScreenWindow("##pinpad", ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), display, kBackground);
    out.touched =
        ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsMouseReleased(ImGuiMouseButton_Left);

    DrawTextCentered(*m_text, dl, l.title, view.title, l.titlePx, view.language, kInk);

    // One dot per digit entered, with empty rings up to the minimum length as a hint.
    const int slots = std::clamp(std::max(view.entered, 4), 0, std::max(view.maxDigits, 1));
    const float r = std::min(l.dots.h * 0.18f, l.dots.w / static_cast<float>(slots * 4));
    const float step = r * 3.2f;
    float cx = l.dots.CenterX() - step * static_cast<float>(slots - 1) * 0.5f;
    for (int i = 0; i < slots; ++i, cx += step) {
        if (i < view.entered) {
            dl->AddCircleFilled(V(cx, l.dots.CenterY()), r, kInk, 24);
        } else {
            dl->AddCircle(V(cx, l.dots.CenterY()), r, kSoftInk, 24, 2.0f);
        }
    }
    if (!view.message.empty()) {
        DrawTextCentered(*m_text, dl, l.message, view.message, l.messagePx, view.language,
                         view.messageIsError ? kError : kSoftInk);
    }

    auto key = [&](const std::string& id, const Rect& rect, const std::string& label, ImU32 fill,
                   bool dimmed, PinPadAction action) {
        out.layout.elements.push_back(ElementRect{id, rect});
        ImGui::SetCursorScreenPos(V(rect.x, rect.y));
        const bool clicked =
            ImGui::InvisibleButton(id.c_str(), V(std::max(1.0f, rect.w), std::max(1.0f, rect.h)));
        const bool pressed = ImGui::IsItemActive();
        if (clicked)
            out.actions.push_back(action);
        const ImU32 colour = dimmed ? kKeyDimmed : (pressed ? kKeyPressed : fill);
        dl->AddRectFilled(V(rect.x, rect.y), V(rect.Right(), rect.Bottom()), colour,
                          rect.h * 0.18f);
        DrawTextCentered(*m_text, dl, Rect{rect.x + 4, rect.y, rect.w - 8, rect.h}, label,
                         label.size() == 1 ? l.keyPx : l.keyPx * 0.55f, view.language,
                         dimmed ? kDimInk : kInk);
    };
    for (int d = 0; d <= 9; ++d) {
        key("pin." + std::to_string(d), l.digits[static_cast<std::size_t>(d)], std::to_string(d),
            kKey, view.locked, pact::Digit{d});
    }
    key("pin.del", l.del, view.deleteLabel, kKey, view.locked || view.entered == 0, pact::Delete{});
    key("pin.ok", l.ok, view.okLabel, kOk, view.locked, pact::Ok{});
    key("pin.cancel", l.cancel, view.cancelLabel, kKey, false, pact::Cancel{});

    EndScreenWindow();
    return out;
}

}  // namespace fk::ui
