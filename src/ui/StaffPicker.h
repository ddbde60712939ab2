#pragma once
// Staff sign-in at the till (issue 18): "tap your name" over the reps who have a personal code,
// paged like the customer's picker (ui/RepPickerLayout.h, the same tiles), the rep on duty marked;
// the app then asks for that rep's code on the PIN pad (ui/PinPad.h, screen "staff.code").
// A function of a view that returns intents, like every screen; it keeps only the page.
// Layout ids (--layout-json, tests): "staff.rep.<id>", "staff.prev", "staff.next",
// "staff.cancel" on screen "staff".
// UI thread only; Frame() is called between ImGui::NewFrame() and ImGui::Render().

#include <optional>
#include <string>
#include <vector>

#include "ui/KioskScreens.h"
#include "ui/Layout.h"
#include "ui/TextPainter.h"

namespace fk::ui {

struct StaffPickerView {
    std::string title;   // "Staff: tap your name to sign in or out"
    std::string cancel;  // the bar's middle button
    std::string language = "en";
    float dpi = 96;
    std::vector<RepTile> reps;             // reps with a code, in the order shown
    std::vector<std::string> repInitials;  // parallel to reps; may be shorter
    std::optional<std::string> onDuty;     // rep id drawn marked
};

struct StaffPickerOutput {
    std::optional<std::string> chosen;  // a rep's tile was tapped: ask for their code
    bool cancelled = false;
    bool touched = false;  // any press this frame (the pad's inactivity timer restarts)
    ScreenLayout layout;   // screen "staff"
};

class StaffPicker {
  public:
    // The painter must outlive this object.
    explicit StaffPicker(TextPainter& text) : m_text(&text) {}
    StaffPickerOutput Frame(const StaffPickerView& view);
    // Back to the first page (each opening starts there).
    void Reset() { m_page = 0; }

  private:
    TextPainter* m_text;
    int m_page = 0;
};

}  // namespace fk::ui
