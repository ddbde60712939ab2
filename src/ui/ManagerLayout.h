#pragma once
// Pure layout of the manager screens: rectangles in window pixels from the window size and the
// DPI, landscape and portrait. Every touch target is at least kMinTargetMm high and wide; targets
// never overlap. No ImGui calls: testable, and shared by drawing and the layout the frame returns.
// Thread-safe (pure functions).

#include <array>
#include <optional>
#include <string_view>

#include "core/DashboardData.h"
#include "ui/Layout.h"

namespace fk::ui {

// The manager screens' sizes: text and targets grow with the screen, never below the mm minimums.
struct ManagerMetrics {
    float unit = 8;     // 1 % of the short side
    float target = 45;  // a touch target's minimum side (kMinTargetMm), or larger
    float margin = 12;
    float gap = 8;  // between adjacent targets
    float titlePx = 26;
    float textPx = 18;
    float smallPx = 15;
};
ManagerMetrics MetricsFor(const LayoutParams& p);

// The top bar, the tabs and the area the selected tab draws into.
struct ManagerChromeLayout {
    ManagerMetrics m;
    Rect title;
    Rect exit;
    std::array<Rect, 4> periods{};  // today, 7 days, 30 days, custom
    Rect info;                      // the period's dates (and "closes in" on the right)
    bool custom = false;
    // Custom range steppers (custom only): [-] first [+]   [-] last [+]
    Rect firstMinus, firstLabel, firstPlus, lastMinus, lastLabel, lastPlus;
    Rect closesIn;               // right end of the info row
    Rect banner;                 // h == 0 when there is no alert
    std::array<Rect, 6> tabs{};  // reps, store, calls, sync, roster, export (drawn order)
    Rect content;                // what scrolls
};
ManagerChromeLayout LayoutManagerChrome(const LayoutParams& p, bool custom, bool banner);

// The per-rep table's columns, left to right. Distribution has no sort key.
enum class RepTableColumn {
    Rep,
    Responses,
    Distribution,
    Satisfaction,
    Score,
    WilsonLower,
    NotAboutRep,
    AgainstRep,
    Misuse
};
inline constexpr int kRepTableColumns = 9;
std::optional<core::RepColumn> SortKeyOf(RepTableColumn column);
// "rep", "responses", "satisfaction", "score", "wilson", "not_about_rep", "against_rep", "misuse"
std::string_view SortIdOf(core::RepColumn column);
// Clicking a header: the same column flips the direction; a new column starts descending
// (the rep column ascending, A first).
bool NextSortDescending(core::RepColumn clicked, core::RepColumn current, bool currentDescending);

struct RepTableLayout {
    std::array<Rect, kRepTableColumns> header{};  // fixed above the scrolling rows
    std::array<float, kRepTableColumns> colX{};
    std::array<float, kRepTableColumns> colW{};
    Rect rows;        // the scrolling area under the header
    float rowH = 45;  // a row is a touch target
    float rowGap = 2;
};
// Nine columns of at least a target's width need about 120 mm; on narrower screens the last
// columns run past the right edge (clipped) rather than shrink below the touch minimum.
RepTableLayout LayoutRepTable(const Rect& content, const ManagerMetrics& m);
// Row i's rectangle at scroll offset scrollY (may lie outside rows: the caller clips).
Rect RepRowRect(const RepTableLayout& l, int index, float scrollY);
// The largest useful scroll offset for contentHeight in a view viewHeight tall.
float MaxScroll(float contentHeight, float viewHeight);

}  // namespace fk::ui
