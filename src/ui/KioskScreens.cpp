#include "ui/KioskScreens.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/Rating.h"
#include "ui/KioskPalette.h"
#include "ui/Pictograms.h"
#include "ui/ScreenWindow.h"

namespace fk::ui {

namespace {

// The frame of a corner icon button (undo, listen, accessible): a rounded tile, accent edge.
void DrawIconButtonFrame(ImDrawList* dl, const Rect& r, ImU32 fill, ImU32 edge) {
    const float rounding = r.w * 0.18f;
    dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), fill, rounding);
    dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), edge, rounding, 0, 2.5f);
}

}  // namespace

core::SessionEvent ToSessionEvent(const UiAction& action) {
    return std::visit(
        [](const auto& a) -> core::SessionEvent {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, act::TapRating>)
                return core::ev::TapRating{a.value};
            if constexpr (std::is_same_v<A, act::TapRep>)
                return core::ev::TapRep{a.id};
            if constexpr (std::is_same_v<A, act::SkipRep>)
                return core::ev::SkipRep{};
            if constexpr (std::is_same_v<A, act::TapReason>)
                return core::ev::TapReason{a.code};
            if constexpr (std::is_same_v<A, act::SkipReason>)
                return core::ev::SkipReason{};
            if constexpr (std::is_same_v<A, act::AnswerHelp>)
                return core::ev::AnswerHelp{a.yes};
            if constexpr (std::is_same_v<A, act::ChooseLanguage>)
                return core::ev::ChooseLanguage{a.code};
            if constexpr (std::is_same_v<A, act::Undo>)
                return core::ev::Undo{};
            if constexpr (std::is_same_v<A, act::SetAccessible>)
                return core::ev::SetAccessible{a.on};
        },
        action);
}

std::string to_string(const UiAction& action) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, act::TapRating>)
                return "tap_rating(" + std::to_string(a.value) + ")";
            if constexpr (std::is_same_v<A, act::TapRep>)
                return "tap_rep(" + a.id + ")";
            if constexpr (std::is_same_v<A, act::SkipRep>)
                return "skip_rep";
            if constexpr (std::is_same_v<A, act::TapReason>)
                return "tap_reason(" + a.code + ")";
            if constexpr (std::is_same_v<A, act::SkipReason>)
                return "skip_reason";
            if constexpr (std::is_same_v<A, act::AnswerHelp>)
                return a.yes ? "help_yes" : "help_no";
            if constexpr (std::is_same_v<A, act::ChooseLanguage>)
                return "choose_language(" + a.code + ")";
            if constexpr (std::is_same_v<A, act::Undo>)
                return "undo";
            if constexpr (std::is_same_v<A, act::SetAccessible>)
                return a.on ? "accessible_on" : "accessible_off";
        },
        action);
}

std::string ScreenName(const KioskView& view) {
    if (view.notice)
        return "notice";
    return core::to_string(view.step);
}

FrameOutput KioskScreens::Frame(const KioskView& view) {
    FrameOutput out;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    LayoutParams params{display.x, display.y, view.dpi};
    if (view.accessible)
        params.scale = kAccessibleScale;

    BeginScreenWindow("##kiosk", ImGuiWindowFlags_NoBringToFrontOnFocus);

    if (m_ack &&
        (view.notice || view.nowMs - m_ack->startMs >= kAckMs || view.nowMs < m_ack->startMs))
        m_ack.reset();
    m_nowMs = view.nowMs;
    m_clickedId.clear();
    out.touched =
        ImGui::IsMouseDown(ImGuiMouseButton_Left) || ImGui::IsMouseReleased(ImGuiMouseButton_Left);
    if (m_ack) {
        // Keep the tapped screen up, pressed, for the acknowledgement; the next step follows.
        const Ack ack = *m_ack;
        Draw(ack.view, params, &ack, out);
        out.animating = true;
    } else {
        Draw(view, params, nullptr, out);
    }

    EndScreenWindow();

    // A tap that moves the flow on starts the acknowledgement; a language change redraws at once.
    for (const auto& a : out.actions) {
        if (!std::holds_alternative<act::ChooseLanguage>(a)) {
            m_ack = Ack{view, m_clickedId, view.nowMs};
            out.animating = true;
            break;
        }
    }
    return out;
}

