#pragma once
// The customer screens' colours, shared by KioskScreens.cpp and RepPicker.cpp (one palette, so
// the picker's tiles match the rest of the flow). Constants only; any thread.

#include <imgui.h>

namespace fk::ui::palette {

inline constexpr ImU32 kBackground = IM_COL32(246, 244, 239, 255);
inline constexpr ImU32 kInk = IM_COL32(31, 35, 40, 255);
inline constexpr ImU32 kSoftInk = IM_COL32(70, 76, 84, 255);
inline constexpr ImU32 kTile = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kTilePressed = IM_COL32(205, 220, 236, 255);
inline constexpr ImU32 kTileBorder = IM_COL32(178, 184, 192, 255);
inline constexpr ImU32 kAccent = IM_COL32(47, 62, 78, 255);

}  // namespace fk::ui::palette
