#pragma once
// The reason tiles' pictograms (core::Pictogram), drawn from ImDrawList primitives in the faces'
// style: a soft disc with thick rounded ink strokes on it, no image files and no text, so they read
// the same in every language. UI thread only; between ImGui::NewFrame() and ImGui::Render().

#include <imgui.h>

#include "core/Pictogram.h"
#include "ui/Layout.h"

namespace fk::ui {

struct PictogramColours {
    ImU32 ink;   // the strokes and fills of the picture
    ImU32 disc;  // the disc behind it
};

// Draws the pictogram inscribed in the square box (centred if box is not square).
void DrawPictogram(ImDrawList* drawList, const Rect& box, core::Pictogram pictogram,
                   const PictogramColours& colours);

}  // namespace fk::ui
