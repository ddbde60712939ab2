#pragma once
// The calm full-screen notice a kiosk shows when it cannot take ratings because it has not been
// set up (no config file, or a config without a kiosk id) or its config has errors. It says what
// is wrong and what a technician should do; nothing on it is interactive.
// UI thread only; DrawNotSetUp must be called between ImGui::NewFrame() and ImGui::Render().

#include <string>
#include <vector>

#include "ui/Layout.h"
#include "ui/TextPainter.h"

namespace fk::ui {

struct NotSetUpView {
    std::string title;               // "This kiosk is not set up yet"
    std::vector<std::string> lines;  // what is wrong and what to do, one paragraph each
    float dpi = 96;
};

// The view for a kiosk with no usable config. configPath: the file looked for; problems: the
// config's errors as "file:line: key: message" (empty when the file is missing or has no id).
NotSetUpView MakeNotSetUpView(const std::string& configPath,
                              const std::vector<std::string>& problems, bool fileMissing);

// Draws the notice over the whole display; returns its layout (screen "not_set_up", no targets).
ScreenLayout DrawNotSetUp(TextPainter& text, const NotSetUpView& view);

}  // namespace fk::ui