void KioskScreens::Draw(const KioskView& view, const LayoutParams& params, const Ack* ack,
                        FrameOutput& out) {
    out.layout.screen = ScreenName(view);
    if (!view.notice && view.step == core::Step::ThankYou && view.call != core::CallState::None)
        out.layout.call = core::to_string(view.call);
    if (view.notice) {
        DrawMessage(view, params);
        return;
    }
    if (view.step != core::Step::WhoHelped)
        m_repPage = 0;
    switch (view.step) {
        case core::Step::Rate:
            DrawRate(view, params, ack, out);
            break;
        case core::Step::WhoHelped:
            DrawRepPicker(view, params, ack, out);
            break;
        case core::Step::Reason:
            DrawReasons(view, params, ack, out);
            break;
        case core::Step::Help:
            DrawHelp(view, params, ack, out);
            break;
        case core::Step::ThankYou:
        case core::Step::Closed:
            DrawMessage(view, params);
            break;
    }
    if (view.listen && view.step != core::Step::Closed)
        DrawListen(view, params, ack, out);
    if (view.undo && view.step != core::Step::Rate && view.step != core::Step::Closed)
        DrawUndo(view, params, ack, out);
    if (view.step == core::Step::Rate)
        DrawAccessibleToggle(view, params, ack, out);
    if (view.step == core::Step::Rate && view.staffButton)
        DrawStaffButton(view, params, ack, out);
}

void KioskScreens::DrawStaffButton(const KioskView& view, const LayoutParams& params,
                                   const Ack* ack, FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    const Rect r = LayoutStaffButton(params);
    bool pressed = false;
    if (Target("staff", r, ack, pressed, out))
        out.staff = true;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Discreet: the background's own colour, a quiet edge, a small key and no words (it is for
    // the staff, who know it; a customer's eye should pass over it).
    DrawIconButtonFrame(dl, r, pressed ? t.tilePressed : t.background, t.tileBorder);
    const float u = r.w / 20.0f;
    const ImVec2 bow = V(r.x + 7.0f * u, r.CenterY());
    dl->AddCircle(bow, 3.0f * u, t.softInk, 20, 1.6f * u);
    dl->AddLine(V(bow.x + 3.0f * u, bow.y), V(r.x + 15.5f * u, bow.y), t.softInk, 1.6f * u);
    for (const float x : {12.5f, 15.0f})
        dl->AddLine(V(r.x + x * u, bow.y), V(r.x + x * u, bow.y + 2.6f * u), t.softInk, 1.6f * u);
}

void KioskScreens::DrawAccessibleToggle(const KioskView& view, const LayoutParams& params,
                                        const Ack* ack, FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    const Rect r = LayoutUndo(params);  // the same corner: "change my answer" is never on Rate
    bool pressed = false;
    if (Target("accessible", r, ack, pressed, out))
        out.actions.push_back(act::SetAccessible{!view.accessible});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // On: filled, like a selected language.
    const ImU32 fill = view.accessible ? t.accent : (pressed ? t.tilePressed : t.tile);
    const ImU32 ink = view.accessible ? t.onAccent : t.accent;
    DrawIconButtonFrame(dl, r, fill, t.accent);
    // A magnifying glass: "make it bigger", without words.
    const float u = r.w / 20.0f;
    const ImVec2 c = V(r.x + r.w * 0.45f, r.y + r.h * 0.32f);
    dl->AddCircle(c, 3.6f * u, ink, 24, 1.6f * u);
    dl->AddLine(V(c.x + 2.6f * u, c.y + 2.6f * u), V(c.x + 6.0f * u, c.y + 6.0f * u), ink,
                2.2f * u);
    const Rect word{r.x + u, r.y + r.h * 0.60f, r.w - 2 * u, r.h * 0.38f};
    DrawTextCentered(*m_text, dl, word, view.strings.accessible, r.h * 0.17f, view.language,
                     view.accessible ? t.onAccent : t.ink);
}

