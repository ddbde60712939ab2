#include "app/ScreenRouter.h"

namespace fk::app {

ui::FrameOutput ScreenRouter::Frame(ui::KioskScreens& customer, const ui::PointerState& pointer) {
    if (!CustomerShown()) {
        m_hold.Reset();  // a hold starts afresh when the customer screen comes back
        if (m_manager.Current() != ManagerSession::Mode::Customer)
            return m_manager.Frame();
        return m_staff.Frame();
    }
    const std::int64_t now = m_clock.SteadyMs();
    ui::FrameOutput out = customer.Frame(m_core.View());
    if (out.touched)
        m_core.Touched();
    m_core.Handle(out.actions);
    if (!out.actions.empty())
        m_manager.NoteCustomerTaps();
    if (out.staff)
        m_staff.Open(m_manager.Roster());
    if (m_hold.Update(pointer.down, pointer.x, pointer.y, now, m_core.Dpi())) {
        m_hold.Reset();
        m_manager.OpenPad();
    }
    return out;
}

bool ScreenRouter::Tick() {
    bool changed = m_manager.Tick();
    changed = m_staff.Tick() || changed;
    if (!CustomerShown()) {
        m_hold.Reset();
    } else if (auto d = m_hold.DeadlineMs(); d && m_clock.SteadyMs() >= *d) {
        // The hold completes with no input event: the frame at its deadline sees it.
        changed = true;
    }
    return changed;
}

std::optional<std::int64_t> ScreenRouter::NextDeadlineMs() const {
    std::optional<std::int64_t> d = m_manager.NextDeadlineMs();
    if (auto staff = m_staff.NextDeadlineMs(); staff && (!d || *staff < *d))
        d = staff;
    if (CustomerShown()) {
        if (auto hold = m_hold.DeadlineMs(); hold && (!d || *hold < *d))
            d = hold;
    }
    return d;
}

}  // namespace fk::app
