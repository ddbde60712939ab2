#pragma once
// The way into manager mode: a long press on the top-left corner of the customer screen
// (CornerHold), then the PIN pad's logic (PinEntry): enter the PIN, with the brute-force brake
// (core::PinLockout) persisted in <dataDir>/manager-lockout. The screen never sets a PIN: with
// none (or a damaged one) the pad stays shut and says the technician sets it (`kiosk set-pin`). The
// digits live only here, wiped after use; logs never see them. UI thread only. Failure: file
// problems are logged (never with a PIN or hash) and the pad carries on; an unreadable lockout file
// counts as a fresh lock (a damaged file must not reset the brake).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "app/ManagerPin.h"
#include "app/Settings.h"
#include "core/Clock.h"
#include "core/PinLockout.h"
#include "ui/Layout.h"
#include "ui/PinPad.h"

namespace fk::app {

// The lockout kept in file (core::PinLockout's record); what names the pad in log lines. A missing
// file is a fresh brake; an unreadable or damaged one counts as a fresh lock (a damaged file must
// not be a way to reset the brake).
core::PinLockout LoadPinLockout(const core::Clock& clock, const std::filesystem::path& file,
                                const char* what);

// While `lockout` is locked: the pad shows no digits and `lockedText` ({seconds} filled in) as its
// error. Both pads (the manager PIN's and the staff code's) show a lock the same way.
void ShowLockout(const core::PinLockout& lockout, const std::string& lockedText,
                 ui::PinPadView& view);

// A press that starts inside the corner square and stays down, inside it, for kHoldMs.
class CornerHold {
  public:
    static constexpr std::int64_t kHoldMs = 3000;
    static constexpr float kCornerMm = ui::kCornerHoldMm;  // >= ui::kMinTargetMm

    static ui::Rect Region(float dpi);
    // Feed every frame the pointer state; true once when the hold completes.
    bool Update(bool down, float x, float y, std::int64_t nowMs, float dpi);
    void Reset() {
        m_startMs.reset();
        m_pressOutside = false;
        m_wasDown = false;
    }
    bool Holding() const { return m_startMs.has_value(); }
    // When the running hold completes (the loop needs a frame then, with no input event).
    std::optional<std::int64_t> DeadlineMs() const;

  private:
    std::optional<std::int64_t> m_startMs;
    bool m_pressOutside = false;  // the press began elsewhere: it never counts
    bool m_wasDown = false;
};

class PinEntry {
  public:
    // NotSet: no valid PIN (missing or damaged); the keys are dimmed and nothing unlocks.
    enum class Prompt { Enter, NotSet };
    enum class Outcome { None, Unlocked, Cancelled };
    static constexpr const char* kLockoutFile = "manager-lockout";

    PinEntry(const ManagerSettings& settings, const core::Clock& clock,
             std::filesystem::path dataDir);
    ~PinEntry();

    // Shows the pad afresh: Enter when a valid PIN is set, else NotSet (rereads the PIN file).
    void Start();
    Outcome Handle(const ui::PinPadAction& action);
    ui::PinPadView View(const std::string& language, float dpi) const;

    Prompt CurrentPrompt() const { return m_prompt; }
    PinState StoreState() const { return m_state; }
    bool Locked() const { return m_lockout.Locked(); }
    std::int64_t LockedSeconds() const { return m_lockout.RemainingSeconds(); }
    int Entered() const { return static_cast<int>(m_digits.size()); }
    // Steady ms of the next change the pad shows by itself (the countdown's next second).
    std::optional<std::int64_t> NextDeadlineMs() const;
    const PinStore& Store() const { return m_store; }

  private:
    void Clear();
    void SaveLockout();
    Outcome Submit();

    PinStrings m_strings;
    const core::Clock& m_clock;
    std::filesystem::path m_dataDir;
    PinStore m_store;
    core::PinLockout m_lockout;
    Prompt m_prompt = Prompt::Enter;
    PinState m_state = PinState::Missing;
    std::string m_digits;
    std::string m_message;
    bool m_messageIsError = false;
};

}  // namespace fk::app