void KioskScreens::DrawUndo(const KioskView& view, const LayoutParams& params, const Ack* ack,
                            FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    const Rect r = LayoutUndo(params);
    bool pressed = false;
    if (Target("undo", r, ack, pressed, out))
        out.actions.push_back(act::Undo{});
    ImDrawList* dl = ImGui::GetWindowDrawList();
    DrawIconButtonFrame(dl, r, pressed ? t.tilePressed : t.tile, t.accent);
    // A curved arrow turning back to the left: "go back", readable without the words.
    const float u = r.w / 20.0f;
    const float cx = r.x + r.w * 0.52f;
    const float cy = r.y + r.h * 0.36f;
    dl->PathArcTo(V(cx, cy + 1.0f * u), 4.5f * u, -3.14159265f * 0.5f, 3.14159265f * 0.6f, 16);
    dl->PathStroke(t.accent, 0, 1.6f * u);
    const ImVec2 tip = V(cx - 4.0f * u, cy - 3.5f * u);
    dl->AddTriangleFilled(V(tip.x - 0.5f * u, tip.y), V(cx + 0.5f * u, tip.y - 3.0f * u),
                          V(cx + 0.5f * u, tip.y + 3.0f * u), t.accent);
    const Rect word{r.x + u, r.y + r.h * 0.60f, r.w - 2 * u, r.h * 0.38f};
    DrawTextCentered(*m_text, dl, word, view.strings.undo, r.h * 0.17f, view.language, t.ink);
}

void KioskScreens::DrawListen(const KioskView& view, const LayoutParams& params, const Ack* ack,
                              FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    const Rect r = LayoutListen(params);
    bool pressed = false;
    if (Target("listen", r, ack, pressed, out))
        out.listen = true;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    DrawIconButtonFrame(dl, r, pressed ? t.tilePressed : t.tile, t.accent);
    // A loudspeaker with two sound waves above the word: the icon says it without reading.
    const float u = r.w / 20.0f;
    const float cx = r.x + r.w * 0.42f;
    const float cy = r.y + r.h * 0.38f;
    dl->AddRectFilled(V(cx - 4.5f * u, cy - 2 * u), V(cx - 2 * u, cy + 2 * u), t.accent);
    dl->AddQuadFilled(V(cx - 2 * u, cy - 2 * u), V(cx + 1.5f * u, cy - 5 * u),
                      V(cx + 1.5f * u, cy + 5 * u), V(cx - 2 * u, cy + 2 * u), t.accent);
    for (const float radius : {3.5f * u, 6.0f * u}) {
        dl->PathArcTo(V(cx + 1.5f * u, cy), radius, -0.8f, 0.8f, 12);
        dl->PathStroke(t.accent, 0, 1.6f * u);
    }
    const Rect word{r.x + u, r.y + r.h * 0.62f, r.w - 2 * u, r.h * 0.34f};
    DrawTextCentered(*m_text, dl, word, view.strings.listen, r.h * 0.22f, view.language, t.ink);
}

bool KioskScreens::Target(const std::string& id, const Rect& rect, const Ack* ack, bool& pressed,
                          FrameOutput& out) {
    out.layout.elements.push_back(ElementRect{id, rect});
    if (ack) {
        pressed = ack->id == id;
        return false;
    }
    ImGui::SetCursorScreenPos(V(rect.x, rect.y));
    const bool clicked =
        ImGui::InvisibleButton(id.c_str(), V(std::max(1.0f, rect.w), std::max(1.0f, rect.h)));
    pressed = ImGui::IsItemActive() || clicked;
    if (clicked)
        m_clickedId = id;
    return clicked;
}

