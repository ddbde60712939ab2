// app::FramePacer: when the kiosk's loop draws and how long it sleeps, without a window.
#include <doctest/doctest.h>

#include "app/FramePacer.h"

using namespace fk;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

const app::FramePacer::TimePoint kT0{std::chrono::seconds(100)};

// Draws frames until none is due; returns how many were drawn (capped, so a bug cannot hang).
int DrainFrames(app::FramePacer& pacer) {
    int frames = 0;
    while (pacer.FrameDue() && frames < 100) {
        pacer.FrameDrawn(false, false);
        ++frames;
    }
    return frames;
}

}  // namespace

TEST_CASE("frame pacer: two frames at start, then an idle kiosk sleeps until its next deadline") {
    app::FramePacer pacer({});
    CHECK(pacer.FrameDue());
    CHECK(pacer.WaitTimeoutS(0, {}) == 0.0);  // a frame is due: poll, do not sleep
    CHECK(DrainFrames(pacer) == 2);
    CHECK_FALSE(pacer.FrameDue());
    // No deadline: the longest sleep (opening hours are checked that often).
    CHECK(pacer.WaitTimeoutS(1'000, {}) == doctest::Approx(30.0));
    // The nearest deadline wins; none given is ignored.
    CHECK(pacer.WaitTimeoutS(1'000, {std::nullopt, 6'000, 3'500}) == doctest::Approx(2.5));
    // A deadline already passed still sleeps a little (1 ms), never a negative time.
    CHECK(pacer.WaitTimeoutS(1'000, {900}) == doctest::Approx(0.001));
    // A deadline beyond the longest sleep does not lengthen it.
    CHECK(pacer.WaitTimeoutS(0, {120'000}) == doctest::Approx(30.0));
}

TEST_CASE("frame pacer: input wants two frames, a change one, and wants never shrink") {
    app::FramePacer pacer({});
    DrainFrames(pacer);
    pacer.Want(2);  // input: the frame that handles it and the one that shows the result
    CHECK(DrainFrames(pacer) == 2);
    pacer.Want(1);  // the sync dot changed
    CHECK(DrainFrames(pacer) == 1);
    pacer.Want(2);
    pacer.Want(1);  // a smaller want does not cancel a bigger one
    CHECK(pacer.FramesWanted() == 2);
    // A frame whose UI acted asks for two more, to show what the action changed.
    pacer.FrameDrawn(false, true);
    CHECK(pacer.FramesWanted() == 2);
    CHECK(DrainFrames(pacer) == 2);
    // A failed frame is retried once.
    pacer.FrameFailed();
    CHECK(DrainFrames(pacer) == 1);
}

TEST_CASE("frame pacer: animation frames keep the fps cap, input frames are drawn at once") {
    app::FramePacer pacer({.animationFpsCap = 50});  // 20 ms apart
    DrainFrames(pacer);
    pacer.FrameStarted(kT0);
    pacer.FrameDrawn(true, false);  // the screen animates: it wants the next frame
    CHECK(pacer.FrameDue());
    CHECK(pacer.WaitTimeoutS(0, {}) == 0.0);
    CHECK(pacer.HoldBack(kT0 + milliseconds(5)) == microseconds(15'000));
    CHECK(pacer.HoldBack(kT0 + milliseconds(20)) == microseconds(0));
    CHECK(pacer.HoldBack(kT0 + milliseconds(25)) == microseconds(0));
    pacer.Want(2);  // a tap during the animation is not held back
    CHECK(pacer.HoldBack(kT0 + milliseconds(5)) == microseconds(0));
    DrainFrames(pacer);
    pacer.FrameDrawn(false, false);  // the animation ended
    CHECK_FALSE(pacer.FrameDue());
}

TEST_CASE("frame pacer: a continuous loop draws every iteration at the fps cap") {
    app::FramePacer pacer({.continuous = true, .animationFpsCap = 60});
    DrainFrames(pacer);  // stops at the cap of 100: it is always due
    CHECK(pacer.FrameDue());
    CHECK(pacer.WaitTimeoutS(0, {5'000}) == 0.0);
    CHECK(pacer.HoldBack(kT0) == microseconds(0));  // no frame started yet
    pacer.FrameStarted(kT0);
    CHECK(pacer.HoldBack(kT0) == microseconds(16'666));
    CHECK(pacer.HoldBack(kT0 + milliseconds(17)) == microseconds(0));
}
