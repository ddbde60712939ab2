#include "ui/PointerQueue.h"

namespace fk::ui {

void PointerQueue::Push(Event e) {
    m_seen = true;
    if (e.kind == Kind::Move && !m_events.empty() && m_events.back().kind == Kind::Move) {
        m_events.back() = e;
        return;
    }
    if (m_events.size() >= kMaxEvents) {
        ++m_dropped;
        return;
    }
    m_events.push_back(e);
}

void PointerQueue::Move(float x, float y) {
    Push({Kind::Move, x, y});
}
void PointerQueue::Press(float x, float y) {
    Push({Kind::Press, x, y});
}
void PointerQueue::Release(float x, float y) {
    Push({Kind::Release, x, y});
}

PointerState PointerQueue::NextFrame() {
    while (!m_events.empty()) {
        const Event e = m_events.front();
        m_events.pop_front();
        m_state.x = e.x;
        m_state.y = e.y;
        if (e.kind == Kind::Move)
            continue;
        const bool down = e.kind == Kind::Press;
        if (down != m_state.down) {
            m_state.down = down;
            break;
        }
    }
    return m_state;
}

}  // namespace fk::ui
