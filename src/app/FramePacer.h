#pragma once
// When the kiosk's frame loop draws and how long it sleeps, as pure state (Dear ImGui's examples
// keep this inline in the loop). In: input and changes (Want), deadlines, whether the last frame
// animates. Out: the WaitEvents timeout, whether a frame is due, how long to hold an animation
// frame back for the fps cap. An idle kiosk draws nothing and sleeps until input, a wake-up or the
// next deadline. Owned by the UI thread; no clock of its own (times are passed in).

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace fk::app {

class FramePacer {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    struct Options {
        bool continuous = false;   // draw every iteration (--exit-after-frames, renderContinuously)
        int animationFpsCap = 60;  // animation and continuous frames at most this often
        double idleWaitS = 30.0;   // longest sleep without a deadline (opening hours are checked)
    };
    explicit FramePacer(Options options);

    // Input or a change asks for at least `frames` more frames (input 2: the frame that handles
    // it and the one that shows the result). Starts wanting 2.
    void Want(int frames);

    // The WaitEvents timeout in seconds: 0 when a frame is due, else until the nearest deadline
    // (steady ms; at least 1 ms), at most idleWaitS.
    double WaitTimeoutS(std::int64_t nowMs,
                        std::initializer_list<std::optional<std::int64_t>> deadlinesMs) const;

    bool FrameDue() const;

    // How long to wait before drawing: frames wanted for input or a change are drawn at once;
    // animation and continuous frames keep 1/animationFpsCap from the previous frame's start.
    std::chrono::microseconds HoldBack(TimePoint now) const;

    void FrameStarted(TimePoint now) { m_lastFrame = now; }
    // A frame was drawn; it animates (wants the next one), and the UI acted (wants two more).
    void FrameDrawn(bool animating, bool hadActions);
    // A frame failed: try one more.
    void FrameFailed() { Want(1); }

    int FramesWanted() const { return m_framesWanted; }

  private:
    Options m_options;
    std::chrono::microseconds m_minGap;
    int m_framesWanted = 2;
    bool m_animating = false;
    std::optional<TimePoint> m_lastFrame;
};

}  // namespace fk::app
