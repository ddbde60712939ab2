#pragma once
// The "who helped" picker's layout: how many rep tiles fit one page at this size and DPI, where
// they go, and the bar under them (previous page, Skip, next page). Pure: screen size, DPI, rep
// count and page in, rectangles out; shared by drawing, --layout-json and the layout grid test.
// Every target is at least kMinTargetMm square with kMinGapMm between targets, inside the window,
// in landscape and portrait. A roster that fits one page gets larger tiles and no page buttons.
// Thread-safe (pure functions).

#include <vector>

#include "ui/Layout.h"

namespace fk::ui {

struct RepPickerLayout {
    Rect title;
    std::vector<Rect> tiles;    // this page's tiles, row-major: tiles[i] shows rep first + i
    std::vector<Rect> avatars;  // the initials disc inside each tile (left end)
    std::vector<Rect> names;    // the name's box inside each tile (right of the disc)
    Rect skip;
    Rect prev;       // w == 0 when there is one page
    Rect next;       // w == 0 when there is one page
    Rect pageLabel;  // "3 / 8" above the bar; w == 0 when there is one page
    int columns = 0;
    int rows = 0;
    int perPage = 0;  // tiles a full page holds
    int pages = 1;
    int page = 0;   // the page laid out (the requested one, clamped to [0, pages))
    int first = 0;  // index of the rep in tiles[0]
    float titlePx = 0;
    float namePx = 0;
    float initialsPx = 0;
    bool Paged() const { return pages > 1; }
};

// count reps (0 or more); page is clamped to the pages there are.
RepPickerLayout LayoutRepPicker(const LayoutParams& p, int count, int page);

// The page that shows rep index (0-based) at this size; 0 for an index out of range.
int RepPickerPageOf(const LayoutParams& p, int count, int index);

}  // namespace fk::ui
