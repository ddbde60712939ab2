#pragma once
// Why the kiosk's window could not open, in words a technician can act on. The kiosk runs as an
// X11 client (Debian's GLFW 3.3) inside cage through Xwayland; each way that chain breaks has its
// own fix, so the message names the missing piece instead of repeating GLFW's error alone.
// Pure functions of the facts given; no thread affinity.

#include <string>

namespace fk::platform {

struct DisplayFacts {
    std::string display;         // $DISPLAY ("" when unset)
    std::string waylandDisplay;  // $WAYLAND_DISPLAY ("" when unset): set inside cage
    bool xwaylandInstalled = false;
    std::string glfwError;     // GLFW's own description, kept in the message
    bool windowStage = false;  // GLFW started, the window (GL 3.3 core or ES 3.0) failed
};

// The facts of this process: the environment and whether Xwayland is installed.
DisplayFacts CurrentDisplayFacts(std::string glfwError, bool windowStage);

// One line for the log (the service's journal): what is missing and what to do.
std::string DescribeDisplayProblem(const DisplayFacts& facts);

}  // namespace fk::platform
