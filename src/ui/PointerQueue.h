#pragma once
// The primary pointer's presses, releases and moves between two frames, handed out one press or
// release per frame. ImGui 1.86 reads the pointer once per frame (a position and "button 0 down")
// and needs a frame down and a frame up for a tap, so a tap that starts and ends between two
// frames, or two taps, would merge into one (or none) at the last position. The platform layer
// pushes events as they arrive; the frame loop takes one frame's pointer at a time and draws
// another frame while Pending(). Plain value type; owned and used on the UI thread only.
// Bounded: moves in a row merge into one, and once kMaxEvents presses/releases are waiting, new
// ones are dropped (counted in Dropped()) rather than growing without end.

#include <cstddef>
#include <cstdint>
#include <deque>

#include "ui/Pointer.h"

namespace fk::ui {

class PointerQueue {
  public:
    static constexpr std::size_t kMaxEvents = 256;

    void Move(float x, float y);
    void Press(float x, float y);
    void Release(float x, float y);

    // The pointer for the next frame: every queued move up to and including the first press or
    // release that changes the state (a second press while down only moves). Without queued
    // events, the last state again.
    PointerState NextFrame();
    bool Pending() const { return !m_events.empty(); }
    // True once any event has arrived (until then the platform's own reading stands).
    bool Seen() const { return m_seen; }
    std::uint64_t Dropped() const { return m_dropped; }

  private:
    enum class Kind : std::uint8_t { Move, Press, Release };
    struct Event {
        Kind kind;
        float x;
        float y;
    };
    void Push(Event e);

    std::deque<Event> m_events;
    PointerState m_state;
    bool m_seen = false;
    std::uint64_t m_dropped = 0;
};

}  // namespace fk::ui
