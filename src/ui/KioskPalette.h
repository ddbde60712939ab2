#pragma once
// The customer screens' colours, shared by KioskScreens.cpp and RepPicker.cpp (one palette, so
// the picker's tiles match the rest of the flow): the normal theme and the high-contrast one of
// the accessible mode (issue 22). tests/ui/ContrastTest reads what the screens draw with either
// and checks text >= 4.5:1 and target edges >= 3:1. Constants only; any thread.

#include <imgui.h>

namespace fk::ui::palette {

struct Theme {
    ImU32 background;
    ImU32 ink;          // text and icons
    ImU32 softInk;      // secondary text and the Skip outline (still >= 4.5:1 on background)
    ImU32 tile;         // a target's fill
    ImU32 tilePressed;  // while a finger is on it
    ImU32 tileBorder;   // a target's edge (>= 3:1 against the background)
    ImU32 accent;       // selected and primary targets, icons on tiles
    ImU32 onAccent;     // text on an accent fill
    ImU32 disabled;     // a paging chevron with nowhere to go
    ImU32 pictogramDisc;
    ImU32 closedBackground;
    ImU32 closedInk;
    ImU32 noticeBackground;
    ImU32 noticeTitle;
    ImU32 noticeBody;
};

inline constexpr Theme kNormal = {
    IM_COL32(246, 244, 239, 255),  // background
    IM_COL32(31, 35, 40, 255),     // ink
    IM_COL32(70, 76, 84, 255),     // softInk
    IM_COL32(255, 255, 255, 255),  // tile
    IM_COL32(205, 220, 236, 255),  // tilePressed
    IM_COL32(122, 128, 137, 255),  // tileBorder (was 178,184,192: 1.9:1 on the background)
    IM_COL32(47, 62, 78, 255),     // accent
    IM_COL32(255, 255, 255, 255),  // onAccent
    IM_COL32(200, 203, 208, 255),  // disabled
    IM_COL32(226, 234, 242, 255),  // pictogramDisc
    IM_COL32(58, 58, 63, 255),     // closedBackground
    IM_COL32(170, 170, 176, 255),  // closedInk
    IM_COL32(44, 58, 74, 255),     // noticeBackground
    IM_COL32(240, 240, 240, 255),  // noticeTitle
    IM_COL32(200, 210, 222, 255),  // noticeBody
};

// Black, white and yellow: the accessible mode's high-contrast theme.
inline constexpr Theme kHighContrast = {
    IM_COL32(0, 0, 0, 255),        // background
    IM_COL32(255, 255, 255, 255),  // ink
    IM_COL32(235, 235, 235, 255),  // softInk
    IM_COL32(0, 0, 0, 255),        // tile
    IM_COL32(60, 60, 0, 255),      // tilePressed
    IM_COL32(255, 255, 255, 255),  // tileBorder
    IM_COL32(255, 221, 0, 255),    // accent
    IM_COL32(0, 0, 0, 255),        // onAccent
    IM_COL32(110, 110, 110, 255),  // disabled
    IM_COL32(40, 40, 40, 255),     // pictogramDisc
    IM_COL32(0, 0, 0, 255),        // closedBackground
    IM_COL32(255, 255, 255, 255),  // closedInk
    IM_COL32(0, 0, 0, 255),        // noticeBackground
    IM_COL32(255, 255, 255, 255),  // noticeTitle
    IM_COL32(255, 255, 255, 255),  // noticeBody
};

inline const Theme& ThemeFor(bool highContrast) {
    return highContrast ? kHighContrast : kNormal;
}

}  // namespace fk::ui::palette
