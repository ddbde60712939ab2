#include "platform/DisplayProblem.h"

#include <unistd.h>

#include <cstdlib>

namespace fk::platform {

namespace {

std::string Env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

DisplayFacts CurrentDisplayFacts(std::string glfwError, bool windowStage) {
    DisplayFacts f;
    f.display = Env("DISPLAY");
    f.waylandDisplay = Env("WAYLAND_DISPLAY");
    f.xwaylandInstalled = ::access("/usr/bin/Xwayland", X_OK) == 0;
    f.glfwError = std::move(glfwError);
    f.windowStage = windowStage;
    return f;
}

std::string DescribeDisplayProblem(const DisplayFacts& f) {
    const std::string glfw = " [" + f.glfwError + "]";
    if (f.windowStage) {
        return "the display " + (f.display.empty() ? std::string("?") : f.display) +
               " opened but gives no OpenGL 3.3 or OpenGL ES 3.0 window: the graphics driver "
               "(Mesa, package "
               "libgl1-mesa-dri) is missing or too old for this GPU; LIBGL_ALWAYS_SOFTWARE=1 "
               "in the service's environment uses software rendering" +
               glfw;
    }
    if (!f.waylandDisplay.empty() && f.display.empty()) {
        if (!f.xwaylandInstalled) {
            return "cage runs (WAYLAND_DISPLAY=" + f.waylandDisplay +
                   ") but started no Xwayland, which the kiosk needs: Xwayland is not installed; "
                   "install the xwayland package (apt-get install xwayland) and restart "
                   "feedback-kiosk.service" +
                   glfw;
        }
        return "cage runs (WAYLAND_DISPLAY=" + f.waylandDisplay +
               ") but gave the kiosk no X display (DISPLAY is unset): Xwayland is installed but "
               "did not start; see cage's and Xwayland's messages above in the journal" +
               glfw;
    }
    if (!f.display.empty()) {
        if (!f.waylandDisplay.empty()) {
            return "cannot connect to Xwayland's display " + f.display + " inside cage (WAYLAND_" +
                   "DISPLAY=" + f.waylandDisplay +
                   "): Xwayland stopped or refused the connection; see its messages above in the "
                   "journal" +
                   glfw;
        }
        return "cannot connect to the X display " + f.display +
               ": no X server runs there or it refuses this user (for tests: start Xvfb " +
               f.display + ")" + glfw;
    }
    return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set. On a kiosk, start "
           "feedback-kiosk.service (it runs the kiosk in cage with Xwayland); for a try-out or "
           "tests, set DISPLAY to a running X server (e.g. Xvfb :99)" +
           glfw;
}

}  // namespace fk::platform
