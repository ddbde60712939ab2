#pragma once
// Drawing one rep tile (frame, initials disc, name) and a page chevron button, shared by the
// customer's "who helped" picker (RepPicker.cpp) and the staff sign-in picker (StaffPicker.cpp),
// both laid out by ui/RepPickerLayout.h. Internal to src/ui. UI thread, between
// ImGui::NewFrame() and ImGui::Render().

#include <cstddef>
#include <string>

#include <imgui.h>

#include "ui/KioskPalette.h"
#include "ui/KioskScreens.h"
#include "ui/RepPickerLayout.h"
#include "ui/TextPainter.h"

namespace fk::ui {

// Tile i of layout l showing rep; marked draws it selected (the accent fill: the rep on duty).
void DrawRepTile(ImDrawList* dl, TextPainter& text, const palette::Theme& t,
                 const RepPickerLayout& l, std::size_t i, const RepTile& rep,
                 const std::string& initials, const std::string& language, bool pressed,
                 bool marked = false);
// A round page button with a chevron (forward: right), dimmed when it has nowhere to go.
void DrawPageButton(ImDrawList* dl, const palette::Theme& t, const Rect& r, bool forward,
                    bool enabled, bool pressed);

}  // namespace fk::ui
