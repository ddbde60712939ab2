#include "ui/SyncIndicator.h"

namespace fk::ui {

Rect SyncDotRect(SyncDot dot, ImVec2 display, float dpi) {
    if (dot == SyncDot::Hidden)
        return {};
    const float size = MmToPx(3.0f, dpi);
    const float margin = MmToPx(3.0f, dpi);
    return {display.x - margin - size, display.y - margin - size, size, size};
}

void DrawSyncDot(ImDrawList* drawList, SyncDot dot, ImVec2 display, float dpi) {
    const Rect r = SyncDotRect(dot, display, dpi);
    if (r.w <= 0)
        return;
    const ImVec2 centre(r.CenterX(), r.CenterY());
    const float radius = r.w * 0.5f;
    switch (dot) {
        case SyncDot::Hidden:
            break;
        case SyncDot::Synced:  // filled, bluish green (Okabe-Ito)
            drawList->AddCircleFilled(centre, radius, IM_COL32(0, 158, 115, 160), 24);
            break;
        case SyncDot::Waiting:  // ring, orange
            drawList->AddCircle(centre, radius - 1.0f, IM_COL32(230, 159, 0, 200), 24, 2.0f);
            break;
        case SyncDot::NeedsStaff:  // filled vermillion with a white bar
            drawList->AddCircleFilled(centre, radius, IM_COL32(213, 94, 0, 230), 24);
            drawList->AddRectFilled(ImVec2(centre.x - radius * 0.55f, centre.y - radius * 0.15f),
                                    ImVec2(centre.x + radius * 0.55f, centre.y + radius * 0.15f),
                                    IM_COL32(255, 255, 255, 255));
            break;
    }
}

}  // namespace fk::ui
