#include "TestWindow.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

#include "support/Skip.h"

namespace fk::test {

std::unique_ptr<platform::Window> OpenTestWindow(int w, int h, bool hideCursor) {
    ::setenv("LIBGL_ALWAYS_SOFTWARE", "1", 0);
    const char* require = std::getenv("FK_REQUIRE_DISPLAY");
    const bool required = require && std::string(require) == "1";
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        if (required)
            FAIL("FK_REQUIRE_DISPLAY=1 but DISPLAY is not set");
        Skip("no DISPLAY: real-window test not run");
        return nullptr;
    }
    platform::WindowOptions options;
    options.fullscreen = false;
    options.width = w;
    options.height = h;
    options.vsync = false;
    options.hideCursor = hideCursor;
    // A second window in one process sometimes finds Xvfb refusing the connection for a moment
    // under load ("Failed to open display").
    std::string error;
    for (int attempt = 0; attempt < 3; ++attempt) {
        try {
            return std::make_unique<platform::Window>(options);
        } catch (const std::exception& e) {
            error = e.what();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
    }
    if (required)
        FAIL("FK_REQUIRE_DISPLAY=1 but no window: " << error);
    Skip("no usable display: " + error);
    return nullptr;
}

}  // namespace fk::test
