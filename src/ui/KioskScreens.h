#pragma once
// The customer screens: functions of a KioskView that draw with ImGui and return intents
// (UiAction) plus the touch targets they drew (ScreenLayout, for --layout-json and tests).
// Screens never touch storage, sync, GLFW or GL; the app turns intents into session events.
// After a tap the tapped element stays on screen, pressed (faces squash), for kAckMs before the
// next step is drawn: the customer sees the tap land on the very next frame.
// UI thread only; Frame() must be called between ImGui::NewFrame() and ImGui::Render().

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/FeedbackSession.h"
#include "core/Pictogram.h"
#include "ui/FacePainter.h"
#include "ui/Layout.h"
#include "ui/Strings.h"
#include "ui/TextPainter.h"

namespace fk::ui {

struct RepTile {
    std::string id;
    std::string name;
};
struct ReasonTile {
    std::string code;
    std::string label;
    core::Pictogram pictogram = core::Pictogram::SpeechBubble;  // beside the label
};
struct LanguageChoice {
    std::string code;
    std::string nativeName;  // written in its own script: "हिन्दी"
};
struct StaffNotice {
    std::string title;
    std::string message;
    std::string language = "en";  // the words' language: the kiosk's default, or built-in English
    friend bool operator==(const StaffNotice&, const StaffNotice&) = default;
};

// Everything a frame draws. Built by the app from the session, config and locale each frame.
struct KioskView {
    core::Step step = core::Step::Rate;
    int points = 4;
    std::vector<RepTile> reps;             // in the picker's order (app::OrderReps)
    std::vector<std::string> repInitials;  // parallel to reps; may be shorter (no initials)
    std::vector<ReasonTile> reasons;
    std::vector<LanguageChoice> languages;  // buttons on Rate when more than one
    std::string language = "en";
    Strings strings;
    std::optional<int> rating;                     // the customer's rating (thank-you matches it)
    std::optional<std::string> servedBy;           // on duty: the rep's name, shown small on Rate
    core::CallState call = core::CallState::None;  // thank-you after "yes" to help
    std::optional<StaffNotice> notice;  // storage trouble: a calm full-screen notice for staff
    float dpi = 96;
    bool listen = true;        // the "listen" button shows ([sound] enabled)
    bool undo = false;         // "change my answer" shows (the screen right after a rating)
    bool accessible = false;   // this customer's accessible mode: larger, high contrast
    bool staffButton = false;  // Rate: the discreet staff sign-in button (element "staff")
    std::int64_t nowMs = 0;    // steady ms; drives animations
};

namespace act {
struct TapRating {
    int value = 1;
};
struct TapRep {
    std::string id;
};
struct SkipRep {};
struct TapReason {
    std::string code;
};
struct SkipReason {};
struct AnswerHelp {
    bool yes = false;
};
struct ChooseLanguage {
    std::string code;
};
struct Undo {};
struct SetAccessible {
    bool on = true;
};
}  // namespace act
using UiAction =
    std::variant<act::TapRating, act::TapRep, act::SkipRep, act::TapReason, act::SkipReason,
                 act::AnswerHelp, act::ChooseLanguage, act::Undo, act::SetAccessible>;
core::SessionEvent ToSessionEvent(const UiAction& action);
std::string to_string(const UiAction& action);

struct FrameOutput {
    std::vector<UiAction> actions;
    ScreenLayout layout;
    bool animating = false;  // another frame is needed soon (tap acknowledgement running)
    bool listen = false;     // "listen" was tapped: read this screen aloud (not a session event)
    bool staff = false;      // the staff button was tapped: the app opens staff sign-in
    bool touched = false;    // a finger was on the screen this frame, on a target or not
};

// The screen name a view shows ("rate", "who_helped", "reason", "help", "thank_you", "closed",
// "notice").
std::string ScreenName(const KioskView& view);

class KioskScreens {
  public:
    static constexpr std::int64_t kAckMs = 180;
    // The accessible mode's layouts: every measure (targets, text, gaps) this many times larger.
    static constexpr float kAccessibleScale = 1.3f;

    // Both painters must outlive this object.
    KioskScreens(TextPainter& text, FacePainter& faces) : m_text(&text), m_faces(&faces) {}

    // Draws one frame of view into a full-window ImGui window.
    FrameOutput Frame(const KioskView& view);

  private:
    struct Ack {
        KioskView view;
        std::string id;
        std::int64_t startMs = 0;
    };
    void Draw(const KioskView& view, const LayoutParams& params, const Ack* ack, FrameOutput& out);
    void DrawRate(const KioskView& view, const LayoutParams& params, const Ack* ack,
                  FrameOutput& out);
    void DrawReasons(const KioskView& view, const LayoutParams& params, const Ack* ack,
                     FrameOutput& out);
    // The "who helped" picker, paged (RepPicker.cpp).
    void DrawRepPicker(const KioskView& view, const LayoutParams& params, const Ack* ack,
                       FrameOutput& out);
    void DrawHelp(const KioskView& view, const LayoutParams& params, const Ack* ack,
                  FrameOutput& out);
    void DrawMessage(const KioskView& view, const LayoutParams& params);
    void DrawListen(const KioskView& view, const LayoutParams& params, const Ack* ack,
                    FrameOutput& out);
    void DrawUndo(const KioskView& view, const LayoutParams& params, const Ack* ack,
                  FrameOutput& out);
    void DrawStaffButton(const KioskView& view, const LayoutParams& params, const Ack* ack,
                         FrameOutput& out);
    void DrawAccessibleToggle(const KioskView& view, const LayoutParams& params, const Ack* ack,
                              FrameOutput& out);
    // The "skip" pill under a picker (reasons, reps) at `rect`, its word at `px`; returns tapped.
    bool DrawSkip(const KioskView& view, const std::string& id, const Rect& rect, float px,
                  const Ack* ack, FrameOutput& out);
    // An invisible ImGui button over rect (when interactive); returns clicked, sets pressed.
    bool Target(const std::string& id, const Rect& rect, const Ack* ack, bool& pressed,
                FrameOutput& out);

    TextPainter* m_text;
    FacePainter* m_faces;
    std::optional<Ack> m_ack;
    std::int64_t m_nowMs = 0;
    std::string m_clickedId;
    int m_repPage = 0;  // the picker's page; back to the first whenever another step shows
};

}  // namespace fk::ui