void KioskScreens::DrawRate(const KioskView& view, const LayoutParams& params, const Ack* ack,
                            FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.background);
    const int langCount = static_cast<int>(view.languages.size());
    const RateLayout l =
        LayoutRate(params, view.points, langCount, view.servedBy.has_value(), view.staffButton);
    DrawTextCentered(*m_text, dl, l.title, view.strings.question, l.titlePx, view.language, t.ink);
    if (view.servedBy) {
        std::string line = view.strings.servedBy;
        if (const auto at = line.find("{name}"); at != std::string::npos)
            line.replace(at, 6, *view.servedBy);
        DrawTextCentered(*m_text, dl, l.servedBy, line, l.labelPx, view.language, t.softInk);
    }

    // The tapped face squashes and springs back over the acknowledgement.
    float squash = 0;
    if (ack) {
        const float phase = std::clamp(
            static_cast<float>(m_nowMs - ack->startMs) / static_cast<float>(kAckMs), 0.0f, 1.0f);
        squash = std::sin(3.14159265f * std::max(phase, 0.15f));
    }
    for (int i = 0; i < view.points; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        const std::string id = "rating." + std::to_string(i + 1);
        bool pressed = false;
        if (Target(id, l.targets[idx], ack, pressed, out))
            out.actions.push_back(act::TapRating{i + 1});
        FaceStyle style;
        style.pressed = pressed;
        style.squash = pressed ? squash : 0.0f;
        m_faces->DrawFace(dl, l.faces[idx], FaceKindFor(i + 1, view.points), style);
        if (idx < view.strings.faceLabels.size()) {
            DrawTextCentered(*m_text, dl, l.faceLabels[idx], view.strings.faceLabels[idx],
                             l.labelPx, view.language, pressed ? t.ink : t.softInk);
        }
    }
    for (int i = 0; i < langCount; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        const auto& choice = view.languages[idx];
        const Rect& r = l.languages[idx];
        bool pressed = false;
        if (Target("lang." + choice.code, r, ack, pressed, out))
            out.actions.push_back(act::ChooseLanguage{choice.code});
        const bool selected = choice.code == view.language;
        const float rounding = r.h * 0.5f;
        dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()),
                          selected ? t.accent : (pressed ? t.tilePressed : t.tile), rounding);
        dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), selected ? t.accent : t.tileBorder,
                    rounding, 0, 2.0f);
        // Each language name is drawn in its own language so its script shapes correctly.
        DrawTextCentered(*m_text, dl, r, choice.nativeName, l.buttonPx, choice.code,
                         selected ? t.onAccent : t.ink);
    }
}

void KioskScreens::DrawReasons(const KioskView& view, const LayoutParams& params, const Ack* ack,
                               FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.background);
    const int count = static_cast<int>(view.reasons.size());
    const TileLayout l = LayoutTiles(params, count);
    DrawTextCentered(*m_text, dl, l.title, view.strings.reasonTitle, l.titlePx, view.language,
                     t.ink);
    const float rounding = std::max(6.0f, l.tilePx * 0.3f);
    for (int i = 0; i < count; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        const Rect& r = l.tiles[idx];
        bool pressed = false;
        if (Target("reason." + view.reasons[idx].code, r, ack, pressed, out))
            out.actions.push_back(act::TapReason{view.reasons[idx].code});
        dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), pressed ? t.tilePressed : t.tile,
                          rounding);
        dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), pressed ? t.accent : t.tileBorder,
                    rounding, 0, pressed ? 3.0f : 2.0f);
        // The pictogram on the tile's leading edge, the words in the rest: a customer who cannot
        // read finds the reason by its picture.
        const float side = std::min(r.h * 0.66f, r.w * 0.3f);
        const float pad = std::min((r.h - side) * 0.5f, l.tilePx * 0.6f);
        const Rect picture{r.x + pad, r.CenterY() - side * 0.5f, side, side};
        DrawPictogram(dl, picture, view.reasons[idx].pictogram, {t.accent, t.pictogramDisc});
        const float textX = picture.Right() + l.tilePx * 0.4f;
        const Rect inner{textX, r.y, r.Right() - l.tilePx * 0.5f - textX, r.h};
        DrawTextCentered(*m_text, dl, inner, view.reasons[idx].label, l.tilePx, view.language,
                         t.ink);
    }
    if (DrawSkip(view, "reason.skip", l.skip, l.tilePx, ack, out))
        out.actions.push_back(act::SkipReason{});
}

bool KioskScreens::DrawSkip(const KioskView& view, const std::string& id, const Rect& s, float px,
                            const Ack* ack, FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    bool pressed = false;
    const bool tapped = Target(id, s, ack, pressed, out);
    dl->AddRectFilled(V(s.x, s.y), V(s.Right(), s.Bottom()), pressed ? t.tilePressed : t.background,
                      s.h * 0.5f);
    dl->AddRect(V(s.x, s.y), V(s.Right(), s.Bottom()), pressed ? t.accent : t.softInk, s.h * 0.5f,
                0, 2.0f);
    DrawTextCentered(*m_text, dl, s, view.strings.skip, px, view.language, t.softInk);
    return tapped;
}

