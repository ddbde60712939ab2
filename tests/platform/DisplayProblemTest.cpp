// The log line when the kiosk's window cannot open names what is missing: under cage without
// Xwayland it says to install xwayland (the package once only recommended it, and the kiosk's
// message pointed at Xvfb).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "platform/DisplayProblem.h"

using namespace fk::platform;

namespace {

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("display problem: cage without Xwayland says to install the xwayland package") {
    DisplayFacts f;
    f.waylandDisplay = "wayland-0";
    f.xwaylandInstalled = false;
    f.glfwError = "X11: The DISPLAY environment variable is missing (GLFW error 65550)";
    const std::string m = DescribeDisplayProblem(f);
    CAPTURE(m);
    CHECK(Has(m, "Xwayland is not installed"));
    CHECK(Has(m, "apt-get install xwayland"));
    CHECK(Has(m, "feedback-kiosk.service"));
    CHECK(Has(m, "GLFW error 65550"));  // GLFW's own words stay in the line
    CHECK_FALSE(Has(m, "Xvfb"));
}

TEST_CASE("display problem: each broken link of cage, Xwayland, X and GL has its own fix") {
    DisplayFacts f;
    f.glfwError = "e";
    f.waylandDisplay = "wayland-0";
    f.xwaylandInstalled = true;
    CHECK(Has(DescribeDisplayProblem(f), "Xwayland is installed but did not start"));
    f.display = ":0";
    CHECK(Has(DescribeDisplayProblem(f), "cannot connect to Xwayland's display :0"));
    f.waylandDisplay.clear();
    const std::string x = DescribeDisplayProblem(f);
    CHECK(Has(x, "cannot connect to the X display :0"));
    CHECK(Has(x, "Xvfb"));
    f.display.clear();
    CHECK(Has(DescribeDisplayProblem(f), "neither DISPLAY nor WAYLAND_DISPLAY is set"));
    f.display = ":0";
    f.windowStage = true;
    const std::string gl = DescribeDisplayProblem(f);
    CHECK(Has(gl, "no OpenGL 3.3 or OpenGL ES 3.0 window"));
    CHECK(Has(gl, "libgl1-mesa-dri"));
}

TEST_CASE("display problem: the facts of this process come from its environment") {
    // The window tests in this executable need DISPLAY back afterwards.
    const char* display = std::getenv("DISPLAY");
    const std::string saved = display ? display : "";
    ::setenv("WAYLAND_DISPLAY", "wayland-test", 1);
    ::setenv("DISPLAY", ":4242", 1);
    const DisplayFacts f = CurrentDisplayFacts("why", false);
    ::unsetenv("WAYLAND_DISPLAY");
    if (display) {
        ::setenv("DISPLAY", saved.c_str(), 1);
    } else {
        ::unsetenv("DISPLAY");
    }
    CHECK(f.waylandDisplay == "wayland-test");
    CHECK(f.display == ":4242");
    CHECK(f.glfwError == "why");
}
