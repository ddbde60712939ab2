#pragma once
// The frame loops' testing hooks after a frame is rendered, in one place for RunKiosk and
// RunNotSetUp: the screenshot (on SIGUSR1, and at the last frame of --exit-after-frames) and the
// exit after that frame. Main thread, GL context current, after rendering and before the swap.

#include <optional>

#include "app/KioskApp.h"
#include "platform/Window.h"

namespace fk::app {

// Writes options.screenshotPath when a SIGUSR1 asked for it or framesDrawn is the last frame of
// exitAfterFrames. Returns the exit code when the loop should end after this frame (kOk, or
// kTestHookFailed when that last screenshot could not be written), nullopt to carry on.
std::optional<int> ScreenshotHooks(platform::Window& window, const AppOptions& options,
                                   int framesDrawn);

}  // namespace fk::app
