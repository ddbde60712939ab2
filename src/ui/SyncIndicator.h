#pragma once
// The customer screen's sync indicator: a small dot in the bottom-right corner that staff can
// read at a glance and customers can ignore. Colour and shape both carry the state (a ring for
// "waiting", a dot with a bar for "needs staff"), so it reads without colour vision.
// UI thread only; draws between ImGui::NewFrame() and ImGui::Render().

#include <imgui.h>

#include "ui/Layout.h"

namespace fk::ui {

enum class SyncDot {
    Hidden,     // sync is not configured: nothing to say
    Synced,     // everything closed is on the server
    Waiting,    // responses are pending or the last attempt will be retried
    NeedsStaff  // sync stopped (token refused, token file unsafe): manager mode says why
};

// Where the dot goes on a display of this size at this DPI (about 3 mm across, 3 mm from the
// corner). Empty for Hidden.
Rect SyncDotRect(SyncDot dot, ImVec2 display, float dpi);
void DrawSyncDot(ImDrawList* drawList, SyncDot dot, ImVec2 display, float dpi);

}  // namespace fk::ui
