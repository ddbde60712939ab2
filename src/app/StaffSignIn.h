#pragma once
// Staff sign-in at the till without the manager PIN (issue 18 item 2): the discreet staff button
// on Rate opens "tap your name" (ui::StaffPicker) over the active reps who have a personal code;
// the rep then types their code on the PIN pad (screen "staff.code"). A right code signs that
// rep in as on duty at this kiosk (whoever was signed in before is signed out), or signs them
// out when they were the one on duty. Codes are 4 to 8 digits, kept only as argon2id hashes in
// the roster (RosterRep::codeHash, pushed by the server; config/PinHash.h checks them). Wrong
// codes share one brute-force brake per kiosk (core::PinLockout, persisted in
// <dataDir>/staff-lockout, apart from the manager PIN's): five free tries, then locks doubling
// from 30 s to an hour, whichever rep's name was tapped. Digits are wiped after use; logs name
// the rep, never a digit or hash. While it shows, the customer flow is paused; it closes itself
// after kTimeoutMs untouched.
//
// Thread affinity: UI thread only. Ownership: borrows the KioskCore, clock and painter (they
// must outlive it). Failure: a lockout file that cannot be written is logged and the brake still
// holds until a restart; nothing here throws out of Frame or Tick.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/KioskCore.h"
#include "app/Settings.h"
#include "core/Clock.h"
#include "core/PinLockout.h"
#include "ui/PinPad.h"
#include "ui/StaffPicker.h"

namespace fk::app {

class StaffSignIn {
  public:
    enum class Mode { Closed, Picking, Code };
    enum class Outcome { None, SignedIn, SignedOut, Cancelled };
    static constexpr std::int64_t kTimeoutMs = 30'000;
    static constexpr const char* kLockoutFile = "staff-lockout";

    // onDutyChanged: called after a sign-in or sign-out (the loop saves the roster file).
    StaffSignIn(KioskCore& core, const KioskSettings& settings, const core::Clock& clock,
                std::filesystem::path dataDir, ui::TextPainter& text,
                std::function<void()> onDutyChanged);
    ~StaffSignIn();
    StaffSignIn(const StaffSignIn&) = delete;
    StaffSignIn& operator=(const StaffSignIn&) = delete;

    // Opens "tap your name" over roster's active reps with a code; does nothing when none has.
    void Open(const std::vector<RosterRep>& roster);
    void Close();
    Mode Current() const { return m_mode; }
    bool Shown() const { return m_mode != Mode::Closed; }

    // One frame of the picker or the code pad (Shown()). Between ImGui::NewFrame() and Render().
    ui::FrameOutput Frame();
    // The timeout and the lock's countdown. True when the screen must be redrawn.
    bool Tick();
    std::optional<std::int64_t> NextDeadlineMs() const;

    // What the screens do, callable directly (tests).
    void Choose(const std::string& repId);
    Outcome Handle(const ui::PinPadAction& action);
    bool Locked() const { return m_lockout.Locked(); }
    int Failures() const { return m_lockout.Failures(); }
    // The staff strings take over a pushed survey's language settings with the rest.
    void SetStrings(StaffStrings strings) { m_strings = std::move(strings); }

  private:
    struct CodedRep {
        std::string id;
        std::string name;
        std::string codeHash;
    };
    const CodedRep* Chosen() const;
    Outcome Submit();
    void Wipe();
    void SaveLockout();
    ui::PinPadView PadView() const;
    ui::StaffPickerView PickerView() const;

    KioskCore& m_core;
    const core::Clock& m_clock;
    std::filesystem::path m_dataDir;
    StaffStrings m_strings;
    PinStrings m_pinStrings;  // OK and Delete
    std::string m_language;   // the kiosk's default language (staff screens, like the PIN pad)
    std::function<void()> m_onDutyChanged;
    ui::StaffPicker m_picker;
    ui::PinPad m_pad;
    core::PinLockout m_lockout;
    Mode m_mode = Mode::Closed;
    std::vector<CodedRep> m_reps;  // the reps offered, in the order shown
    std::vector<std::string> m_initials;
    std::string m_chosen;  // rep id whose code is asked
    std::string m_digits;
    std::string m_message;
    std::int64_t m_lastTouchMs = 0;
    std::int64_t m_shownSeconds = -1;
    bool m_redraw = false;
};

}  // namespace fk::app
