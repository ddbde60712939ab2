#pragma once
// The full-screen, undecorated, unpadded ImGui window every kiosk screen draws in (customer
// screens, PIN pad, manager screens, not set up), and the screens' point. Internal to src/ui.
// UI thread, between ImGui::NewFrame() and ImGui::Render(); each Begin needs its End.

#include <imgui.h>

namespace fk::ui {

// Opens window `id` over the whole display with the base flags (no decoration, move, saved
// settings, nav or background) plus extraFlags.
void BeginScreenWindow(const char* id, ImGuiWindowFlags extraFlags);
void EndScreenWindow();

// A point on the screen as ImGui's draw lists take it.
inline ImVec2 V(float x, float y) {
    return ImVec2(x, y);
}

}  // namespace fk::ui
