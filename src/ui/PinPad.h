#pragma once
// The manager PIN pad: digits 0-9, delete, OK and cancel as touch targets of at least
// kMinTargetMm, and one dot per digit entered (never the digits). Like the customer screens it is
// a function of a view that returns intents; the app holds the digits, checks the PIN, runs the
// lockout and decides what the pad says. While the view says locked, the keys are drawn dimmed
// and the countdown shows; the app ignores digits and OK until the lock ends.
// Layout ids (--layout-json, tests): "pin.0".."pin.9", "pin.del", "pin.ok", "pin.cancel" on
// screen "pin".
// UI thread only; Frame() is called between ImGui::NewFrame() and ImGui::Render().

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ui/Layout.h"
#include "ui/TextPainter.h"

namespace fk::ui {

struct PinPadView {
    std::string title;    // "Manager PIN", or "No manager PIN is set"
    std::string message;  // a wrong PIN, a mismatch, the countdown; empty for none
    bool messageIsError = false;
    int entered = 0;  // digits entered so far (drawn as dots)
    int maxDigits = 8;
    bool locked = false;  // keys dimmed (the countdown is in message)
    std::string okLabel = "OK";
    std::string deleteLabel = "Delete";
    std::string cancelLabel = "Cancel";
    std::string language = "en";
    float dpi = 96;
    std::string screen = "pin";  // the layout's screen name ("staff.code" for a rep's own code)
};

namespace pact {
struct Digit {
    int value = 0;
};
struct Delete {};
struct Ok {};
struct Cancel {};
}  // namespace pact
using PinPadAction = std::variant<pact::Digit, pact::Delete, pact::Ok, pact::Cancel>;
// Names the key, never the digit ("digit", "delete", "ok", "cancel"): logs must not spell PINs.
std::string to_string(const PinPadAction& action);

struct PinPadOutput {
    std::vector<PinPadAction> actions;
    ScreenLayout layout;   // screen "pin"
    bool touched = false;  // any press this frame (resets the pad's own inactivity timer)
};

struct PinPadLayout {
    Rect title;
    Rect dots;
    Rect message;
    std::array<Rect, 10> digits;  // index = digit
    Rect del;
    Rect ok;
    Rect cancel;
    float titlePx = 0;
    float keyPx = 0;
    float messagePx = 0;
};
// Pure: a phone-style 3 x 4 keypad (1 2 3 / 4 5 6 / 7 8 9 / delete 0 OK) with cancel below,
// centred; keys at least kMinTargetMm square with kMinGapMm between them.
PinPadLayout LayoutPinPad(const LayoutParams& params);

class PinPad {
  public:
    // The painter must outlive this object.
    explicit PinPad(TextPainter& text) : m_text(&text) {}
    PinPadOutput Frame(const PinPadView& view);

  private:
    TextPainter* m_text;
};

}  // namespace fk::ui