void KioskScreens::DrawHelp(const KioskView& view, const LayoutParams& params, const Ack* ack,
                            FrameOutput& out) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.background);
    const HelpLayout l = LayoutHelp(params);
    DrawTextCentered(*m_text, dl, l.title, view.strings.helpQuestion, l.titlePx, view.language,
                     t.ink);
    for (const bool yes : {true, false}) {
        const Rect& r = yes ? l.yes : l.no;
        bool pressed = false;
        if (Target(yes ? "help.yes" : "help.no", r, ack, pressed, out))
            out.actions.push_back(act::AnswerHelp{yes});
        const float rounding = std::max(8.0f, r.h * 0.12f);
        // "Yes" is the filled button: the one a customer who wants help looks for first.
        const ImU32 fill = pressed ? t.tilePressed : (yes ? t.accent : t.tile);
        dl->AddRectFilled(V(r.x, r.y), V(r.Right(), r.Bottom()), fill, rounding);
        dl->AddRect(V(r.x, r.y), V(r.Right(), r.Bottom()), yes || pressed ? t.accent : t.tileBorder,
                    rounding, 0, pressed ? 4.0f : 2.0f);
        const Rect inner{r.x + l.buttonPx * 0.5f, r.y, r.w - l.buttonPx, r.h};
        DrawTextCentered(*m_text, dl, inner, yes ? view.strings.helpYes : view.strings.helpNo,
                         l.buttonPx, view.language, yes && !pressed ? t.onAccent : t.ink);
    }
}

void KioskScreens::DrawMessage(const KioskView& view, const LayoutParams& params) {
    const palette::Theme& t = palette::ThemeFor(view.accessible);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const MessageLayout l = LayoutMessage(params);
    if (view.notice) {
        dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.noticeBackground);
        // Staff notices are in the kiosk's default language (or built-in English), never the
        // customer's choice: shaped with the notice's own language tag.
        DrawTextCentered(*m_text, dl, l.title, view.notice->title, l.titlePx * 0.8f,
                         view.notice->language, t.noticeTitle);
        DrawTextCentered(*m_text, dl, l.body, view.notice->message, l.bodyPx, view.notice->language,
                         t.noticeBody);
        return;
    }
    if (view.step == core::Step::Closed) {
        dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.closedBackground);
        DrawTextCentered(*m_text, dl, l.title, view.strings.closedTitle, l.titlePx, view.language,
                         t.closedInk);
        DrawTextCentered(*m_text, dl, l.body, view.strings.closedBody, l.bodyPx, view.language,
                         t.closedInk);
        return;
    }
    dl->AddRectFilled(V(0, 0), V(params.width, params.height), t.background);
    // The thank-you matches the rating: after a negative one no smiling face and no cheer.
    const core::Sentiment mood =
        view.rating
            ? core::SentimentOf(*core::RatingScale::Make(view.points == 5 ? 5 : 4), *view.rating)
            : core::Sentiment::Positive;
    if (mood == core::Sentiment::Positive)
        m_faces->DrawFace(dl, l.face, FaceKind::VeryPositive, FaceStyle{});
    else if (mood == core::Sentiment::Neutral)
        m_faces->DrawFace(dl, l.face, FaceKind::Positive, FaceStyle{});
    const bool sorry = mood == core::Sentiment::Negative;
    std::string_view title = sorry ? view.strings.thankYouSorry : view.strings.thankYou;
    std::string_view body = sorry ? view.strings.thankYouSorryBody : view.strings.thankYouBody;
    switch (view.call) {
        case core::CallState::None:
            break;
        case core::CallState::Waiting:
            body = view.strings.callSending;
            break;
        case core::CallState::Confirmed:
            body = view.strings.callOnTheWay;
            break;
        case core::CallState::AskAtCounter:
            body = view.strings.callAskCounter;
            break;
    }
    // Without a face the words sit where it was: the screen stays balanced.
    const float lift = sorry ? l.face.h * 0.5f : 0.0f;
    const Rect titleBox{l.title.x, l.title.y - lift, l.title.w, l.title.h};
    const Rect bodyBox{l.body.x, l.body.y - lift, l.body.w, l.body.h};
    DrawTextCentered(*m_text, dl, titleBox, title, l.titlePx, view.language, t.ink);
    DrawTextCentered(*m_text, dl, bodyBox, body, l.bodyPx, view.language,
                     view.call == core::CallState::None ? t.softInk : t.ink);
}

}  // namespace fk::ui
