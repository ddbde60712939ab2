#pragma once
// A real window for the platform tests. Main thread (GLFW). Returns nullptr (the test reported as
// skipped) when there is no display and none is required; FAILs when FK_REQUIRE_DISPLAY=1 and no
// window opens.
#include <memory>

#include "platform/Window.h"

namespace fk::test {

std::unique_ptr<platform::Window> OpenTestWindow(int w, int h, bool hideCursor = false);

}  // namespace fk::test
