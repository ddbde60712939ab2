#pragma once
// Which screen a frame shows: the customer's (ui::KioskScreens fed KioskCore's view, their taps
// handed back to KioskCore as actions) while manager mode and staff sign-in are closed, else the
// PIN pad or manager screens (ManagerSession), else staff sign-in (StaffSignIn). It watches the
// customer screens for the corner long-press (CornerHold) and opens the pad when it completes,
// and opens staff sign-in over manager mode's roster when the staff button is tapped.
//
// Thread affinity: UI thread only. Ownership: borrows the KioskCore, ManagerSession, StaffSignIn
// and clock (they must outlive it). Failure: none of its own; storage problems are KioskCore's
// notice.

#include <cstdint>
#include <optional>

#include "app/KioskCore.h"
#include "app/ManagerEntry.h"
#include "app/ManagerSession.h"
#include "app/StaffSignIn.h"
#include "core/Clock.h"
#include "ui/KioskScreens.h"
#include "ui/Pointer.h"

namespace fk::app {

class ScreenRouter {
  public:
    ScreenRouter(KioskCore& core, ManagerSession& manager, StaffSignIn& staff,
                 const core::Clock& clock)
        : m_core(core), m_manager(manager), m_staff(staff), m_clock(clock) {}

    // One frame of whatever shows. Call between ImGui::NewFrame() and ImGui::Render(); pointer
    // is this frame's input from the platform layer. The output's actions are the customer's;
    // its layout is the screen shown ("rate", "pin", "manager.<tab>", ...).
    ui::FrameOutput Frame(ui::KioskScreens& customer, const ui::PointerState& pointer);
    // Manager time passing plus the hold completing with no input event. True when a frame is
    // needed.
    bool Tick();
    // Steady ms of the next thing Tick would do by itself (nullopt: only input or a wake-up).
    std::optional<std::int64_t> NextDeadlineMs() const;
    bool CustomerShown() const {
        return m_manager.Current() == ManagerSession::Mode::Customer && !m_staff.Shown();
    }

  private:
    KioskCore& m_core;
    ManagerSession& m_manager;
    StaffSignIn& m_staff;
    const core::Clock& m_clock;
    CornerHold m_hold;
};

}  // namespace fk::app
